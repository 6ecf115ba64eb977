// A debtor's message: understood (intent, promised date, amount), acted on, acknowledged in the
// debtor's language, and reported to the business's owners (and the agent looking after the
// debtor) in theirs. Runs inside the inbound message's transaction.
//
//   promise    recorded (replacing older ones), restated, reminders held until the date; no date:
//              asked once, reminders held DATELESS_PROMISE_HOLD_DAYS
//   paid       a claim the owner confirms ("confirm 3", a payment) or rejects; reminders held
//   dispute    the invoices it is about stop being reminded; the owner gets the words
//   extension, callback   acknowledged; the debtor goes to the top of the owner's follow-up list
//   opt_out    confirmed once; nothing more goes to the debtor until the owner says "allow …"
//   question   the balance, the invoices and how to pay, from the books; the rest to the owner
//   refuse, other   passed to the owner with a polite answer that commits to nothing
import { formatDay, todayIn, type CalendarDate } from '../../engine/calendar.ts';
import { debtorTextsFor, type DebtorCatalogue } from '../../engine/debtor-messages.ts';
import { datelessPromiseDate, listInvoiceNumbers, pickDisputedInvoices, readQuestion, replyLanguage } from '../../engine/debtor-reply.ts';
import { formatMoney, localeFor, toMinorUnits, type Language } from '../../engine/money.ts';
import { screenText } from '../../engine/owner-command.ts';
import { readPartialPayment, understandReplyOn, DAY_AND_MONTH_WINDOW_DAYS, MAX_REPLY_CHARACTERS, type ReplyUnderstanding } from '../../engine/reply.ts';
import { upiLink, upiNote } from '../../engine/reminder-text.ts';
import { findDateMentions } from '../../engine/when.ts';
import { clearConversation, saveConversation } from '../../store/conversations.ts';
import {
  datePromise,
  lastRemindedInvoiceIds,
  optOutDebtor,
  recordPaymentClaim,
  recordPromise,
  withdrawPendingReminders,
} from '../../store/debtor-replies.ts';
import { openDispute, totalBalanceMinor, type InvoiceBalance } from '../../store/invoices.ts';
import { toMinor } from '../../store/types.ts';
import type { Business, Debtor, Member, Tx } from '../../store/types.ts';
import type { InboundText } from '../channel.ts';
import type { Reply } from '../owner/context.ts';
import type { ConversationState } from '../state.ts';

/** The longest quote of the debtor's words an owner's notice carries. */
const QUOTE_LIMIT = 500;

export type DebtorWithBusiness = Debtor & { business: Business };

class DebtorTurn {
  readonly business: Business;
  readonly today: CalendarDate;
  readonly language: Language;
  readonly t: DebtorCatalogue;
  readonly locale: string;
  readonly quote: string;
  readonly replies: Reply[] = [];

  constructor(
    readonly tx: Tx,
    readonly debtor: DebtorWithBusiness,
    readonly message: InboundText,
    readonly inboundId: string,
    readonly now: Date,
    readonly text: string,
    /** The owners, and the agent the debtor is assigned to: who hears about this debtor. */
    private readonly recipients: Member[],
    /** Stores what the engine understood of the message (the last call wins). */
    readonly recordUnderstanding: (understanding: ReplyUnderstanding) => void,
  ) {
    this.business = debtor.business;
    this.today = todayIn(now, this.business.timeZone);
    this.language = replyLanguage(debtor.language, text, this.business.language);
    this.t = debtorTextsFor(this.language);
    this.locale = localeFor(this.language, this.business.country);
    this.quote = text.length > QUOTE_LIMIT ? `${text.slice(0, QUOTE_LIMIT - 1)}…` : text;
  }

  money(minor: number, language: Language = this.language): string {
    return formatMoney(minor, this.business.currency, localeFor(language, this.business.country));
  }

  /** "Fri 27 Nov"; with the year when it is not this year ("Tue 5 Jan 2027"), so the day is never misread. */
  day(date: CalendarDate, language: Language = this.language): string {
    return formatDay(date, language, this.today);
  }

  toDebtor(text: string): void {
    this.replies.push({ channel: this.message.channel, address: this.message.address, text, kind: 'reply', debtorId: this.debtor.id });
  }

  /** One notice per owner (and assigned agent), each in their own language. */
  toOwners(render: (t: DebtorCatalogue, language: Language) => string | { text: string; choices: Reply['choices'] }): void {
    for (const member of this.recipients) {
      const language: Language = (member.language ?? this.business.language) === 'hi' ? 'hi' : 'en';
      const rendered = render(debtorTextsFor(language), language);
      const { text, choices } = typeof rendered === 'string' ? { text: rendered, choices: undefined } : rendered;
      this.replies.push({
        channel: member.channel,
        address: member.address,
        text,
        kind: 'owner_notice',
        memberId: member.id,
        debtorId: this.debtor.id,
        ...(choices ? { choices } : {}),
      });
    }
  }
}

/**
 * `context`: who hears about the debtor, the chat's conversation state and the debtor's open
 * invoices, as the caller read them (in this transaction, before anything here wrote), and where
 * to hand what was understood (the caller stores it with the inbound row's last update).
 */
export async function handleDebtorText(
  tx: Tx,
  debtor: DebtorWithBusiness,
  message: InboundText,
  inboundId: string,
  now: Date,
  context: { recipients: Member[]; state: ConversationState | null; open: InvoiceBalance[]; understood: (understanding: ReplyUnderstanding) => void },
): Promise<Reply[]> {
  const screened = screenText(message.text.length > MAX_REPLY_CHARACTERS ? message.text.slice(0, MAX_REPLY_CHARACTERS) : message.text);
  const text = screened.ok ? screened.text : message.text.trim().slice(0, MAX_REPLY_CHARACTERS);
  const turn = new DebtorTurn(tx, debtor, message, inboundId, now, text, context.recipients, context.understood);
  const { state } = context;
  if (state?.flow === 'debtor_promise_date') {
    // Asked once for a date: use it if this reply names one, and otherwise read it afresh.
    await clearConversation(tx, message.channel, message.address);
    if (await answerPromiseDate(turn, state.promiseId, totalBalanceMinor(context.open))) return turn.replies;
  }

  const understanding = understandReplyOn(text, turn.today);
  turn.recordUnderstanding(understanding);

  if (debtor.optedOut) {
    // Never messaged again until the owner allows it: the owner still hears what they wrote.
    turn.toOwners((t) => t.ownerMessage({ debtor: debtor.name, text: turn.quote }));
    return turn.replies;
  }

  const { open } = context;
  const dueMinor = totalBalanceMinor(open);
  switch (understanding.intent) {
    case 'promise':
      if (dueMinor <= 0) return nothingDue(turn);
      await promise(turn, understanding, dueMinor);
      break;
    case 'paid':
      if (dueMinor <= 0) return nothingDue(turn);
      await paid(turn, understanding, dueMinor);
      break;
    case 'dispute':
      await dispute(turn, open);
      break;
    case 'extension':
      turn.toDebtor(turn.t.extensionNoted({ business: turn.business.name }));
      turn.toOwners((t) => t.ownerExtension({ debtor: debtor.name, text: turn.quote }));
      break;
    case 'callback':
      turn.toDebtor(turn.t.callbackNoted({ business: turn.business.name }));
      turn.toOwners((t) => t.ownerCallback({ debtor: debtor.name, text: turn.quote, phone: debtor.phone ? ` (${debtor.phone})` : '' }));
      break;
    case 'opt_out':
      await optOutDebtor(tx, { businessId: turn.business.id, debtorId: debtor.id, now, sourceMessageId: inboundId });
      await withdrawPendingReminders(tx, debtor.id, 'debtor opted out', now);
      turn.toDebtor(turn.t.optedOut({ business: turn.business.name }));
      turn.toOwners((t) => t.ownerOptOut({ debtor: debtor.name, text: turn.quote, name: debtor.name }));
      break;
    case 'question':
      question(turn, open, dueMinor);
      break;
    case 'refuse':
      turn.toDebtor(turn.t.messageForwarded({ business: turn.business.name }));
      turn.toOwners((t) => t.ownerRefuse({ debtor: debtor.name, text: turn.quote }));
      break;
    case 'other':
      turn.toDebtor(turn.t.messageForwarded({ business: turn.business.name }));
      turn.toOwners((t) => t.ownerMessage({ debtor: debtor.name, text: turn.quote }));
      break;
  }
  return turn.replies;
}

function nothingDue(turn: DebtorTurn): Reply[] {
  turn.toDebtor(turn.t.nothingDue({ business: turn.business.name }));
  turn.toOwners((t) => t.ownerMessage({ debtor: turn.debtor.name, text: turn.quote }));
  return turn.replies;
}

/** The amount a promise or claim names, in minor units; null when it names none (or nonsense). */
function namedAmountMinor(turn: DebtorTurn, understanding: ReplyUnderstanding): number | null {
  if (understanding.amount === null || !(understanding.amount > 0)) return null;
  const minor = toMinorUnits(understanding.amount, turn.business.currency);
  return minor.ok ? minor.minor : null;
}

/** A share of the balance in minor units, rounded to the currency's smallest unit. */
function shareOfMinor(dueMinor: number, share: number): number {
  return Math.round(dueMinor * share);
}

async function promise(turn: DebtorTurn, understanding: ReplyUnderstanding, dueMinor: number): Promise<void> {
  const { tx, debtor } = turn;
  const split = readPartialPayment(turn.text, turn.today);
  if (split?.partPaid != null && understanding.promisedDate !== null) {
    const partMinor = namedAmountMinor(turn, { ...understanding, amount: split.partPaid });
    if (partMinor !== null && partMinor < dueMinor) return partPayment(turn, partMinor, understanding.promisedDate, dueMinor);
  }
  const amountMinor = split?.share != null && understanding.amount === null ? shareOfMinor(dueMinor, split.share) : namedAmountMinor(turn, understanding);
  const dateGiven = understanding.promisedDate !== null;
  const promisedOn = understanding.promisedDate ?? datelessPromiseDate(turn.today);
  const recorded = await recordPromise(tx, {
    businessId: turn.business.id,
    debtorId: debtor.id,
    amountMinor,
    promisedOn,
    dateGiven,
    sourceMessageId: turn.inboundId,
    now: turn.now,
    withdrawReason: 'debtor promised to pay',
  });
  const amountIn = promisedAmount(turn, amountMinor, dueMinor);
  if (dateGiven) {
    turn.toDebtor(turn.t.promiseNoted({ amount: amountIn(turn.t, turn.language), day: turn.day(promisedOn) }));
    turn.toOwners((t, language) => t.ownerPromise({ debtor: debtor.name, amount: amountIn(t, language), day: turn.day(promisedOn, language), text: turn.quote }));
    return;
  }
  await saveConversation(tx, turn.message.channel, turn.message.address, { flow: 'debtor_promise_date', promiseId: recorded.id } satisfies ConversationState, turn.now);
  turn.toDebtor(turn.t.promiseAskDate({ amount: amountIn(turn.t, turn.language) }));
  turn.toOwners((t, language) =>
    t.ownerPromiseNoDate({ debtor: debtor.name, amount: amountIn(t, language), holdUntil: turn.day(promisedOn, language), text: turn.quote }),
  );
}

/** "paid 10000, rest on friday": the part is a claim for the owner to confirm, the rest a promise for that day. */
async function partPayment(turn: DebtorTurn, partMinor: number, promisedOn: CalendarDate, dueMinor: number): Promise<void> {
  const { tx, debtor } = turn;
  const restMinor = dueMinor - partMinor;
  const claim = await recordPaymentClaim(tx, { businessId: turn.business.id, debtorId: debtor.id, amountMinor: partMinor, sourceMessageId: turn.inboundId, now: turn.now });
  await recordPromise(tx, {
    businessId: turn.business.id,
    debtorId: debtor.id,
    amountMinor: restMinor,
    promisedOn,
    dateGiven: true,
    sourceMessageId: turn.inboundId,
    now: turn.now,
    withdrawReason: 'debtor paid part and promised the rest',
  });
  turn.toDebtor(turn.t.partialNoted({ part: turn.money(partMinor), rest: turn.money(restMinor), day: turn.day(promisedOn), business: turn.business.name }));
  turn.toOwners((t, language) => ({
    text: t.ownerPartial({
      debtor: debtor.name,
      part: turn.money(partMinor, language),
      rest: turn.money(restMinor, language),
      day: turn.day(promisedOn, language),
      number: claim.number,
      text: turn.quote,
    }),
    choices: [
      { label: t.claimConfirmedChoice(), data: `confirm ${claim.number}` },
      { label: t.claimRejectedChoice(), data: `reject ${claim.number}` },
    ],
  }));
}

/** A promise's amount in words, in a language: what it named, or the whole balance when it named none. */
function promisedAmount(turn: DebtorTurn, amountMinor: number | null, dueMinor: number) {
  return (t: DebtorCatalogue, language: Language): string =>
    amountMinor === null ? t.theWholeBalance({ amount: turn.money(dueMinor, language) }) : turn.money(amountMinor, language);
}

/** The answer to "by which day?": true when it named a day and the promise took it. */
async function answerPromiseDate(turn: DebtorTurn, promiseId: string, dueMinor: number): Promise<boolean> {
  const understanding = understandReplyOn(turn.text, turn.today);
  const day =
    understanding.promisedDate ??
    findDateMentions(turn.text, turn.today, { dayAndMonthWithinDays: DAY_AND_MONTH_WINDOW_DAYS })
      .map((mention) => ('date' in mention.resolution ? mention.resolution.date : null))
      .find((date): date is CalendarDate => date !== null && date >= turn.today) ??
    null;
  if (day === null || (understanding.intent !== 'promise' && understanding.intent !== 'other')) return false;
  if (!(await datePromise(turn.tx, promiseId, turn.debtor.id, day, turn.now))) return false;
  turn.recordUnderstanding({ intent: 'promise', promisedDate: day, amount: understanding.amount });
  const promise = await turn.tx.paymentPromise.findUniqueOrThrow({ where: { id: promiseId }, select: { amountMinor: true } });
  const amountIn = promisedAmount(turn, promise.amountMinor === null ? null : toMinor(promise.amountMinor), dueMinor);
  turn.toDebtor(turn.t.promiseNoted({ amount: amountIn(turn.t, turn.language), day: turn.day(day) }));
  turn.toOwners((t, language) => t.ownerPromise({ debtor: turn.debtor.name, amount: amountIn(t, language), day: turn.day(day, language), text: turn.quote }));
  return true;
}

async function paid(turn: DebtorTurn, understanding: ReplyUnderstanding, dueMinor: number): Promise<void> {
  const { debtor } = turn;
  const claim = await recordPaymentClaim(turn.tx, {
    businessId: turn.business.id,
    debtorId: debtor.id,
    amountMinor: namedAmountMinor(turn, understanding),
    sourceMessageId: turn.inboundId,
    now: turn.now,
  });
  await withdrawPendingReminders(turn.tx, debtor.id, 'debtor says they paid', turn.now);
  const amount = claim.amountMinor ?? dueMinor;
  turn.toDebtor(turn.t.paidThanks({ amount: turn.money(amount), business: turn.business.name }));
  turn.toOwners((t, language) => ({
    text: t.ownerPaidClaim({ debtor: debtor.name, amount: turn.money(amount, language), number: claim.number, text: turn.quote }),
    choices: [
      { label: t.claimConfirmedChoice(), data: `confirm ${claim.number}` },
      { label: t.claimRejectedChoice(), data: `reject ${claim.number}` },
    ],
  }));
}

async function dispute(turn: DebtorTurn, open: InvoiceBalance[]): Promise<void> {
  const { tx, debtor } = turn;
  if (open.length === 0) {
    turn.toDebtor(turn.t.messageForwarded({ business: turn.business.name }));
    turn.toOwners((t) => t.ownerMessage({ debtor: debtor.name, text: turn.quote }));
    return;
  }
  const disputed = pickDisputedInvoices(turn.text, open, await lastRemindedInvoiceIds(tx, debtor.id));
  for (const invoice of disputed) {
    await openDispute(tx, {
      businessId: turn.business.id,
      debtorId: debtor.id,
      invoiceId: invoice.id,
      reason: turn.quote,
      actor: { type: 'debtor', id: debtor.id },
      sourceMessageId: turn.inboundId,
      now: turn.now,
    });
  }
  await withdrawPendingReminders(tx, debtor.id, 'debtor disputes the invoice', turn.now, disputed.map((invoice) => invoice.id));
  const numbers = disputed.map((invoice) => invoice.number);
  turn.toDebtor(turn.t.disputeNoted({ invoices: listInvoiceNumbers(numbers, turn.language), business: turn.business.name }));
  turn.toOwners((t, language) =>
    t.ownerDispute({
      debtor: debtor.name,
      invoices: listInvoiceNumbers(numbers, language),
      text: turn.quote,
      resolve: numbers.map((n) => `resolve ${n}`).join(' · '),
    }),
  );
}

function question(turn: DebtorTurn, open: InvoiceBalance[], dueMinor: number): void {
  const { t, business, debtor } = turn;
  const reading = readQuestion(turn.text);
  const lines: string[] = [];
  if (reading.answerable) {
    if (dueMinor <= 0) {
      lines.push(t.nothingDue({ business: business.name }));
    } else {
      const items = open
        .filter((invoice) => invoice.balanceMinor > 0)
        .map((invoice) => t.balanceLine({ number: invoice.number, amount: turn.money(invoice.balanceMinor), due: turn.day(invoice.effectiveDueOn) }));
      lines.push(t.balance({ business: business.name, total: turn.money(dueMinor), lines: items.join('\n') }));
      const link = business.upiId
        ? upiLink({ upiId: business.upiId, payeeName: business.name, amountMinor: dueMinor, currency: business.currency, note: upiNote(open.map((invoice) => invoice.number)) })
        : null;
      if (link) lines.push(t.payByUpi({ link }));
      else if (business.paymentDetails) lines.push(t.payDetails({ details: business.paymentDetails }));
      else lines.push(t.payAskBusiness({ business: business.name }));
    }
  }
  if (reading.forward) {
    lines.push(t.questionForwarded({ business: business.name }));
    turn.toOwners((c) => c.ownerQuestion({ debtor: debtor.name, text: turn.quote }));
  }
  turn.toDebtor(lines.join('\n'));
}
