// The owner's side of debtors' replies: confirming or rejecting "paid already" (a confirmed claim
// becomes a payment, allocated oldest-first like any other), the list of claims waiting, and
// allowing messages again to a debtor who had opted out.
import { todayIn } from '../../engine/calendar.ts';
import { debtorTextsFor } from '../../engine/debtor-messages.ts';
import { formatMoney, localeFor } from '../../engine/money.ts';
import type { OwnerCommand } from '../../engine/owner-command.ts';
import { findClaim, listOpenClaims, optInDebtor, resolveClaim, type ClaimDetails } from '../../store/debtor-replies.ts';
import { invoiceBalances, totalBalanceMinor } from '../../store/invoices.ts';
import { resolveDebtor, type OwnerContext, type Reply } from './context.ts';
import { savePayment } from './payments.ts';

function texts(ctx: OwnerContext) {
  return debtorTextsFor(ctx.language);
}

async function openClaimOrExplain(ctx: OwnerContext, number: number): Promise<ClaimDetails | Reply[]> {
  const t = texts(ctx);
  const claim = await findClaim(ctx.tx, ctx.business.id, number, ctx.agentId);
  if (!claim) return [ctx.reply(t.claimNotFound({ number }))];
  if (claim.status !== 'open') {
    return [ctx.reply(t.claimAlreadyDone({ number, status: claim.status === 'confirmed' ? t.claimStatusConfirmed() : t.claimStatusRejected() }))];
  }
  return claim;
}

/** Messages to the debtor about their claim, on their chat, in their language. */
async function toDebtor(ctx: OwnerContext, debtorId: string, render: (t: ReturnType<typeof debtorTextsFor>, money: (minor: number) => string) => string): Promise<Reply[]> {
  const debtor = await ctx.tx.debtor.findUniqueOrThrow({ where: { id: debtorId }, select: { language: true, optedOut: true, identities: { orderBy: { createdAt: 'desc' }, take: 1 } } });
  const identity = debtor.identities[0];
  if (!identity || debtor.optedOut) return [];
  const language = (debtor.language ?? ctx.business.language) === 'hi' ? 'hi' : 'en';
  const money = (minor: number) => formatMoney(minor, ctx.business.currency, localeFor(language, ctx.business.country));
  return [{ channel: identity.channel, address: identity.address, text: render(debtorTextsFor(language), money), kind: 'reply', debtorId }];
}

export async function confirmClaim(ctx: OwnerContext, number: number): Promise<Reply[]> {
  const claim = await openClaimOrExplain(ctx, number);
  if (Array.isArray(claim)) return claim;
  const open = await invoiceBalances(ctx.tx, { debtorId: claim.debtor.id, termsDays: ctx.business.defaultTermsDays });
  const dueMinor = totalBalanceMinor(open);
  const amountMinor = claim.amountMinor ?? dueMinor;
  if (amountMinor <= 0) {
    await resolveClaim(ctx.tx, { claimId: claim.id, businessId: ctx.business.id, status: 'confirmed', memberId: ctx.member.id, paymentId: null, now: ctx.now });
    return [ctx.reply(texts(ctx).claimNothingDue({ debtor: claim.debtor.name }))];
  }
  // Recording the payment settles the claim (every open claim of the debtor points at it).
  const replies = await savePayment(ctx, {
    kind: 'record_payment',
    debtorId: claim.debtor.id,
    amountMinor,
    invoiceId: null,
    method: null,
    reference: null,
    receivedOn: todayIn(claim.claimedOn, ctx.business.timeZone),
  });
  // Invoices paid in full already get a thank-you; otherwise the debtor hears it was received.
  const thanked = replies.some((reply) => reply.kind === 'thanks');
  return thanked ? replies : [...replies, ...(await toDebtor(ctx, claim.debtor.id, (t, money) => t.paymentConfirmed({ amount: money(amountMinor), business: ctx.business.name })))];
}

export async function rejectClaim(ctx: OwnerContext, number: number): Promise<Reply[]> {
  const claim = await openClaimOrExplain(ctx, number);
  if (Array.isArray(claim)) return claim;
  await resolveClaim(ctx.tx, { claimId: claim.id, businessId: ctx.business.id, status: 'rejected', memberId: ctx.member.id, paymentId: null, now: ctx.now });
  const open = await invoiceBalances(ctx.tx, { debtorId: claim.debtor.id, termsDays: ctx.business.defaultTermsDays });
  const amountMinor = claim.amountMinor ?? totalBalanceMinor(open);
  return [
    ctx.reply(texts(ctx).claimRejected({ debtor: claim.debtor.name })),
    ...(await toDebtor(ctx, claim.debtor.id, (t, money) => t.paymentNotFound({ amount: money(amountMinor), business: ctx.business.name }))),
  ];
}

export async function listClaims(ctx: OwnerContext): Promise<Reply[]> {
  const t = texts(ctx);
  const claims = await listOpenClaims(ctx.tx, ctx.business.id, ctx.agentId);
  if (claims.length === 0) return [ctx.reply(t.claimsNone())];
  const lines = [t.claimsHeader({ count: claims.length })];
  for (const claim of claims) {
    let amountMinor = claim.amountMinor;
    if (amountMinor === null) {
      const open = await invoiceBalances(ctx.tx, { debtorId: claim.debtor.id, termsDays: ctx.business.defaultTermsDays });
      amountMinor = totalBalanceMinor(open);
    }
    lines.push(t.claimsLine({ number: claim.number, debtor: claim.debtor.name, amount: ctx.money(amountMinor), day: ctx.day(todayIn(claim.claimedOn, ctx.business.timeZone)) }));
  }
  lines.push(t.claimsFooter());
  return [ctx.reply(lines.join('\n'))];
}

export async function allowMessages(ctx: OwnerContext, command: Extract<OwnerCommand, { kind: 'allow_messages' }>): Promise<Reply[]> {
  const found = await resolveDebtor(ctx, command.debtorName, command);
  if ('replies' in found) return found.replies;
  if ('none' in found) return [ctx.reply(ctx.m.noSuchCustomer({ name: command.debtorName }))];
  const t = texts(ctx);
  const debtor = await ctx.tx.debtor.findUniqueOrThrow({ where: { id: found.debtor.id }, select: { optedOut: true } });
  if (!debtor.optedOut) return [ctx.reply(t.notOptedOut({ debtor: found.debtor.name }))];
  await optInDebtor(ctx.tx, { businessId: ctx.business.id, debtorId: found.debtor.id, memberId: ctx.member.id, now: ctx.now });
  return [ctx.reply(t.allowed({ debtor: found.debtor.name }))];
}
