// A fake Telegram Bot API server on 127.0.0.1 for end-to-end tests and benchmarks. The real bot
// talks to it through TELEGRAM_API_ROOT. It answers getMe, getUpdates (long polling, offsets
// confirmed as Telegram does), sendMessage, sendDocument, editMessageText,
// editMessageReplyMarkup, answerCallbackQuery, setMyCommands, setWebhook, deleteWebhook,
// getWebhookInfo, getFile and file downloads at /file/bot<token>/<path>; it checks what Telegram
// checks (text length, callback data of 1-64 bytes, the message to edit), records every call,
// and can be told to fail calls (a 429 with retry_after, a 403 "blocked by the user") or answer
// them slowly. With a webhook set it posts each update there, with the secret header, one chat
// in order and chats concurrently, resending on a non-2xx answer, as Telegram does.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';

export const FAKE_TOKEN = '123456789:AAFakeTokenForTestsOnly_abcdefghijklm';

export interface FakeUser {
  id: number;
  first_name: string;
  last_name?: string;
  language_code?: string;
}

export interface InlineButton {
  text: string;
  callback_data?: string;
}

export interface BotMessage {
  chatId: number;
  messageId: number;
  text: string;
  buttons: InlineButton[][];
  document: { fileName: string; content: string } | null;
  /** performance.now() when the bot sent it (and, for each later edit, when it was edited). */
  at: number;
  edits: number[];
}

export interface ApiCall {
  method: string;
  params: Record<string, unknown>;
  at: number;
}

export interface ApiFailure {
  error_code: number;
  description: string;
  parameters?: { retry_after?: number };
}

interface FailureRule {
  method: string;
  match: (params: Record<string, unknown>) => boolean;
  remaining: number;
  response: ApiFailure;
}

interface DelayRule {
  method: string;
  match: (params: Record<string, unknown>) => boolean;
  ms: number;
  /** Held until this resolves (instead of `ms`). */
  until?: Promise<void>;
}

interface PendingPoll {
  offset: number;
  limit: number;
  respond: (updates: unknown[]) => void;
}

export interface FakeTelegramOptions {
  token?: string;
  username?: string;
  /** Record every call in `calls` (benchmarks turn it off). Default true. */
  record?: boolean;
  /** Longest a getUpdates may wait, whatever timeout the bot asks for (default 1 s, so stopping is quick). */
  maxPollMs?: number;
}

export class FakeTelegram {
  readonly token: string;
  readonly username: string;
  readonly botId = 777_000_001;
  readonly calls: ApiCall[] = [];
  /** Every message the bot sent, in order. */
  readonly messages: BotMessage[] = [];
  /** Menus set with setMyCommands, by language code ('' for the default). */
  readonly commands = new Map<string, Array<{ command: string; description: string }>>();
  webhook: { url: string; secret: string | null; allowedUpdates: unknown } | null = null;
  /** performance.now() when each update was handed to the bot (in a getUpdates answer, or a webhook post). */
  readonly deliveredAt = new Map<number, number>();
  /** How many times each update was handed to the bot. */
  readonly deliveries = new Map<number, number>();
  /** Webhook posts: update, HTTP status (0: no answer), how long the bot took to answer. */
  readonly webhookPosts: Array<{ updateId: number; status: number; ms: number }> = [];
  /** Called on every sendMessage / editMessageText / sendDocument, with the message as it now is. */
  onBotMessage: ((message: BotMessage) => void) | null = null;

  private server!: Server;
  private port = 0;
  private readonly record: boolean;
  private readonly maxPollMs: number;
  private nextUpdateId = 5_000;
  private readonly queue: Array<{ update_id: number } & Record<string, unknown>> = [];
  /** Updates to deliver once more, whatever the offset. */
  private readonly again: Array<{ update_id: number } & Record<string, unknown>> = [];
  private readonly polls = new Set<PendingPoll>();
  private readonly chatMessageIds = new Map<number, number>();
  private readonly byChat = new Map<number, Map<number, BotMessage>>();
  private readonly files = new Map<string, { path: string; content: Buffer }>();
  private readonly failures: FailureRule[] = [];
  private readonly delays: DelayRule[] = [];
  private readonly blocked = new Set<number>();
  private readonly webhookChains = new Map<string, Promise<void>>();

  private constructor(options: FakeTelegramOptions) {
    this.token = options.token ?? FAKE_TOKEN;
    this.username = options.username ?? 'paynudge_test_bot';
    this.record = options.record ?? true;
    this.maxPollMs = options.maxPollMs ?? 1_000;
  }

  static async start(options: FakeTelegramOptions = {}): Promise<FakeTelegram> {
    const fake = new FakeTelegram(options);
    fake.server = createServer((req, res) => void fake.route(req, res));
    fake.server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    fake.port = (fake.server.address() as AddressInfo).port;
    return fake;
  }

  /** TELEGRAM_API_ROOT for the bot. */
  get apiRoot(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async stop(): Promise<void> {
    for (const poll of this.polls) poll.respond([]);
    this.polls.clear();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // -------------------------------------------------------------------------------------------
  // Playing people

  /**
   * Queues an update (any shape: tests send malformed ones too) and returns its update_id. Ids
   * only grow, as Telegram's do: a given update_id is kept only when it is the next one or later.
   */
  pushUpdate(update: Record<string, unknown>): number {
    const given = update.update_id;
    const updateId = typeof given === 'number' && given >= this.nextUpdateId ? given : this.nextUpdateId;
    this.nextUpdateId = updateId + 1;
    const full = { ...update, update_id: updateId };
    if (this.webhook) this.postToWebhook(full);
    else {
      this.queue.push(full);
      this.wakePolls();
    }
    return updateId;
  }

  /**
   * Delivers an update again, whatever the bot confirmed: what a bot sees when it stopped after
   * fetching updates and before confirming them, or when a webhook answer was lost.
   */
  redeliver(update: Record<string, unknown> & { update_id: number }): void {
    if (this.webhook) return this.postToWebhook(update);
    this.again.push(update);
    this.wakePolls();
  }

  private newMessageId(chatId: number): number {
    const id = (this.chatMessageIds.get(chatId) ?? 0) + 1;
    this.chatMessageIds.set(chatId, id);
    return id;
  }

  /** A private-chat message object from a person. */
  userMessage(user: FakeUser, fields: Record<string, unknown>): Record<string, unknown> {
    return {
      message_id: this.newMessageId(user.id),
      date: Math.floor(Date.now() / 1000),
      chat: { id: user.id, type: 'private', first_name: user.first_name, ...(user.last_name ? { last_name: user.last_name } : {}) },
      from: { id: user.id, is_bot: false, first_name: user.first_name, ...(user.last_name ? { last_name: user.last_name } : {}), ...(user.language_code ? { language_code: user.language_code } : {}) },
      ...fields,
    };
  }

  /** A person sends a text; returns the update. */
  text(user: FakeUser, text: string): { update_id: number } & Record<string, unknown> {
    const update = { message: this.userMessage(user, { text, ...(text.startsWith('/') ? { entities: [{ type: 'bot_command', offset: 0, length: text.split(/\s/)[0]!.length }] } : {}) }) };
    return { ...update, update_id: this.pushUpdate(update) };
  }

  /** A person taps a button of one of the bot's messages; returns the update. */
  tap(user: FakeUser, message: BotMessage, label: string): { update_id: number } & Record<string, unknown> {
    const button = message.buttons.flat().find((b) => b.text === label);
    if (!button?.callback_data) throw new Error(`no button "${label}" on message ${message.messageId}: ${JSON.stringify(message.buttons)}`);
    const update = {
      callback_query: {
        id: randomUUID(),
        from: { id: user.id, is_bot: false, first_name: user.first_name },
        chat_instance: String(user.id),
        message: {
          message_id: message.messageId,
          date: Math.floor(Date.now() / 1000),
          chat: { id: message.chatId, type: 'private', first_name: user.first_name },
          from: { id: this.botId, is_bot: true, first_name: 'Paynudge', username: this.username },
          text: message.text,
          reply_markup: { inline_keyboard: message.buttons },
        },
        data: button.callback_data,
      },
    };
    return { ...update, update_id: this.pushUpdate(update) };
  }

  /** A person sends a file; returns the update. */
  document(user: FakeUser, fileName: string, content: string | Buffer, options: { mimeType?: string; caption?: string; size?: number } = {}): { update_id: number } & Record<string, unknown> {
    const fileId = this.addFile(content, `documents/${fileName}`);
    const buffer = this.files.get(fileId)!.content;
    const update = {
      message: this.userMessage(user, {
        document: { file_id: fileId, file_unique_id: `u${fileId}`, file_name: fileName, mime_type: options.mimeType ?? 'text/csv', file_size: options.size ?? buffer.length },
        ...(options.caption ? { caption: options.caption } : {}),
      }),
    };
    return { ...update, update_id: this.pushUpdate(update) };
  }

  addFile(content: string | Buffer, path: string): string {
    const fileId = `file-${randomUUID()}`;
    this.files.set(fileId, { path: `${path}-${fileId.slice(5, 13)}`, content: Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8') });
    return fileId;
  }

  // -------------------------------------------------------------------------------------------
  // What the bot did

  messagesTo(chatId: number): BotMessage[] {
    return this.messages.filter((m) => m.chatId === chatId);
  }

  callsOf(method: string): Array<Record<string, unknown>> {
    return this.calls.filter((c) => c.method === method).map((c) => c.params);
  }

  /** Resolves when `probe` returns something other than undefined (checked every 5 ms). */
  async waitFor<T>(probe: () => T | undefined | false, timeoutMs = 5_000, what = 'a condition'): Promise<T> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const value = probe();
      if (value !== undefined && value !== false) return value;
      if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  /** Sends a text as `user` and waits for the bot's next message to them. */
  async say(user: FakeUser, text: string): Promise<BotMessage> {
    const before = this.messagesTo(user.id).length;
    this.text(user, text);
    return this.nextMessage(user.id, before);
  }

  /** Waits for the n-th message (counting from `since`, 1-based) the bot sends to a chat. */
  async nextMessage(chatId: number, since: number, timeoutMs = 5_000): Promise<BotMessage> {
    return this.waitFor(() => this.messagesTo(chatId)[since], timeoutMs, `message ${since + 1} to chat ${chatId}`);
  }

  // -------------------------------------------------------------------------------------------
  // Misbehaving

  /** The next `times` calls of `method` (matching `match`) fail with this answer. */
  fail(method: string, response: ApiFailure, options: { times?: number; match?: (params: Record<string, unknown>) => boolean } = {}): void {
    this.failures.push({ method, match: options.match ?? (() => true), remaining: options.times ?? 1, response });
  }

  /** Calls of `method` (matching `match`) are answered after `ms`. Returns a function that removes the rule. */
  slow(method: string, ms: number, match: (params: Record<string, unknown>) => boolean = () => true): () => void {
    const rule = { method, match, ms };
    this.delays.push(rule);
    return () => this.delays.splice(this.delays.indexOf(rule), 1);
  }

  /** Calls of `method` (matching `match`) wait until the returned function is called, which answers them all and removes the rule. */
  hold(method: string, match: (params: Record<string, unknown>) => boolean = () => true): () => void {
    let release!: () => void;
    const rule: DelayRule = { method, match, ms: 0, until: new Promise<void>((resolve) => (release = resolve)) };
    this.delays.push(rule);
    return () => {
      this.delays.splice(this.delays.indexOf(rule), 1);
      release();
    };
  }

  /** From now on, sends to this person fail with 403 "bot was blocked by the user". */
  blockBy(user: FakeUser): void {
    this.blocked.add(user.id);
  }

  // -------------------------------------------------------------------------------------------
  // The HTTP side

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const file = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
    if (file && req.method === 'GET') {
      if (file[1] !== this.token) return this.reply(res, 401, { ok: false, error_code: 401, description: 'Unauthorized' });
      const found = [...this.files.values()].find((f) => f.path === decodeURIComponent(file[2]!));
      if (!found) return this.reply(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': found.content.length });
      res.end(found.content);
      return;
    }
    const api = /^\/bot([^/]+)\/(\w+)$/.exec(url.pathname);
    if (!api) return this.reply(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
    if (api[1] !== this.token) return this.reply(res, 401, { ok: false, error_code: 401, description: 'Unauthorized' });
    const method = api[2]!;
    let params: Record<string, unknown>;
    try {
      params = await readParams(req, url);
    } catch {
      return this.reply(res, 400, { ok: false, error_code: 400, description: 'Bad Request: cannot parse the request' });
    }
    const at = performance.now();
    if (this.record) this.calls.push({ method, params, at });
    const delay = this.delays.find((d) => d.method === method && d.match(params));
    if (delay) await (delay.until ?? new Promise((resolve) => setTimeout(resolve, delay.ms)));
    const failure = this.failures.find((f) => f.method === method && f.remaining > 0 && f.match(params));
    if (failure) {
      failure.remaining -= 1;
      return this.reply(res, failure.response.error_code, { ok: false, ...failure.response });
    }
    if (method === 'getUpdates') return this.getUpdates(params, res);
    const answer = this.answer(method, params, at);
    if ('error_code' in answer) return this.reply(res, answer.error_code, { ok: false, ...answer });
    this.reply(res, 200, { ok: true, result: answer.result });
  }

  private reply(res: ServerResponse, status: number, body: unknown): void {
    if (res.headersSent || res.destroyed) return;
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  }

  private answer(method: string, p: Record<string, unknown>, at: number): { result: unknown } | ApiFailure {
    const chatId = Number(p.chat_id);
    switch (method) {
      case 'getMe':
        return { result: { id: this.botId, is_bot: true, first_name: 'Paynudge', username: this.username, can_join_groups: false, can_read_all_group_messages: false, supports_inline_queries: false } };
      case 'setMyCommands': {
        const commands = p.commands as Array<{ command: string; description: string }>;
        if (!Array.isArray(commands) || commands.some((c) => !/^[a-z0-9_]{1,32}$/.test(c.command) || !c.description || c.description.length > 256)) {
          return { error_code: 400, description: 'Bad Request: BOT_COMMAND_INVALID' };
        }
        this.commands.set(String(p.language_code ?? ''), commands);
        return { result: true };
      }
      case 'setWebhook': {
        const secret = p.secret_token === undefined ? null : String(p.secret_token);
        if (secret !== null && !/^[A-Za-z0-9_-]{1,256}$/.test(secret)) return { error_code: 400, description: 'Bad Request: secret token contains unallowed characters' };
        this.webhook = { url: String(p.url), secret, allowedUpdates: p.allowed_updates };
        // Updates queued while polling go to the webhook from now on.
        for (const update of this.queue.splice(0)) this.postToWebhook(update);
        return { result: true };
      }
      case 'deleteWebhook':
        this.webhook = null;
        if (p.drop_pending_updates) this.queue.length = 0;
        return { result: true };
      case 'getWebhookInfo':
        return { result: { url: this.webhook?.url ?? '', has_custom_certificate: false, pending_update_count: this.queue.length } };
      case 'sendMessage':
      case 'sendDocument': {
        if (!Number.isSafeInteger(chatId)) return { error_code: 400, description: 'Bad Request: chat not found' };
        if (this.blocked.has(chatId)) return { error_code: 403, description: 'Forbidden: bot was blocked by the user' };
        const text = method === 'sendMessage' ? String(p.text ?? '') : String(p.caption ?? '');
        if (method === 'sendMessage' && text.trim().length === 0) return { error_code: 400, description: 'Bad Request: message text is empty' };
        if (text.length > (method === 'sendMessage' ? 4096 : 1024)) return { error_code: 400, description: method === 'sendMessage' ? 'Bad Request: message is too long' : 'Bad Request: message caption is too long' };
        const buttons = keyboardOf(p.reply_markup);
        if (buttons === 'invalid') return { error_code: 400, description: 'Bad Request: BUTTON_DATA_INVALID' };
        const document = method === 'sendDocument' ? (p.document as { fileName: string; content: string } | undefined) : null;
        if (method === 'sendDocument' && !document) return { error_code: 400, description: 'Bad Request: there is no document in the request' };
        const message: BotMessage = { chatId, messageId: this.newMessageId(chatId), text, buttons, document: document ?? null, at, edits: [] };
        this.messages.push(message);
        let chat = this.byChat.get(chatId);
        if (!chat) this.byChat.set(chatId, (chat = new Map()));
        chat.set(message.messageId, message);
        this.onBotMessage?.(message);
        return { result: this.messageObject(message) };
      }
      case 'editMessageText':
      case 'editMessageReplyMarkup': {
        const message = this.byChat.get(chatId)?.get(Number(p.message_id));
        if (!message) return { error_code: 400, description: 'Bad Request: message to edit not found' };
        const text = method === 'editMessageText' ? String(p.text ?? '') : message.text;
        if (text.length > 4096) return { error_code: 400, description: 'Bad Request: MESSAGE_TOO_LONG' };
        const buttons = keyboardOf(p.reply_markup);
        if (buttons === 'invalid') return { error_code: 400, description: 'Bad Request: BUTTON_DATA_INVALID' };
        if (text === message.text && JSON.stringify(buttons) === JSON.stringify(message.buttons)) {
          return { error_code: 400, description: 'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message' };
        }
        message.text = text;
        message.buttons = buttons;
        message.edits.push(at);
        this.onBotMessage?.(message);
        return { result: this.messageObject(message) };
      }
      case 'answerCallbackQuery':
        return typeof p.callback_query_id === 'string' ? { result: true } : { error_code: 400, description: 'Bad Request: query is too old and response timeout expired or query ID is invalid' };
      case 'getFile': {
        const file = this.files.get(String(p.file_id));
        if (!file) return { error_code: 400, description: 'Bad Request: invalid file_id' };
        return { result: { file_id: p.file_id, file_unique_id: `u${String(p.file_id)}`, file_size: file.content.length, file_path: file.path } };
      }
      default:
        return { error_code: 404, description: 'Not Found: method not found' };
    }
  }

  private messageObject(message: BotMessage): Record<string, unknown> {
    return {
      message_id: message.messageId,
      date: Math.floor(Date.now() / 1000),
      chat: { id: message.chatId, type: 'private' },
      from: { id: this.botId, is_bot: true, first_name: 'Paynudge', username: this.username },
      ...(message.document ? { document: { file_id: `sent-${message.messageId}`, file_unique_id: `s${message.messageId}`, file_name: message.document.fileName }, caption: message.text } : { text: message.text }),
      ...(message.buttons.length ? { reply_markup: { inline_keyboard: message.buttons } } : {}),
    };
  }

  // -------------------------------------------------------------------------------------------
  // Delivering updates

  private getUpdates(p: Record<string, unknown>, res: ServerResponse): void {
    if (this.webhook) return this.reply(res, 409, { ok: false, error_code: 409, description: "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first" });
    const offset = Number(p.offset ?? 0);
    const limit = Math.min(100, Math.max(1, Number(p.limit ?? 100)));
    // Updates before the offset are confirmed: Telegram forgets them.
    while (this.queue.length && this.queue[0]!.update_id < offset) this.queue.shift();
    const wait = { timer: undefined as NodeJS.Timeout | undefined };
    const poll: PendingPoll = {
      offset,
      limit,
      respond: (updates) => {
        this.polls.delete(poll);
        clearTimeout(wait.timer);
        const now = performance.now();
        for (const u of updates) {
          const id = (u as { update_id: number }).update_id;
          if (!this.deliveredAt.has(id)) this.deliveredAt.set(id, now);
          this.deliveries.set(id, (this.deliveries.get(id) ?? 0) + 1);
        }
        this.reply(res, 200, { ok: true, result: updates });
      },
    };
    const ready = this.ready(offset, limit);
    if (ready.length) return poll.respond(ready);
    wait.timer = setTimeout(() => poll.respond([]), Math.min(this.maxPollMs, Math.max(0, Number(p.timeout ?? 0)) * 1000));
    this.polls.add(poll);
    res.on('close', () => {
      if (this.polls.has(poll)) {
        this.polls.delete(poll);
        clearTimeout(wait.timer);
      }
    });
  }

  private ready(offset: number, limit: number): Array<Record<string, unknown>> {
    const again = this.again.splice(0, limit);
    return [...again, ...this.queue.filter((u) => u.update_id >= offset).slice(0, limit - again.length)];
  }

  private wakePolls(): void {
    for (const poll of [...this.polls]) {
      const ready = this.ready(poll.offset, poll.limit);
      if (ready.length) poll.respond(ready);
    }
  }

  /** Posts an update to the webhook after the chat's earlier ones were answered; resends on a non-2xx answer. */
  private postToWebhook(update: { update_id: number } & Record<string, unknown>): void {
    const key = chatOf(update);
    const previous = this.webhookChains.get(key) ?? Promise.resolve();
    const next = previous.then(async () => {
      for (let attempt = 1; attempt <= 5 && this.webhook; attempt++) {
        const status = await this.postOnce(update, this.webhook.secret);
        if (status >= 200 && status < 300) return;
        await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
      }
    });
    this.webhookChains.set(key, next);
  }

  /** One webhook post of an update with the given secret (null: none); resolves with the HTTP status (0: no answer). */
  async postOnce(update: Record<string, unknown>, secret: string | null, url = this.webhook?.url): Promise<number> {
    if (!url) throw new Error('no webhook set');
    const started = performance.now();
    const updateId = Number(update.update_id);
    if (!this.deliveredAt.has(updateId)) this.deliveredAt.set(updateId, started);
    this.deliveries.set(updateId, (this.deliveries.get(updateId) ?? 0) + 1);
    let status = 0;
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(secret !== null ? { 'x-telegram-bot-api-secret-token': secret } : {}) },
        body: JSON.stringify(update),
        signal: AbortSignal.timeout(10_000),
      });
      status = response.status;
      await response.arrayBuffer();
    } catch {
      status = 0;
    }
    this.webhookPosts.push({ updateId, status, ms: performance.now() - started });
    return status;
  }
}

function chatOf(update: Record<string, unknown>): string {
  const message = update.message as { chat?: { id?: unknown } } | undefined;
  const callback = update.callback_query as { message?: { chat?: { id?: unknown } }; from?: { id?: unknown } } | undefined;
  const id = message?.chat?.id ?? callback?.message?.chat?.id ?? callback?.from?.id;
  return id === undefined ? `update:${String(update.update_id)}` : String(id);
}

/** Inline keyboard buttons, or 'invalid' when a button's callback data is not 1-64 bytes. */
function keyboardOf(markup: unknown): InlineButton[][] | 'invalid' {
  const parsed = typeof markup === 'string' ? (JSON.parse(markup) as unknown) : markup;
  const rows = (parsed as { inline_keyboard?: unknown } | undefined)?.inline_keyboard;
  if (!Array.isArray(rows)) return [];
  const out: InlineButton[][] = [];
  for (const row of rows as Array<Array<{ text: string; callback_data?: string }>>) {
    for (const button of row) {
      if (button.callback_data !== undefined && (button.callback_data.length === 0 || Buffer.byteLength(button.callback_data, 'utf8') > 64)) return 'invalid';
    }
    if (row.length) out.push(row.map((b) => ({ text: b.text, ...(b.callback_data !== undefined ? { callback_data: b.callback_data } : {}) })));
  }
  return out;
}

const JSON_FIELDS = new Set(['reply_markup', 'allowed_updates', 'commands', 'link_preview_options', 'entities', 'caption_entities']);

async function readParams(req: IncomingMessage, url: URL): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  const params: Record<string, unknown> = Object.fromEntries(url.searchParams);
  const type = req.headers['content-type'] ?? '';
  if (body.length === 0) return params;
  if (type.startsWith('application/json')) return { ...params, ...(JSON.parse(body.toString('utf8')) as Record<string, unknown>) };
  if (type.startsWith('multipart/form-data')) {
    const boundary = /boundary=("?)([^";]+)\1/.exec(type)?.[2];
    if (!boundary) throw new Error('multipart without a boundary');
    for (const part of parseMultipart(body, boundary)) {
      params[part.name] = part.fileName !== null ? { fileName: part.fileName, content: part.content.toString('utf8') } : JSON_FIELDS.has(part.name) ? (JSON.parse(part.content.toString('utf8')) as unknown) : part.content.toString('utf8');
    }
    // grammY sends a file field under a random name and refers to it as attach://<name>.
    for (const [key, value] of Object.entries(params)) {
      if (typeof value === 'string' && value.startsWith('attach://')) params[key] = params[value.slice('attach://'.length)];
    }
    return params;
  }
  if (type.startsWith('application/x-www-form-urlencoded')) return { ...params, ...Object.fromEntries(new URLSearchParams(body.toString('utf8'))) };
  return params;
}

/**
 * multipart/form-data as Telegram reads it. Telegram is lenient (grammY writes "name:value"
 * headers and unquoted file names, which undici's strict parser refuses), so this is too.
 */
function parseMultipart(body: Buffer, boundary: string): Array<{ name: string; fileName: string | null; content: Buffer }> {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: Array<{ name: string; fileName: string | null; content: Buffer }> = [];
  let at = body.indexOf(delimiter);
  while (at >= 0) {
    const start = at + delimiter.length;
    if (body.subarray(start, start + 2).toString() === '--') break;
    const next = body.indexOf(delimiter, start);
    if (next < 0) break;
    const chunk = body.subarray(start + 2, next - 2); // after the CRLF that ends the delimiter line, before the CRLF that precedes the next
    const split = chunk.indexOf('\r\n\r\n');
    const head = chunk.subarray(0, split).toString('utf8');
    const disposition = head.split('\r\n').find((l) => /^content-disposition\s*:/i.test(l)) ?? '';
    const name = /\bname\s*=\s*(?:"([^"]*)"|([^;\s]+))/i.exec(disposition);
    const fileName = /\bfilename\s*=\s*(?:"([^"]*)"|([^;\s]+))/i.exec(disposition);
    if (name) parts.push({ name: name[1] ?? name[2]!, fileName: fileName ? (fileName[1] ?? fileName[2]!) : null, content: chunk.subarray(split + 4) });
    at = next;
  }
  return parts;
}
