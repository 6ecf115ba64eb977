// The Telegram channel's pure parts: reading updates and commands, start links, splitting long
// texts, keyboards from choices, what Telegram's errors mean for the outbox, and scrubbing the
// token out of messages; and the owner's "link" command.
import { GrammyError, HttpError } from 'grammy';
import { describe, expect, it } from 'vitest';
import { RetryLaterError, UndeliverableError } from '../../src/bot/channel.ts';
import { startLinkToken } from '../../src/bot/debtor-link.ts';
import { inlineKeyboard, splitMessage } from '../../src/bot/telegram/channel.ts';
import { describeError, scrub, toSendError } from '../../src/bot/telegram/errors.ts';
import { chatKeyOf, commandAsWords, isTextFile, readUpdate } from '../../src/bot/telegram/updates.ts';
import { parseOwnerCommand } from '../../src/engine/owner-command.ts';
import { FAKE_TOKEN } from '../support/fake-telegram.ts';

const ctx = { today: '2026-11-21', country: 'IN' };
const from = { id: 42, is_bot: false, first_name: 'Anil', last_name: 'Sharma' };
const privateChat = { id: 42, type: 'private' };

describe('reading updates', () => {
  it('a private text message becomes a message event with the sender\'s name and the message date', () => {
    expect(readUpdate({ update_id: 9, message: { message_id: 3, date: 1_795_000_000, chat: privateChat, from, text: 'list' } })).toEqual({
      kind: 'message',
      updateId: 9,
      chatId: 42,
      messageId: 3,
      date: new Date(1_795_000_000_000),
      text: 'list',
      senderName: 'Anil Sharma',
      document: null,
    });
  });

  it('a document comes with its file id, name, type and size; a caption is its text', () => {
    const event = readUpdate({ update_id: 9, message: { message_id: 3, date: 1, chat: privateChat, from, caption: 'import', document: { file_id: 'F', file_name: 'a.csv', mime_type: 'text/csv', file_size: 12 } } });
    expect(event).toMatchObject({ kind: 'message', text: 'import', document: { fileId: 'F', fileName: 'a.csv', mimeType: 'text/csv', size: 12 } });
  });

  it('a tapped button becomes a callback event carrying its data and the tapped message', () => {
    const event = readUpdate({ update_id: 10, callback_query: { id: 'cb1', from, chat_instance: 'x', data: 'approve all', message: { message_id: 7, date: 1, chat: privateChat, text: '4 reminders ready' } } });
    expect(event).toEqual({ kind: 'callback', updateId: 10, chatId: 42, callbackId: 'cb1', data: 'approve all', messageId: 7, messageText: '4 reminders ready', senderName: 'Anil Sharma' });
  });

  it.each([
    ['no update id', { message: { text: 'x' } }, 'malformed update'],
    ['a negative update id', { update_id: -1 }, 'malformed update'],
    ['not an object', 'hello', 'malformed update'],
    ['an unknown type', { update_id: 1, message_reaction: {} }, 'update of type message_reaction'],
    ['an edited message', { update_id: 1, edited_message: { message_id: 1, date: 1, chat: privateChat, text: 'x' } }, 'update of type edited_message'],
    ['a message without a chat', { update_id: 1, message: { message_id: 1, date: 1, text: 'x' } }, 'malformed message'],
    ['a text that is a number', { update_id: 1, message: { message_id: 1, date: 1, chat: privateChat, text: 5 } }, 'malformed message'],
    ['a group message', { update_id: 1, message: { message_id: 1, date: 1, chat: { id: -5, type: 'group' }, from, text: 'x' } }, 'message in a group chat'],
    ['a message from a bot', { update_id: 1, message: { message_id: 1, date: 1, chat: privateChat, from: { ...from, is_bot: true }, text: 'x' } }, 'from a bot'],
  ])('ignores %s', (_what, update, reason) => {
    expect(readUpdate(update)).toMatchObject({ kind: 'ignored', reason });
  });

  it('ignores buttons it did not make, but keeps their id so the spinner can be stopped', () => {
    const base = { id: 'cb', from, chat_instance: 'x' };
    expect(readUpdate({ update_id: 1, callback_query: { ...base, inline_message_id: 'i', data: 'yes' } })).toEqual({ kind: 'ignored', updateId: 1, reason: 'callback outside a private chat', callbackId: 'cb' });
    const message = { message_id: 1, date: 1, chat: privateChat };
    expect(readUpdate({ update_id: 1, callback_query: { ...base, message, data: 'é'.repeat(33) } })).toMatchObject({ kind: 'ignored', reason: 'bad callback data', callbackId: 'cb' });
    expect(readUpdate({ update_id: 1, callback_query: { ...base, message, game_short_name: 'g' } })).toMatchObject({ kind: 'ignored', reason: 'bad callback data', callbackId: 'cb' });
  });

  it('cuts a huge text to 8,192 characters', () => {
    const event = readUpdate({ update_id: 1, message: { message_id: 1, date: 1, chat: privateChat, from, text: 'y'.repeat(50_000) } });
    expect(event.kind === 'message' && event.text.length).toBe(8_192);
  });

  it('keeps one chat\'s updates together, from messages, buttons and membership changes alike', () => {
    expect(chatKeyOf({ update_id: 1, message: { chat: { id: 42 } } })).toBe('42');
    expect(chatKeyOf({ update_id: 1, callback_query: { from: { id: 42 }, message: { chat: { id: 42 } } } })).toBe('42');
    expect(chatKeyOf({ update_id: 1, callback_query: { from: { id: 42 }, inline_message_id: 'x' } })).toBe('42');
    expect(chatKeyOf({ update_id: 1, my_chat_member: { chat: { id: 42 } } })).toBe('42');
    expect(chatKeyOf({ update_id: 1, poll: {} })).toBeUndefined();
    expect(chatKeyOf(null)).toBeUndefined();
  });
});

describe('commands', () => {
  it.each([
    ['/help', 'help'],
    ['/followup', 'follow up'],
    ['/link Ramesh Traders', 'link Ramesh Traders'],
    ['/link@paynudge_bot Ramesh', 'link Ramesh'],
    ['/LIST', 'list'],
    ['/hindi', 'hindi'],
    ['/start', '/start'],
    ['/start abcDEF_123-x', '/start abcDEF_123-x'],
    ['/unknown_thing now', 'unknown thing now'],
    ['not a command', 'not a command'],
    ['/ spaced', '/ spaced'],
  ])('%s reads as "%s"', (text, words) => {
    expect(commandAsWords(text)).toBe(words);
  });

  it('/start with a token is a link being opened; anything else is not', () => {
    expect(startLinkToken('/start abcDEF_123-xyzABCDEF12')).toBe('abcDEF_123-xyzABCDEF12');
    expect(startLinkToken('/start@paynudge_bot tok')).toBe('tok');
    expect(startLinkToken('/start')).toBeNull();
    expect(startLinkToken('start abc')).toBeNull();
    expect(startLinkToken('/start a b')).toBeNull();
    expect(startLinkToken(`/start ${'a'.repeat(65)}`)).toBeNull();
  });

  it('"link <customer>" asks for the customer\'s link; a name with digits is something else', () => {
    expect(parseOwnerCommand('link Ramesh Traders', ctx)).toEqual({ kind: 'debtor_link', debtorName: 'Ramesh Traders' });
    expect(parseOwnerCommand('link for Ramesh', ctx)).toEqual({ kind: 'debtor_link', debtorName: 'Ramesh' });
    expect(parseOwnerCommand('telegram link Sharma Medical', ctx)).toEqual({ kind: 'debtor_link', debtorName: 'Sharma Medical' });
    expect(parseOwnerCommand('link', ctx)).toEqual({ kind: 'invalid', problem: { field: 'usage', command: 'link' } });
    expect(parseOwnerCommand('Link Traders paid 5000', ctx)).toMatchObject({ kind: 'payment', draft: { debtorName: 'Link Traders', amount: 5000 } });
    expect(parseOwnerCommand('/start', ctx)).toEqual({ kind: 'help' });
    expect(parseOwnerCommand('/start sometoken', ctx)).toEqual({ kind: 'help' });
  });
});

describe('writing messages', () => {
  it('splits a text over 4,096 characters at line breaks, never losing a character', () => {
    const lines = Array.from({ length: 300 }, (_, i) => `${i}. ${'x'.repeat(30)}`);
    const text = lines.join('\n');
    const parts = splitMessage(text, 4_096);
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.every((p) => p.length <= 4_096)).toBe(true);
    expect(parts.join('\n')).toBe(text);
    expect(splitMessage('z'.repeat(9_000), 4_096).map((p) => p.length)).toEqual([4_096, 4_096, 808]);
    expect(splitMessage('short', 4_096)).toEqual(['short']);
    expect(splitMessage('', 4_096)).toEqual(['…']);
  });

  it('makes choices an inline keyboard: a row when few and short, one per row otherwise, leaving out data over 64 bytes', () => {
    expect(inlineKeyboard([{ label: 'Save', data: 'yes' }, { label: 'No', data: 'no' }])).toEqual({ inline_keyboard: [[{ text: 'Save', callback_data: 'yes' }, { text: 'No', callback_data: 'no' }]] });
    const many = ['Ramesh Traders', 'Ramdev Stores', 'Ram Prasad & Sons', 'a new customer "Ram"'].map((label, i) => ({ label, data: String(i + 1) }));
    expect(inlineKeyboard(many)!.inline_keyboard).toHaveLength(4);
    expect(inlineKeyboard([{ label: 'Too long', data: 'd'.repeat(65) }, { label: 'Fine', data: 'ok' }])).toEqual({ inline_keyboard: [[{ text: 'Fine', callback_data: 'ok' }]] });
    const rows = [
      { label: '✓ 1. Gupta', data: 'approve 1', row: 0 },
      { label: '✗ Skip 1', data: 'skip 1', row: 0 },
      { label: '✓ 2. Meena', data: 'approve 2', row: 1 },
      { label: '✗ Skip 2', data: 'skip 2', row: 1 },
      { label: 'Approve all', data: 'approve all', row: 2 },
    ];
    expect(inlineKeyboard(rows)!.inline_keyboard.map((r) => r.map((b) => ('callback_data' in b ? b.callback_data : null)))).toEqual([['approve 1', 'skip 1'], ['approve 2', 'skip 2'], ['approve all']]);
    expect(inlineKeyboard([])).toBeNull();
    expect(inlineKeyboard(null)).toBeNull();
  });

  it('reads CSV and text files, whatever the system called them', () => {
    const doc = (fileName: string, mimeType: string | null) => ({ fileId: 'f', fileName, mimeType, size: 1 });
    expect(isTextFile(doc('a.csv', null))).toBe(true);
    expect(isTextFile(doc('export', 'text/csv'))).toBe(true);
    expect(isTextFile(doc('Book1.csv', 'application/vnd.ms-excel'))).toBe(true);
    expect(isTextFile(doc('a.pdf', 'application/pdf'))).toBe(false);
    expect(isTextFile(doc('photo.jpg', 'image/jpeg'))).toBe(false);
  });
});

describe("what Telegram's errors mean", () => {
  const apiError = (error_code: number, description: string, parameters = {}) => new GrammyError(`Call failed (${error_code}: ${description})`, { ok: false, error_code, description, parameters }, 'sendMessage', {});

  it('429: retry after retry_after seconds', () => {
    const err = toSendError(apiError(429, 'Too Many Requests: retry after 7', { retry_after: 7 }), FAKE_TOKEN);
    expect(err).toBeInstanceOf(RetryLaterError);
    expect((err as RetryLaterError).retryAfterMs).toBe(7_000);
  });

  it('403 blocked or deactivated: undeliverable, and an opt-out; other refusals undeliverable without', () => {
    expect((toSendError(apiError(403, 'Forbidden: bot was blocked by the user'), FAKE_TOKEN) as UndeliverableError).undeliverable).toEqual({ reason: 'blocked', optOut: true });
    expect((toSendError(apiError(403, 'Forbidden: user is deactivated'), FAKE_TOKEN) as UndeliverableError).undeliverable).toEqual({ reason: 'deactivated', optOut: true });
    expect((toSendError(apiError(403, "Forbidden: bot can't initiate conversation with a user"), FAKE_TOKEN) as UndeliverableError).undeliverable).toEqual({ reason: 'forbidden', optOut: false });
    expect((toSendError(apiError(400, 'Bad Request: chat not found'), FAKE_TOKEN) as UndeliverableError).undeliverable).toEqual({ reason: 'chat_not_found', optOut: false });
  });

  it('server and network errors: plain errors, retried with backoff', () => {
    const server = toSendError(apiError(502, 'Bad Gateway'), FAKE_TOKEN);
    expect(server).not.toBeInstanceOf(UndeliverableError);
    expect(server).not.toBeInstanceOf(RetryLaterError);
    expect(server.message).toBe('Telegram 502: Bad Gateway');
    const network = toSendError(new HttpError("Network request for 'sendMessage' failed!", new Error(`connect ECONNREFUSED for https://api.telegram.org/bot${FAKE_TOKEN}/sendMessage`)), FAKE_TOKEN);
    expect(network.message).toContain('ECONNREFUSED');
    expect(network.message).not.toContain(FAKE_TOKEN);
  });

  it('never lets the token, or its secret half, into a message', () => {
    const secret = FAKE_TOKEN.split(':')[1]!;
    expect(scrub(`url https://x/bot${FAKE_TOKEN}/getMe and ${secret}`, FAKE_TOKEN)).toBe('url https://x/bot<token>/getMe and <token>');
    expect(describeError(new Error(`failed: ${FAKE_TOKEN}`), FAKE_TOKEN)).toEqual({ name: 'Error', message: 'failed: <token>' });
  });
});
