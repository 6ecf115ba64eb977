// Reading Telegram updates at the edge: each update is validated with zod and turned into one
// event the channel acts on (a text or file from a private chat, a button tapped) or an "ignored"
// with the reason. Anything unexpected (new update types, missing fields, groups, channels,
// edits, other bots) is ignored, never thrown. Pure: no I/O.
import { z } from 'zod';

/** Longer texts are cut here (Telegram's own limit is 4,096); the conversation refuses over-long messages politely. */
export const MAX_INBOUND_TEXT = 8_192;

/** The update types the bot asks Telegram for (others are ignored should they come). */
export const ALLOWED_UPDATES = ['message', 'callback_query'] as const;

const user = z.object({
  id: z.number().int(),
  is_bot: z.boolean().optional(),
  first_name: z.string().optional(),
  last_name: z.string().optional(),
});
const chat = z.object({ id: z.number().int(), type: z.string() });
const document = z.object({
  file_id: z.string().min(1).max(512),
  file_name: z.string().optional(),
  mime_type: z.string().optional(),
  file_size: z.number().int().nonnegative().optional(),
});
const message = z.object({
  message_id: z.number().int(),
  date: z.number().int().nonnegative(),
  chat,
  from: user.optional(),
  text: z.string().optional(),
  caption: z.string().optional(),
  document: document.optional(),
});
const callbackQuery = z.object({
  id: z.string().min(1).max(256),
  from: user,
  message: z.object({ message_id: z.number().int(), chat, text: z.string().optional() }).optional(),
  data: z.string().optional(),
});
/** The fields the bot reads; other fields and unknown update types pass validation and are ignored. */
const update = z.object({
  update_id: z.number().int().nonnegative(),
  message: z.unknown().optional(),
  callback_query: z.unknown().optional(),
});

/** Callback data the bot accepts back: what it put on its buttons (Telegram allows 1–64 bytes). */
const callbackData = z
  .string()
  .min(1)
  .refine((s) => Buffer.byteLength(s, 'utf8') <= 64);

export interface IncomingDocument {
  fileId: string;
  fileName: string;
  mimeType: string | null;
  size: number | null;
}

export type TelegramEvent =
  | { kind: 'message'; updateId: number; chatId: number; messageId: number; date: Date; text: string; senderName: string | undefined; document: IncomingDocument | null }
  | { kind: 'callback'; updateId: number; chatId: number; callbackId: string; data: string; messageId: number; messageText: string | null; senderName: string | undefined }
  | { kind: 'ignored'; updateId: number | null; reason: string; callbackId?: string };

/** The key that keeps one chat's updates in order (undefined: no chat, handled on its own). */
export function chatKeyOf(raw: unknown): string | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  for (const field of ['message', 'edited_message', 'callback_query', 'my_chat_member']) {
    const value = (raw as Record<string, unknown>)[field];
    if (typeof value !== 'object' || value === null) continue;
    const holder = field === 'callback_query' ? (value as { message?: unknown; from?: unknown }) : value;
    const chatId = (holder as { message?: { chat?: { id?: unknown } } }).message?.chat?.id ?? (holder as { chat?: { id?: unknown } }).chat?.id ?? (holder as { from?: { id?: unknown } }).from?.id;
    if (typeof chatId === 'number' && Number.isFinite(chatId)) return String(chatId);
  }
  return undefined;
}

function nameOf(from: z.infer<typeof user> | undefined): string | undefined {
  if (!from) return undefined;
  const name = [from.first_name, from.last_name].filter(Boolean).join(' ').trim();
  return name ? name.slice(0, 120) : undefined;
}

const COMMAND_WORDS: Record<string, string> = {
  help: 'help',
  add: 'add',
  list: 'list',
  followup: 'follow up',
  follow_up: 'follow up',
  summary: 'summary',
  reminders: 'reminders',
  link: 'link',
  import: 'import',
  export: 'export',
  settings: 'settings',
  team: 'team',
  undo: 'undo',
  cancel: 'cancel',
  hindi: 'hindi',
  english: 'english',
};

/**
 * A bot command as the words the conversation understands: "/followup" → "follow up",
 * "/link@paynudge_bot Ramesh" → "link Ramesh". "/start" (with a link's token or not) passes as it
 * is: the conversation reads it. Text that is no command is returned unchanged.
 */
export function commandAsWords(text: string): string {
  const m = /^\/([A-Za-z0-9_]{1,32})(?:@\w+)?(?:\s+([\s\S]*))?$/.exec(text.trim());
  if (!m) return text;
  const command = m[1]!.toLowerCase();
  const rest = (m[2] ?? '').trim();
  if (command === 'start') return rest ? `/start ${rest}` : '/start';
  const words = COMMAND_WORDS[command] ?? command.replace(/_/g, ' ');
  return rest ? `${words} ${rest}` : words;
}

/** Validates one update and says what to do with it. Never throws. */
export function readUpdate(raw: unknown): TelegramEvent {
  const parsed = update.safeParse(raw);
  if (!parsed.success) return { kind: 'ignored', updateId: null, reason: 'malformed update' };
  const updateId = parsed.data.update_id;

  if (parsed.data.callback_query !== undefined) {
    const cb = callbackQuery.safeParse(parsed.data.callback_query);
    if (!cb.success) {
      const id = (parsed.data.callback_query as { id?: unknown } | null)?.id;
      return { kind: 'ignored', updateId, reason: 'malformed callback query', ...(typeof id === 'string' && id ? { callbackId: id } : {}) };
    }
    const { id, from, message: source, data } = cb.data;
    // A button on an inline-mode message or in a group, or a game: not the bot's private conversation.
    if (!source || source.chat.type !== 'private') return { kind: 'ignored', updateId, reason: 'callback outside a private chat', callbackId: id };
    if (from.is_bot) return { kind: 'ignored', updateId, reason: 'from a bot', callbackId: id };
    const checked = callbackData.safeParse(data);
    if (!checked.success) return { kind: 'ignored', updateId, reason: 'bad callback data', callbackId: id };
    return { kind: 'callback', updateId, chatId: source.chat.id, callbackId: id, data: checked.data, messageId: source.message_id, messageText: source.text ?? null, senderName: nameOf(from) };
  }

  if (parsed.data.message !== undefined) {
    const msg = message.safeParse(parsed.data.message);
    if (!msg.success) return { kind: 'ignored', updateId, reason: 'malformed message' };
    const { chat: where, from, text, caption, document: doc } = msg.data;
    if (where.type !== 'private') return { kind: 'ignored', updateId, reason: `message in a ${where.type.slice(0, 20)} chat` };
    if (from?.is_bot) return { kind: 'ignored', updateId, reason: 'from a bot' };
    const raw = (text ?? caption ?? '').slice(0, MAX_INBOUND_TEXT);
    return {
      kind: 'message',
      updateId,
      chatId: where.id,
      messageId: msg.data.message_id,
      date: new Date(msg.data.date * 1000),
      text: text !== undefined ? commandAsWords(raw) : raw,
      senderName: nameOf(from),
      document: doc ? { fileId: doc.file_id, fileName: (doc.file_name ?? 'file').slice(0, 200), mimeType: doc.mime_type ?? null, size: doc.file_size ?? null } : null,
    };
  }

  const kinds = Object.keys(raw as object).filter((k) => k !== 'update_id');
  return { kind: 'ignored', updateId, reason: `update of type ${kinds[0]?.slice(0, 40) ?? 'none'}` };
}

/** Whether a sent file is one the bot can read as text (a CSV to import). */
export function isTextFile(document: IncomingDocument): boolean {
  const mime = (document.mimeType ?? '').toLowerCase();
  // Windows sends CSV files as application/vnd.ms-excel.
  return /\.(csv|tsv|txt)$/i.test(document.fileName) || mime.startsWith('text/') || mime === 'application/csv' || mime === 'application/vnd.ms-excel';
}
