import type { CalendarDate } from '../engine/calendar.ts';
import { recordAudit } from './audit.ts';
import { fromDbDate, toDbDate, toMinor, type Debtor, type Tx } from './types.ts';
import { Prisma } from '../generated/prisma/client.ts';

export async function findDebtorByNameKey(tx: Tx, businessId: string, nameKey: string): Promise<Debtor | null> {
  return tx.debtor.findUnique({ where: { businessId_nameKey: { businessId, nameKey } } });
}

/** An invoice of this business by number (any case); an agent only finds their debtors' invoices. */
export async function findInvoiceByNumber(tx: Tx, businessId: string, number: string, agentId: string | null = null) {
  return tx.invoice.findFirst({
    where: { businessId, number: { equals: number, mode: 'insensitive' }, ...(agentId ? { debtor: { assignedAgentId: agentId } } : {}) },
    include: { debtor: { select: { id: true, name: true } } },
  });
}

export interface InvoiceBalance {
  id: string;
  number: string;
  debtorId: string;
  amountMinor: number;
  balanceMinor: number;
  issuedOn: CalendarDate;
  dueOn: CalendarDate | null;
  effectiveDueOn: CalendarDate;
  status: string;
}

/** Balances of a debtor's open invoices (or of the given invoices), in one statement. */
export async function invoiceBalances(tx: Tx, where: { debtorId: string; termsDays: number } | { invoiceIds: string[]; termsDays: number }): Promise<InvoiceBalance[]> {
  const filter =
    'debtorId' in where
      ? Prisma.sql`i.debtor_id = ${where.debtorId}::uuid AND i.status = 'open'`
      : Prisma.sql`i.id = ANY(${where.invoiceIds}::uuid[])`;
  const rows = await tx.$queryRaw<
    Array<{ id: string; number: string; debtor_id: string; amount_minor: bigint; balance: bigint; issued_on: Date; due_on: Date | null; effective_due: Date; status: string }>
  >`
    SELECT i.id, i.number, i.debtor_id, i.amount_minor, i.issued_on, i.due_on, i.status::text AS status,
           i.amount_minor - i.paid_minor AS balance,
           COALESCE(i.due_on, i.issued_on + ${where.termsDays}::int) AS effective_due
      FROM invoice i
     WHERE ${filter}
     ORDER BY effective_due, i.issued_on, i.number`;
  return rows.map((r) => ({
    id: r.id,
    number: r.number,
    debtorId: r.debtor_id,
    amountMinor: toMinor(r.amount_minor),
    balanceMinor: toMinor(r.balance),
    issuedOn: fromDbDate(r.issued_on),
    dueOn: r.due_on ? fromDbDate(r.due_on) : null,
    effectiveDueOn: fromDbDate(r.effective_due),
    status: r.status,
  }));
}

/**
 * The same balances of a debtor's open invoices as invoiceBalances, as one JSON array expression to
 * read inside a larger statement (`debtorId` and `termsDays` are SQL expressions); read it back with
 * invoiceBalancesFromJson.
 */
export function openInvoiceBalancesJson(debtorId: Prisma.Sql, termsDays: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`(
    SELECT COALESCE(jsonb_agg(jsonb_build_object(
             'id', i.id, 'number', i.number, 'debtor_id', i.debtor_id, 'amount_minor', i.amount_minor, 'balance', i.amount_minor - i.paid_minor,
             'issued_on', i.issued_on, 'due_on', i.due_on, 'effective_due', COALESCE(i.due_on, i.issued_on + ${termsDays}), 'status', i.status::text)
             ORDER BY COALESCE(i.due_on, i.issued_on + ${termsDays}), i.issued_on, i.number), '[]'::jsonb)
      FROM invoice i
     WHERE i.debtor_id = ${debtorId} AND i.status = 'open')`;
}

export function invoiceBalancesFromJson(rows: Array<Record<string, unknown>>): InvoiceBalance[] {
  return rows.map((r) => ({
    id: r.id as string,
    number: r.number as string,
    debtorId: r.debtor_id as string,
    amountMinor: toMinor(r.amount_minor as number),
    balanceMinor: toMinor(r.balance as number),
    issuedOn: r.issued_on as CalendarDate,
    dueOn: (r.due_on as CalendarDate | null) ?? null,
    effectiveDueOn: r.effective_due as CalendarDate,
    status: r.status as string,
  }));
}

/** What a debtor owes on the given open invoices. */
export function totalBalanceMinor(invoices: readonly Pick<InvoiceBalance, 'balanceMinor'>[]): number {
  return invoices.reduce((total, invoice) => total + invoice.balanceMinor, 0);
}

export async function updateInvoice(
  tx: Tx,
  invoiceId: string,
  change: { amountMinor?: number; dueOn?: CalendarDate },
  audit: { businessId: string; actorMemberId: string; before: Record<string, unknown> },
  now: Date,
): Promise<void> {
  await tx.invoice.update({
    where: { id: invoiceId },
    data: {
      ...(change.amountMinor !== undefined ? { amountMinor: BigInt(change.amountMinor) } : {}),
      ...(change.dueOn !== undefined ? { dueOn: toDbDate(change.dueOn) } : {}),
      updatedAt: now,
    },
  });
  await recordAudit(tx, {
    businessId: audit.businessId,
    actor: { type: 'member', id: audit.actorMemberId },
    action: 'invoice.edited',
    entityType: 'invoice',
    entityId: invoiceId,
    data: { before: audit.before, after: change },
    now,
  });
}

export async function cancelInvoice(tx: Tx, invoiceId: string, businessId: string, actorMemberId: string, now: Date): Promise<void> {
  await tx.invoice.update({ where: { id: invoiceId }, data: { status: 'cancelled', closedAt: now, updatedAt: now } });
  await tx.paymentPromise.updateMany({ where: { invoiceId, status: 'open' }, data: { status: 'cancelled', resolvedAt: now } });
  await recordAudit(tx, { businessId, actor: { type: 'member', id: actorMemberId }, action: 'invoice.cancelled', entityType: 'invoice', entityId: invoiceId, now });
}

export async function openDispute(tx: Tx, input: { businessId: string; debtorId: string; invoiceId: string; reason: string; actor: { type: 'member' | 'debtor'; id: string }; sourceMessageId?: string | null; now: Date }) {
  const existing = await tx.dispute.findFirst({ where: { invoiceId: input.invoiceId, status: 'open' } });
  if (existing) return { dispute: existing, created: false };
  const dispute = await tx.dispute.create({
    data: { businessId: input.businessId, debtorId: input.debtorId, invoiceId: input.invoiceId, reason: input.reason, sourceMessageId: input.sourceMessageId ?? null, createdAt: input.now },
  });
  await recordAudit(tx, { businessId: input.businessId, actor: input.actor, action: 'dispute.opened', entityType: 'invoice', entityId: input.invoiceId, data: { reason: input.reason }, now: input.now });
  return { dispute, created: true };
}

export async function resolveDisputes(tx: Tx, invoiceId: string, businessId: string, actorMemberId: string, now: Date): Promise<number> {
  const { count } = await tx.dispute.updateMany({ where: { invoiceId, status: 'open' }, data: { status: 'resolved', resolvedAt: now } });
  if (count > 0) await recordAudit(tx, { businessId, actor: { type: 'member', id: actorMemberId }, action: 'dispute.resolved', entityType: 'invoice', entityId: invoiceId, now });
  return count;
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
  debtorId?: string | null;
  debtorName: string;
  debtorNameKey: string;
  phone?: string | null | undefined;
  /** An agent adding an invoice for a new customer gets that customer assigned. */
  assignToAgentId?: string | null;
  number: string;
  amountMinor: number;
  currency: string;
  issuedOn: CalendarDate;
  dueOn?: CalendarDate | undefined;
  /** The clock's instant: the rows' createdAt and the audit events'. */
  now: Date;
}

/** Creates the invoice, and its debtor when new (adding a phone the debtor did not have yet). */
export async function createInvoice(tx: Tx, input: NewInvoice) {
  const actor = { type: 'member' as const, id: input.actorMemberId };
  let debtor = input.debtorId
    ? await tx.debtor.findFirst({ where: { id: input.debtorId, businessId: input.businessId } })
    : await findDebtorByNameKey(tx, input.businessId, input.debtorNameKey);
  if (!debtor) {
    debtor = await tx.debtor.create({
      data: { businessId: input.businessId, name: input.debtorName, nameKey: input.debtorNameKey, phone: input.phone ?? null, assignedAgentId: input.assignToAgentId ?? null, createdAt: input.now, updatedAt: input.now },
    });
    await recordAudit(tx, { businessId: input.businessId, actor, action: 'debtor.created', entityType: 'debtor', entityId: debtor.id, data: { name: debtor.name }, now: input.now });
  } else if (input.phone && !debtor.phone) {
    debtor = await tx.debtor.update({ where: { id: debtor.id }, data: { phone: input.phone, updatedAt: input.now } });
    await recordAudit(tx, { businessId: input.businessId, actor, action: 'debtor.phone_added', entityType: 'debtor', entityId: debtor.id, now: input.now });
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
      createdAt: input.now,
      updatedAt: input.now,
    },
  });
  await recordAudit(tx, {
    businessId: input.businessId,
    actor,
    action: 'invoice.created',
    entityType: 'invoice',
    entityId: invoice.id,
    data: { number: input.number, amountMinor: input.amountMinor, dueOn: input.dueOn ?? null, debtorId: debtor.id },
    now: input.now,
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
  /** `offset`: how many lines of the same order to skip (the pages before this one). */
  options: { limit: number; offset?: number; termsDays: number; agentId?: string | null },
): Promise<OpenInvoicePage> {
  const agentFilter = options.agentId ? Prisma.sql`AND d.assigned_agent_id = ${options.agentId}::uuid` : Prisma.empty;
  const rows = await tx.$queryRaw<
    Array<{ number: string; debtor_name: string; balance: bigint; issued_on: Date; due_on: Date | null; total_count: bigint; total_balance: bigint }>
  >`
    WITH open_lines AS (
      SELECT i.number, d.name AS debtor_name, i.issued_on, i.due_on,
             i.amount_minor - i.paid_minor AS balance,
             COALESCE(i.due_on, i.issued_on + ${options.termsDays}::int) AS effective_due
        FROM invoice i
        JOIN debtor d ON d.id = i.debtor_id
       WHERE i.business_id = ${businessId}::uuid AND i.status = 'open' ${agentFilter}
    )
    SELECT number, debtor_name, balance, issued_on, due_on,
           COUNT(*) OVER () AS total_count, (SUM(balance) OVER ())::bigint AS total_balance
      FROM open_lines
     WHERE balance > 0
     ORDER BY effective_due, number
     LIMIT ${options.limit} OFFSET ${options.offset ?? 0}`;
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
