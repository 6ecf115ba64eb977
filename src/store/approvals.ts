import { rewordReminder } from '../scheduler/wording.ts';
import type { SqlTx } from './sql.ts';
import type { Tx } from './types.ts';

export interface AwaitingReminder {
  id: string;
  debtorName: string;
  stage: string | null;
  body: string;
  invoiceCount: number;
}

/** Reminders waiting for the owner, in the order they are numbered in the approval list (an agent's: only their customers'). */
export async function listAwaitingApproval(tx: Tx, businessId: string, agentId: string | null = null): Promise<AwaitingReminder[]> {
  const rows = await tx.outboundMessage.findMany({
    // An agent sees only the reminders to their own customers.
    where: { businessId, kind: 'reminder', status: 'awaiting_approval', ...(agentId ? { debtor: { assignedAgentId: agentId } } : {}) },
    // Planned together, they share a timestamp: then by customer name, so the numbers read naturally.
    orderBy: [{ createdAt: 'asc' }, { debtor: { name: 'asc' } }, { id: 'asc' }],
    include: { debtor: { select: { name: true } } },
    take: 200,
  });
  return rows.map((r) => ({ id: r.id, debtorName: r.debtor?.name ?? r.recipient, stage: r.stage, body: r.body, invoiceCount: r.invoiceIds.length }));
}

/** The raw-statement face of a Prisma transaction, for code shared with the raw driver. */
function sqlOf(tx: Tx): SqlTx {
  return {
    exec: async (script) => {
      await tx.$executeRawUnsafe(script);
    },
    query: <T>(text: string, params: unknown[] = []) => tx.$queryRawUnsafe<T[]>(text, ...params),
  };
}

/**
 * Words again, for the business's today, the drafts waiting for approval that were worded on an
 * earlier day, so the owner reads what the customer would get today; a draft whose bills were
 * all settled since is dropped. Returns how many were dropped.
 */
export async function rewordStaleDrafts(tx: Tx, businessId: string, now: Date): Promise<number> {
  const stale = await tx.$queryRaw<Array<{ id: string }>>`
    SELECT o.id::text FROM outbound_message o JOIN business b ON b.id = o.business_id
     WHERE o.business_id = ${businessId}::uuid AND o.kind = 'reminder' AND o.status = 'awaiting_approval'
       AND o.worded_on < (${now}::timestamptz AT TIME ZONE b.time_zone)::date`;
  let dropped = 0;
  for (const { id } of stale) {
    if ((await rewordDraft(tx, id, now)) === 'nothing_left') dropped += 1;
  }
  return dropped;
}

/** One draft waiting for approval, worded again for today (see rewordReminder). */
export function rewordDraft(tx: Tx, id: string, now: Date) {
  return rewordReminder(sqlOf(tx), { id, now, status: 'awaiting_approval' });
}
