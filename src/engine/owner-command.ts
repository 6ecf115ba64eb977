// Reads what an owner types into a command, or into a precise complaint about one field.
// Pure: the caller passes today's date in the business's time zone. The settings, payments and
// invoice fields are read in src/engine/owner-command/; what they export is re-exported here.
import { parseAmount } from './amount.ts';
import { addDays, type CalendarDate } from './calendar.ts';
import type { Language } from './money.ts';
import { stripNumber, usage } from './owner-command/common.ts';
import { cleanName, parseInvoiceFields, parseNaturalInvoice, resolveDueDate } from './owner-command/invoice-fields.ts';
import { parsePayment } from './owner-command/payments.ts';
import { parseSetting, parseSettingShortcut } from './owner-command/settings.ts';

export { cleanName, effectiveDueDate, nameKey, parseInvoiceFields, parseNaturalInvoice, resolveDueDate } from './owner-command/invoice-fields.ts';
export { parsePayment } from './owner-command/payments.ts';

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
