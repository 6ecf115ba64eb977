// Reads what an owner types into a command, or into a precise complaint about one field.
// Pure: the caller passes today's date in the business's time zone.
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { parseAmount } from './amount.ts';
import { addDays, daysBetween, type CalendarDate } from './calendar.ts';
import type { Language } from './money.ts';
import { resolveDateExpression } from './when.ts';

export const MAX_MESSAGE_LENGTH = 1000;

export interface InvoiceDraft {
  debtorName?: string;
  /** Major units as typed (12500.5); converted to minor units with the business's currency. */
  amount?: number;
  amountText?: string;
  dueOn?: CalendarDate;
  number?: string;
  /** E.164. */
  phone?: string;
}

export type FieldProblem =
  | { field: 'amount'; reason: 'malformed' | 'not_positive' | 'too_large'; got: string }
  | { field: 'due'; reason: 'invalid'; got: string }
  | { field: 'phone'; reason: 'invalid'; got: string };

export type PauseTarget = { invoiceNumber: string } | { debtorName: string };

export type SettingChange =
  | { key: 'currency'; value: string }
  | { key: 'timezone'; value: string }
  | { key: 'language'; value: Language }
  | { key: 'digest'; hour: number }
  | { key: 'quiet'; startHour: number; endHour: number }
  | { key: 'upi'; value: string | null }
  | { key: 'payment_details'; value: string | null }
  | { key: 'approval'; mode: 'approve' | 'auto' }
  | { key: 'terms'; days: number }
  | { key: 'send_days'; days: number[] }
  | { key: 'thanks'; enabled: boolean }
  | { key: 'ladder'; stage: string; offsetDays: number | null; tone: string | null }
  | { key: 'weight'; factor: string; value: number };

export interface PaymentDraft {
  debtorName: string;
  amount: number;
  amountText: string;
  invoiceNumber?: string;
  method?: string;
  reference?: string;
  receivedOn?: CalendarDate;
}

export type OwnerCommand =
  | { kind: 'help' }
  /** A page of open invoices (1 when absent); `next`: the page after the one last shown. */
  | { kind: 'list'; page?: number | 'next' }
  | { kind: 'cancel' }
  | { kind: 'yes' }
  | { kind: 'no' }
  | { kind: 'choose'; index: number }
  | { kind: 'language'; language: Language }
  | { kind: 'add'; draft: InvoiceDraft; natural: boolean }
  | { kind: 'edit_invoice'; number: string; amount?: number; amountText?: string; dueOn?: CalendarDate }
  | { kind: 'cancel_invoice'; number: string }
  | { kind: 'dispute_invoice'; number: string; reason: string }
  | { kind: 'resolve_dispute'; number: string }
  | { kind: 'payment'; draft: PaymentDraft }
  | { kind: 'undo' }
  | { kind: 'follow_up' }
  | { kind: 'summary' }
  | { kind: 'statement'; debtorName: string }
  | { kind: 'history'; target: string }
  | { kind: 'settings' }
  | { kind: 'set'; change: SettingChange }
  | { kind: 'invite_agent'; name: string }
  | { kind: 'join'; code: string }
  | { kind: 'assign'; debtorName: string; agentName: string }
  | { kind: 'unassign'; debtorName: string }
  | { kind: 'remove_agent'; name: string }
  | { kind: 'team' }
  | { kind: 'pause'; target: PauseTarget; until: CalendarDate | null; reason: string | null }
  | { kind: 'resume'; target: PauseTarget }
  | { kind: 'import'; text: string }
  | { kind: 'reminders' }
  | { kind: 'approve'; which: 'all' | number[] }
  | { kind: 'skip'; which: number[] }
  | { kind: 'snooze'; index: number; days: number }
  | { kind: 'edit_reminder'; index: number; text: string }
  | { kind: 'show_reminder'; index: number }
  | { kind: 'template'; stage: string; text: string | null }
  | { kind: 'export'; debtorName: string | null }
  | { kind: 'claims' }
  | { kind: 'confirm_claim'; number: number }
  | { kind: 'reject_claim'; number: number }
  | { kind: 'allow_messages'; debtorName: string }
  | { kind: 'debtor_link'; debtorName: string }
  | { kind: 'invalid'; problem: FieldProblem | CommandProblem }
  | { kind: 'unknown'; text: string };

/** A command recognised but not usable as typed: the reply explains the right form. */
export type CommandProblem = { field: 'usage'; command: UsageTopic } | { field: 'setting'; setting: BadSetting; got: string };
/** A setting named with a value it cannot take: the reply says what is wrong and shows a valid one. */
export type BadSetting = 'digest' | 'terms' | 'quiet' | 'quiet_same' | 'language' | 'approval' | 'send_days' | 'thanks';
export type UsageTopic = 'edit' | 'pause' | 'set' | 'assign' | 'payment' | 'dispute' | 'invite' | 'history' | 'statement' | 'ladder' | 'weight' | 'link';

export type TextScreen = { ok: true; text: string } | { ok: false; reason: 'too_long'; length: number } | { ok: false; reason: 'no_text' };

/** Rejects what no command can be: over-long messages and messages without a letter or digit. */
export function screenText(raw: string): TextScreen {
  const text = raw.replace(/[ \t]+/g, ' ').replace(/\s*\n\s*/g, '\n').trim();
  if (text.length > MAX_MESSAGE_LENGTH) return { ok: false, reason: 'too_long', length: text.length };
  if (!/[\p{L}\p{N}]/u.test(text)) return { ok: false, reason: 'no_text' };
  return { ok: true, text };
}

export interface CommandContext {
  today: CalendarDate;
  /** Two-letter country for reading local phone numbers ("98123 45678" in IN). */
  country: string;
}

const WORD_COMMANDS: Record<string, OwnerCommand> = {
  help: { kind: 'help' },
  '?': { kind: 'help' },
  madad: { kind: 'help' },
  मदद: { kind: 'help' },
  list: { kind: 'list' },
  invoices: { kind: 'list' },
  'list invoices': { kind: 'list' },
  'open invoices': { kind: 'list' },
  // Hinglish and Hindi: "सूची", "list dikhao", "sab bill dikhao".
  suchi: { kind: 'list' },
  soochi: { kind: 'list' },
  सूची: { kind: 'list' },
  'सूची दिखाओ': { kind: 'list' },
  'list dikhao': { kind: 'list' },
  'bill dikhao': { kind: 'list' },
  'sab bill dikhao': { kind: 'list' },
  'सारे बिल': { kind: 'list' },
  'बिल दिखाओ': { kind: 'list' },
  cancel: { kind: 'cancel' },
  रद्द: { kind: 'cancel' },
  hindi: { kind: 'language', language: 'hi' },
  हिंदी: { kind: 'language', language: 'hi' },
  english: { kind: 'language', language: 'en' },
  angrezi: { kind: 'language', language: 'en' },
  yes: { kind: 'yes' },
  y: { kind: 'yes' },
  ok: { kind: 'yes' },
  okay: { kind: 'yes' },
  save: { kind: 'yes' },
  confirm: { kind: 'yes' },
  haan: { kind: 'yes' },
  ha: { kind: 'yes' },
  han: { kind: 'yes' },
  हाँ: { kind: 'yes' },
  हां: { kind: 'yes' },
  no: { kind: 'no' },
  n: { kind: 'no' },
  nahi: { kind: 'no' },
  nahin: { kind: 'no' },
  नहीं: { kind: 'no' },
  undo: { kind: 'undo' },
  'undo payment': { kind: 'undo' },
  'undo last payment': { kind: 'undo' },
  summary: { kind: 'summary' },
  report: { kind: 'summary' },
  hisab: { kind: 'summary' },
  hisaab: { kind: 'summary' },
  हिसाब: { kind: 'summary' },
  settings: { kind: 'settings' },
  setting: { kind: 'settings' },
  team: { kind: 'team' },
  agents: { kind: 'team' },
  export: { kind: 'export', debtorName: null },
  'export open': { kind: 'export', debtorName: null },
  'export invoices': { kind: 'export', debtorName: null },
  import: { kind: 'import', text: '' },
};

const FOLLOW_UP =
  /^(?:follow[\s-]?ups?(?: today)?|today|who (?:do i|should i|to) follow up(?: with)?(?: today)?\??|aaj kis(?:ko|se)[\w\s]*\??|kis(?:ko|se|e) (?:follow up|call|phone|fone|yaad)[\w\s]*\??|फॉलो अप|(?:आज )?किस(?:को|से|े) [\p{L}\p{M} ]*\??)$/iu;

// "list 2", "list page 2", "page 2", "invoices 3"; "more" / "next" continues the last list.
const LIST_PAGE = /^(?:(?:list|invoices|list invoices|open invoices)(?:\s+page)?|page)\s+(\d{1,4})$/iu;
const LIST_MORE = /^(?:more|next|next page|show more|aur|aur dikhao|और|आगे)$/iu;

/** Parses one screened message from an owner or agent. */
export function parseOwnerCommand(text: string, ctx: CommandContext): OwnerCommand {
  const trimmed = text.trim();
  const lower = trimmed.toLowerCase().replace(/[.!]+$/, '').trim();
  const exact = WORD_COMMANDS[lower];
  if (exact) return exact;
  if (/^\d{1,2}$/.test(lower)) return { kind: 'choose', index: Number(lower) };
  if (FOLLOW_UP.test(lower)) return { kind: 'follow_up' };
  const listPage = LIST_PAGE.exec(lower);
  if (listPage) return { kind: 'list', page: Math.max(1, Number(listPage[1])) };
  if (LIST_MORE.test(lower)) return { kind: 'list', page: 'next' };

  const firstLineEnd = trimmed.indexOf('\n');
  const head = firstLineEnd >= 0 ? trimmed.slice(0, firstLineEnd) : trimmed;
  if (/^import\b/i.test(head)) return { kind: 'import', text: trimmed.replace(/^import\b[:\s]*/i, '') };

  let m: RegExpExecArray | null;
  if ((m = /^(?:add|new|जोड़ो|jodo)\b\s*(.*)$/isu.exec(trimmed))) {
    const parsed = parseInvoiceFields(m[1] ?? '', ctx);
    return 'problem' in parsed ? { kind: 'invalid', problem: parsed.problem } : { kind: 'add', draft: parsed.draft, natural: false };
  }
  const approval = parseApprovalCommand(trimmed, ctx);
  if (approval) return approval;
  // Debtors' "paid already" claims and opt-outs.
  if (/^(?:claims|payment claims|paid claims)$/i.test(trimmed)) return { kind: 'claims' };
  if ((m = /^(?:confirm|accept|approve)\s+(?:claim\s+|payment\s+)?#?(\d{1,6})$/i.exec(trimmed))) return { kind: 'confirm_claim', number: Number(m[1]) };
  if ((m = /^(?:reject|deny|decline|not received)\s+(?:claim\s+|payment\s+)?#?(\d{1,6})$/i.exec(trimmed))) return { kind: 'reject_claim', number: Number(m[1]) };
  if ((m = /^(?:allow|unblock|opt\s*in)\s+(?:messages\s+(?:to|for)\s+|reminders\s+(?:to|for)\s+)?(.+)$/i.exec(trimmed))) return { kind: 'allow_messages', debtorName: m[1]!.trim() };
  if ((m = /^edit\s+(?:invoice\s+|bill\s+)?#?\s*(\S+)\s*(.*)$/i.exec(trimmed))) return parseEdit(m[1]!, m[2] ?? '', ctx);
  if (/^edit\b/i.test(trimmed)) return usage('edit');
  if ((m = /^remove\s+agent\s+(.+)$/i.exec(trimmed))) return { kind: 'remove_agent', name: m[1]!.trim() };
  if ((m = /^(?:cancel|delete|remove)\s+(?:invoice|bill)\s+#?\s*(\S+)$/i.exec(trimmed)) || (m = /^(?:cancel|delete)\s+#\s*(\S+)$/i.exec(trimmed))) {
    return { kind: 'cancel_invoice', number: stripNumber(m[1]!) };
  }
  if ((m = /^dispute\s+(?:invoice\s+|bill\s+)?#?\s*(\S+)\s*[:,-]?\s*(.*)$/i.exec(trimmed)) || (m = /^mark\s+#?\s*(\S+)\s+(?:as\s+)?disputed\s*[:,-]?\s*(.*)$/i.exec(trimmed))) {
    return { kind: 'dispute_invoice', number: stripNumber(m[1]!), reason: (m[2] ?? '').trim() };
  }
  if (/^dispute\b/i.test(trimmed)) return usage('dispute');
  if ((m = /^(?:resolve|undispute)\s+(?:dispute\s+(?:on\s+)?)?#?\s*(\S+)$/i.exec(trimmed))) return { kind: 'resolve_dispute', number: stripNumber(m[1]!) };
  if ((m = /^(?:statement|khata|ledger)\s+(?:of\s+|for\s+)?(.+)$/i.exec(trimmed))) return { kind: 'statement', debtorName: m[1]!.trim() };
  if ((m = /^history\s+(?:of\s+|for\s+)?(.+)$/i.exec(trimmed))) return { kind: 'history', target: m[1]!.trim() };
  if (/^history$/i.test(lower)) return usage('history');
  if ((m = /^export\s+(?:statement\s+(?:of\s+|for\s+)?)?(.+)$/i.exec(trimmed))) return { kind: 'export', debtorName: m[1]!.trim() };
  if ((m = /^invite\s+(?:agent\s+|an agent\s+)?(.+)$/i.exec(trimmed))) return { kind: 'invite_agent', name: m[1]!.trim() };
  if (/^invite$/i.test(lower)) return usage('invite');
  if ((m = /^join\s+([a-z0-9-]{4,})$/i.exec(trimmed))) return { kind: 'join', code: m[1]!.toUpperCase() };
  // Telegram's /start (with or without a link's payload) from someone already set up: help.
  if (/^\/start(?:@\w+)?(?:\s+\S+)?$/i.test(trimmed)) return { kind: 'help' };
  // "link Ramesh Traders", "link Shop 24 Traders": the customer's Telegram link. "Link Traders paid 5000" is a payment.
  if ((m = /^(?:telegram\s+)?link\s+(?:for\s+|to\s+|of\s+)?([^\n]+)$/i.exec(trimmed)) && !parsePayment(trimmed, ctx)) {
    const debtorName = cleanName(m[1]!);
    if (debtorName) return { kind: 'debtor_link', debtorName };
  }
  if (/^(?:telegram\s+)?link$/i.test(lower)) return usage('link');
  if ((m = /^assign\s+(.+?)\s+to\s+(.+)$/i.exec(trimmed))) return { kind: 'assign', debtorName: m[1]!.trim(), agentName: m[2]!.trim() };
  if (/^assign\b/i.test(trimmed)) return usage('assign');
  if ((m = /^unassign\s+(.+)$/i.exec(trimmed))) return { kind: 'unassign', debtorName: m[1]!.trim() };
  if ((m = /^(?:pause|hold)\s+(?:reminders\s+(?:for|to)\s+)?(.+)$/i.exec(trimmed))) return parsePause(m[1]!, ctx);
  if ((m = /^(?:stop|band karo)\s+reminders?\s+(?:for|to)\s+(.+)$/i.exec(trimmed))) {
    const { target, reason } = splitReason(m[1]!);
    return { kind: 'pause', target: pauseTarget(target), until: null, reason };
  }
  if ((m = /^(?:resume|unpause|restart)\s+(?:reminders\s+(?:for|to)\s+)?(.+)$/i.exec(trimmed)) || (m = /^start\s+reminders?\s+(?:for|to)\s+(.+)$/i.exec(trimmed))) {
    return { kind: 'resume', target: pauseTarget(m[1]!.trim()) };
  }
  if (lower === 'set') return usage('set');
  if ((m = /^set\s+(.+)$/i.exec(trimmed))) return parseSetting(m[1]!.trim());
  const shortcut = parseSettingShortcut(trimmed);
  if (shortcut) return shortcut;

  const payment = parsePayment(trimmed, ctx);
  if (payment) return payment;
  const natural = parseNaturalInvoice(trimmed, ctx);
  if (natural) return natural;
  return { kind: 'unknown', text: trimmed };
}

function numbers(list: string): number[] {
  return [...new Set(list.split(/[\s,]+/).filter(Boolean).map(Number))].filter((n) => Number.isInteger(n) && n > 0);
}

/**
 * Answers to "6 reminders ready": approve all · approve 1 3 5 · skip 2 · snooze 4 2d ·
 * edit 6 <new text> · show 3 · reminders. "edit 6 …" is a reminder only when what follows is
 * not an amount or a due date (then it is invoice number 6).
 */
function parseApprovalCommand(text: string, ctx: CommandContext): OwnerCommand | null {
  let m: RegExpExecArray | null;
  if (/^(reminders|pending|approvals)$/i.test(text)) return { kind: 'reminders' };
  if ((m = /^template\s+(\w+)\s+([\s\S]+)$/i.exec(text))) {
    const body = m[2]!.trim();
    return { kind: 'template', stage: m[1]!.toLowerCase(), text: /^(reset|default)$/i.test(body) ? null : body };
  }
  if (/^(approve|send)\s+all$/i.test(text)) return { kind: 'approve', which: 'all' };
  if ((m = /^(?:approve|send)\s+([\d\s,]+)$/i.exec(text))) return { kind: 'approve', which: numbers(m[1]!) };
  if ((m = /^skip\s+([\d\s,]+)$/i.exec(text))) return { kind: 'skip', which: numbers(m[1]!) };
  if ((m = /^snooze\s+(\d{1,3})\s+(\d{1,2})\s*(?:d|days?)?$/i.exec(text))) return { kind: 'snooze', index: Number(m[1]), days: Number(m[2]) };
  if ((m = /^show\s+(\d{1,3})$/i.exec(text))) return { kind: 'show_reminder', index: Number(m[1]) };
  if ((m = /^edit\s+(\d{1,3})\s+([\s\S]+)$/i.exec(text))) {
    const asInvoiceEdit = parseEdit(m[1]!, m[2]!, ctx);
    if (asInvoiceEdit.kind === 'edit_invoice') return null;
    return { kind: 'edit_reminder', index: Number(m[1]), text: m[2]!.trim() };
  }
  return null;
}

function usage(command: UsageTopic): OwnerCommand {
  return { kind: 'invalid', problem: { field: 'usage', command } };
}

function stripNumber(raw: string): string {
  return raw.replace(/^#/, '').replace(/[.,;:]+$/, '');
}

function parseEdit(number: string, rest: string, ctx: CommandContext): OwnerCommand {
  const cleaned = rest.replace(/^(?:to|:)\s*/i, '').trim();
  if (!cleaned) return usage('edit');
  const due = /^(?:due(?:\s+date)?)\s+(?:to\s+)?(.+)$/i.exec(cleaned);
  if (due) {
    const dueOn = resolveDueDate(due[1]!, ctx.today);
    if (!dueOn) return { kind: 'invalid', problem: { field: 'due', reason: 'invalid', got: due[1]!.trim() } };
    return { kind: 'edit_invoice', number: stripNumber(number), dueOn };
  }
  const amountText = cleaned.replace(/^amount\s+(?:to\s+)?/i, '').trim();
  const parsed = parseAmount(amountText);
  if (!parsed.ok) {
    if (!/\d/.test(amountText)) return usage('edit');
    const reason = parsed.reason === 'not_positive' || parsed.reason === 'too_large' ? parsed.reason : 'malformed';
    return { kind: 'invalid', problem: { field: 'amount', reason, got: amountText } };
  }
  return { kind: 'edit_invoice', number: stripNumber(number), amount: parsed.value, amountText };
}

function splitReason(text: string): { target: string; reason: string | null } {
  const m = /^(.*?)\s+(?:because|reason|as|since|kyunki|-|:)\s+(.+)$/i.exec(text);
  return m ? { target: m[1]!.trim(), reason: m[2]!.trim() } : { target: text.trim(), reason: null };
}

function pauseTarget(text: string): PauseTarget {
  const t = text.trim().replace(/[.,;]+$/, '');
  const invoice = /^(?:invoice\s+|bill\s+)?#\s*(\S+)$/i.exec(t) ?? /^(?:invoice|bill)\s+(\S+)$/i.exec(t);
  if (invoice) return { invoiceNumber: stripNumber(invoice[1]!) };
  return { debtorName: t };
}

function parsePause(input: string, ctx: CommandContext): OwnerCommand {
  const { target: withUntil, reason } = splitReason(input);
  const m = /^(.+?)\s+(?:until|till|upto|up to|tak)\s+(.+)$/i.exec(withUntil) ?? /^(.+?)\s+(?:for)\s+(\d+\s+(?:days?|weeks?))$/i.exec(withUntil);
  if (!m) return { kind: 'pause', target: pauseTarget(withUntil), until: null, reason };
  const untilText = /^\d+\s+(?:days?|weeks?)$/i.test(m[2]!) ? `in ${m[2]}` : m[2]!;
  const weeks = /^in (\d+)\s+weeks?$/i.exec(untilText);
  // "until 5 Dec cheque promised": the shortest leading words that name the date are the date,
  // and the rest is the reason.
  let until = weeks ? addDays(ctx.today, Number(weeks[1]) * 7) : null;
  let trailing: string | null = null;
  if (!until) {
    const words = untilText.split(/\s+/);
    for (let k = 1; k <= Math.min(4, words.length); k++) {
      const date = resolveDueDate(words.slice(0, k).join(' '), ctx.today);
      if (date) {
        until = date;
        trailing = words.slice(k).join(' ').trim() || null;
        break;
      }
    }
  }
  if (!until || until <= ctx.today) return { kind: 'invalid', problem: { field: 'due', reason: 'invalid', got: m[2]!.trim() } };
  return { kind: 'pause', target: pauseTarget(m[1]!), until, reason: reason ?? trailing };
}

const ON = /^(on|yes|true|enable|enabled|haan)$/i;
const OFF = /^(off|no|false|disable|disabled|nahi)$/i;
const WEEKDAY_NAMES = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

function parseHour(text: string): number | null {
  const m = /^(\d{1,2})(?::00)?\s*(am|pm)?$/i.exec(text.trim());
  if (!m) return null;
  let hour = Number(m[1]);
  const suffix = m[2]?.toLowerCase();
  if (suffix) {
    if (hour < 1 || hour > 12) return null;
    hour = (hour % 12) + (suffix === 'pm' ? 12 : 0);
  }
  return hour >= 0 && hour <= 23 ? hour : null;
}

function parseSetting(rest: string): OwnerCommand {
  const m = /^(\w+(?:\s+(?:hours|details|mode|days|zone))?)\s*(?:to|=|:)?\s*(.*)$/i.exec(rest);
  if (!m) return usage('set');
  const key = m[1]!.toLowerCase().replace(/\s+/g, ' ');
  const value = m[2]!.trim();
  const set = (change: SettingChange): OwnerCommand => ({ kind: 'set', change });
  const bad = (setting: BadSetting): OwnerCommand => (value ? { kind: 'invalid', problem: { field: 'setting', setting, got: value } } : usage('set'));
  switch (key) {
    case 'currency':
      return value ? set({ key: 'currency', value }) : usage('set');
    case 'timezone':
    case 'time zone':
    case 'tz':
      return value ? set({ key: 'timezone', value }) : usage('set');
    case 'language':
    case 'lang': {
      const lang = /^(hi|hindi|हिंदी)$/i.test(value) ? 'hi' : /^(en|english)$/i.test(value) ? 'en' : null;
      return lang ? set({ key: 'language', value: lang }) : bad('language');
    }
    case 'digest': {
      const hour = parseHour(value.replace(/^(?:at|hour)\s+/i, ''));
      return hour === null ? bad('digest') : set({ key: 'digest', hour });
    }
    case 'quiet':
    case 'quiet hours': {
      const q = /^(\d{1,2}(?::00)?\s*(?:am|pm)?)\s*(?:-|to|–)\s*(\d{1,2}(?::00)?\s*(?:am|pm)?)$/i.exec(value);
      const start = q ? parseHour(q[1]!) : null;
      const end = q ? parseHour(q[2]!) : null;
      if (start === null || end === null) return bad('quiet');
      // Equal hours are no quiet time at all, or all day: neither is meant.
      return start === end ? bad('quiet_same') : set({ key: 'quiet', startHour: start, endHour: end });
    }
    case 'upi':
      return set({ key: 'upi', value: OFF.test(value) || value === '' ? null : value });
    case 'payment details':
    case 'bank':
    case 'payment':
      return set({ key: 'payment_details', value: value === '' || OFF.test(value) ? null : value });
    case 'approval':
    case 'mode':
    case 'approval mode': {
      if (ON.test(value) || /^approve$/i.test(value)) return set({ key: 'approval', mode: 'approve' });
      if (OFF.test(value) || /^(auto|automatic)$/i.test(value)) return set({ key: 'approval', mode: 'auto' });
      return bad('approval');
    }
    case 'terms': {
      const d = /^(\d{1,3})\s*(?:days?)?$/i.exec(value);
      return d && Number(d[1]) <= 365 ? set({ key: 'terms', days: Number(d[1]) }) : bad('terms');
    }
    case 'send days':
    case 'days': {
      if (/^(weekdays|mon-fri)$/i.test(value)) return set({ key: 'send_days', days: [1, 2, 3, 4, 5] });
      if (/^(all|every day|everyday|daily)$/i.test(value)) return set({ key: 'send_days', days: [1, 2, 3, 4, 5, 6, 7] });
      const days = value
        .toLowerCase()
        .split(/[\s,]+/)
        .map((d) => WEEKDAY_NAMES.indexOf(d.slice(0, 3)) + 1);
      return days.length && days.every((d) => d > 0) ? set({ key: 'send_days', days: [...new Set(days)].sort() }) : bad('send_days');
    }
    case 'thanks':
    case 'thank': {
      if (ON.test(value)) return set({ key: 'thanks', enabled: true });
      if (OFF.test(value)) return set({ key: 'thanks', enabled: false });
      return bad('thanks');
    }
    case 'ladder': {
      const l = /^(\w+)\s+(?:day\s+)?([+-]?\d{1,3})?\s*(?:tone\s+)?([a-z]+)?$/i.exec(value);
      if (!l || (!l[2] && !l[3])) return usage('ladder');
      return set({ key: 'ladder', stage: l[1]!.toLowerCase(), offsetDays: l[2] ? Number(l[2]) : null, tone: l[3]?.toLowerCase() ?? null });
    }
    case 'weight': {
      const w = /^(\w+)\s+(\d+(?:\.\d+)?)$/.exec(value);
      return w ? set({ key: 'weight', factor: w[1]!, value: Number(w[2]) }) : usage('weight');
    }
    default:
      return usage('set');
  }
}

function parseSettingShortcut(text: string): OwnerCommand | null {
  let m: RegExpExecArray | null;
  if ((m = /^quiet hours?\s+(.+)$/i.exec(text))) return parseSetting(`quiet hours ${m[1]}`);
  if ((m = /^digest\s+(?:at\s+)?(.+)$/i.exec(text))) return parseSetting(`digest ${m[1]}`);
  if ((m = /^approval\s+(on|off)$/i.exec(text))) return parseSetting(`approval ${m[1]}`);
  if ((m = /^(?:auto mode|automatic mode|mode auto)$/i.exec(text))) return parseSetting('approval auto');
  if ((m = /^ladder\s+(\w+)\s+(.+)$/i.exec(text))) return parseSetting(`ladder ${m[1]} ${m[2]}`);
  if ((m = /^weight\s+(.+)$/i.exec(text))) return parseSetting(`weight ${m[1]}`);
  if ((m = /^upi\s+(?:id\s+)?(\S+@\S+)$/i.exec(text))) return parseSetting(`upi ${m[1]}`);
  return null;
}

const METHODS = /\b(?:by|via|through|in|thru)\s+(upi|cash|cheque|check|neft|imps|rtgs|bank(?:\s+transfer)?|card|gpay|google pay|phonepe|paytm)\b/i;
const BARE_METHOD = /\b(upi|cash|cheque|neft|imps|rtgs|gpay|phonepe|paytm)\b/i;
const REFERENCE = /\b(?:ref(?:erence)?|utr|txn|transaction)\.?\s*(?:no\.?|number|id)?\s*[:#]?\s*([A-Za-z0-9-]{3,})/i;
// "for A-103", "against bill 7", "on invoice A-1" ("on" needs the word: "on 12/11" is a date).
const FOR_INVOICE = /\b(?:(?:for|against)\s+(?:(?:invoice|bill|inv)\.?\s*(?:no\.?)?\s*#?\s*)?|on\s+(?:invoice|bill|inv)\.?\s*(?:no\.?)?\s*#?\s*)([A-Za-z]*[-/]?\d[\w\-/]*)|\s#\s*([A-Za-z0-9][\w\-/]*)/i;
const PAID_VERB = /^(.+?)\s+(?:has\s+)?(?:paid|paid us|sent|transferred|ne\s+(?:diye|de\s+diye|bheje|pay\s+kiya|payment\s+kiya|jama\s+kiya))\s+(.+)$/i;
// "Ramesh ne 5000 diye", "रमेश ने 5000 दिए": the amount before the verb.
const PAID_AFTER =
  /^(.+?)\s+(?:ne|ने)\s+(.+?)\s+(?:diye|diya|dia|de\s+diye|de\s+diya|bheje|bheja|bhej\s+diye|bhej\s+diya|pay\s+kiye|pay\s+kiya|jama\s+kiye|jama\s+kiya|chuka\s+diye|दिए|दिये|दिया|दे\s+दिए|भेजे|भेज\s+दिए|जमा\s+किए|जमा\s+किये)(?:\s+(?:hai|hain|h|है|हैं))?$/iu;
const RECEIVED = /^(?:received|recd|rcvd|got|mila|mile|payment(?:\s+received)?(?:\s+of)?)\s+(.+?)\s+(?:from|se)\s+(.+)$/i;

/** "Ramesh paid 5000", "received 12,500 from Sharma by UPI ref 4417", "paid 5000 … for A-102". */
export function parsePayment(text: string, ctx: CommandContext): OwnerCommand | null {
  let rest = ` ${text.trim()} `;
  const draftExtras: Partial<PaymentDraft> = {};
  const method = METHODS.exec(rest);
  if (method) {
    draftExtras.method = normaliseMethod(method[1]!);
    rest = rest.replace(method[0], ' ');
  }
  const ref = REFERENCE.exec(rest);
  if (ref) {
    draftExtras.reference = ref[1]!;
    rest = rest.replace(ref[0], ' ');
  }
  const inv = FOR_INVOICE.exec(rest);
  if (inv) {
    draftExtras.invoiceNumber = stripNumber(inv[1] ?? inv[2]!);
    rest = rest.replace(inv[0], ' ');
  }
  const on = /\b(?:on|dated)\s+(\d{1,2}\s+\w{3,9}|\d{1,2}[/.-]\d{1,2}(?:[/.-]\d{2,4})?)\b|\b(yesterday|today|kal)\b/i.exec(rest);
  rest = rest.replace(/\s+/g, ' ').trim();
  let name: string | undefined;
  let amountPart: string | undefined;
  const paid = PAID_AFTER.exec(rest) ?? PAID_VERB.exec(rest);
  const received = RECEIVED.exec(rest);
  if (received) {
    amountPart = received[1];
    name = received[2];
  } else if (paid) {
    name = paid[1];
    amountPart = paid[2];
  } else {
    return null;
  }
  if (on) {
    const phrase = on[1] ?? on[2]!;
    const p = phrase.toLowerCase();
    const date = p === 'yesterday' || p === 'kal' ? addDays(ctx.today, -1) : p === 'today' ? ctx.today : resolvePastDate(phrase, ctx.today);
    if (date) draftExtras.receivedOn = date;
    amountPart = amountPart!.replace(on[0], ' ');
    name = name!.replace(on[0], ' ');
  }
  if (!draftExtras.method) {
    const bare = BARE_METHOD.exec(amountPart!);
    if (bare) {
      draftExtras.method = normaliseMethod(bare[1]!);
      amountPart = amountPart!.replace(bare[0], ' ');
    }
  }
  const amountText = amountPart!.replace(/(?:\b(?:rupees?|rupaye|rupay|rs\.?)|रुपये|रुपए)$/iu, '').replace(/\s+/g, ' ').trim();
  const debtorName = cleanName(name!.replace(/\s+/g, ' '));
  if (!debtorName) return usage('payment');
  const parsed = parseAmount(amountText);
  if (!parsed.ok) {
    if (!/\d/.test(amountText)) return null;
    const reason = parsed.reason === 'not_positive' || parsed.reason === 'too_large' ? parsed.reason : 'malformed';
    return { kind: 'invalid', problem: { field: 'amount', reason, got: amountText } };
  }
  return { kind: 'payment', draft: { debtorName, amount: parsed.value, amountText, ...draftExtras } };
}

function normaliseMethod(raw: string): string {
  const m = raw.toLowerCase();
  if (m === 'check') return 'cheque';
  if (m.startsWith('bank')) return 'bank';
  if (m === 'google pay' || m === 'gpay' || m === 'phonepe' || m === 'paytm') return 'upi';
  return m;
}

/** A payment date: the most recent such day on or before today. */
function resolvePastDate(phrase: string, today: CalendarDate): CalendarDate | null {
  const resolved = resolveDueDate(phrase, today);
  if (!resolved) return null;
  return resolved > today ? `${Number(resolved.slice(0, 4)) - 1}${resolved.slice(4)}` : resolved;
}

// "Agarwal Steel ko 2,35,000 dena hai 15 jan tak", "Sharma se 5000 lena hai", "शर्मा को 5000 देना है".
const HINDI_OWES =
  /^(.+?)\s+(?:ko|se|को|से)\s+(.+?)\s+(?:dena|dene|lena|lene|देना|देने|लेना|लेने)(?:\s+(?:hai|hain|h|he|है|हैं))?(?:\s+(.+))?$/iu;
const OWES = /^(.+?)\s+(?:owes(?:\s+(?:us|me))?|has to pay|ko dena hai|ka bill|ke|ka|par|pe)\s+(.+)$/i;

/**
 * An invoice in the words owners use: "Ramesh Traders owes 12,500 for bill A-102, due next Friday",
 * "Sharma medical 1.2 lakh due in 15 days". Always confirmed before saving, since it is a reading.
 */
export function parseNaturalInvoice(text: string, ctx: CommandContext): OwnerCommand | null {
  let body = text.replace(/\b(?:for\s+)?(?:bill|invoice|inv)\.?\s*(?:no\.?|number)?\s*#?\s*([A-Za-z]*[-/]?\d[\w\-/]*)/i, ' #$1');
  const hindi = HINDI_OWES.exec(body);
  const owes = hindi ?? OWES.exec(body);
  if (hindi) {
    const when = (hindi[3] ?? '').replace(/\s+(?:tak|तक)$/iu, '').trim();
    body = `${hindi[1]} ${hindi[2]}${when ? (/^(?:due|by)\b/i.test(when) ? ` ${when}` : ` due ${when}`) : ''}`;
  } else if (owes) body = `${owes[1]} ${owes[2]}`;
  body = body.replace(/,\s*(?=due\b)/i, ' ').replace(/\bdue\s+(?:on|by)\s+/i, 'due ');
  const parsed = parseInvoiceFields(body, ctx);
  if ('problem' in parsed) return owes ? { kind: 'invalid', problem: parsed.problem } : null;
  const d = parsed.draft;
  if (!d.debtorName || d.amount === undefined) return null;
  if (!owes && d.dueOn === undefined && d.number === undefined) return null;
  return { kind: 'add', draft: d, natural: true };
}

const AMOUNT_UNIT = /^(k|K|thousand|hazar|hazaar|hajar|lakh|lakhs|lac|lacs|l|L|crore|crores|cr)$/;
const CURRENCY_WORD = /^(rs\.?|inr|₹|omr|usd|aed|\$)$/i;
const LOOKS_NUMERIC = /^[-+]?(?:rs\.?|inr|omr|usd|aed|[₹$])?\s*[-+]?\d/i;

/**
 * Reads the fields of `add …`: a customer name, an amount, `due <date>`, `#<number>`, a phone.
 * Missing fields are simply absent (the conversation asks for them); a field that is present but
 * wrong is a problem, reported before anything is saved.
 */
export function parseInvoiceFields(input: string, ctx: CommandContext): { draft: InvoiceDraft } | { problem: FieldProblem } {
  const draft: InvoiceDraft = {};
  let rest = ` ${input.trim()} `;

  const numberMatch = /\s#\s*([\p{L}\p{N}][\p{L}\p{N}\-/_.]*)/u.exec(rest);
  if (numberMatch) {
    draft.number = numberMatch[1]!.replace(/[.]+$/, '');
    rest = rest.replace(numberMatch[0], ' ');
  }

  let tokens = rest.split(/\s+/).filter(Boolean);

  const phone = extractPhone(tokens, ctx.country);
  if (phone && 'problem' in phone) return phone;
  if (phone) {
    draft.phone = phone.e164;
    tokens = phone.remaining;
  }

  const dueIndex = tokens.findIndex((t) => /^(due|by|deadline)$/i.test(t));
  if (dueIndex >= 0) {
    const phrase = tokens.slice(dueIndex + 1).join(' ').replace(/[.,;]+$/, '');
    tokens = tokens.slice(0, dueIndex);
    const resolved = resolveDueDate(phrase, ctx.today);
    if (!resolved) return { problem: { field: 'due', reason: 'invalid', got: phrase || 'due' } };
    draft.dueOn = resolved;
  }

  const amount = extractAmount(tokens);
  if (amount && 'problem' in amount) return amount;
  if (amount) {
    draft.amount = amount.value;
    draft.amountText = amount.text;
    tokens = amount.remaining;
  }

  const name = cleanName(tokens.join(' '));
  if (name) draft.debtorName = name;
  return { draft };
}

/** Zero-width and direction marks: invisible, so "Ramesh\u200b" must be the same customer as "Ramesh". */
const INVISIBLE = /[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;

/** Strips invisible marks and punctuation around a name; returns undefined when nothing name-like is left. */
export function cleanName(raw: string): string | undefined {
  const name = raw
    .replace(INVISIBLE, '')
    .replace(/\s+/g, ' ')
    .replace(/^[\s,.:;\-–—]+|[\s,.:;\-–—]+$/g, '')
    .trim();
  if (!/\p{L}/u.test(name) || name.length > 120) return undefined;
  return name;
}

/** "Ramesh  Traders", "ramesh traders" and "Ramesh\u200b Traders" are one debtor. */
export function nameKey(name: string): string {
  return name.normalize('NFC').replace(INVISIBLE, '').toLowerCase().replace(/\s+/g, ' ').trim();
}

/**
 * A due date as an owner means it. Owners enter old invoices too, so a day and month without a
 * year ("due 30 Oct" on 21 Nov) means the nearest such date, up to six months back, rather than
 * next year's.
 */
export function resolveDueDate(phrase: string, today: CalendarDate): CalendarDate | null {
  if (!phrase.trim()) return null;
  const resolved = resolveDateExpression(phrase, today);
  if (!resolved || 'invalid' in resolved) return null;
  const date = resolved.date;
  const hasExplicitYear = /\b\d{4}\b/.test(phrase);
  if (!hasExplicitYear && daysBetween(today, date) > 183 && /\d/.test(phrase) && !/\b(in|within)\b/i.test(phrase)) {
    const lastYear = `${Number(date.slice(0, 4)) - 1}${date.slice(4)}`;
    if (daysBetween(lastYear, today) <= 183) return lastYear;
  }
  return date;
}

/**
 * The amount: the last number typed (before "due", which is taken off already), so
 * digits inside a name ("Shop 24 Traders 500", "Sai 786 Stores 5000") stay in the name; or,
 * when the name comes last ("12500 Shop 24 Traders"), the number typed first.
 */
function extractAmount(tokens: string[]): { value: number; text: string; remaining: string[] } | { problem: FieldProblem } | null {
  const last = tokens.length - 1;
  const endsWithNumber = last >= 0 && (LOOKS_NUMERIC.test(tokens[last]!) || (AMOUNT_UNIT.test(tokens[last]!) && last > 0 && LOOKS_NUMERIC.test(tokens[last - 1]!)));
  const first = CURRENCY_WORD.test(tokens[0] ?? '') && /^\d/.test(tokens[1] ?? '') ? 1 : 0;
  const startsWithNumber = last > first && LOOKS_NUMERIC.test(tokens[first]!);
  let i = tokens.length - 1;
  if (!endsWithNumber && startsWithNumber) i = first;
  else while (i >= 0 && !LOOKS_NUMERIC.test(tokens[i]!)) i--;
  if (i < 0) return null;
  const start = i > 0 && CURRENCY_WORD.test(tokens[i - 1]!) && /^\d/.test(tokens[i]!) ? i - 1 : i;
  let end = i + 1;
  if (end < tokens.length && AMOUNT_UNIT.test(tokens[end]!)) end += 1;
  const text = tokens.slice(start, end).join(' ').replace(/[,;:]+$/, '');
  const parsed = parseAmount(text);
  if (parsed.ok) return { value: parsed.value, text, remaining: [...tokens.slice(0, start), ...tokens.slice(end)] };
  const reason = parsed.reason === 'not_positive' || parsed.reason === 'too_large' ? parsed.reason : 'malformed';
  return { problem: { field: 'amount', reason, got: text } };
}

function extractPhone(tokens: string[], country: string): { e164: string; remaining: string[] } | { problem: FieldProblem } | null {
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const plus = token.startsWith('+') && /\d/.test(token);
    const longDigits = /^\d{10,}$/.test(token.replace(/-/g, ''));
    if (!plus && !longDigits) continue;
    // "+91 98123 45678": try the longest run of digit groups that is a valid number.
    for (let len = Math.min(4, tokens.length - i); len >= 1; len--) {
      const group = tokens.slice(i, i + len);
      if (len > 1 && !group.slice(1).every((t) => /^\d[\d-]*$/.test(t))) continue;
      const parsed = parsePhoneNumberFromString(group.join(' '), country as CountryCode);
      if (parsed?.isValid()) {
        return { e164: parsed.number, remaining: [...tokens.slice(0, i), ...tokens.slice(i + len)] };
      }
    }
    if (plus) return { problem: { field: 'phone', reason: 'invalid', got: token } };
  }
  return null;
}

/** The due date an invoice without one is treated as having: issue date plus the business's terms. */
export function effectiveDueDate(issuedOn: CalendarDate, dueOn: CalendarDate | null, termsDays: number): CalendarDate {
  return dueOn ?? addDays(issuedOn, termsDays);
}
