import type { Tx } from './types.ts';

export interface AwaitingReminder {
  id: string;
  debtorName: string;
  stage: string | null;
  body: string;
  invoiceCount: number;
}

/** Reminders waiting for the owner, in the order they are numbered in the approval list. */
export async function listAwaitingApproval(tx: Tx, businessId: string): Promise<AwaitingReminder[]> {
  const rows = await tx.outboundMessage.findMany({
    where: { businessId, kind: 'reminder', status: 'awaiting_approval' },
    // Planned together, they share a timestamp: then by customer name, so the numbers read naturally.
    orderBy: [{ createdAt: 'asc' }, { debtor: { name: 'asc' } }, { id: 'asc' }],
    include: { debtor: { select: { name: true } } },
    take: 200,
  });
  return rows.map((r) => ({ id: r.id, debtorName: r.debtor?.name ?? r.recipient, stage: r.stage, body: r.body, invoiceCount: r.invoiceIds.length }));
}
