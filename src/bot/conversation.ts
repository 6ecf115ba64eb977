// The conversation: every inbound message, from any channel, comes through handleInbound. It is
// stored once, matched to a member, a debtor or a newcomer, answered, and its replies queued in
// the outbox, all in one transaction: a failure writes nothing, and a redelivered message (same
// provider id) is not handled twice.
import { randomUUID } from 'node:crypto';
import { messagesFor, type Language } from '../engine/messages.ts';
import { homeOfCurrency, isAcceptDefault, readCurrency, readTimeZone } from '../engine/onboarding.ts';
import { cleanName, MAX_MESSAGE_LENGTH, parseOwnerCommand, screenText } from '../engine/owner-command.ts';
import { createBusinessWithOwner, listOwners } from '../store/businesses.ts';
import { clearConversation, saveConversation } from '../store/conversations.ts';
import { finishInbound, receiveInbound, type InboundOutcome, type InboundSender } from '../store/inbound.ts';
import type { OutgoingDraft, QueuedMessage } from '../store/messages.ts';
import type { PrismaClient, Tx } from '../store/types.ts';
import type { Clock } from '../clock.ts';
import { chatOf, type InboundText } from './channel.ts';
import { handleDebtorText } from './debtor/index.ts';
import { openDebtorLink, startLinkToken } from './debtor-link.ts';
import { handleMemberText, type Reply } from './owner/index.ts';
import { redeemInvite } from './owner/team.ts';
import type { ConversationState } from './state.ts';
import { todayIn } from '../engine/calendar.ts';
import { debtorTextsFor } from '../engine/debtor-messages.ts';
import { replyLanguage } from '../engine/debtor-reply.ts';
import { MAX_REPLY_CHARACTERS, understandReplyOn, type ReplyUnderstanding } from '../engine/reply.ts';
import { maskAddress } from '../log.ts';

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
  /** Whether the caller sends replies on this channel itself at once (they are queued already claimed). */
  sendsNow?: (channel: string) => boolean;
}

export interface HandleResult {
  /** True when this message had been handled before (a redelivery): nothing was done. */
  duplicate: boolean;
  /** Replies queued in the outbox, to send now. */
  outgoing: QueuedMessage[];
}

interface Who {
  businessId?: string | null;
  memberId?: string | null;
  debtorId?: string | null;
}

const TRANSACTION_OPTIONS = { timeout: 20_000, maxWait: 10_000 };

export async function handleInbound(deps: ConversationDeps, message: InboundText): Promise<HandleResult> {
  const [result] = await deps.prisma.$transaction((tx) => handleInTransaction(tx, deps, [message]), TRANSACTION_OPTIONS);
  return result!;
}

/**
 * Handles several inbound messages in one transaction, so that under load they share a
 * transaction's fixed cost (BEGIN, COMMIT, the ORM's bookkeeping) and the statements that store
 * them and queue their replies. If any of them fails, the whole transaction is rolled back and
 * each is handled again in a transaction of its own: one bad message never costs another its
 * answer, and a message is never half handled. The results are in the order of `messages`.
 */
export async function handleInboundBatch(
  deps: ConversationDeps,
  messages: InboundText[],
  onBatchFailed?: (err: unknown) => void,
): Promise<Array<PromiseSettledResult<HandleResult>>> {
  if (messages.length > 1) {
    try {
      const results = await deps.prisma.$transaction((tx) => handleInTransaction(tx, deps, messages), {
        ...TRANSACTION_OPTIONS,
        timeout: TRANSACTION_OPTIONS.timeout * messages.length,
      });
      return results.map((value) => ({ status: 'fulfilled', value }));
    } catch (err) {
      onBatchFailed?.(err);
    }
  }
  return Promise.allSettled(messages.map((message) => handleInbound(deps, message)));
}

/**
 * Handles messages in order, in rounds of messages from different chats: each round is stored
 * (and its senders read) in one statement, answered one message after another, and finished (its
 * replies queued) in one more. A chat's next message waits for the next round, so it sees what
 * its previous one changed (the conversation's state, a business just set up).
 */
async function handleInTransaction(tx: Tx, deps: ConversationDeps, messages: InboundText[]): Promise<HandleResult[]> {
  const results: HandleResult[] = [];
  for (let start = 0; start < messages.length; ) {
    const chats = new Set<string>();
    let end = start;
    for (; end < messages.length && !chats.has(chatOf(messages[end]!)); end += 1) chats.add(chatOf(messages[end]!));
    results.push(...(await handleRound(tx, deps, messages.slice(start, end))));
    start = end;
  }
  return results;
}

async function handleRound(tx: Tx, deps: ConversationDeps, messages: InboundText[]): Promise<HandleResult[]> {
  const inboundIds = messages.map(() => randomUUID());
  const senders = await receiveInbound(
    tx,
    messages.map((message, i) => ({
      id: inboundIds[i]!,
      channel: message.channel,
      providerMessageId: message.providerMessageId,
      sender: message.address,
      text: message.text,
      receivedAt: message.receivedAt,
    })),
    deps.clock.now(),
  );
  const outcomes: InboundOutcome[] = [];
  for (const [i, message] of messages.entries()) {
    const sender = senders[i];
    if (sender) outcomes.push(await answer(tx, deps, message, inboundIds[i]!, sender));
  }
  const queued = await finishInbound(tx, outcomes, deps.clock.now());
  const byInbound = new Map(outcomes.map((o, i) => [o.inboundId, queued[i]!]));
  return inboundIds.map((id) => {
    const outgoing = byInbound.get(id);
    return outgoing ? { duplicate: false, outgoing } : { duplicate: true, outgoing: [] };
  });
}

/** Answers one stored message: who it is from decides who handles it. */
async function answer(tx: Tx, deps: ConversationDeps, message: InboundText, inboundId: string, sender: InboundSender): Promise<InboundOutcome> {
  const now = deps.clock.now();
  let replies: Reply[];
  let who: Who;
  let understanding: ReplyUnderstanding | null = null;
  const { member } = sender;
  // "/start <token>": a debtor's link opened (src/bot/debtor-link.ts), also by a chat that is already another business's debtor.
  const linkToken = member ? null : startLinkToken(message.text);
  const debtor = member || linkToken ? null : sender.debtor;
  const state = sender.state as ConversationState | null;
  if (member) {
    replies = await handleMemberText(tx, member, message, now, state);
    who = { businessId: member.businessId, memberId: member.id };
  } else if (linkToken) {
    ({ replies, who } = await openDebtorLink(tx, message, linkToken, now, deps.defaults.language));
  } else if (debtor) {
    replies = await handleDebtorText(tx, debtor, message, inboundId, now, {
      recipients: sender.debtorRecipients,
      state,
      open: sender.debtorOpenInvoices,
      understood: (u) => (understanding = u),
    });
    who = { businessId: debtor.businessId, debtorId: debtor.id };
  } else {
    ({ replies, who, understanding = null } = await handleNewcomerText(tx, deps, message, now, state));
  }
  const drafts: OutgoingDraft[] = replies.map((r, i) => ({
    kind: r.kind,
    channel: r.channel,
    recipient: r.address,
    body: r.text,
    choices: r.choices,
    attachment: r.attachment,
    businessId: r.businessId ?? who.businessId ?? null,
    memberId: r.memberId ?? null,
    debtorId: r.debtorId ?? null,
    idempotencyKey: `reply:${inboundId}:${i}`,
    scheduledAt: now,
    status: deps.sendsNow?.(r.channel) ? 'sending' : 'queued',
  }));
  return { inboundId, who, handledAt: now, understanding, drafts };
}

// ---------------------------------------------------------------------------------------------
// Newcomers: an agent joining with an invite code, or a first contact who sets up a business.

async function handleNewcomerText(
  tx: Tx,
  deps: ConversationDeps,
  message: InboundText,
  now: Date,
  state: ConversationState | null,
): Promise<{ replies: Reply[]; who: Who; understanding?: ReplyUnderstanding }> {
  const { channel, address } = message;
  const reply = (text: string): Reply => ({ channel, address, text, kind: 'reply' });
  const command = parseOwnerCommand(message.text.trim().slice(0, 200), { today: '2000-01-01', country: deps.defaults.country });
  if (command.kind === 'join') {
    const joined = await redeemInvite({ tx, now, channel, address, senderName: message.senderName }, command.code);
    const m = messagesFor(deps.defaults.language);
    if (!joined.ok) return { replies: [reply(m.inviteInvalid())], who: {} };
    await clearConversation(tx, channel, address);
    const owners = await listOwners(tx, joined.businessId);
    return {
      replies: [
        { ...reply(m.agentWelcome({ name: joined.agentName, business: joined.businessName })), memberId: joined.memberId },
        ...owners.map((o): Reply => ({ channel: o.channel, address: o.address, text: messagesFor(o.language).agentJoined({ name: joined.agentName }), kind: 'owner_notice', memberId: o.id })),
      ],
      who: { businessId: joined.businessId, memberId: joined.memberId },
    };
  }

  // Telegram's "/start" begins (or begins again) the set-up; it is never a business's name.
  const restart = /^\/start(?:@\w+)?$/i.test(message.text.trim());
  if (!state || state.flow !== 'onboarding' || restart) {
    // Someone answering a reminder from a chat the bot does not know (a new number, a forwarded
    // message): a polite answer, and the message kept for the business, never onboarding.
    if (!restart) {
      const understanding = understandReplyOn(message.text.slice(0, MAX_REPLY_CHARACTERS), todayIn(now, deps.defaults.timeZone));
      if (understanding.intent !== 'other') return { ...(await keepForOwner(tx, deps, message)), understanding };
    }
    const language: Language = /[\u0900-\u097F]/.test(message.text) ? 'hi' : deps.defaults.language;
    await saveConversation(tx, channel, address, { flow: 'onboarding', step: 'name', language } satisfies ConversationState, now);
    return { replies: [reply(messagesFor(language).welcomeAskName())], who: {} };
  }
  const m = messagesFor(state.language);
  const screened = screenText(message.text);
  if (!screened.ok && screened.reason === 'too_long') return { replies: [reply(m.tooLong({ length: screened.length, max: MAX_MESSAGE_LENGTH }))], who: {} };
  const text = screened.ok ? screened.text : message.text.trim();
  if (state.step === 'name') {
    const name = cleanName(text);
    if (!name) return { replies: [reply(m.badBusinessName())], who: {} };
    await saveConversation(tx, channel, address, { ...state, step: 'currency', name } satisfies ConversationState, now);
    return { replies: [reply(m.askCurrency({ name, suggested: deps.defaults.currency }))], who: {} };
  }
  if (state.step === 'currency') {
    const currency = isAcceptDefault(text) ? deps.defaults.currency : readCurrency(text);
    if (!currency) return { replies: [reply(m.badCurrency({ got: text, suggested: deps.defaults.currency }))], who: {} };
    await saveConversation(tx, channel, address, { ...state, step: 'timezone', currency } satisfies ConversationState, now);
    return { replies: [reply(m.askTimeZone({ suggested: suggestedTimeZone(deps.defaults, currency) }))], who: {} };
  }
  const currency = state.currency ?? deps.defaults.currency;
  const suggested = suggestedTimeZone(deps.defaults, currency);
  const timeZone = isAcceptDefault(text) ? suggested : readTimeZone(text);
  if (!timeZone) return { replies: [reply(m.badTimeZone({ got: text, suggested }))], who: {} };
  const name = state.name ?? 'My business';
  const { business, owner } = await createBusinessWithOwner(tx, {
    name,
    currency,
    timeZone,
    language: state.language,
    country: homeOfCurrency(currency)?.country ?? deps.defaults.country,
    owner: { name: message.senderName ?? name, channel, address },
    now,
  });
  await clearConversation(tx, channel, address);
  return {
    replies: [{ ...reply(m.onboardingDone({ name, currency, timeZone })), businessId: business.id, memberId: owner.id }],
    who: { businessId: business.id, memberId: owner.id },
  };
}

async function keepForOwner(tx: Tx, deps: ConversationDeps, message: InboundText): Promise<{ replies: Reply[]; who: Who }> {
  const language = replyLanguage(null, message.text, deps.defaults.language);
  const replies: Reply[] = [{ channel: message.channel, address: message.address, text: debtorTextsFor(language).unknownSender(), kind: 'reply' }];
  // On a one-business installation the owner can be told; with several, whose it is is unknown and
  // the message waits in the inbox, unassigned.
  const businesses = await tx.business.findMany({ select: { id: true, language: true }, take: 2 });
  if (businesses.length !== 1) return { replies, who: {} };
  const business = businesses[0]!;
  const sender = [message.senderName, `${message.channel} ${maskAddress(message.address)}`].filter(Boolean).join(', ');
  const text = message.text.length > 500 ? `${message.text.slice(0, 499)}…` : message.text;
  for (const owner of await listOwners(tx, business.id)) {
    const t = debtorTextsFor(owner.language ?? business.language);
    replies.push({ channel: owner.channel, address: owner.address, text: t.ownerUnknownSender({ sender, text }), kind: 'owner_notice', memberId: owner.id, businessId: business.id });
  }
  return { replies, who: { businessId: business.id } };
}

function suggestedTimeZone(defaults: Defaults, currency: string): string {
  return currency === defaults.currency ? defaults.timeZone : (homeOfCurrency(currency)?.timeZone ?? defaults.timeZone);
}
