// A debtor's statement (open and recent invoices, payments, promises, reminders) and history
// (everything done to the debtor, its invoices and payments), each in one statement.
import type { CalendarDate } from '../engine/calendar.ts';
import type { Tx } from './types.ts';

export interface StatementData {
  debtor: { id: string; name: string; phone: string | null; optedOut: boolean; pausedUntil: CalendarDate | null; pausedIndefinitely: boolean; pauseReason: string | null; agent: string | null };
  invoices: Array<{ id: string; number: string; amountMinor: number; balanceMinor: number; issuedOn: CalendarDate; effectiveDueOn: CalendarDate; status: string; disputed: boolean }>;
  payments: Array<{ receivedOn: CalendarDate; amountMinor: number; method: string | null; reference: string | null }>;
  promises: Array<{ promisedOn: CalendarDate | null; amountMinor: number | null; status: string }>;
  remindersSent: number;
  creditMinor: number;
}

/** A debtor's statement: open and recent invoices, payments, promises and reminders, in one statement. */
export async function loadStatement(tx: Tx, businessId: string, debtorId: string, termsDays: number): Promise<StatementData | null> {
  const [row] = await tx.$queryRaw<Array<{ statement: StatementJson }>>`
    SELECT json_build_object(
      'debtor', json_build_object('id', d.id, 'name', d.name, 'phone', d.phone, 'optedOut', d.opted_out, 'pausedUntil', d.paused_until,
                                  'pausedIndefinitely', d.paused_indefinitely, 'pauseReason', d.pause_reason, 'agent', agent.name),
      'invoices', COALESCE((
        SELECT json_agg(json_build_object('id', i.id, 'number', i.number, 'amountMinor', i.amount_minor, 'balanceMinor', i.amount_minor - i.paid_minor,
                                          'issuedOn', i.issued_on, 'effectiveDueOn', COALESCE(i.due_on, i.issued_on + ${termsDays}::int), 'status', i.status,
                                          'disputed', EXISTS (SELECT 1 FROM dispute x WHERE x.invoice_id = i.id AND x.status = 'open'))
                        ORDER BY (i.status = 'open') DESC, COALESCE(i.due_on, i.issued_on + ${termsDays}::int) DESC)
          FROM (SELECT * FROM invoice WHERE debtor_id = d.id
                 ORDER BY (status = 'open') DESC, COALESCE(due_on, issued_on + ${termsDays}::int) DESC LIMIT 12) i), '[]'),
      'payments', COALESCE((
        SELECT json_agg(json_build_object('receivedOn', p.received_on, 'amountMinor', p.amount_minor, 'method', p.method, 'reference', p.reference) ORDER BY p.received_on DESC, p.created_at DESC)
          FROM (SELECT * FROM payment WHERE debtor_id = d.id AND reversed_at IS NULL ORDER BY received_on DESC, created_at DESC LIMIT 5) p), '[]'),
      'promises', COALESCE((
        SELECT json_agg(json_build_object('promisedOn', pp.promised_on, 'amountMinor', pp.amount_minor, 'status', pp.status) ORDER BY pp.created_at DESC, pp.promised_on DESC NULLS LAST, pp.id)
          FROM (SELECT * FROM payment_promise WHERE debtor_id = d.id ORDER BY created_at DESC, promised_on DESC NULLS LAST, id LIMIT 5) pp), '[]'),
      'remindersSent', (SELECT count(*) FROM outbound_message o WHERE o.debtor_id = d.id AND o.kind = 'reminder' AND o.status = 'sent'),
      'creditMinor', (SELECT COALESCE(SUM(p.amount_minor - COALESCE((SELECT SUM(a.amount_minor) FROM payment_allocation a WHERE a.payment_id = p.id), 0)), 0)
                        FROM payment p WHERE p.debtor_id = d.id AND p.reversed_at IS NULL)
    ) AS statement
      FROM debtor d LEFT JOIN member agent ON agent.id = d.assigned_agent_id
     WHERE d.id = ${debtorId}::uuid AND d.business_id = ${businessId}::uuid`;
  if (!row) return null;
  const { debtor, invoices, payments, promises, remindersSent, creditMinor } = row.statement;
  return {
    debtor,
    invoices: invoices.map((i) => ({ ...i, amountMinor: Number(i.amountMinor), balanceMinor: Number(i.balanceMinor) })),
    payments: payments.map((p) => ({ ...p, amountMinor: Number(p.amountMinor) })),
    promises: promises.map((p) => ({ ...p, amountMinor: p.amountMinor === null ? null : Number(p.amountMinor) })),
    remindersSent: Number(remindersSent),
    creditMinor: Number(creditMinor),
  };
}

/** loadStatement's row as json_build_object writes it: DATEs as 'YYYY-MM-DD', BIGINTs as JSON numbers. */
interface StatementJson {
  debtor: StatementData['debtor'];
  invoices: Array<Omit<StatementData['invoices'][number], 'amountMinor' | 'balanceMinor'> & { amountMinor: number | string; balanceMinor: number | string }>;
  payments: Array<Omit<StatementData['payments'][number], 'amountMinor'> & { amountMinor: number | string }>;
  promises: Array<Omit<StatementData['promises'][number], 'amountMinor'> & { amountMinor: number | string | null }>;
  remindersSent: number | string;
  creditMinor: number | string;
}

export interface HistoryEntry {
  at: Date;
  who: string | null;
  actorType: string;
  action: string;
  entityType: string;
  number: string | null;
  data: Record<string, unknown>;
}

/** Everything done to a debtor, its invoices and payments, newest first. */
export async function loadDebtorHistory(tx: Tx, businessId: string, debtorId: string, limit = 15): Promise<HistoryEntry[]> {
  const rows = await tx.$queryRaw<Array<{ created_at: Date; who: string | null; actor_type: string; action: string; entity_type: string; number: string | null; data: Record<string, unknown> }>>`
    SELECT e.created_at, m.name AS who, e.actor_type::text AS actor_type, e.action, e.entity_type, i.number, e.data
      FROM audit_event e
      LEFT JOIN member m ON e.actor_type = 'member' AND m.id::text = e.actor_id
      LEFT JOIN invoice i ON e.entity_type = 'invoice' AND i.id::text = e.entity_id
     WHERE e.business_id = ${businessId}::uuid AND (
           (e.entity_type = 'debtor' AND e.entity_id = ${debtorId})
        OR (e.entity_type = 'invoice' AND e.entity_id IN (SELECT id::text FROM invoice WHERE debtor_id = ${debtorId}::uuid))
        OR (e.entity_type = 'payment' AND e.entity_id IN (SELECT id::text FROM payment WHERE debtor_id = ${debtorId}::uuid)))
     ORDER BY e.seq DESC
     LIMIT ${limit}`;
  return rows.map((r) => ({ at: r.created_at, who: r.who, actorType: r.actor_type, action: r.action, entityType: r.entity_type, number: r.number, data: r.data }));
}
