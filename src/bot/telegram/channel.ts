// The Telegram channel, on grammY. Long polling by default, through @grammyjs/runner (updates of
// different chats handled concurrently, one chat's in order); webhook mode when a URL is given,
// served by the Fastify server (src/http/telegram-webhook.ts). Every update is validated
// (./updates.ts) and handed to the conversation as an InboundText whose providerMessageId is
// `tg:update:<update_id>`, so a redelivered update is stored and answered once.
//
// Buttons: a message's choices become an inline keyboard whose callback data comes back as the
// text. A tap is answered at once (the spinner stops), and the bot's first reply to it edits the
// tapped message instead of adding a new one (a final answer under the question; an answer with
// buttons of its own in the message's place); a tapped keyboard that was not replaced is
// removed, so old buttons cannot be pressed twice.
//
// Sending: plain text (no parse mode, nothing to escape), split at 4,096 characters, files as
// documents. Errors become what the dispatcher understands: a 429 a RetryLaterError with
// Telegram's retry_after, "blocked by the user" / "user is deactivated" an UndeliverableError
// that opts the debtor out, other refusals an UndeliverableError without opt-out, the rest plain
// errors to retry. Pacing (30 messages/s, 1/s per chat) is the dispatcher's, for the outbox.
//
// Nothing lost in a crash: Telegram forgets an update once it is confirmed (by the next
// getUpdates, by the webhook's 200), and both modes may confirm one before it is handled. With a
// journal (src/store/update-journal.ts), the updates still being handled are kept in the database
// before the next getUpdates goes out, and a slow webhook update before its early 200; each is
// forgotten once handled. On start, and every `replayEveryMs`, what a dead process left is taken
// up again and handled (the update id makes handling it twice harmless); an update taken up
// MAX_REPLAYS times without finishing is given up and logged.
//
// The bot token is a secret: it never reaches a log or an error message (see ./errors.ts).
import { readFile } from 'node:fs/promises';
import { sequentialize, run, type RunnerHandle } from '@grammyjs/runner';
import { Bot as GrammyBot, GrammyError, InputFile } from 'grammy';
import type { InlineKeyboardMarkup } from 'grammy/types';
import { systemClock, type Clock } from '../../clock.ts';
import { messagesFor } from '../../engine/messages.ts';
import { maskAddress, type Logger } from '../../log.ts';
import type { UpdateJournal } from '../../store/update-journal.ts';
import { ChannelStatusKeeper, UndeliverableError, type Channel, type ChannelStatus, type Choice, type InboundHandler, type InboundText, type OutgoingText, type SendResult } from '../channel.ts';
import { describeError, scrub, toSendError } from './errors.ts';
import { ALLOWED_UPDATES, chatKeyOf, isTextFile, readUpdate, type IncomingDocument, type TelegramEvent } from './updates.ts';

export const TELEGRAM_API_ROOT = 'https://api.telegram.org';
/** Telegram's longest message. */
export const MAX_MESSAGE_LENGTH = 4_096;
const MAX_CAPTION_LENGTH = 1_024;
/** While updates not yet kept are being handled, the next getUpdates waits for them this long at most after the last answer. */
const FETCH_GAP_MS = 10;
/** An update taken up this many times after crashes without being finished is given up. */
export const MAX_REPLAYS = 3;

export interface TelegramChannelOptions {
  token: string;
  /** Another Bot API server (a local one, or a test's); default https://api.telegram.org. */
  apiRoot?: string | undefined;
  /** Webhook mode: Telegram posts updates to `url` with `secret` in a header. Absent: long polling. */
  webhook?: { url: string; secret: string } | undefined;
  logger: Logger;
  clock?: Clock;
  /** Long-polling timeout in seconds (default 30). */
  pollTimeoutSeconds?: number;
  /** Largest file read from a sent document (default 5 MB). */
  maxFileBytes?: number;
  /** A call to Telegram not answered by then fails (default 20 s). */
  requestTimeoutMs?: number;
  /** Told the bot's username and id once it is known (for t.me links). */
  onProfile?: (profile: { username: string; id: number }) => Promise<void>;
  /** Keeps updates confirmed to Telegram before they were handled, so a crash loses none. */
  journal?: UpdateJournal | undefined;
  /** How often unfinished updates a dead process left are looked for (default 30 s). */
  replayEveryMs?: number;
}

type ApiSignal = NonNullable<Parameters<GrammyBot['api']['getMe']>[0]>;

interface TappedMessage {
  chatId: number;
  messageId: number;
  text: string | null;
  replaced: boolean;
}

export class TelegramChannel implements Channel {
  readonly name = 'telegram';
  private readonly bot: GrammyBot;
  private readonly log: Logger;
  private readonly clock: Clock;
  private readonly apiRoot: string;
  private runner: RunnerHandle | undefined;
  private onInbound: InboundHandler | undefined;
  private running = false;
  /** Updates being handled (webhook mode hands them over in the background), awaited by stop(). */
  private readonly inFlight = new Set<Promise<void>>();
  /** Per callback update being handled: the message whose button was tapped. */
  private readonly tapped = new Map<string, TappedMessage>();
  private username: string | undefined;
  /** Updates received (fetched, posted, taken up) and not yet handled, by update id. */
  private readonly unfinished = new Map<number, unknown>();
  /** Those of them kept in the journal (to be forgotten there once handled). */
  private readonly kept = new Set<number>();
  private replayTimer: NodeJS.Timeout | undefined;
  /** When the last getUpdates was answered. */
  private lastFetchAt = 0;
  /** Woken when an update finishes (beforeFetching waits on it). */
  private readonly onFinished: Array<() => void> = [];
  private readonly state: ChannelStatusKeeper;

  constructor(private readonly options: TelegramChannelOptions) {
    this.log = options.logger.child({ component: 'telegram' });
    this.state = new ChannelStatusKeeper(this.name, this.log);
    this.clock = options.clock ?? systemClock;
    this.apiRoot = (options.apiRoot ?? TELEGRAM_API_ROOT).replace(/\/+$/, '');
    this.bot = new GrammyBot(options.token, { client: { apiRoot: this.apiRoot } });
    this.bot.api.config.use(async (prev, method, payload, signal) => {
      try {
        // Asking for more updates confirms those already fetched: keep the unfinished ones first.
        if (method === 'getUpdates') await this.beforeFetching();
        const result = await prev(method, payload, signal);
        // Telegram refusing (a 5xx, a 409 from another poller) answers ok: false; the runner tries again.
        if (method === 'getUpdates' && !result.ok && this.running) this.state.set('reconnecting', `getUpdates failed: ${scrub(result.description, options.token)}`);
        if (method === 'getUpdates' && result.ok) {
          this.lastFetchAt = performance.now();
          if (this.running) this.state.set('ready');
          for (const u of result.result as Array<{ update_id: number }>) this.unfinished.set(u.update_id, u);
        }
        return result;
      } catch (err) {
        if (!signal?.aborted && method === 'getUpdates') {
          const described = describeError(err, options.token);
          this.log.warn({ err: described }, 'telegram.get_updates_failed');
          // The runner tries again (with backoff); until an answer comes the channel is cut off.
          if (this.running) this.state.set('reconnecting', `getUpdates failed: ${described.message}`);
        }
        throw err;
      }
    });
    this.bot.use(sequentialize((ctx) => chatKeyOf(ctx.update)));
    this.bot.use((ctx) => this.track(this.handleUpdate(ctx.update)));
    this.bot.catch((err) => this.log.error({ err: describeError(err.error, options.token) }, 'telegram.update_failed'));
  }

  get mode(): 'webhook' | 'polling' {
    return this.options.webhook ? 'webhook' : 'polling';
  }

  /** Whether updates are being received (webhook requests before start() are refused). */
  get ready(): boolean {
    return this.running;
  }

  /**
   * starting until start() has set up receiving; ready; reconnecting while getUpdates fails (the
   * runner keeps trying); stopped after stop(), or when start-up or polling failed for good.
   */
  status(): ChannelStatus {
    return this.state.get();
  }

  /** The bot's @username, once started. */
  get botUsername(): string | undefined {
    return this.username;
  }

  async start(onInbound: InboundHandler): Promise<void> {
    this.onInbound = onInbound;
    try {
      await this.bot.init(this.timeout());
    } catch (err) {
      const reason = `Telegram did not accept the bot token or could not be reached: ${describeError(err, this.options.token).message}`;
      this.state.set('stopped', reason);
      throw new Error(reason);
    }
    this.username = this.bot.botInfo.username;
    await this.options.onProfile?.({ username: this.bot.botInfo.username, id: this.bot.botInfo.id });
    await this.setCommandMenu();
    const allowed_updates = [...ALLOWED_UPDATES];
    if (this.options.webhook) {
      await this.bot.api.setWebhook(this.options.webhook.url, { secret_token: this.options.webhook.secret, allowed_updates, max_connections: 40 });
      this.running = true;
      this.state.set('ready');
      this.startReplaying(false);
      this.log.info({ mode: 'webhook', bot: this.username, url: this.options.webhook.url }, 'telegram.started');
      return;
    }
    // getUpdates is refused while a webhook is set (a webhook deployment before this one).
    await this.bot.api.deleteWebhook({ drop_pending_updates: false });
    this.runner = run(this.bot, {
      runner: { fetch: { timeout: this.options.pollTimeoutSeconds ?? 30, allowed_updates }, silent: true, retryInterval: 'exponential', maxRetryTime: 24 * 3_600_000 },
      sink: { concurrency: 200 },
    });
    this.running = true;
    this.state.set('ready');
    // Only one process long-polls a bot (Telegram refuses a second), so whatever is kept is a dead one's.
    this.startReplaying(true);
    this.runner.task()?.catch((err: unknown) => {
      const described = describeError(err, this.options.token);
      this.log.error({ err: described }, 'telegram.polling_stopped');
      this.state.set('stopped', `polling stopped: ${described.message}`);
    });
    this.log.info({ mode: 'polling', bot: this.username }, 'telegram.started');
  }

  /** Stops receiving and waits for the updates being handled. A webhook stays registered (other instances may serve it). */
  async stop(): Promise<void> {
    this.running = false;
    this.state.set('stopped');
    clearInterval(this.replayTimer);
    this.replayTimer = undefined;
    if (this.runner?.isRunning()) await this.runner.stop();
    this.runner = undefined;
    await Promise.allSettled([...this.inFlight]);
    await this.options.journal?.flushed();
  }

  /** One update posted to the webhook: handled like a polled one (in order per chat). */
  async handleWebhookUpdate(update: unknown): Promise<void> {
    const id = updateIdOf(update);
    if (id !== null) this.unfinished.set(id, update);
    await this.bot.handleUpdate(update as Parameters<GrammyBot['handleUpdate']>[0]);
  }

  /**
   * A webhook update about to be answered before it is handled: kept in the journal first (if it
   * is still being handled), so that Telegram's forgetting it loses nothing. Rejects if it cannot
   * be kept; the webhook then answers an error and Telegram sends the update again.
   */
  async keepWebhookUpdate(update: unknown): Promise<void> {
    const id = updateIdOf(update);
    if (id !== null && this.unfinished.has(id)) await this.keep([id]);
  }

  // ---------------------------------------------------------------------------------------------
  // Keeping updates across a crash

  /**
   * Before the next getUpdates: while updates not yet kept are being handled, it waits until they
   * finish, for at most FETCH_GAP_MS after the last answer (a quick update then needs no keeping,
   * and under load each request brings several updates: one request and one statement for many,
   * at most that much later); then those still unfinished are kept.
   */
  private async beforeFetching(): Promise<void> {
    const deadline = this.lastFetchAt + FETCH_GAP_MS;
    while (this.unkept().length > 0 && performance.now() < deadline) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, deadline - performance.now());
        this.onFinished.push(() => (clearTimeout(timer), resolve()));
      });
    }
    const ids = this.unkept();
    if (ids.length > 0) await this.keep(ids);
  }

  private unkept(): number[] {
    return [...this.unfinished.keys()].filter((id) => !this.kept.has(id));
  }

  private async keep(ids: number[]): Promise<void> {
    const journal = this.options.journal;
    if (!journal) return;
    await journal.keep(ids.map((id) => ({ key: providerIdOf(id), payload: this.unfinished.get(id) })));
    // Those finished meanwhile are forgotten now; the others when they finish.
    for (const id of ids) {
      if (this.unfinished.has(id)) this.kept.add(id);
      else this.forget(id);
    }
  }

  /** An update is stored or handled (or was ignored): nothing to keep any more. Called again, does nothing. */
  private finished(id: number | null): void {
    if (id === null || !this.unfinished.has(id)) return;
    this.unfinished.delete(id);
    if (this.kept.delete(id)) this.forget(id);
    for (const wake of this.onFinished.splice(0)) wake();
  }

  private forget(id: number): void {
    this.options.journal?.finish(providerIdOf(id)).catch((err: unknown) => this.log.warn({ err: describeError(err, this.options.token), update: id }, 'telegram.journal_finish_failed'));
  }

  private startReplaying(everything: boolean): void {
    if (!this.options.journal) return;
    void this.replay(everything);
    this.replayTimer = setInterval(() => void this.replay(false), this.options.replayEveryMs ?? 30_000);
    this.replayTimer.unref();
  }

  /** Handles again the updates a dead process kept and never finished (oldest first). */
  private async replay(everything: boolean): Promise<void> {
    const journal = this.options.journal;
    if (!journal || !this.running) return;
    let taken;
    try {
      taken = await journal.takeUp({ everything });
    } catch (err) {
      this.log.warn({ err: describeError(err, this.options.token) }, 'telegram.journal_take_up_failed');
      return;
    }
    const updates = taken.map((t) => ({ ...t, id: updateIdOf(t.payload) })).sort((a, b) => (a.id ?? 0) - (b.id ?? 0));
    for (const { key, payload, attempts, id } of updates) {
      if (id === null || attempts > MAX_REPLAYS) {
        this.log.error({ key, attempts }, 'telegram.update_given_up');
        void journal.finish(key).catch(() => undefined);
        continue;
      }
      // Being handled here already (a slow handler, or Telegram sent it again: the dead process
      // had not confirmed it): it finishes on its own, and is then forgotten in the journal too.
      if (this.unfinished.has(id)) {
        this.kept.add(id);
        continue;
      }
      this.log.warn({ update: id, attempts }, 'telegram.update_taken_up');
      this.unfinished.set(id, payload);
      this.kept.add(id);
      this.bot.handleUpdate(payload as Parameters<GrammyBot['handleUpdate']>[0]).catch((err: unknown) => this.log.error({ err: describeError(err, this.options.token), update: id }, 'telegram.update_failed'));
    }
  }

  private track(work: Promise<void>): Promise<void> {
    this.inFlight.add(work);
    return work.finally(() => this.inFlight.delete(work));
  }

  // ---------------------------------------------------------------------------------------------
  // Receiving

  private async handleUpdate(raw: unknown): Promise<void> {
    const event = readUpdate(raw);
    try {
      await this.dispatchEvent(event);
    } catch (err) {
      this.log.error({ err: describeError(err, this.options.token), update: event.updateId }, 'telegram.update_failed');
    } finally {
      this.finished(updateIdOf(raw));
    }
  }

  private async dispatchEvent(event: TelegramEvent): Promise<void> {
    const onInbound = this.onInbound;
    if (!onInbound) return;
    if (event.kind === 'ignored') {
      this.log.debug({ update: event.updateId, reason: event.reason }, 'telegram.update_ignored');
      if (event.callbackId) await this.answerCallback(event.callbackId);
      return;
    }
    const providerMessageId = providerIdOf(event.updateId);
    const address = String(event.chatId);
    // Stored is safe: no need to keep the update until its replies are sent and marked.
    const onStored = () => this.finished(event.updateId);
    if (event.kind === 'callback') {
      // Stop the button's spinner at once, while the tap is handled.
      const answered = this.answerCallback(event.callbackId);
      const tap: TappedMessage = { chatId: event.chatId, messageId: event.messageId, text: event.messageText, replaced: false };
      this.tapped.set(providerMessageId, tap);
      try {
        await onInbound({ channel: this.name, address, providerMessageId, text: event.data, receivedAt: this.clock.now(), senderName: event.senderName, onStored });
      } finally {
        this.tapped.delete(providerMessageId);
      }
      if (!tap.replaced) await this.removeKeyboard(tap);
      await answered;
      return;
    }
    const inbound: InboundText = { channel: this.name, address, providerMessageId, text: event.text, receivedAt: event.date, senderName: event.senderName, onStored };
    if (event.document) inbound.attachment = await this.readDocument(event.document, address);
    await onInbound(inbound);
  }

  private async answerCallback(id: string): Promise<void> {
    await this.bot.api.answerCallbackQuery(id, {}, this.timeout()).catch((err: unknown) => this.log.debug({ err: describeError(err, this.options.token) }, 'telegram.answer_callback_failed'));
  }

  private async removeKeyboard(tap: TappedMessage): Promise<void> {
    await this.bot.api
      .editMessageReplyMarkup(tap.chatId, tap.messageId, { reply_markup: { inline_keyboard: [] } }, this.timeout())
      .catch((err: unknown) => this.log.debug({ err: describeError(err, this.options.token) }, 'telegram.remove_keyboard_failed'));
  }

  /**
   * A sent document as an attachment: its text when it is a readable text file (a CSV) within the
   * size limit, else empty (the conversation then explains what it can read).
   */
  private async readDocument(document: IncomingDocument, address: string): Promise<{ fileName: string; text: string }> {
    const max = this.options.maxFileBytes ?? 5_000_000;
    const skip = (reason: string) => {
      this.log.info({ from: maskAddress(address), fileName: document.fileName, size: document.size, reason }, 'telegram.file_not_read');
      return { fileName: document.fileName, text: '' };
    };
    if (!isTextFile(document)) return skip('not a text file');
    if ((document.size ?? 0) > max) return skip('too large');
    try {
      const file = await this.bot.api.getFile(document.fileId, this.timeout());
      if (!file.file_path) return skip('no file path');
      let bytes: Buffer;
      if (file.file_path.startsWith('/')) {
        // A local Bot API server (--local) answers with a path on its own disk.
        bytes = await readFile(file.file_path);
      } else {
        const response = await fetch(`${this.apiRoot}/file/bot${this.options.token}/${file.file_path}`, { signal: AbortSignal.timeout(this.options.requestTimeoutMs ?? 20_000) });
        if (!response.ok) return skip(`download answered ${response.status}`);
        bytes = Buffer.from(await response.arrayBuffer());
      }
      if (bytes.length > max) return skip('too large');
      return { fileName: document.fileName, text: new TextDecoder('utf-8').decode(bytes) };
    } catch (err) {
      this.log.warn({ err: describeError(err, this.options.token), from: maskAddress(address) }, 'telegram.file_download_failed');
      return skip('download failed');
    }
  }

  private async setCommandMenu(): Promise<void> {
    for (const language of ['en', 'hi'] as const) {
      const commands = messagesFor(language).commandMenu();
      // English is the default menu; Telegram shows the Hindi one to people whose app is in Hindi.
      const other = language === 'en' ? {} : { language_code: language };
      await this.bot.api.setMyCommands(commands, other, this.timeout()).catch((err: unknown) => this.log.warn({ err: describeError(err, this.options.token), language }, 'telegram.set_commands_failed'));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Sending

  async send(message: OutgoingText): Promise<SendResult> {
    const chatId = Number(message.address);
    if (!/^-?\d{1,20}$/.test(message.address) || !Number.isSafeInteger(chatId)) {
      throw new UndeliverableError(`not a Telegram chat id: ${maskAddress(message.address)}`, { reason: 'bad_address', optOut: false });
    }
    const keyboard = inlineKeyboard(message.choices, this.log);
    try {
      if (message.attachment) return await this.sendDocument(chatId, message, keyboard);
      const tap = message.inReplyTo ? this.tapped.get(message.inReplyTo) : undefined;
      if (tap && !tap.replaced && tap.chatId === chatId && tap.text !== null) {
        const edited = await this.editTapped(tap, message.text, keyboard);
        if (edited) return edited;
      }
      let last = 0;
      const chunks = splitMessage(message.text, MAX_MESSAGE_LENGTH);
      for (const [i, chunk] of chunks.entries()) {
        const isLast = i === chunks.length - 1;
        const sent = await this.bot.api.sendMessage(
          chatId,
          chunk,
          { link_preview_options: { is_disabled: true }, ...(isLast && keyboard ? { reply_markup: keyboard } : {}) },
          this.timeout(),
        );
        last = sent.message_id;
      }
      return { providerMessageId: `tg:${chatId}:${last}` };
    } catch (err) {
      throw toSendError(err, this.options.token);
    }
  }

  /**
   * The first reply to a tap, in place of the tapped message's buttons: a final answer is added
   * under the message (the question, then "Saved ✓"); an answer with buttons of its own (the
   * list again, renumbered, a next question) takes the message's place. Null when that cannot be done.
   */
  private async editTapped(tap: TappedMessage, text: string, keyboard: InlineKeyboardMarkup | null): Promise<SendResult | null> {
    const combined = keyboard ? text : `${tap.text}\n\n${text}`;
    if (combined.length > MAX_MESSAGE_LENGTH) return null;
    try {
      await this.bot.api.editMessageText(tap.chatId, tap.messageId, combined, { link_preview_options: { is_disabled: true }, reply_markup: keyboard ?? { inline_keyboard: [] } }, this.timeout());
      tap.replaced = true;
      return { providerMessageId: `tg:${tap.chatId}:${tap.messageId}` };
    } catch (err) {
      // Too old to edit, deleted, or unchanged: send the reply as a new message instead.
      if (err instanceof GrammyError && err.error_code === 400) return null;
      throw err;
    }
  }

  private async sendDocument(chatId: number, message: OutgoingText, keyboard: InlineKeyboardMarkup | null): Promise<SendResult> {
    const attachment = message.attachment!;
    const file = new InputFile(Buffer.from(attachment.content, 'utf8'), attachment.fileName);
    const captioned = message.text.length <= MAX_CAPTION_LENGTH;
    if (!captioned) await this.bot.api.sendMessage(chatId, message.text, { link_preview_options: { is_disabled: true } }, this.timeout());
    const sent = await this.bot.api.sendDocument(chatId, file, { ...(captioned ? { caption: message.text } : {}), ...(keyboard ? { reply_markup: keyboard } : {}) }, this.timeout());
    return { providerMessageId: `tg:${chatId}:${sent.message_id}` };
  }

  /** Each call to Telegram gives up after requestTimeoutMs (grammY types its signal as the abort-controller shim's). */
  private timeout(): ApiSignal {
    return AbortSignal.timeout(this.options.requestTimeoutMs ?? 20_000) as unknown as ApiSignal;
  }
}

/**
 * Choices as an inline keyboard: side by side when there are few and short, else one per row.
 * A choice whose data does not fit Telegram's 64 bytes is left out (the text still lists it).
 */
export function inlineKeyboard(choices: Choice[] | null | undefined, log?: Logger): InlineKeyboardMarkup | null {
  if (!choices?.length) return null;
  const usable = choices.filter((c) => {
    const fits = c.data.length > 0 && Buffer.byteLength(c.data, 'utf8') <= 64;
    if (!fits) log?.warn({ bytes: Buffer.byteLength(c.data, 'utf8') }, 'telegram.choice_data_too_long');
    return fits;
  });
  const button = (c: Choice) => ({ text: c.label.slice(0, 64) || c.data, callback_data: c.data });
  if (usable.length === 0) return null;
  if (usable.some((c) => c.row !== undefined)) {
    const rows = new Map<number, Array<ReturnType<typeof button>>>();
    for (const [i, c] of usable.entries()) {
      const key = c.row ?? 1_000 + i;
      rows.set(key, [...(rows.get(key) ?? []), button(c)]);
    }
    return { inline_keyboard: [...rows.entries()].sort((a, b) => a[0] - b[0]).map(([, r]) => r) };
  }
  const buttons = usable.map(button);
  const compact = buttons.length <= 3 && buttons.every((b) => b.text.length <= 16);
  return { inline_keyboard: compact ? [buttons] : buttons.map((b) => [b]) };
}

/** Splits a text into parts of at most `max` characters, at line breaks where it can. */
export function splitMessage(text: string, max: number): string[] {
  const body = text.trim().length === 0 ? '…' : text;
  if (body.length <= max) return [body];
  const parts: string[] = [];
  let rest = body;
  while (rest.length > max) {
    let cut = rest.lastIndexOf('\n', max);
    if (cut < max / 2) cut = max;
    parts.push(rest.slice(0, cut));
    rest = rest.slice(cut).replace(/^\n/, '');
  }
  if (rest.length > 0) parts.push(rest);
  return parts;
}

function updateIdOf(update: unknown): number | null {
  const id = (update as { update_id?: unknown } | null)?.update_id;
  return typeof id === 'number' && Number.isSafeInteger(id) ? id : null;
}

function providerIdOf(updateId: number): string {
  return `tg:update:${updateId}`;
}
