import type { CalendarDate } from '../engine/calendar.ts';
import { recordAudit } from './audit.ts';
import { fromDbDate, toDbDate, toMinor, type Debtor, type Tx } from './types.ts';
import { Prisma } from '../generated/prisma/client.ts';

export async function findDebtorByNameKey(tx: Tx, businessId: string, nameKey: string): Promise<Debtor | null> {
  return tx.debtor.findUnique({ where: { businessId_nameKey: { businessId, nameKey } } });
}

export async function findInvoiceByNumber(tx: Tx, businessId: string, number: string) {
  return tx.invoice.findFirst({
    where: { businessId, number: { equals: number, mode: 'insensitive' } },
    include: { debtor: { select: { name: true } } },
  });
}

/** The next free automatic number, INV-0001, INV-0002, … (owners may use their own instead). */
export async function nextInvoiceNumber(tx: Tx, businessId: string): Promise<string> {
  const [row] = await tx.$queryRaw<Array<{ max: number | null }>>`
    SELECT MAX(CAST(substring(number FROM 5) AS INTEGER)) AS max
      FROM invoice WHERE business_id = ${businessId}::uuid AND number ~ '^INV-[0-9]{1,9}$'`;
  return `INV-${String((row?.max ?? 0) + 1).padStart(4, '0')}`;
}

export interface NewInvoice {
  businessId: string;
  actorMemberId: string;
  debtorName: string;
  debtorNameKey: string;
  phone?: string | undefined;
  number: string;
  amountMinor: number;
  currency: string;
  issuedOn: CalendarDate;
  dueOn?: CalendarDate | undefined;
}

/** Creates the invoice, and its debtor when new (adding a phone the debtor did not have yet). */
export async function createInvoice(tx: Tx, input: NewInvoice) {
  const actor = { type: 'member' as const, id: input.actorMemberId };
  let debtor = await findDebtorByNameKey(tx, input.businessId, input.debtorNameKey);
  if (!debtor) {
    debtor = await tx.debtor.create({
      data: { businessId: input.businessId, name: input.debtorName, nameKey: input.debtorNameKey, phone: input.phone ?? null },
    });
    await recordAudit(tx, { businessId: input.businessId, actor, action: 'debtor.created', entityType: 'debtor', entityId: debtor.id, data: { name: debtor.name } });
  } else if (input.phone && !debtor.phone) {
    debtor = await tx.debtor.update({ where: { id: debtor.id }, data: { phone: input.phone } });
    await recordAudit(tx, { businessId: input.businessId, actor, action: 'debtor.phone_added', entityType: 'debtor', entityId: debtor.id });
  }
  const invoice = await tx.invoice.create({
    data: {
      businessId: input.businessId,
      debtorId: debtor.id,
      number: input.number,
      amountMinor: BigInt(input.amountMinor),
      currency: input.currency,
      issuedOn: toDbDate(input.issuedOn),
      dueOn: input.dueOn ? toDbDate(input.dueOn) : null,
    },
  });
  await recordAudit(tx, {
    businessId: input.businessId,
    actor,
    action: 'invoice.created',
    entityType: 'invoice',
    entityId: invoice.id,
    data: { number: input.number, amountMinor: input.amountMinor, dueOn: input.dueOn ?? null, debtorId: debtor.id },
  });
  return { invoice, debtor };
}

export interface OpenInvoiceLine {
  number: string;
  debtorName: string;
  balanceMinor: number;
  issuedOn: CalendarDate;
  dueOn: CalendarDate | null;
}

export interface OpenInvoicePage {
  lines: OpenInvoiceLine[];
  totalCount: number;
  totalBalanceMinor: number;
}

/**
 * Open invoices with their balances, oldest effective due date first, in one statement.
 * An agent (agentId) sees only the invoices of debtors assigned to them.
 */
export async function listOpenInvoices(
  tx: Tx,
  businessId: string,
  options: { limit: number; termsDays: number; agentId?: string | null },
): Promise<OpenInvoicePage> {
  const agentFilter = options.agentId ? Prisma.sql`AND d.assigned_agent_id = ${options.agentId}::uuid` : Prisma.empty;
  const rows = await tx.$queryRaw<
    Array<{ number: string; debtor_name: string; balance: bigint; issued_on: Date; due_on: Date | null; total_count: bigint; total_balance: bigint }>
  >`
    WITH open_lines AS (
      SELECT i.number, d.name AS debtor_name, i.issued_on, i.due_on,
             i.amount_minor - COALESCE(paid.amount, 0) AS balance,
             COALESCE(i.due_on, i.issued_on + ${options.termsDays}::int) AS effective_due
        FROM invoice i
        JOIN debtor d ON d.id = i.debtor_id
        LEFT JOIN LATERAL (
          SELECT SUM(pa.amount_minor) AS amount
            FROM payment_allocation pa JOIN payment p ON p.id = pa.payment_id AND p.reversed_at IS NULL
           WHERE pa.invoice_id = i.id
        ) paid ON true
       WHERE i.business_id = ${businessId}::uuid AND i.status = 'open' ${agentFilter}
    )
    SELECT number, debtor_name, balance, issued_on, due_on,
           COUNT(*) OVER () AS total_count, SUM(balance) OVER () AS total_balance
      FROM open_lines
     WHERE balance > 0
     ORDER BY effective_due, number
     LIMIT ${options.limit}`;
  return {
    lines: rows.map((r) => ({
      number: r.number,
      debtorName: r.debtor_name,
      balanceMinor: toMinor(r.balance),
      issuedOn: fromDbDate(r.issued_on),
      dueOn: r.due_on ? fromDbDate(r.due_on) : null,
    })),
    totalCount: rows[0] ? toMinor(rows[0].total_count) : 0,
    totalBalanceMinor: rows[0] ? toMinor(rows[0].total_balance) : 0,
  };
}
