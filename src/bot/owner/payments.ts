// Payments by message: "Ramesh paid 5000", "received 12,500 from Sharma by UPI ref 4417".
// Allocated oldest-first (or to a named invoice), partial and over-payments handled, promises
// kept when covered; "undo" reverses the last one. Credit (what overpayments left) pays open
// invoices before new money does, and new invoices as soon as they are added.
import { allocatePayment } from '../../engine/allocation.ts';
import { renderThanks } from '../../engine/reminder-text.ts';
import { fromDbDate, toMinor } from '../../store/types.ts';
import { minorDigits, toMinorUnits } from '../../engine/money.ts';
import type { OwnerCommand, PaymentDraft } from '../../engine/owner-command.ts';
import { findInvoiceByNumber, invoiceBalances } from '../../store/invoices.ts';
import { applyDebtorCredit, lastPaymentToUndo, recordPayment, reversePayment, type AppliedCredit } from '../../store/payments.ts';
import type { PendingAction } from '../state.ts';
import { resolveDebtor, type OwnerContext, type Reply } from './context.ts';

export async function paymentCommand(ctx: OwnerContext, draft: PaymentDraft): Promise<Reply[]> {
  const { m, business } = ctx;
  const command: OwnerCommand = { kind: 'payment', draft };
  const found = await resolveDebtor(ctx, draft.debtorName, command);
  if ('replies' in found) return found.replies;
  if ('none' in found) return [ctx.reply(m.noSuchCustomer({ name: draft.debtorName }))];
  const minor = toMinorUnits(draft.amount, business.currency);
  if (!minor.ok) {
    return [ctx.reply(minor.reason === 'too_many_decimals' ? m.amountTooPrecise({ got: draft.amountText, digits: minorDigits(business.currency), currency: business.currency }) : m.amountTooLarge({ got: draft.amountText }))];
  }
  let invoiceId: string | null = null;
  if (draft.invoiceNumber) {
    const invoice = await findInvoiceByNumber(ctx.tx, business.id, draft.invoiceNumber, ctx.agentId);
    if (!invoice || invoice.debtor.id !== found.debtor.id) return [ctx.reply(m.invoiceNotForCustomer({ number: draft.invoiceNumber, name: found.debtor.name }))];
    if (invoice.status !== 'open') return [ctx.reply(m.invoiceNotOpen({ number: invoice.number }))];
    invoiceId = invoice.id;
  }
  const action: Extract<PendingAction, { kind: 'record_payment' }> = {
    kind: 'record_payment',
    debtorId: found.debtor.id,
    amountMinor: minor.minor,
    invoiceId,
    method: draft.method ?? null,
    reference: draft.reference ?? null,
    receivedOn: draft.receivedOn ?? ctx.today,
  };
  if (!found.exact) {
    // The name was a guess: confirm before touching any balance.
    await ctx.setState({ flow: 'confirm', action });
    return [ctx.reply(m.confirmPayment({ amount: ctx.money(minor.minor), name: found.debtor.name }), ctx.yesNo(m.choiceRecord()))];
  }
  return savePayment(ctx, action);
}

export async function savePayment(ctx: OwnerContext, action: Extract<PendingAction, { kind: 'record_payment' }>): Promise<Reply[]> {
  const { m, business, tx } = ctx;
  const debtor = await tx.debtor.findFirst({ where: { id: action.debtorId, businessId: business.id }, select: { id: true, name: true } });
  if (!debtor) return [ctx.reply(m.somethingWentWrong())];
  // Credit the debtor already holds pays their open invoices first; the new money goes to what is left.
  const credit = await applyDebtorCredit(tx, { businessId: business.id, debtorId: debtor.id, termsDays: business.defaultTermsDays, actor: ctx.actor(), now: ctx.now });
  const open = await invoiceBalances(tx, { debtorId: debtor.id, termsDays: business.defaultTermsDays });
  // The invoice named may be the one the credit just paid: then the money goes oldest-first.
  const namedStillOpen = action.invoiceId !== null && open.some((i) => i.id === action.invoiceId);
  const allocation = allocatePayment({
    amountMinor: action.amountMinor,
    openInvoices: open,
    ...(namedStillOpen ? { invoiceId: action.invoiceId! } : {}),
  });
  const recorded = await recordPayment(tx, {
    businessId: business.id,
    debtorId: debtor.id,
    currency: business.currency,
    amountMinor: action.amountMinor,
    receivedOn: action.receivedOn,
    method: action.method,
    reference: action.reference,
    source: ctx.isOwner ? 'owner' : 'agent',
    allocations: allocation.allocations,
    closesInvoiceIds: allocation.closedInvoiceIds,
    actor: ctx.actor(),
    now: ctx.now,
  });
  const byId = new Map(open.map((i) => [i.id, i]));
  const creditLeftMinor = credit.creditLeftMinor + allocation.creditMinor;
  const closed = [...credit.invoices.filter((c) => c.closed).map((c) => c.invoice), ...allocation.closedInvoiceIds.map((id) => byId.get(id)!)];
  const fromCreditMinor = credit.invoices.filter((c) => c.closed || allocation.closedInvoiceIds.includes(c.invoice.id)).reduce((sum, c) => sum + c.amountMinor, 0);
  const thanks = await thankYou(ctx, debtor, closed, { fromCreditMinor, creditLeftMinor });
  const lines = allocation.allocations.map((a) => {
    const invoice = byId.get(a.invoiceId)!;
    const left = invoice.balanceMinor - a.amountMinor;
    return left === 0
      ? m.allocationClosed({ number: invoice.number, amount: ctx.money(a.amountMinor) })
      : m.allocationPartial({ number: invoice.number, amount: ctx.money(a.amountMinor), left: ctx.money(left) });
  });
  const how = [action.method?.toUpperCase(), action.reference ? `ref ${action.reference}` : null].filter(Boolean).join(', ');
  return [
    ctx.reply(
      [
        m.paymentRecorded({ amount: ctx.money(action.amountMinor), name: debtor.name, how, date: action.receivedOn === ctx.today ? null : ctx.day(action.receivedOn) }),
        ...creditLines(ctx, credit),
        ...lines,
        ...(allocation.creditMinor > 0 ? [m.paymentCredit({ amount: ctx.money(allocation.creditMinor) })] : []),
        ...(creditLeftMinor > allocation.creditMinor ? [m.creditNow({ amount: ctx.money(creditLeftMinor) })] : []),
        ...(recorded.keptPromiseIds.length ? [m.promiseKept({ count: recorded.keptPromiseIds.length })] : []),
        m.undoHint(),
      ].join('\n'),
    ),
    ...thanks,
  ];
}

/**
 * A short thank-you to the debtor, on their chat, for invoices paid in full (unless the business
 * switched thank-yous off); it says how much of it their credit paid, and what credit is left.
 */
export async function thankYou(
  ctx: OwnerContext,
  debtor: { id: string; name: string },
  closed: Array<{ number: string; amountMinor: number }>,
  credit: { fromCreditMinor: number; creditLeftMinor: number } = { fromCreditMinor: 0, creditLeftMinor: 0 },
): Promise<Reply[]> {
  if (!ctx.business.thankYouEnabled || closed.length === 0) return [];
  const identity = await ctx.tx.debtorIdentity.findFirst({ where: { debtorId: debtor.id }, orderBy: { createdAt: 'desc' } });
  if (!identity) return [];
  const full = await ctx.tx.debtor.findUniqueOrThrow({ where: { id: debtor.id }, select: { language: true } });
  const b = ctx.business;
  const rendered = renderThanks({
    language: (full.language ?? b.language) === 'hi' ? 'hi' : 'en',
    business: { name: b.name, currency: b.currency, country: b.country },
    debtorName: debtor.name,
    invoices: closed.map((i) => ({ number: i.number, amountMinor: i.amountMinor })),
    fromCreditMinor: credit.fromCreditMinor,
    creditLeftMinor: credit.creditLeftMinor,
  });
  return [{ channel: identity.channel, address: identity.address, text: rendered.text, kind: 'thanks', debtorId: debtor.id }];
}

/** One line per invoice the debtor's credit paid: "• #A-101: ₹1,000.00 from their credit — paid in full ✓". */
export function creditLines(ctx: OwnerContext, credit: AppliedCredit, exceptInvoiceId: string | null = null): string[] {
  return credit.invoices
    .filter((c) => c.invoice.id !== exceptInvoiceId)
    .map((c) =>
      c.closed
        ? ctx.m.creditAllocationClosed({ number: c.invoice.number, amount: ctx.money(c.amountMinor) })
        : ctx.m.creditAllocationPartial({ number: c.invoice.number, amount: ctx.money(c.amountMinor), left: ctx.money(c.invoice.balanceMinor - c.amountMinor) }),
    );
}

/** "₹5,000.00 paid from their credit of ₹78,600.00 (₹73,600.00 credit left)". */
export function creditSpentText(ctx: OwnerContext, credit: AppliedCredit, amountMinor = credit.appliedMinor): string {
  return ctx.m.creditSpent({
    amount: ctx.money(amountMinor),
    credit: ctx.money(credit.creditBeforeMinor),
    left: credit.creditLeftMinor > 0 ? ctx.money(credit.creditLeftMinor) : null,
  });
}

/** What the credit paid, closed invoices with the credit's part in them: for the thank-you. */
export function creditThanks(credit: AppliedCredit) {
  const closed = credit.invoices.filter((c) => c.closed);
  return {
    closed: closed.map((c) => c.invoice),
    fromCreditMinor: closed.reduce((sum, c) => sum + c.amountMinor, 0),
    creditLeftMinor: credit.creditLeftMinor,
  };
}

/** How far back "undo" reaches: the payments this member recorded in the last day. */
export const UNDO_WINDOW_HOURS = 24;

/** "undo": offers to take back the newest payment this member recorded in the last UNDO_WINDOW_HOURS. */
export async function askUndoPayment(ctx: OwnerContext): Promise<Reply[]> {
  const { m } = ctx;
  const since = new Date(ctx.now.getTime() - UNDO_WINDOW_HOURS * 3_600_000);
  const payment = await lastPaymentToUndo(ctx.tx, ctx.business.id, ctx.member.id, since);
  if (!payment) return [ctx.reply(m.nothingToUndo({ hours: UNDO_WINDOW_HOURS }))];
  await ctx.setState({ flow: 'confirm', action: { kind: 'undo_payment', paymentId: payment.id } });
  return [
    ctx.reply(
      m.confirmUndo({ amount: ctx.money(toMinor(payment.amountMinor)), name: payment.debtor.name, date: ctx.day(fromDbDate(payment.receivedOn)) }),
      ctx.yesNo(m.choiceUndo()),
    ),
  ];
}

export async function undoPayment(ctx: OwnerContext, paymentId: string): Promise<Reply[]> {
  const payment = await ctx.tx.payment.findFirst({ where: { id: paymentId, businessId: ctx.business.id, reversedAt: null }, include: { debtor: { select: { name: true } } } });
  if (!payment) return [ctx.reply(ctx.m.nothingToUndo({ hours: UNDO_WINDOW_HOURS }))];
  await reversePayment(ctx.tx, payment.id, ctx.business.id, ctx.member.id, ctx.now);
  // Invoices open again are paid from any credit the debtor's other payments still hold.
  const credit = await applyDebtorCredit(ctx.tx, { businessId: ctx.business.id, debtorId: payment.debtorId, termsDays: ctx.business.defaultTermsDays, actor: ctx.actor(), now: ctx.now });
  return [ctx.reply([ctx.m.paymentUndone({ amount: ctx.money(toMinor(payment.amountMinor)), name: payment.debtor.name }), ...creditLines(ctx, credit)].join('\n'))];
}
