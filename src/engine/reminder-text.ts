// What debtors and owners read about reminders: the reminder itself (one message per debtor,
// for all the invoices it covers), the UPI payment link, the owner's own templates, the
// thank-you note, the approval list, the morning digest and the owner's alerts.
// Every text exists in English and Hindi; the Hindi catalogue is type-checked against the
// English one. Amounts, invoice numbers, links and commands stay as they are in both.
// Pure: the caller passes `today`; nothing here reads the clock.
import { daysBetween, formatDay, type CalendarDate } from './calendar.ts';
import type { Stage, Tone } from './ladder.ts';
import { formatMoney, localeFor, minorDigits, type Language } from './money.ts';

export interface ReminderBusiness {
  name: string;
  currency: string;
  /** ISO country code; with the language it picks the number format (en-IN, hi-IN, en-OM). */
  country: string;
  upiId: string | null;
  paymentDetails: string | null;
}

export interface ReminderInvoice {
  number: string;
  balanceMinor: number;
  dueOn: CalendarDate;
}

export interface ReminderInput {
  stage: Stage;
  /** The wording follows the tone (the business may retune the tone of each ladder step). */
  tone: Tone;
  language: Language;
  business: ReminderBusiness;
  debtorName: string;
  /** Every invoice this reminder covers, for one debtor; at least one. */
  invoices: readonly ReminderInvoice[];
  today: CalendarDate;
  /** The owner's own wording with {placeholders}; blank or invalid falls back to the built-in text. */
  custom?: string | null;
}

export interface RenderedText {
  text: string;
}

// ---------------------------------------------------------------------------------------------
// Amounts

/** 1250000 minor INR -> "12500.00": plain decimal in major units with the currency's digits. */
function majorDecimal(minor: number, currency: string): string {
  if (!Number.isSafeInteger(minor)) throw new RangeError(`amount must be an integer of minor units: ${minor}`);
  const digits = minorDigits(currency);
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  if (digits === 0) return `${sign}${abs}`;
  const scale = 10 ** digits;
  return `${sign}${Math.floor(abs / scale)}.${String(abs % scale).padStart(digits, '0')}`;
}

/** 500000 -> "5000", 500050 -> "5000.50": the way an owner would type the amount back. */
function typedAmount(minor: number, currency: string): string {
  const decimal = majorDecimal(minor, currency);
  return /\.0+$/.test(decimal) ? decimal.replace(/\.0+$/, '') : decimal;
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

// ---------------------------------------------------------------------------------------------
// UPI

export interface UpiLinkInput {
  upiId: string;
  payeeName: string;
  amountMinor: number;
  currency: string;
  note: string;
}

/** Percent-encodes a query value; '@' stays literal (it is legal in a query and UPI apps expect it in `pa`). */
function encodeUpiValue(value: string): string {
  return encodeURIComponent(value).replace(/%40/g, '@');
}

/**
 * upi://pay?pa=shop@okhdfcbank&pn=Sharma%20Distributors&am=12500.00&tn=Invoice%20A-102&cu=INR
 * UPI moves rupees only: any other currency, a blank UPI id or a non-positive amount gives null.
 */
export function upiLink(input: UpiLinkInput): string | null {
  const upiId = input.upiId.trim();
  if (input.currency.toUpperCase() !== 'INR' || upiId === '' || !(input.amountMinor > 0)) return null;
  const params: Array<[string, string]> = [
    ['pa', upiId],
    ['pn', input.payeeName.trim()],
    ['am', majorDecimal(input.amountMinor, 'INR')],
    ['tn', input.note.trim()],
    ['cu', 'INR'],
  ];
  return `upi://pay?${params.map(([key, value]) => `${key}=${encodeUpiValue(value)}`).join('&')}`;
}

/** The transaction note of a reminder's link: "Invoice A-102", "Invoices A-101, A-102", "Invoices A-101 +4". */
export function upiNote(numbers: readonly string[]): string {
  if (numbers.length === 1) return `Invoice ${numbers[0]}`;
  const all = `Invoices ${numbers.join(', ')}`;
  return all.length <= 50 ? all : `Invoices ${numbers[0]} +${numbers.length - 1}`;
}

// ---------------------------------------------------------------------------------------------
// Templates

export const TEMPLATE_PLACEHOLDERS = ['customer', 'business', 'amount', 'invoices', 'due', 'pay'] as const;
export type TemplatePlaceholder = (typeof TEMPLATE_PLACEHOLDERS)[number];

export type TemplateValidation = { ok: true } | { ok: false; unknown: string[]; valid: string[] };

function placeholderName(raw: string): string {
  return raw.trim().toLowerCase();
}

function isPlaceholder(name: string): name is TemplatePlaceholder {
  return (TEMPLATE_PLACEHOLDERS as readonly string[]).includes(name);
}

function fragment(text: string): string {
  return text.length <= 20 ? text : `${text.slice(0, 20)}…`;
}

/**
 * Checks an owner's template: every {name} must be one of TEMPLATE_PLACEHOLDERS (case and
 * spaces inside the braces are forgiven: "{ Amount }"). `unknown` lists the names that are not
 * placeholders, as typed ("name"), and any unbalanced brace with the text around it ("{amount",
 * "}"); `valid` lists the placeholder names the owner can use.
 */
export function validateTemplate(text: string): TemplateValidation {
  const unknown: string[] = [];
  let open = -1;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i];
    if (ch === '{') {
      if (open >= 0) unknown.push(fragment(text.slice(open, i).trimEnd()));
      open = i;
    } else if (ch === '}') {
      if (open < 0) {
        unknown.push('}');
        continue;
      }
      const inside = text.slice(open + 1, i);
      if (!isPlaceholder(placeholderName(inside))) unknown.push(inside.trim() === '' ? '{}' : inside.trim());
      open = -1;
    }
  }
  if (open >= 0) unknown.push(fragment(text.slice(open).trimEnd()));
  if (unknown.length === 0) return { ok: true };
  return { ok: false, unknown: [...new Set(unknown)], valid: [...TEMPLATE_PLACEHOLDERS] };
}

function fillTemplate(template: string, values: Record<TemplatePlaceholder, string>): string {
  return template.replace(/\{([^{}]*)\}/g, (whole, inside: string) => {
    const name = placeholderName(inside);
    return isPlaceholder(name) ? values[name] : whole;
  });
}

// ---------------------------------------------------------------------------------------------
// The catalogue

type Payment = { kind: 'upi'; upiId: string; link: string } | { kind: 'details'; details: string } | { kind: 'reply' };

const INVOICE_LINES_SHOWN = 8;
const DIGEST_LIST_CAP = 5;

const en = {
  hello: (p: { debtor: string; business: string }) => `Hello ${p.debtor}, this is ${p.business}.`,
  /** One invoice's timing, completing "invoice #A-102 for ₹12,500.00 …". */
  timing: (p: { due: string; days: number }) =>
    p.days > 1
      ? `is due on ${p.due}, in ${p.days} days`
      : p.days === 1
        ? `is due tomorrow, ${p.due}`
        : p.days === 0
          ? `is due today, ${p.due}`
          : `was due on ${p.due} and is ${-p.days} day${p.days === -1 ? '' : 's'} overdue`,
  fact: (p: { number: string; amount: string; timing: string }) => `invoice #${p.number} for ${p.amount} ${p.timing}`,
  single: (p: { tone: Tone; fact: string; future: boolean }) => {
    const Fact = capitalise(p.fact);
    switch (p.tone) {
      case 'friendly':
        return `A friendly ${p.future ? 'heads-up' : 'reminder'}: ${p.fact}.`;
      case 'polite':
        return `Just a gentle reminder, in case it slipped your mind: ${p.fact}.`;
      case 'firm':
        return `${Fact}. Please pay it now, or tell us the exact date you will.`;
      case 'firmer':
        return `${Fact}. Please pay it as soon as possible. If it stays unpaid, we may have to put further credit and supplies on hold.`;
      case 'final':
        return `This is our final notice before the matter is escalated: ${p.fact}. Please pay or contact us now; we'd much rather settle this with you directly.`;
    }
  },
  multiIntro: (p: { tone: Tone; count: number; future: boolean }) => {
    switch (p.tone) {
      case 'friendly':
        return p.future ? `A friendly heads-up about ${p.count} invoices coming due:` : `A friendly reminder about ${p.count} open invoices:`;
      case 'polite':
        return `Just a gentle reminder, in case it slipped your mind, about ${p.count} open invoices:`;
      case 'firm':
      case 'firmer':
        return `${p.count} invoices are still unpaid:`;
      case 'final':
        return `This is our final notice before the matter is escalated. ${p.count} invoices are still unpaid:`;
    }
  },
  multiRequest: (p: { tone: Tone }) => {
    switch (p.tone) {
      case 'friendly':
      case 'polite':
        return '';
      case 'firm':
        return 'Please pay them now, or tell us the exact date you will.';
      case 'firmer':
        return 'Please pay them as soon as possible. If they stay unpaid, we may have to put further credit and supplies on hold.';
      case 'final':
        return "Please pay or contact us now; we'd much rather settle this with you directly.";
    }
  },
  lineStatus: (p: { days: number }) =>
    p.days > 1 ? `in ${p.days} days` : p.days === 1 ? 'tomorrow' : p.days === 0 ? 'today' : `${-p.days} day${p.days === -1 ? '' : 's'} overdue`,
  invoiceLine: (p: { number: string; amount: string; due: string; status: string }) => `• #${p.number} · ${p.amount} · due ${p.due} (${p.status})`,
  moreInvoices: (p: { count: number }) => `…and ${p.count} more`,
  upcomingIntro: (p: { count: number }) => (p.count === 1 ? 'Coming up, not due yet:' : `Coming up, not due yet (${p.count}):`),
  total: (p: { amount: string }) => `Total: ${p.amount}`,
  pay: (p: { payment: Payment }) =>
    p.payment.kind === 'upi'
      ? `Pay by UPI to ${p.payment.upiId}: ${p.payment.link}`
      : p.payment.kind === 'details'
        ? `Payment details: ${p.payment.details}`
        : 'Reply to this message to arrange payment.',
  replyInvite: () => "Reply with a date you'll pay, or 'paid' if you already have. Thank you!",
  thanks: (p: { debtor: string; business: string; numbers: string; count: number; amount: string }) =>
    `Thank you, ${p.debtor}! We've received your payment of ${p.amount} for invoice${p.count === 1 ? '' : 's'} ${p.numbers} in full. We appreciate it.\n— ${p.business}`,
  thanksFromCredit: (p: { debtor: string; business: string; numbers: string; count: number; amount: string; credit: string | null; left: string | null }) =>
    `Thank you, ${p.debtor}! Invoice${p.count === 1 ? '' : 's'} ${p.numbers} (${p.amount}) ${p.count === 1 ? 'is' : 'are'} now paid in full${
      p.credit ? `, ${p.credit} of it from your credit with us` : ' from your credit with us'
    }.${p.left ? ` You still have ${p.left} of credit.` : ''} We appreciate it.\n— ${p.business}`,
  stageLabel: (p: { stage: Stage }) =>
    (({ heads_up: 'heads-up', due_today: 'due today', polite: 'polite', firm: 'firm', firmer: 'firmer', final: 'final' }) satisfies Record<Stage, string>)[p.stage],
  approvalNone: () => 'No reminders are waiting for your approval.',
  approvalHeader: (p: { count: number }) => `${p.count} reminder${p.count === 1 ? '' : 's'} ready:`,
  approvalInvoices: (p: { count: number }) => ` (${p.count} invoices)`,
  approvalHint: (p: { approve: string; skip: number; snooze: number; edit: number; show: number }) =>
    `Reply: approve all · approve ${p.approve} · skip ${p.skip} · snooze ${p.snooze} 2d · edit ${p.edit} <text> · show ${p.show}`,
  unreachableOne: (p: { name: string }) => `Can't reach ${p.name} (no chat yet): send them their link: link ${p.name}`,
  unreachableHeader: (p: { count: number }) => `Can't reach ${p.count} customers (no chat yet): send each their link:`,
  unreachableLine: (p: { name: string }) => `• link ${p.name}`,
  digestHeader: (p: { business: string; date: string }) => `Good morning! ${p.business} · ${p.date}`,
  digestExpected: (p: { amount: string }) => `Expected this week: ${p.amount}`,
  digestOverdue: (p: { amount: string }) => `Overdue: ${p.amount}`,
  digestFollowUps: () => 'Follow up today:',
  digestOverdueAmount: (p: { amount: string }) => `${p.amount} overdue`,
  digestPromisesToday: () => 'Promises due today:',
  digestPromiseOwed: (p: { amount: string }) => `${p.amount} owed`,
  digestPromisesBroken: () => 'Promises broken yesterday:',
  digestReceived: (p: { amount: string }) => `Received yesterday: ${p.amount}`,
  digestAwaiting: (p: { count: number }) =>
    p.count === 1 ? '1 reminder is waiting for your approval.' : `${p.count} reminders are waiting for your approval.`,
  digestClaims: (p: { count: number }) =>
    p.count === 1 ? '1 customer says they paid: confirm or reject it (send "claims").' : `${p.count} customers say they paid: confirm or reject each (send "claims").`,
  digestSent: (p: { count: number }) => (p.count === 1 ? '1 reminder was sent yesterday.' : `${p.count} reminders were sent yesterday.`),
  digestMore: (p: { count: number }) => `…and ${p.count} more`,
  digestNothing: () => 'Nothing needs you today: nothing is overdue and no promise is due. 🎉',
  promiseBroken: (p: { debtor: string; date: string; amount: string | null }) =>
    `${p.debtor} promised to pay ${p.amount ? `${p.amount} ` : ''}by ${p.date}, and the payment hasn't arrived. You may want to give them a call.`,
  promiseBrokenHint: (p: { debtor: string; amount: string }) => `If they have paid, tell me: ${p.debtor} paid ${p.amount}`,
  sendFailed: (p: { debtor: string; attempts: number }) =>
    `I couldn't deliver the reminder to ${p.debtor} after ${p.attempts} attempt${p.attempts === 1 ? '' : 's'}. Please check their phone number, or contact them yourself.`,
  recipientGone: (p: { debtor: string; channel: string }) =>
    `${p.debtor} has blocked me on ${p.channel} (or closed their account), so I can't message them there. I've stopped their reminders. Please contact them yourself; if they want reminders again, send them a new link: link ${p.debtor}`,
};

type ReminderCatalogue = { [K in keyof typeof en]: (...args: Parameters<(typeof en)[K]>) => string };

const hi: ReminderCatalogue = {
  hello: (p) => `नमस्ते ${p.debtor}, ${p.business} की ओर से संदेश।`,
  timing: (p) =>
    p.days > 1
      ? `${p.due} को देय है (${p.days} दिन बाद)`
      : p.days === 1
        ? `कल, ${p.due} को देय है`
        : p.days === 0
          ? `आज, ${p.due} को देय है`
          : `${p.due} को देय था और ${-p.days} दिन से बकाया है`,
  fact: (p) => `बिल #${p.number} (${p.amount}) ${p.timing}`,
  single: (p) => {
    switch (p.tone) {
      case 'friendly':
        return p.future ? `आपकी जानकारी के लिए: ${p.fact}।` : `याद दिला दें कि ${p.fact}।`;
      case 'polite':
        return `शायद ध्यान से छूट गया हो, इसलिए याद दिला रहे हैं: ${p.fact}।`;
      case 'firm':
        return `${p.fact}। कृपया अब भुगतान करें, या बताएँ कि आप ठीक किस तारीख़ को भुगतान करेंगे।`;
      case 'firmer':
        return `${p.fact}। कृपया जल्द से जल्द भुगतान करें। भुगतान न होने पर हमें आगे का उधार और माल की सप्लाई रोकनी पड़ सकती है।`;
      case 'final':
        return `मामला आगे ले जाने से पहले यह हमारी अंतिम सूचना है: ${p.fact}। कृपया अभी भुगतान करें या हमसे संपर्क करें — हम इसे आपसे सीधे सुलझाना चाहेंगे।`;
    }
  },
  multiIntro: (p) => {
    switch (p.tone) {
      case 'friendly':
        return p.future ? `आपकी जानकारी के लिए, ये ${p.count} बिल जल्द देय हैं:` : `याद दिला दें, ये ${p.count} बिल बाकी हैं:`;
      case 'polite':
        return `शायद ध्यान से छूट गया हो, इसलिए याद दिला रहे हैं — ये ${p.count} बिल अभी बाकी हैं:`;
      case 'firm':
      case 'firmer':
        return `ये ${p.count} बिल अभी तक नहीं चुकाए गए हैं:`;
      case 'final':
        return `मामला आगे ले जाने से पहले यह हमारी अंतिम सूचना है। ये ${p.count} बिल अभी तक नहीं चुकाए गए हैं:`;
    }
  },
  multiRequest: (p) => {
    switch (p.tone) {
      case 'friendly':
      case 'polite':
        return '';
      case 'firm':
        return 'कृपया अब भुगतान करें, या बताएँ कि आप ठीक किस तारीख़ को भुगतान करेंगे।';
      case 'firmer':
        return 'कृपया जल्द से जल्द भुगतान करें। भुगतान न होने पर हमें आगे का उधार और माल की सप्लाई रोकनी पड़ सकती है।';
      case 'final':
        return 'कृपया अभी भुगतान करें या हमसे संपर्क करें — हम इसे आपसे सीधे सुलझाना चाहेंगे।';
    }
  },
  lineStatus: (p) => (p.days > 1 ? `${p.days} दिन बाद` : p.days === 1 ? 'कल' : p.days === 0 ? 'आज' : `${-p.days} दिन से बकाया`),
  invoiceLine: (p) => `• #${p.number} · ${p.amount} · देय ${p.due} (${p.status})`,
  moreInvoices: (p) => `…और ${p.count} बिल`,
  upcomingIntro: (p) => (p.count === 1 ? 'आने वाला बिल, अभी देय नहीं:' : `आने वाले बिल, अभी देय नहीं (${p.count}):`),
  total: (p) => `कुल: ${p.amount}`,
  pay: (p) =>
    p.payment.kind === 'upi'
      ? `UPI से भुगतान करें (${p.payment.upiId}): ${p.payment.link}`
      : p.payment.kind === 'details'
        ? `भुगतान विवरण: ${p.payment.details}`
        : 'भुगतान की व्यवस्था के लिए इस संदेश का जवाब दें।',
  replyInvite: () => "भुगतान की तारीख़ बताते हुए जवाब दें, या अगर भुगतान कर चुके हैं तो 'paid' लिखें। धन्यवाद!",
  thanks: (p) => `धन्यवाद, ${p.debtor}! बिल ${p.numbers} का पूरा भुगतान (${p.amount}) मिल गया है। आपका बहुत आभार।\n— ${p.business}`,
  thanksFromCredit: (p) =>
    `धन्यवाद, ${p.debtor}! बिल ${p.numbers} (${p.amount}) का पूरा भुगतान ${p.credit ? `हो गया है, जिसमें ${p.credit} हमारे पास जमा आपके क्रेडिट से है` : 'हमारे पास जमा आपके क्रेडिट से हो गया है'}।${
      p.left ? ` आपका ${p.left} क्रेडिट अभी बाकी है।` : ''
    } आपका बहुत आभार।\n— ${p.business}`,
  stageLabel: (p) =>
    (({ heads_up: 'पहले की सूचना', due_today: 'आज देय', polite: 'विनम्र', firm: 'सख़्त', firmer: 'और सख़्त', final: 'अंतिम' }) satisfies Record<Stage, string>)[p.stage],
  approvalNone: () => 'मंज़ूरी के लिए कोई रिमाइंडर नहीं है।',
  approvalHeader: (p) => `${p.count} रिमाइंडर तैयार ${p.count === 1 ? 'है' : 'हैं'}:`,
  approvalInvoices: (p) => ` (${p.count} बिल)`,
  approvalHint: (p) =>
    `जवाब दें: approve all · approve ${p.approve} · skip ${p.skip} · snooze ${p.snooze} 2d · edit ${p.edit} <संदेश> · show ${p.show}`,
  unreachableOne: (p) => `${p.name} तक रिमाइंडर नहीं पहुँच सकता (अभी कोई चैट नहीं): उन्हें उनका लिंक भेजें: link ${p.name}`,
  unreachableHeader: (p) => `${p.count} ग्राहकों तक रिमाइंडर नहीं पहुँच सकते (अभी कोई चैट नहीं): हर एक को उनका लिंक भेजें:`,
  unreachableLine: (p) => `• link ${p.name}`,
  digestHeader: (p) => `सुप्रभात! ${p.business} · ${p.date}`,
  digestExpected: (p) => `इस हफ़्ते अपेक्षित: ${p.amount}`,
  digestOverdue: (p) => `देय तारीख निकल चुकी: ${p.amount}`,
  digestFollowUps: () => 'आज फॉलो-अप करें:',
  digestOverdueAmount: (p) => `${p.amount} बकाया`,
  digestPromisesToday: () => 'आज के वादे:',
  digestPromiseOwed: (p) => `${p.amount} कुल बकाया`,
  digestPromisesBroken: () => 'कल टूटे वादे:',
  digestReceived: (p) => `कल मिला: ${p.amount}`,
  digestAwaiting: (p) =>
    p.count === 1 ? '1 रिमाइंडर आपकी मंज़ूरी का इंतज़ार कर रहा है।' : `${p.count} रिमाइंडर आपकी मंज़ूरी का इंतज़ार कर रहे हैं।`,
  digestClaims: (p) => `${p.count} ग्राहक कहते हैं कि भुगतान कर दिया: पुष्टि करें या मना करें ("claims" भेजें)।`,
  digestSent: (p) => `कल ${p.count} रिमाइंडर भेजे गए।`,
  digestMore: (p) => `…और ${p.count}`,
  digestNothing: () => 'आज आपके लिए कुछ नहीं: कुछ भी बकाया नहीं और कोई वादा आज का नहीं। 🎉',
  promiseBroken: (p) =>
    `${p.debtor} ने ${p.date} तक ${p.amount ? `${p.amount} ` : ''}भुगतान करने का वादा किया था, पर भुगतान नहीं आया। शायद उन्हें फ़ोन करना ठीक रहेगा।`,
  promiseBrokenHint: (p) => `अगर उन्होंने भुगतान कर दिया है, तो मुझे बताएँ: ${p.debtor} paid ${p.amount}`,
  sendFailed: (p) =>
    `${p.debtor} को रिमाइंडर ${p.attempts} ${p.attempts === 1 ? 'कोशिश' : 'कोशिशों'} के बाद भी नहीं पहुँच सका। कृपया उनका फ़ोन नंबर जाँचें, या खुद उनसे संपर्क करें।`,
  recipientGone: (p) =>
    `${p.debtor} ने मुझे ${p.channel} पर ब्लॉक कर दिया है (या अपना खाता बंद कर दिया है), इसलिए मैं उन्हें वहाँ संदेश नहीं भेज सकता। मैंने उनके रिमाइंडर रोक दिए हैं। कृपया खुद उनसे संपर्क करें; अगर वे फिर से रिमाइंडर चाहें, तो उन्हें नया लिंक भेजें: link ${p.debtor}`,
};

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function catalogue(language: Language): ReminderCatalogue {
  return language === 'hi' ? hi : en;
}

// ---------------------------------------------------------------------------------------------
// Reminders

function paymentFor(business: ReminderBusiness, totalMinor: number, numbers: readonly string[]): Payment {
  if (business.upiId && business.upiId.trim() !== '') {
    const link = upiLink({
      upiId: business.upiId,
      payeeName: business.name,
      amountMinor: totalMinor,
      currency: business.currency,
      note: upiNote(numbers),
    });
    if (link) return { kind: 'upi', upiId: business.upiId.trim(), link };
  }
  const details = business.paymentDetails?.trim();
  if (details) return { kind: 'details', details };
  return { kind: 'reply' };
}

/** What {pay} stands for: the bare link or details, or the "reply to arrange payment" sentence. */
function payValue(payment: Payment, m: ReminderCatalogue): string {
  if (payment.kind === 'upi') return payment.link;
  if (payment.kind === 'details') return payment.details;
  return m.pay({ payment });
}

/** The order of invoice numbers with the same due date: what `a.localeCompare(b)` gives, with
 * one collator made once instead of one per comparison. */
const compareNumbers = new Intl.Collator().compare;

/**
 * One reminder to one debtor for all the listed invoices: who it is from, the invoice(s), the
 * amount in the business's currency, the due date, how to pay and an invitation to reply. The
 * words follow the tone; the timing ("due in 3 days", "7 days overdue") follows the dates, so
 * a bumped or late reminder never misstates them. Several invoices are listed oldest first with
 * the total at the end. With a valid `custom` template, the template is filled instead.
 */
export function renderReminder(input: ReminderInput): RenderedText {
  if (input.invoices.length === 0) throw new RangeError('a reminder needs at least one invoice');
  const m = catalogue(input.language);
  const { business } = input;
  const locale = localeFor(input.language, business.country);
  const money = (minor: number): string => formatMoney(minor, business.currency, locale);
  const invoices = [...input.invoices].sort((a, b) => (a.dueOn < b.dueOn ? -1 : a.dueOn > b.dueOn ? 1 : compareNumbers(a.number, b.number)));
  const numbers = invoices.map((invoice) => invoice.number);
  const totalMinor = sum(invoices.map((invoice) => invoice.balanceMinor));
  const paymentAll = paymentFor(business, totalMinor, numbers);
  const daysUntil = (dueOn: CalendarDate): number => daysBetween(input.today, dueOn);

  const custom = input.custom?.trim();
  if (custom && validateTemplate(custom).ok) {
    const first = invoices[0]!;
    return {
      text: fillTemplate(custom, {
        customer: input.debtorName,
        business: business.name,
        amount: money(totalMinor),
        invoices: numbers.map((number) => `#${number}`).join(', '),
        due: formatDay(first.dueOn, input.language, input.today),
        pay: payValue(paymentAll, m),
      }),
    };
  }

  // Bills not yet due are mentioned as coming up, never demanded: a message that asks for
  // overdue money lists them apart, and its total and payment link cover only what is due.
  const due = invoices.filter((invoice) => daysUntil(invoice.dueOn) <= 0);
  const upcoming = invoices.filter((invoice) => daysUntil(invoice.dueOn) > 0);
  const asked = due.length > 0 && upcoming.length > 0 ? due : invoices;
  const line = (invoice: ReminderInvoice) =>
    m.invoiceLine({
      number: invoice.number,
      amount: money(invoice.balanceMinor),
      due: formatDay(invoice.dueOn, input.language, input.today),
      status: m.lineStatus({ days: daysUntil(invoice.dueOn) }),
    });
  const lines: string[] = [m.hello({ debtor: input.debtorName, business: business.name })];
  if (asked.length === 1) {
    const invoice = asked[0]!;
    const days = daysUntil(invoice.dueOn);
    const timing = m.timing({ due: formatDay(invoice.dueOn, input.language, input.today), days });
    const fact = m.fact({ number: invoice.number, amount: money(invoice.balanceMinor), timing });
    lines.push(m.single({ tone: input.tone, fact, future: days > 0 }));
  } else {
    const future = asked.every((invoice) => daysUntil(invoice.dueOn) > 0);
    lines.push(m.multiIntro({ tone: input.tone, count: asked.length, future }));
    for (const invoice of asked.slice(0, INVOICE_LINES_SHOWN)) lines.push(line(invoice));
    if (asked.length > INVOICE_LINES_SHOWN) lines.push(m.moreInvoices({ count: asked.length - INVOICE_LINES_SHOWN }));
    lines.push(m.total({ amount: money(sum(asked.map((invoice) => invoice.balanceMinor))) }));
    const request = m.multiRequest({ tone: input.tone });
    if (request) lines.push(request);
  }
  if (asked !== invoices) {
    lines.push(m.upcomingIntro({ count: upcoming.length }));
    for (const invoice of upcoming.slice(0, INVOICE_LINES_SHOWN)) lines.push(line(invoice));
    if (upcoming.length > INVOICE_LINES_SHOWN) lines.push(m.moreInvoices({ count: upcoming.length - INVOICE_LINES_SHOWN }));
  }
  const payment = asked === invoices ? paymentAll : paymentFor(business, sum(asked.map((invoice) => invoice.balanceMinor)), asked.map((invoice) => invoice.number));
  lines.push(m.pay({ payment }));
  lines.push(m.replyInvite());
  return { text: lines.join('\n') };
}

// ---------------------------------------------------------------------------------------------
// Thank-you note

export interface ThanksInput {
  language: Language;
  business: Pick<ReminderBusiness, 'name' | 'currency' | 'country'>;
  debtorName: string;
  /** The invoices just paid in full, with their full amounts. */
  invoices: ReadonlyArray<{ number: string; amountMinor: number }>;
  /** How much of what paid them came from the debtor's credit (earlier overpayments). */
  fromCreditMinor?: number;
  /** The credit the debtor still holds afterwards (said only when some credit was used). */
  creditLeftMinor?: number;
}

/**
 * "Thank you, Ramesh Traders! We've received your payment of ₹12,500.00 for invoice #A-102 in full."
 * When credit paid some or all of it, it says so (and what credit is left) instead.
 */
export function renderThanks(input: ThanksInput): RenderedText {
  const m = catalogue(input.language);
  const locale = localeFor(input.language, input.business.country);
  const money = (minor: number) => formatMoney(minor, input.business.currency, locale);
  const totalMinor = sum(input.invoices.map((invoice) => invoice.amountMinor));
  const facts = {
    debtor: input.debtorName,
    business: input.business.name,
    numbers: input.invoices.map((invoice) => `#${invoice.number}`).join(', '),
    count: input.invoices.length,
    amount: money(totalMinor),
  };
  const fromCredit = input.fromCreditMinor ?? 0;
  if (fromCredit <= 0) return { text: m.thanks(facts) };
  const left = input.creditLeftMinor ?? 0;
  return {
    text: m.thanksFromCredit({ ...facts, credit: fromCredit >= totalMinor ? null : money(fromCredit), left: left > 0 ? money(left) : null }),
  };
}

// ---------------------------------------------------------------------------------------------
// Approval list

export interface ApprovalItem {
  index: number;
  debtorName: string;
  stage: Stage;
  amountMinor: number;
  invoiceCount: number;
}

export interface ApprovalRequestInput {
  language: Language;
  items: readonly ApprovalItem[];
  currency: string;
  locale: string;
  /** Customers a reminder is due for that no chat can reach (named after the list). */
  unreachable?: UnreachableList;
}

/** Customers a reminder is due for but no chat can reach: the first few by name, and how many in all. */
export interface UnreachableList {
  names: readonly string[];
  total: number;
}

/** How many unreachable customers the approval list and the digest name (then "…and N more"). */
export const UNREACHABLE_LIST_CAP = DIGEST_LIST_CAP;

/**
 * What to tell the owner about customers no chat can reach: "Can't reach Plain Traders (no chat
 * yet): send them their link: link Plain Traders", or for several a `link <name>` line each (at
 * most UNREACHABLE_LIST_CAP, then "…and N more"). No lines when there is no one.
 */
export function unreachableLines(language: Language, list: UnreachableList | undefined): string[] {
  if (!list || list.total === 0 || list.names.length === 0) return [];
  const m = catalogue(language);
  if (list.total === 1) return [m.unreachableOne({ name: list.names[0]! })];
  const shown = list.names.slice(0, UNREACHABLE_LIST_CAP);
  const more = list.total - shown.length;
  return [m.unreachableHeader({ count: list.total }), ...shown.map((name) => m.unreachableLine({ name })), ...(more > 0 ? [m.digestMore({ count: more })] : [])];
}

/**
 * "6 reminders ready:\n1. Ramesh Traders · polite · ₹12,500.00\n…\nReply: approve all · approve 1 3 · …".
 * The reply examples use the listed numbers, so every example works as typed.
 */
export function renderApprovalRequest(input: ApprovalRequestInput): RenderedText {
  const m = catalogue(input.language);
  if (input.items.length === 0) return { text: m.approvalNone() };
  const lines = [m.approvalHeader({ count: input.items.length })];
  for (const item of input.items) {
    const amount = formatMoney(item.amountMinor, input.currency, input.locale);
    const count = item.invoiceCount > 1 ? m.approvalInvoices({ count: item.invoiceCount }) : '';
    lines.push(`${item.index}. ${item.debtorName} · ${m.stageLabel({ stage: item.stage })} · ${amount}${count}`);
  }
  const indices = input.items.map((item) => item.index);
  const pick = (position: number): number => indices[Math.min(position, indices.length - 1)]!;
  const approve = [...new Set([pick(0), pick(2)])].join(' ');
  lines.push(m.approvalHint({ approve, skip: pick(1), snooze: pick(3), edit: pick(5), show: pick(2) }));
  lines.push(...unreachableLines(input.language, input.unreachable));
  return { text: lines.join('\n') };
}

// ---------------------------------------------------------------------------------------------
// Morning digest

export interface DigestInput {
  language: Language;
  businessName: string;
  today: CalendarDate;
  currency: string;
  locale: string;
  expectedThisWeekMinor: number;
  /** Aging buckets in display order, labels already in the owner's language; zero buckets are left out. */
  overdueByBucket: ReadonlyArray<{ label: string; amountMinor: number }>;
  followUps: ReadonlyArray<{ name: string; overdueMinor: number; why: string }>;
  /** The amount promised (null: none named) and what the customer owes, shown when no amount was promised. */
  promisesDueToday: ReadonlyArray<{ name: string; amountMinor: number | null; owedMinor: number }>;
  promisesBrokenYesterday: ReadonlyArray<{ name: string }>;
  receivedYesterday: ReadonlyArray<{ name: string; amountMinor: number }>;
  awaitingApproval: number;
  /** Debtors' "paid already" waiting for the owner to confirm or reject (see "claims"). */
  claimsWaiting: number;
  /** Reminders sent on the previous day in the business's time zone. */
  remindersSentYesterday: number;
  /** Customers a reminder is due for that no chat can reach. */
  unreachable?: UnreachableList;
}

/**
 * The owner's morning digest: cash expected this week, overdue by aging bucket, today's
 * follow-ups, customers no chat can reach, promises due today (with their amounts) and broken
 * yesterday, money received, reminders waiting and sent. Empty sections are left out; each list
 * shows at most 5 entries and "…and N more". One line after another: no blank lines, which some
 * chats show as large gaps.
 */
export function renderDigest(input: DigestInput): RenderedText {
  const m = catalogue(input.language);
  const money = (minor: number): string => formatMoney(minor, input.currency, input.locale);
  const capped = <T>(items: readonly T[], line: (item: T, position: number) => string): string[] => {
    const shown = items.slice(0, DIGEST_LIST_CAP).map(line);
    return items.length > DIGEST_LIST_CAP ? [...shown, m.digestMore({ count: items.length - DIGEST_LIST_CAP })] : shown;
  };
  const sections: string[][] = [];

  if (input.expectedThisWeekMinor > 0) sections.push([m.digestExpected({ amount: money(input.expectedThisWeekMinor) })]);

  const buckets = input.overdueByBucket.filter((bucket) => bucket.amountMinor > 0);
  if (buckets.length > 0) {
    sections.push([
      m.digestOverdue({ amount: money(sum(buckets.map((bucket) => bucket.amountMinor))) }),
      ...buckets.map((bucket) => `• ${bucket.label}: ${money(bucket.amountMinor)}`),
    ]);
  }

  if (input.followUps.length > 0) {
    sections.push([
      m.digestFollowUps(),
      ...capped(input.followUps, (f, position) => {
        const overdue = f.overdueMinor > 0 ? ` — ${m.digestOverdueAmount({ amount: money(f.overdueMinor) })}` : '';
        const why = f.why.trim() ? ` · ${f.why.trim()}` : '';
        return `${position + 1}. ${f.name}${overdue}${why}`;
      }),
    ]);
  }

  const unreachable = unreachableLines(input.language, input.unreachable);
  if (unreachable.length > 0) sections.push(unreachable);

  if (input.promisesDueToday.length > 0) {
    sections.push([
      m.digestPromisesToday(),
      ...capped(input.promisesDueToday, (p) => {
        const amount =
          p.amountMinor !== null && p.amountMinor > 0 ? money(p.amountMinor) : p.owedMinor > 0 ? m.digestPromiseOwed({ amount: money(p.owedMinor) }) : null;
        return amount === null ? `• ${p.name}` : `• ${p.name} — ${amount}`;
      }),
    ]);
  }

  if (input.promisesBrokenYesterday.length > 0) {
    sections.push([m.digestPromisesBroken(), ...capped(input.promisesBrokenYesterday, (p) => `• ${p.name}`)]);
  }

  if (input.receivedYesterday.length > 0) {
    sections.push([
      m.digestReceived({ amount: money(sum(input.receivedYesterday.map((r) => r.amountMinor))) }),
      ...capped(input.receivedYesterday, (r) => `• ${r.name} — ${money(r.amountMinor)}`),
    ]);
  }

  const activity: string[] = [];
  if (input.claimsWaiting > 0) activity.push(m.digestClaims({ count: input.claimsWaiting }));
  if (input.awaitingApproval > 0) activity.push(m.digestAwaiting({ count: input.awaitingApproval }));
  if (input.remindersSentYesterday > 0) activity.push(m.digestSent({ count: input.remindersSentYesterday }));
  if (activity.length > 0) sections.push(activity);

  const header = m.digestHeader({ business: input.businessName, date: formatDay(input.today, input.language) });
  if (sections.length === 0) return { text: `${header}\n${m.digestNothing()}` };
  return { text: [header, ...sections.flat()].filter((line) => line.trim() !== '').join('\n') };
}

// ---------------------------------------------------------------------------------------------
// Owner alerts

export interface PromiseBrokenInput {
  language: Language;
  debtorName: string;
  promisedOn: CalendarDate;
  /** The business's today: a promised day in another year shows its year. */
  today: CalendarDate;
  amountMinor: number | null;
  currency: string;
  locale: string;
}

/** Tells the owner a promise passed unpaid, and how to record the payment if it did come. */
export function renderPromiseBroken(input: PromiseBrokenInput): RenderedText {
  const m = catalogue(input.language);
  const amountMinor = input.amountMinor !== null && input.amountMinor > 0 ? input.amountMinor : null;
  const lines = [
    m.promiseBroken({
      debtor: input.debtorName,
      date: formatDay(input.promisedOn, input.language, input.today),
      amount: amountMinor === null ? null : formatMoney(amountMinor, input.currency, input.locale),
    }),
  ];
  if (amountMinor !== null) lines.push(m.promiseBrokenHint({ debtor: input.debtorName, amount: typedAmount(amountMinor, input.currency) }));
  return { text: lines.join('\n') };
}

export interface SendFailedInput {
  language: Language;
  debtorName: string;
  /** How many times sending was tried before giving up. */
  attempts: number;
}

/** Tells the owner a reminder could not be delivered after all its attempts. */
export function renderSendFailed(input: SendFailedInput): RenderedText {
  return { text: catalogue(input.language).sendFailed({ debtor: input.debtorName, attempts: input.attempts }) };
}

export interface RecipientGoneInput {
  language: Language;
  debtorName: string;
  /** The channel they blocked the bot on ("telegram"). */
  channel: string;
}

const CHANNEL_NAMES: Record<string, string> = { telegram: 'Telegram', whatsapp: 'WhatsApp' };

/** Tells the owner a debtor blocked the bot (or closed their account): their reminders stop. */
export function renderRecipientGone(input: RecipientGoneInput): RenderedText {
  return { text: catalogue(input.language).recipientGone({ debtor: input.debtorName, channel: CHANNEL_NAMES[input.channel] ?? input.channel }) };
}
