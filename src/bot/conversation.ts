// The conversation: every inbound message, from any channel, comes through handleInbound. It is
// stored once, matched to a member, a debtor or a newcomer, answered, and its replies queued in
// the outbox, all in one transaction: a failure writes nothing, and a redelivered message (same
// provider id) is not handled twice.
import { randomUUID } from 'node:crypto';
import { daysBetween, formatDay, todayIn, type CalendarDate } from '../engine/calendar.ts';
import { messagesFor, type Language } from '../engine/messages.ts';
import { formatMoney, localeFor, minorDigits, toMinorUnits } from '../engine/money.ts';
import { homeOfCurrency, isAcceptDefault, readCurrency, readTimeZone } from '../engine/onboarding.ts';
import {
  cleanName,
  effectiveDueDate,
  MAX_MESSAGE_LENGTH,
  nameKey,
  parseInvoiceFields,
  parseOwnerCommand,
  screenText,
  type FieldProblem,
  type InvoiceDraft,
  type OwnerCommand,
} from '../engine/owner-command.ts';
import { createBusinessWithOwner, findMemberByAddress, listOwners, setMemberLanguage, type MemberWithBusiness } from '../store/businesses.ts';
import { clearConversation, loadConversation, saveConversation } from '../store/conversations.ts';
import { createInvoice, findInvoiceByNumber, listOpenInvoices, nextInvoiceNumber } from '../store/invoices.ts';
import { markInboundHandled, queueOutgoing, recordInbound, type OutgoingDraft, type QueuedMessage } from '../store/messages.ts';
import type { PrismaClient, Tx } from '../store/types.ts';
import { fromDbDate } from '../store/types.ts';
import type { Clock } from '../clock.ts';
import type { Choice, InboundText } from './channel.ts';

export interface Defaults {
  currency: string;
  timeZone: string;
  language: Language;
  country: string;
}

export interface ConversationDeps {
  prisma: PrismaClient;
  clock: Clock;
  defaults: Defaults;
}

export interface HandleResult {
  /** True when this message had been handled before (a redelivery): nothing was done. */
  duplicate: boolean;
  /** Replies queued in the outbox, to send now. */
  outgoing: QueuedMessage[];
}

/** A reply before it is queued: to whom and what. */
interface Reply {
  channel: string;
  address: string;
  text: string;
  kind: 'reply' | 'owner_notice';
  choices?: Choice[];
  businessId?: string | null;
  memberId?: string | null;
  debtorId?: string | null;
}

type AddStep = 'name' | 'amount';
type ConversationState =
  | { flow: 'onboarding'; step: 'name' | 'currency' | 'timezone'; language: Language; name?: string; currency?: string }
  | { flow: 'add'; step: AddStep; draft: InvoiceDraft };

const LIST_LIMIT = 20;

export async function handleInbound(deps: ConversationDeps, message: InboundText): Promise<HandleResult> {
  const now = deps.clock.now();
  return deps.prisma.$transaction(async (tx) => {
    const inboundId = randomUUID();
    const stored = await recordInbound(tx, {
      id: inboundId,
      channel: message.channel,
      providerMessageId: message.providerMessageId,
      sender: message.address,
      text: message.text,
      receivedAt: message.receivedAt,
    });
    if (!stored) return { duplicate: true, outgoing: [] };

    const member = await findMemberByAddress(tx, message.channel, message.address);
    let replies: Reply[];
    let who: { businessId?: string | null; memberId?: string | null; debtorId?: string | null } = {};
    if (member) {
      replies = await handleMemberText(tx, deps, member, message, now);
      who = { businessId: member.businessId, memberId: member.id };
    } else {
      const debtor = await findDebtorByAddress(tx, message.channel, message.address);
      if (debtor) {
        replies = await handleDebtorText(tx, debtor, message);
        who = { businessId: debtor.businessId, debtorId: debtor.id };
      } else {
        const result = await handleNewcomerText(tx, deps, message);
        replies = result.replies;
        who = { businessId: result.businessId ?? null, memberId: result.memberId ?? null };
      }
    }
    await markInboundHandled(tx, inboundId, who, now);
    const drafts: OutgoingDraft[] = replies.map((r, i) => ({
      kind: r.kind,
      channel: r.channel,
      recipient: r.address,
      body: r.text,
      choices: r.choices,
      businessId: r.businessId ?? who.businessId ?? null,
      memberId: r.memberId ?? null,
      debtorId: r.debtorId ?? null,
      idempotencyKey: `reply:${inboundId}:${i}`,
      scheduledAt: now,
    }));
    return { duplicate: false, outgoing: await queueOutgoing(tx, drafts) };
  });
}

// ---------------------------------------------------------------------------------------------
// Newcomers: first contact creates a business and makes the sender its owner.

async function handleNewcomerText(
  tx: Tx,
  deps: ConversationDeps,
  message: InboundText,
): Promise<{ replies: Reply[]; businessId?: string; memberId?: string }> {
  const { channel, address } = message;
  const reply = (text: string): Reply => ({ channel, address, text, kind: 'reply' });
  const state = await loadConversation<ConversationState>(tx, channel, address);
  if (!state || state.flow !== 'onboarding') {
    const language: Language = /[\u0900-\u097F]/.test(message.text) ? 'hi' : deps.defaults.language;
    await saveConversation(tx, channel, address, { flow: 'onboarding', step: 'name', language } satisfies ConversationState);
    return { replies: [reply(messagesFor(language).welcomeAskName())] };
  }
  const m = messagesFor(state.language);
  const screened = screenText(message.text);
  if (!screened.ok && screened.reason === 'too_long') return { replies: [reply(m.tooLong({ length: screened.length, max: MAX_MESSAGE_LENGTH }))] };
  const text = screened.ok ? screened.text : message.text.trim();
  if (state.step === 'name') {
    const name = cleanName(text);
    if (!name) return { replies: [reply(m.badBusinessName())] };
    await saveConversation(tx, channel, address, { ...state, step: 'currency', name } satisfies ConversationState);
    return { replies: [reply(m.askCurrency({ name, suggested: deps.defaults.currency }))] };
  }
  if (state.step === 'currency') {
    const currency = isAcceptDefault(text) ? deps.defaults.currency : readCurrency(text);
    if (!currency) return { replies: [reply(m.badCurrency({ got: text, suggested: deps.defaults.currency }))] };
    await saveConversation(tx, channel, address, { ...state, step: 'timezone', currency } satisfies ConversationState);
    return { replies: [reply(m.askTimeZone({ suggested: suggestedTimeZone(deps.defaults, currency) }))] };
  }
  const currency = state.currency ?? deps.defaults.currency;
  const suggested = suggestedTimeZone(deps.defaults, currency);
  const timeZone = isAcceptDefault(text) ? suggested : readTimeZone(text);
  if (!timeZone) return { replies: [reply(m.badTimeZone({ got: text, suggested }))] };
  const name = state.name ?? 'My business';
  const { business, owner } = await createBusinessWithOwner(tx, {
    name,
    currency,
    timeZone,
    language: state.language,
    country: homeOfCurrency(currency)?.country ?? deps.defaults.country,
    owner: { name: message.senderName ?? name, channel, address },
  });
  await clearConversation(tx, channel, address);
  return {
    replies: [{ ...reply(m.onboardingDone({ name, currency, timeZone })), businessId: business.id, memberId: owner.id }],
    businessId: business.id,
    memberId: owner.id,
  };
}

function suggestedTimeZone(defaults: Defaults, currency: string): string {
  return currency === defaults.currency ? defaults.timeZone : (homeOfCurrency(currency)?.timeZone ?? defaults.timeZone);
}

// ---------------------------------------------------------------------------------------------
// Members (owners and agents).

interface MemberContext {
  tx: Tx;
  member: MemberWithBusiness;
  message: InboundText;
  today: CalendarDate;
  language: Language;
  locale: string;
}

async function handleMemberText(tx: Tx, deps: ConversationDeps, member: MemberWithBusiness, message: InboundText, now: Date): Promise<Reply[]> {
  const business = member.business;
  const language = (member.language ?? business.language) as Language;
  const ctx: MemberContext = {
    tx,
    member,
    message,
    today: todayIn(now, business.timeZone),
    language,
    locale: localeFor(language, business.country),
  };
  const m = messagesFor(language);
  const screened = screenText(message.text);
  if (!screened.ok) {
    return [replyTo(ctx, screened.reason === 'too_long' ? m.tooLong({ length: screened.length, max: MAX_MESSAGE_LENGTH }) : m.noText())];
  }
  const text = screened.text;
  const state = await loadConversation<ConversationState>(tx, message.channel, message.address);
  const command = parseOwnerCommand(text, { today: ctx.today, country: business.country });

  if (state?.flow === 'add' && (command.kind === 'unknown' || command.kind === 'invalid')) {
    return continueAddForm(ctx, state, text);
  }
  if (state && command.kind !== 'help') await clearConversation(tx, message.channel, message.address);
  return runCommand(ctx, command, Boolean(state));
}

async function runCommand(ctx: MemberContext, command: OwnerCommand, hadForm: boolean): Promise<Reply[]> {
  const m = messagesFor(ctx.language);
  switch (command.kind) {
    case 'help':
      return [replyTo(ctx, m.help())];
    case 'cancel':
      return [replyTo(ctx, hadForm ? m.cancelled() : m.nothingToCancel())];
    case 'language': {
      await setMemberLanguage(ctx.tx, ctx.member, command.language);
      return [replyTo(ctx, messagesFor(command.language).languageSet())];
    }
    case 'list':
      return [replyTo(ctx, await describeOpenInvoices(ctx))];
    case 'invalid':
      return [replyTo(ctx, describeProblem(ctx, command.problem))];
    case 'add':
      return advanceAddForm(ctx, command.draft);
    case 'unknown':
      return [replyTo(ctx, m.unknownCommand({ got: truncate(command.text, 60) }))];
  }
}

/** Takes the next answer of the guided `add` form and merges it into the draft. */
async function continueAddForm(ctx: MemberContext, state: Extract<ConversationState, { flow: 'add' }>, text: string): Promise<Reply[]> {
  const m = messagesFor(ctx.language);
  const parsed = parseInvoiceFields(text, { today: ctx.today, country: ctx.member.business.country });
  if ('problem' in parsed) return [replyTo(ctx, describeProblem(ctx, parsed.problem))];
  const answer = parsed.draft;
  if (state.step === 'amount' && answer.amount === undefined) return [replyTo(ctx, m.badAmount({ got: truncate(text, 40) }))];
  if (state.step === 'name' && !answer.debtorName) return [replyTo(ctx, m.badDebtorName())];
  const draft: InvoiceDraft = { ...answer, ...definedFields(state.draft) };
  if (state.step === 'amount') Object.assign(draft, { amount: answer.amount, amountText: answer.amountText });
  if (state.step === 'name') draft.debtorName = answer.debtorName;
  return advanceAddForm(ctx, draft);
}

function definedFields<T extends object>(obj: T): Partial<T> {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Asks for the first missing field, or saves the invoice when nothing is missing. */
async function advanceAddForm(ctx: MemberContext, draft: InvoiceDraft): Promise<Reply[]> {
  const m = messagesFor(ctx.language);
  const { tx, member, message } = ctx;
  const business = member.business;
  const ask = async (step: AddStep, text: string) => {
    await saveConversation(tx, message.channel, message.address, { flow: 'add', step, draft } satisfies ConversationState);
    return [replyTo(ctx, text)];
  };
  if (!draft.debtorName) return ask('name', m.askDebtorName());
  if (draft.amount === undefined) return ask('amount', m.askAmount({ debtor: draft.debtorName }));

  const minor = toMinorUnits(draft.amount, business.currency);
  const got = draft.amountText ?? String(draft.amount);
  if (!minor.ok) {
    const { amount: _dropped, amountText: _text, ...rest } = draft;
    const problem =
      minor.reason === 'too_many_decimals'
        ? m.amountTooPrecise({ got, digits: minorDigits(business.currency), currency: business.currency })
        : m.amountTooLarge({ got });
    await saveConversation(tx, message.channel, message.address, { flow: 'add', step: 'amount', draft: rest } satisfies ConversationState);
    return [replyTo(ctx, problem)];
  }
  if (draft.number) {
    const existing = await findInvoiceByNumber(tx, business.id, draft.number);
    if (existing) {
      return [
        replyTo(
          ctx,
          m.invoiceExists({
            number: existing.number,
            debtor: existing.debtor.name,
            amount: formatMoney(Number(existing.amountMinor), existing.currency, ctx.locale),
          }),
        ),
      ];
    }
  }
  const number = draft.number ?? (await nextInvoiceNumber(tx, business.id));
  const { invoice, debtor } = await createInvoice(tx, {
    businessId: business.id,
    actorMemberId: member.id,
    debtorName: draft.debtorName,
    debtorNameKey: nameKey(draft.debtorName),
    phone: draft.phone,
    number,
    amountMinor: minor.minor,
    currency: business.currency,
    issuedOn: ctx.today,
    dueOn: draft.dueOn,
  });
  await clearConversation(tx, message.channel, message.address);
  return [
    replyTo(
      ctx,
      m.invoiceSaved({
        debtor: debtor.name,
        amount: formatMoney(minor.minor, business.currency, ctx.locale),
        due: describeDue(ctx, ctx.today, invoice.dueOn ? fromDbDate(invoice.dueOn) : null),
        number: invoice.number,
      }),
    ),
  ];
}

function describeDue(ctx: MemberContext, issuedOn: CalendarDate, dueOn: CalendarDate | null): string {
  const terms = ctx.member.business.defaultTermsDays;
  const date = formatDay(effectiveDueDate(issuedOn, dueOn, terms), ctx.language);
  return dueOn ? date : messagesFor(ctx.language).dueByTerms({ date, days: terms });
}

async function describeOpenInvoices(ctx: MemberContext): Promise<string> {
  const m = messagesFor(ctx.language);
  const business = ctx.member.business;
  const page = await listOpenInvoices(ctx.tx, business.id, {
    limit: LIST_LIMIT,
    termsDays: business.defaultTermsDays,
    agentId: ctx.member.role === 'agent' ? ctx.member.id : null,
  });
  if (page.totalCount === 0) return m.listEmpty();
  const money = (minor: number) => formatMoney(minor, business.currency, ctx.locale);
  const lines = page.lines.map((line, i) => {
    const due = effectiveDueDate(line.issuedOn, line.dueOn, business.defaultTermsDays);
    const days = daysBetween(ctx.today, due);
    const when = days === 0 ? m.dueToday() : days > 0 ? m.dueInDays({ days }) : m.overdueDays({ days: -days });
    return m.listLine({ index: i + 1, debtor: line.debtorName, number: line.number, balance: money(line.balanceMinor), due: formatDay(due, ctx.language), when });
  });
  const more = page.totalCount - page.lines.length;
  return [m.listHeader({ count: page.totalCount, total: money(page.totalBalanceMinor) }), ...lines, ...(more > 0 ? [m.listMore({ count: more })] : [])].join('\n');
}

function describeProblem(ctx: MemberContext, problem: FieldProblem): string {
  const m = messagesFor(ctx.language);
  const got = truncate(problem.got, 40);
  switch (problem.field) {
    case 'amount':
      if (problem.reason === 'not_positive') return m.amountNotPositive({ got });
      if (problem.reason === 'too_large') return m.amountTooLarge({ got });
      return m.badAmount({ got });
    case 'due':
      return m.badDate({ got });
    case 'phone':
      return m.badPhone({ got });
  }
}

function replyTo(ctx: MemberContext, text: string): Reply {
  return { channel: ctx.message.channel, address: ctx.message.address, text, kind: 'reply', memberId: ctx.member.id };
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

// ---------------------------------------------------------------------------------------------
// Debtors: until replies are understood, a debtor's message is acknowledged and passed on.

async function findDebtorByAddress(tx: Tx, channel: string, address: string) {
  const identity = await tx.debtorIdentity.findFirst({
    where: { channel, address },
    orderBy: { createdAt: 'desc' },
    include: { debtor: { include: { business: true } } },
  });
  return identity?.debtor ?? null;
}

async function handleDebtorText(tx: Tx, debtor: NonNullable<Awaited<ReturnType<typeof findDebtorByAddress>>>, message: InboundText): Promise<Reply[]> {
  const business = debtor.business;
  const debtorLanguage = (debtor.language ?? business.language) as Language;
  const replies: Reply[] = [
    {
      channel: message.channel,
      address: message.address,
      text: messagesFor(debtorLanguage).debtorMessageReceived({ business: business.name }),
      kind: 'reply',
      debtorId: debtor.id,
    },
  ];
  const screened = screenText(message.text);
  const text = screened.ok ? truncate(screened.text, 500) : truncate(message.text, 500);
  for (const owner of await listOwners(tx, business.id)) {
    replies.push({
      channel: owner.channel,
      address: owner.address,
      text: messagesFor((owner.language ?? business.language) as Language).ownerDebtorMessage({ debtor: debtor.name, text }),
      kind: 'owner_notice',
      memberId: owner.id,
      debtorId: debtor.id,
    });
  }
  return replies;
}
