// Promise watch: the day after a promised date, a promise still open (a covering payment would
// have kept it) is broken. Its invoices go one reminder stage firmer, and the owners are told.
import { todayIn } from '../engine/calendar.ts';
import { localeFor } from '../engine/money.ts';
import { renderPromiseBroken } from '../engine/reminder-text.ts';
import { recordAudit } from '../store/audit.ts';
import { queueOutgoing } from '../store/messages.ts';
import { fromDbDate, toMinor, type PrismaClient } from '../store/types.ts';

export async function watchPromises(prisma: PrismaClient, options: { now: Date }): Promise<{ broken: number }> {
  const { now } = options;
  return prisma.$transaction(async (tx) => {
    const broken = await tx.$queryRaw<Array<{ id: string; business_id: string; debtor_id: string; invoice_id: string | null; promised_on: Date; amount_minor: bigint | null }>>`
      UPDATE payment_promise pp SET status = 'broken', resolved_at = ${now}
        FROM business b
       WHERE b.id = pp.business_id AND pp.status = 'open' AND pp.promised_on IS NOT NULL
         AND pp.promised_on < (${now}::timestamptz AT TIME ZONE b.time_zone)::date
      RETURNING pp.id, pp.business_id, pp.debtor_id, pp.invoice_id, pp.promised_on, pp.amount_minor`;
    if (broken.length === 0) return { broken: 0 };
    // The next reminder resumes the ladder one stage firmer: the promised invoice, or all of the
    // debtor's open invoices when the promise named none.
    await tx.$executeRaw`
      UPDATE invoice i SET reminder_bump = true
       WHERE i.status = 'open' AND (
             i.id = ANY(${broken.flatMap((b) => (b.invoice_id ? [b.invoice_id] : []))}::uuid[])
          OR i.debtor_id = ANY(${broken.filter((b) => !b.invoice_id).map((b) => b.debtor_id)}::uuid[]))`;
    const debtors = await tx.debtor.findMany({ where: { id: { in: broken.map((b) => b.debtor_id) } }, include: { business: { include: { members: { where: { role: 'owner', active: true } } } } } });
    const byId = new Map(debtors.map((d) => [d.id, d]));
    const drafts = [];
    for (const promise of broken) {
      const debtor = byId.get(promise.debtor_id)!;
      const business = debtor.business;
      await recordAudit(tx, { businessId: business.id, actor: { type: 'system' }, action: 'promise.broken', entityType: 'debtor', entityId: debtor.id, data: { promiseId: promise.id, promisedOn: fromDbDate(promise.promised_on) }, now });
      for (const owner of business.members) {
        const language = (owner.language ?? business.language) === 'hi' ? 'hi' : 'en';
        const { text } = renderPromiseBroken({
          language,
          debtorName: debtor.name,
          promisedOn: fromDbDate(promise.promised_on),
          today: todayIn(now, business.timeZone),
          amountMinor: promise.amount_minor === null ? null : toMinor(promise.amount_minor),
          currency: business.currency,
          locale: localeFor(language, business.country),
        });
        drafts.push({
          kind: 'owner_notice',
          channel: owner.channel,
          recipient: owner.address,
          body: text,
          businessId: business.id,
          memberId: owner.id,
          debtorId: debtor.id,
          idempotencyKey: `promise-broken:${promise.id}:${owner.id}`,
          scheduledAt: now,
        });
      }
    }
    await queueOutgoing(tx, drafts, { now });
    return { broken: broken.length };
  });
}
