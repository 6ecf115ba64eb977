// Customers a reminder is due for but no chat can reach: they have no debtor_identity row (a phone
// number alone is not a chat), so the planner finds no one to send to and drafts nothing. The
// approval list and the morning digest name them, so the owner can send them their link.
import { PAID_CLAIM_HOLD_DAYS } from '../engine/debtor-reply.ts';
import { Prisma, type Tx } from './types.ts';

export interface UnreachableDebtors {
  /** The first `limit` of them, by name. */
  names: string[];
  /** How many there are in all. */
  total: number;
}

/**
 * The debtors with a reminder due today (in the business's time zone) that no chat can carry: an
 * open invoice whose next reminder is due, not paused and not disputed; the debtor not opted out,
 * not paused, holding no promise not yet due nor a recent "paid already" (what the planner
 * honours too); and no chat identity at all. One statement; an agent (agentId) gets only theirs.
 */
export async function findUnreachableDebtors(
  tx: Tx,
  options: { businessId: string; now: Date; timeZone: string; agentId?: string | null; limit: number },
): Promise<UnreachableDebtors> {
  const { businessId, now, timeZone, limit } = options;
  const agent = options.agentId ? Prisma.sql`AND d.assigned_agent_id = ${options.agentId}::uuid` : Prisma.empty;
  const claimsSince = new Date(now.getTime() - PAID_CLAIM_HOLD_DAYS * 86_400_000);
  const rows = await tx.$queryRaw<Array<{ name: string; total: number }>>`
    WITH t AS (SELECT (${now}::timestamptz AT TIME ZONE ${timeZone})::date AS today)
    SELECT d.name, (count(*) OVER ())::int AS total
      FROM debtor d CROSS JOIN t
     WHERE d.business_id = ${businessId}::uuid ${agent}
       AND NOT d.opted_out
       AND NOT d.paused_indefinitely AND (d.paused_until IS NULL OR d.paused_until < t.today)
       AND NOT EXISTS (SELECT 1 FROM debtor_identity di WHERE di.debtor_id = d.id)
       AND EXISTS (SELECT 1 FROM invoice i
                    WHERE i.debtor_id = d.id AND i.status = 'open' AND i.amount_minor > i.paid_minor
                      AND i.next_reminder_on <= t.today
                      AND NOT i.paused_indefinitely AND (i.paused_until IS NULL OR i.paused_until < t.today)
                      AND NOT EXISTS (SELECT 1 FROM dispute x WHERE x.invoice_id = i.id AND x.status = 'open'))
       AND NOT EXISTS (SELECT 1 FROM payment_promise pp WHERE pp.debtor_id = d.id AND pp.status = 'open'
                          AND (pp.promised_on IS NULL OR pp.promised_on >= t.today))
       AND NOT EXISTS (SELECT 1 FROM payment_claim pc WHERE pc.debtor_id = d.id AND pc.status = 'open'
                          AND pc.created_at > ${claimsSince}::timestamptz)
     ORDER BY d.name, d.id
     LIMIT ${limit}::int`;
  return { names: rows.map((r) => r.name), total: rows[0]?.total ?? 0 };
}
