// In approval mode the owners get "6 reminders ready" with the numbered list, once per day and
// again only if more are planned later that day. The list ends with the customers a reminder is
// due for that no chat can reach (see src/store/unreachable.ts).
import { todayIn } from '../engine/calendar.ts';
import { localeFor } from '../engine/money.ts';
import { effectiveDueDate } from '../engine/owner-command.ts';
import { renderApprovalRequest, UNREACHABLE_LIST_CAP } from '../engine/reminder-text.ts';
import type { Stage } from '../engine/ladder.ts';
import { listAwaitingApproval } from '../store/approvals.ts';
import { queueOutgoing } from '../store/messages.ts';
import { findUnreachableDebtors } from '../store/unreachable.ts';
import { fromDbDate, type PrismaClient } from '../store/types.ts';

export async function queueApprovalRequests(prisma: PrismaClient, options: { now: Date; businessIds: string[] }): Promise<{ queued: number }> {
  let queued = 0;
  for (const businessId of options.businessIds) {
    await prisma.$transaction(async (tx) => {
      const business = await tx.business.findUniqueOrThrow({ where: { id: businessId }, include: { members: { where: { role: 'owner', active: true } } } });
      const awaiting = await listAwaitingApproval(tx, businessId);
      if (awaiting.length === 0) return;
      const rows = await tx.outboundMessage.findMany({ where: { id: { in: awaiting.map((a) => a.id) } }, select: { id: true, invoiceIds: true, debtorId: true } });
      const today = todayIn(options.now, business.timeZone);
      // What each reminder asks for, as the customer reads it: the bills due (those only coming
      // up are mentioned, not asked for), or all of them when none is due yet.
      const invoices = await tx.invoice.findMany({ where: { id: { in: rows.flatMap((r) => r.invoiceIds) } }, select: { debtorId: true, amountMinor: true, paidMinor: true, dueOn: true, issuedOn: true } });
      const asked = new Map<string, { amountMinor: number; count: number }>();
      for (const debtorId of new Set(invoices.map((i) => i.debtorId))) {
        const theirs = invoices.map((i) => ({ ...i, due: effectiveDueDate(fromDbDate(i.issuedOn), i.dueOn ? fromDbDate(i.dueOn) : null, business.defaultTermsDays) })).filter((i) => i.debtorId === debtorId);
        const due = theirs.filter((i) => i.due <= today);
        const listed = due.length > 0 ? due : theirs;
        asked.set(debtorId, { amountMinor: listed.reduce((sum, i) => sum + Number(i.amountMinor - i.paidMinor), 0), count: listed.length });
      }
      const byId = new Map(rows.map((r) => [r.id, r]));
      const unreachable = await findUnreachableDebtors(tx, { businessId, now: options.now, timeZone: business.timeZone, limit: UNREACHABLE_LIST_CAP });
      for (const owner of business.members) {
        const language = (owner.language ?? business.language) === 'hi' ? 'hi' : 'en';
        const text = renderApprovalRequest({
          language,
          currency: business.currency,
          locale: localeFor(language, business.country),
          items: awaiting.map((a, i) => ({
            index: i + 1,
            debtorName: a.debtorName,
            stage: (a.stage ?? 'polite') as Stage,
            amountMinor: asked.get(byId.get(a.id)?.debtorId ?? '')?.amountMinor ?? 0,
            invoiceCount: asked.get(byId.get(a.id)?.debtorId ?? '')?.count ?? a.invoiceCount,
          })),
          unreachable,
        });
        const result = await queueOutgoing(tx, [
          {
            kind: 'approval_request',
            channel: owner.channel,
            recipient: owner.address,
            body: text.text,
            choices: [
              { label: language === 'hi' ? 'सब मंज़ूर' : 'Approve all', data: 'approve all' },
              { label: language === 'hi' ? 'सूची' : 'Show list', data: 'reminders' },
            ],
            businessId,
            memberId: owner.id,
            idempotencyKey: `approval:${owner.id}:${today}:${awaiting.length}`,
            scheduledAt: options.now,
          },
        ], { now: options.now });
        queued += result.length;
      }
    });
  }
  return { queued };
}
