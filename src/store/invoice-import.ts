// Saves the rows of a bulk import in a handful of statements, whatever the number of rows:
// missing debtors in one insert, missing phones in one update, new invoices in one insert.
// The invoice number is the key: a number already stored with the same debtor and amount is
// "already present" (sending a file twice changes nothing); with a different debtor or amount
// it is a conflict, reported and never overwritten. Two imports running at once are safe: the
// unique keys decide, and inserts skip what another import stored first.
import type { ImportRow } from '../engine/invoice-import.ts';
import { recordAudit } from './audit.ts';
import { toDbDate, toMinor, type Tx } from './types.ts';

export interface ImportInvoicesInput {
  businessId: string;
  currency: string;
  actorMemberId: string;
  rows: ImportRow[];
  now: Date;
}

export type ImportConflictReason = 'different_amount' | 'different_debtor';

export interface ImportInvoicesResult {
  created: number;
  alreadyPresent: Array<{ line: number; number: string }>;
  conflicts: Array<{ line: number; number: string; reason: ImportConflictReason }>;
  debtorsCreated: number;
  /** Existing debtors without a phone that got one from the file. */
  phonesAdded: number;
  /** The debtors of the invoices this import created, each once, sorted (credit is applied to them). */
  createdDebtorIds: string[];
  /** Customers in the file whose phone number another customer of the business also has (each pair once). */
  sharedPhones: Array<{ phone: string; name: string; other: string }>;
}

/** Conflicts listed in the audit row at most (the counts are always complete). */
const AUDITED_CONFLICTS = 50;

interface StoredInvoice {
  number: string;
  debtor_id: string;
  amount_minor: bigint;
}

/** Invoice numbers match whatever their case, as findInvoiceByNumber does. */
function numberKey(number: string): string {
  return number.toLowerCase();
}

function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export async function importInvoices(tx: Tx, input: ImportInvoicesInput): Promise<ImportInvoicesResult> {
  const { businessId, currency, rows } = input;
  const result: ImportInvoicesResult = { created: 0, alreadyPresent: [], conflicts: [], debtorsCreated: 0, phonesAdded: 0, createdDebtorIds: [], sharedPhones: [] };
  if (rows.length === 0) return result;

  // Debtors: one per name key, named as first written, with the first phone given.
  const debtorByKey = new Map<string, { name: string; phone: string | null }>();
  for (const row of rows) {
    const known = debtorByKey.get(row.debtorNameKey);
    if (!known) debtorByKey.set(row.debtorNameKey, { name: row.debtorName, phone: row.phone });
    else if (known.phone === null && row.phone !== null) known.phone = row.phone;
  }
  // Sorted keys: concurrent imports take the unique-index locks in the same order (no deadlock).
  const keys = [...debtorByKey.keys()].sort(byText);
  const inserted = await tx.debtor.createMany({
    data: keys.map((key) => ({ businessId, name: debtorByKey.get(key)!.name, nameKey: key, phone: debtorByKey.get(key)!.phone, createdAt: input.now, updatedAt: input.now })),
    skipDuplicates: true,
  });
  result.debtorsCreated = inserted.count;

  const phoneKeys = keys.filter((key) => debtorByKey.get(key)!.phone !== null);
  if (phoneKeys.length > 0) {
    result.phonesAdded = await tx.$executeRaw`
      UPDATE debtor d SET phone = v.phone, updated_at = ${input.now}::timestamptz
        FROM unnest(${phoneKeys}::text[], ${phoneKeys.map((key) => debtorByKey.get(key)!.phone)}::text[]) AS v(name_key, phone)
       WHERE d.business_id = ${businessId}::uuid AND d.name_key = v.name_key AND d.phone IS NULL`;
  }

  // One phone, two customers: a typo, or a shop under two names. Saved, and the owner is told.
  result.sharedPhones = await tx.$queryRaw<Array<{ phone: string; name: string; other: string }>>`
    SELECT DISTINCT ON (a.phone, a.name) a.phone, a.name, b.name AS other
      FROM debtor a JOIN debtor b ON b.business_id = a.business_id AND b.phone = a.phone AND b.id <> a.id
     WHERE a.business_id = ${businessId}::uuid AND a.name_key = ANY(${keys}::text[]) AND a.phone IS NOT NULL
       AND (b.name_key <> ALL(${keys}::text[]) OR a.name_key < b.name_key)
     ORDER BY a.phone, a.name, b.name`;

  const debtors = await tx.$queryRaw<Array<{ id: string; name_key: string }>>`
    SELECT id, name_key FROM debtor WHERE business_id = ${businessId}::uuid AND name_key = ANY(${keys}::text[])`;
  const debtorIdByKey = new Map(debtors.map((d) => [d.name_key, d.id]));
  const debtorIdOf = (row: ImportRow): string => {
    const id = debtorIdByKey.get(row.debtorNameKey);
    if (id === undefined) throw new Error(`debtor "${row.debtorNameKey}" missing after insert`);
    return id;
  };

  // Invoices: those whose number is stored already are compared, the rest inserted.
  const firstRowByNumber = new Map<string, ImportRow>();
  for (const row of rows) if (!firstRowByNumber.has(numberKey(row.number))) firstRowByNumber.set(numberKey(row.number), row);
  const stored = new Map<string, StoredInvoice>();
  const readStored = async (numbers: string[]) => {
    const found = await tx.$queryRaw<StoredInvoice[]>`
      SELECT i.number, i.debtor_id, i.amount_minor
        FROM invoice i
        JOIN (SELECT DISTINCT lower(n) AS number_key FROM unnest(${numbers}::text[]) AS n) wanted ON lower(i.number) = wanted.number_key
       WHERE i.business_id = ${businessId}::uuid`;
    for (const invoice of found) if (!stored.has(numberKey(invoice.number))) stored.set(numberKey(invoice.number), invoice);
  };
  await readStored([...firstRowByNumber.values()].map((row) => row.number));

  const toInsert = [...firstRowByNumber.values()].filter((row) => !stored.has(numberKey(row.number))).sort((a, b) => byText(a.number, b.number));
  const createdNumbers = new Set<string>();
  if (toInsert.length > 0) {
    const created = await tx.invoice.createManyAndReturn({
      data: toInsert.map((row) => ({
        businessId,
        debtorId: debtorIdOf(row),
        number: row.number,
        amountMinor: BigInt(row.amountMinor),
        currency,
        issuedOn: toDbDate(row.issuedOn),
        dueOn: row.dueOn === null ? null : toDbDate(row.dueOn),
        createdAt: input.now,
        updatedAt: input.now,
      })),
      skipDuplicates: true,
      select: { number: true },
    });
    for (const invoice of created) createdNumbers.add(invoice.number);
    result.created = created.length;
    // Rows another import stored between our read and our insert: compare them like the rest.
    const skipped = toInsert.filter((row) => !createdNumbers.has(row.number)).map((row) => row.number);
    if (skipped.length > 0) await readStored(skipped);
  }

  // Every row not inserted is compared with the invoice its number belongs to.
  const createdRowByNumber = new Map<string, ImportRow>();
  for (const row of toInsert) if (createdNumbers.has(row.number)) createdRowByNumber.set(numberKey(row.number), row);
  result.createdDebtorIds = [...new Set([...createdRowByNumber.values()].map(debtorIdOf))].sort(byText);
  const invoiceFor = (key: string): { debtorId: string; amountMinor: number } | undefined => {
    const createdRow = createdRowByNumber.get(key);
    if (createdRow) return { debtorId: debtorIdOf(createdRow), amountMinor: createdRow.amountMinor };
    const invoice = stored.get(key);
    return invoice && { debtorId: invoice.debtor_id, amountMinor: toMinor(invoice.amount_minor) };
  };
  for (const row of rows) {
    const key = numberKey(row.number);
    if (createdRowByNumber.get(key) === row) continue;
    const invoice = invoiceFor(key);
    if (!invoice) throw new Error(`invoice "${row.number}" neither inserted nor found`);
    if (invoice.debtorId !== debtorIdOf(row)) result.conflicts.push({ line: row.line, number: row.number, reason: 'different_debtor' });
    else if (invoice.amountMinor !== row.amountMinor) result.conflicts.push({ line: row.line, number: row.number, reason: 'different_amount' });
    else result.alreadyPresent.push({ line: row.line, number: row.number });
  }

  await recordAudit(tx, {
    businessId,
    actor: { type: 'member', id: input.actorMemberId },
    action: 'invoice.imported',
    entityType: 'invoice',
    data: {
      rows: rows.length,
      created: result.created,
      alreadyPresent: result.alreadyPresent.length,
      conflicts: result.conflicts.length,
      debtorsCreated: result.debtorsCreated,
      phonesAdded: result.phonesAdded,
      conflictNumbers: result.conflicts.slice(0, AUDITED_CONFLICTS).map((c) => ({ number: c.number, reason: c.reason })),
    },
    now: input.now,
  });
  return result;
}
