// Invoices by message: add (one line, natural words, or a guided form), always confirmed before
// saving; list; edit; cancel; dispute and resolve.
import { daysBetween } from '../../engine/calendar.ts';
import { minorDigits, toMinorUnits } from '../../engine/money.ts';
import { effectiveDueDate, nameKey, parseInvoiceFields, type InvoiceDraft, type OwnerCommand } from '../../engine/owner-command.ts';
import {
  cancelInvoice,
  createInvoice,
  findInvoiceByNumber,
  invoiceBalances,
  listOpenInvoices,
  nextInvoiceNumber,
  openDispute,
  resolveDisputes,
  updateInvoice,
} from '../../store/invoices.ts';
import { findDebtorWithPhone } from '../../store/debtors.ts';
import { applyDebtorCredit } from '../../store/payments.ts';
import { fromDbDate, toMinor } from '../../store/types.ts';
import type { ConversationState, PendingAction } from '../state.ts';
import { resolveDebtor, truncate, type OwnerContext, type Reply } from './context.ts';
import { creditLines, creditSpentText, creditThanks, thankYou } from './payments.ts';
import { describeProblem } from './problems.ts';

const LIST_LIMIT = 20;

/** The next answer of the guided form, merged into the draft. */
export async function continueAddForm(ctx: OwnerContext, state: Extract<ConversationState, { flow: 'add' }>, text: string): Promise<Reply[]> {
  const parsed = parseInvoiceFields(text, { today: ctx.today, country: ctx.business.country });
  if ('problem' in parsed) return [ctx.reply(describeProblem(ctx, parsed.problem))];
  const answer = parsed.draft;
  if (state.step === 'amount' && answer.amount === undefined) return [ctx.reply(ctx.m.badAmount({ got: truncate(text, 40) }))];
  if (state.step === 'name' && !answer.debtorName) return [ctx.reply(ctx.m.badDebtorName())];
  const draft: InvoiceDraft = { ...answer, ...definedFields(state.draft) };
  if (state.step === 'amount') Object.assign(draft, { amount: answer.amount, amountText: answer.amountText });
  if (state.step === 'name') draft.debtorName = answer.debtorName;
  return addInvoice(ctx, draft);
}

function definedFields<T extends object>(obj: T): Partial<T> {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Asks for the first missing field, or shows what was understood and asks to save it. */
export async function addInvoice(ctx: OwnerContext, draft: InvoiceDraft, forceNewDebtor = false): Promise<Reply[]> {
  const { m, business } = ctx;
  if (!draft.debtorName) {
    await ctx.setState({ flow: 'add', step: 'name', draft });
    return [ctx.reply(m.askDebtorName())];
  }
  if (draft.amount === undefined) {
    await ctx.setState({ flow: 'add', step: 'amount', draft });
    return [ctx.reply(m.askAmount({ debtor: draft.debtorName }))];
  }
  const minor = toMinorUnits(draft.amount, business.currency);
  const got = draft.amountText ?? String(draft.amount);
  if (!minor.ok) {
    const { amount: _a, amountText: _t, ...rest } = draft;
    await ctx.setState({ flow: 'add', step: 'amount', draft: rest });
    return [
      ctx.reply(
        minor.reason === 'too_many_decimals'
          ? m.amountTooPrecise({ got, digits: minorDigits(business.currency), currency: business.currency })
          : m.amountTooLarge({ got }),
      ),
    ];
  }
  if (draft.number) {
    const existing = await findInvoiceByNumber(ctx.tx, business.id, draft.number);
    if (existing) {
      await ctx.clearState();
      return [ctx.reply(m.invoiceExists({ number: existing.number, debtor: existing.debtor.name, amount: ctx.money(toMinor(existing.amountMinor)) }))];
    }
  }
  let debtor: { id: string; name: string } | null = null;
  if (!forceNewDebtor) {
    const command: OwnerCommand = { kind: 'add', draft, natural: true };
    const found = await resolveDebtor(ctx, draft.debtorName, command, { allowNew: true });
    if ('replies' in found) return found.replies;
    if ('debtor' in found) debtor = found.debtor;
  }
  const action: PendingAction = {
    kind: 'save_invoice',
    debtorId: debtor?.id ?? null,
    debtorName: debtor?.name ?? draft.debtorName,
    phone: draft.phone ?? null,
    amountMinor: minor.minor,
    dueOn: draft.dueOn ?? null,
    number: draft.number ?? null,
  };
  await ctx.setState({ flow: 'confirm', action });
  const line = m.invoiceLine({
    debtor: action.debtorName + (debtor ? '' : ` (${m.newCustomer()})`),
    amount: ctx.money(action.amountMinor),
    due: describeDue(ctx, action.dueOn),
    number: action.number ?? m.autoNumber(),
  });
  const other = action.phone ? await findDebtorWithPhone(ctx.tx, business.id, action.phone, debtor?.id ?? null) : null;
  const warning = other ? [ctx.reply(m.phoneHeldByOther({ phone: action.phone!, name: other.name }))] : [];
  return [...warning, ctx.reply(m.confirmSave({ line }), ctx.yesNo(m.choiceSave()))];
}

export async function saveInvoice(ctx: OwnerContext, action: Extract<PendingAction, { kind: 'save_invoice' }>): Promise<Reply[]> {
  const { m, business, tx } = ctx;
  if (action.number) {
    const existing = await findInvoiceByNumber(tx, business.id, action.number);
    if (existing) return [ctx.reply(m.invoiceExists({ number: existing.number, debtor: existing.debtor.name, amount: ctx.money(toMinor(existing.amountMinor)) }))];
  }
  const number = action.number ?? (await nextInvoiceNumber(tx, business.id));
  const { invoice, debtor } = await createInvoice(tx, {
    businessId: business.id,
    actorMemberId: ctx.member.id,
    debtorId: action.debtorId,
    debtorName: action.debtorName,
    debtorNameKey: nameKey(action.debtorName),
    phone: action.phone,
    number,
    amountMinor: action.amountMinor,
    currency: business.currency,
    issuedOn: ctx.today,
    dueOn: action.dueOn ?? undefined,
    assignToAgentId: ctx.agentId,
    now: ctx.now,
  });
  // Credit the customer holds pays the new invoice (and any other open one) at once.
  const credit = await applyDebtorCredit(tx, { businessId: business.id, debtorId: debtor.id, termsDays: business.defaultTermsDays, actor: ctx.actor(), now: ctx.now });
  const saved = m.invoiceSaved({
    debtor: debtor.name,
    amount: ctx.money(action.amountMinor),
    due: describeDue(ctx, invoice.dueOn ? fromDbDate(invoice.dueOn) : null),
    number: invoice.number,
  });
  const onNew = credit.invoices.find((c) => c.invoice.id === invoice.id);
  const first = onNew
    ? m.invoiceSavedWithCredit({
        saved,
        spent: creditSpentText(ctx, credit, onNew.amountMinor),
        then: onNew.closed ? m.creditPaidInFull() : m.creditStillDue({ left: ctx.money(onNew.invoice.balanceMinor - onNew.amountMinor) }),
      })
    : saved;
  const others = creditLines(ctx, credit, invoice.id);
  // Credit that went only to older invoices: say how much of it there was, and what is left.
  if (!onNew && others.length) others.push(m.creditSpentLine({ spent: creditSpentText(ctx, credit) }));
  const thanks = creditThanks(credit);
  return [ctx.reply([first, ...others].join('\n')), ...(await thankYou(ctx, debtor, thanks.closed, thanks))];
}

export function describeDue(ctx: OwnerContext, dueOn: string | null, issuedOn = ctx.today): string {
  const terms = ctx.business.defaultTermsDays;
  const date = ctx.day(effectiveDueDate(issuedOn, dueOn, terms));
  return dueOn ? date : ctx.m.dueByTerms({ date, days: terms });
}

/**
 * One page of open invoices, LIST_LIMIT lines each, most urgent first, numbered across pages.
 * When more follow, the chat remembers the page, so "more" shows the next one.
 */
export async function listInvoices(ctx: OwnerContext, pageNumber = 1): Promise<Reply[]> {
  const { m, business } = ctx;
  const options = { limit: LIST_LIMIT, termsDays: business.defaultTermsDays, agentId: ctx.agentId };
  const offset = (pageNumber - 1) * LIST_LIMIT;
  const page = await listOpenInvoices(ctx.tx, business.id, { ...options, offset });
  if (page.lines.length === 0) {
    // Past the last page the query returns no row to count with: count from the first.
    const first = pageNumber > 1 ? await listOpenInvoices(ctx.tx, business.id, { ...options, limit: 1 }) : page;
    if (first.totalCount === 0) return [ctx.reply(m.listEmpty())];
    return [ctx.reply(m.listNoSuchPage({ page: pageNumber, pages: Math.ceil(first.totalCount / LIST_LIMIT) }))];
  }
  const lines = page.lines.map((line, i) => {
    const due = effectiveDueDate(line.issuedOn, line.dueOn, business.defaultTermsDays);
    return m.listLine({ index: offset + i + 1, debtor: line.debtorName, number: line.number, balance: ctx.money(line.balanceMinor), due: ctx.day(due), when: describeLateness(ctx, due) });
  });
  const pages = Math.ceil(page.totalCount / LIST_LIMIT);
  const more = page.totalCount - offset - page.lines.length;
  const total = ctx.money(page.totalBalanceMinor);
  const header = pages > 1 ? m.listPageHeader({ count: page.totalCount, total, page: pageNumber, pages }) : m.listHeader({ count: page.totalCount, total });
  if (more > 0) await ctx.setState({ flow: 'list', page: pageNumber });
  return [ctx.reply([header, ...lines, ...(more > 0 ? [m.listMore({ count: more, next: pageNumber + 1 })] : [])].join('\n'))];
}

export function describeLateness(ctx: OwnerContext, due: string): string {
  const days = daysBetween(ctx.today, due);
  return days === 0 ? ctx.m.dueToday() : days > 0 ? ctx.m.dueInDays({ days }) : ctx.m.overdueDays({ days: -days });
}

async function findInvoiceOrSay(ctx: OwnerContext, number: string) {
  const invoice = await findInvoiceByNumber(ctx.tx, ctx.business.id, number, ctx.agentId);
  return invoice ?? null;
}

export async function editInvoice(ctx: OwnerContext, command: Extract<OwnerCommand, { kind: 'edit_invoice' }>): Promise<Reply[]> {
  const { m, business } = ctx;
  const invoice = await findInvoiceOrSay(ctx, command.number);
  if (!invoice) return [ctx.reply(m.invoiceNotFound({ number: command.number }))];
  if (invoice.status !== 'open') return [ctx.reply(m.invoiceNotOpen({ number: invoice.number }))];
  if (command.dueOn) {
    const before = invoice.dueOn ? fromDbDate(invoice.dueOn) : null;
    await updateInvoice(ctx.tx, invoice.id, { dueOn: command.dueOn }, { businessId: business.id, actorMemberId: ctx.member.id, before: { dueOn: before } }, ctx.now);
    return [ctx.reply(m.invoiceDueChanged({ number: invoice.number, due: ctx.day(command.dueOn) }))];
  }
  const minor = toMinorUnits(command.amount!, business.currency);
  if (!minor.ok) return [ctx.reply(m.amountTooPrecise({ got: command.amountText ?? '', digits: minorDigits(business.currency), currency: business.currency }))];
  const [balance] = await invoiceBalances(ctx.tx, { invoiceIds: [invoice.id], termsDays: business.defaultTermsDays });
  const paid = balance ? balance.amountMinor - balance.balanceMinor : 0;
  if (minor.minor < paid) return [ctx.reply(m.amountBelowPaid({ number: invoice.number, paid: ctx.money(paid) }))];
  await updateInvoice(ctx.tx, invoice.id, { amountMinor: minor.minor }, { businessId: business.id, actorMemberId: ctx.member.id, before: { amountMinor: toMinor(invoice.amountMinor) } }, ctx.now);
  if (minor.minor === paid) await ctx.tx.invoice.update({ where: { id: invoice.id }, data: { status: 'paid', closedAt: ctx.now, updatedAt: ctx.now } });
  return [ctx.reply(m.invoiceAmountChanged({ number: invoice.number, amount: ctx.money(minor.minor), was: ctx.money(toMinor(invoice.amountMinor)) }))];
}

export async function askCancelInvoice(ctx: OwnerContext, number: string): Promise<Reply[]> {
  const { m } = ctx;
  const invoice = await findInvoiceOrSay(ctx, number);
  if (!invoice) return [ctx.reply(m.invoiceNotFound({ number }))];
  if (invoice.status !== 'open') return [ctx.reply(m.invoiceNotOpen({ number: invoice.number }))];
  await ctx.setState({ flow: 'confirm', action: { kind: 'cancel_invoice', invoiceId: invoice.id } });
  return [ctx.reply(m.confirmCancelInvoice({ number: invoice.number, debtor: invoice.debtor.name, amount: ctx.money(toMinor(invoice.amountMinor)) }), ctx.yesNo(m.choiceCancelInvoice()))];
}

export async function doCancelInvoice(ctx: OwnerContext, invoiceId: string): Promise<Reply[]> {
  const invoice = await ctx.tx.invoice.findFirst({ where: { id: invoiceId, businessId: ctx.business.id } });
  if (!invoice) return [ctx.reply(ctx.m.somethingWentWrong())];
  await cancelInvoice(ctx.tx, invoice.id, ctx.business.id, ctx.member.id, ctx.now);
  return [ctx.reply(ctx.m.invoiceCancelled({ number: invoice.number }))];
}

export async function disputeInvoice(ctx: OwnerContext, number: string, reason: string): Promise<Reply[]> {
  const { m } = ctx;
  const invoice = await findInvoiceOrSay(ctx, number);
  if (!invoice) return [ctx.reply(m.invoiceNotFound({ number }))];
  if (invoice.status !== 'open') return [ctx.reply(m.invoiceNotOpen({ number: invoice.number }))];
  const result = await openDispute(ctx.tx, {
    businessId: ctx.business.id,
    debtorId: invoice.debtor.id,
    invoiceId: invoice.id,
    reason: reason || m.noReasonGiven(),
    actor: ctx.actor(),
    now: ctx.now,
  });
  return [ctx.reply(result.created ? m.invoiceDisputed({ number: invoice.number }) : m.invoiceAlreadyDisputed({ number: invoice.number }))];
}

export async function resolveDispute(ctx: OwnerContext, number: string): Promise<Reply[]> {
  const { m } = ctx;
  const invoice = await findInvoiceOrSay(ctx, number);
  if (!invoice) return [ctx.reply(m.invoiceNotFound({ number }))];
  const count = await resolveDisputes(ctx.tx, invoice.id, ctx.business.id, ctx.member.id, ctx.now);
  return [ctx.reply(count ? m.disputeResolved({ number: invoice.number }) : m.noOpenDispute({ number: invoice.number }))];
}
