// Every sentence a person reads, in English and Hindi. Short, polite, with an example when the
// person has to type something. The Hindi catalogue must have every key of the English one
// (the type checker enforces it), so no message can exist in one language only.
import type { Language } from './money.ts';

export type { Language };

export const EXAMPLE_ADD = 'add Ramesh Traders 12500 due 30 Nov #A-102';

const en = {
  welcomeAskName: () =>
    "👋 Welcome to Paynudge! I help you get paid on time: add invoices here, and I'll remind your customers politely.\nFirst, what is your business called?",
  badBusinessName: () => 'Please send your business name in words, for example: Sharma Distributors.',
  askCurrency: (p: { name: string; suggested: string }) =>
    `Nice to meet you, ${p.name}! Which currency do you bill in? Send a code such as INR, OMR or USD, or "ok" for ${p.suggested}.`,
  badCurrency: (p: { got: string; suggested: string }) =>
    `"${p.got}" isn't a currency code I know. Send three letters such as INR, OMR or USD, or "ok" for ${p.suggested}.`,
  askTimeZone: (p: { suggested: string }) =>
    `Which time zone are you in? Send one such as Asia/Kolkata or Asia/Muscat, or "ok" for ${p.suggested}.`,
  badTimeZone: (p: { got: string; suggested: string }) =>
    `"${p.got}" isn't a time zone I know. Send one such as Asia/Kolkata, Asia/Dubai or Europe/London, or "ok" for ${p.suggested}.`,
  onboardingDone: (p: { name: string; currency: string; timeZone: string }) =>
    `All set: ${p.name} · ${p.currency} · ${p.timeZone}.\nAdd your first invoice like this:\n${EXAMPLE_ADD}\nSend "help" any time to see what I can do.`,
  help: () =>
    [
      'Here is what I can do:',
      `• add <customer> <amount> [due <date>] [#<invoice no.>] [phone] — e.g. ${EXAMPLE_ADD}`,
      '• add — I ask for each detail in turn',
      '• list — your open invoices, oldest due first',
      '• cancel — stop what we are doing',
      '• hindi / english — switch my language',
      '• help — this message',
      'Amounts: 12500, 12,500, 12,50,000, 12.5k, 1.2 lakh. Dates: 30 Nov, next Friday, in 15 days.',
    ].join('\n'),
  unknownCommand: (p: { got: string }) =>
    `Sorry, I didn't understand "${p.got}". Try:\n${EXAMPLE_ADD}\nor "list", or "help" to see everything.`,
  tooLong: (p: { length: number; max: number }) =>
    `That message is too long for me (${p.length} characters). Please keep it under ${p.max} characters, e.g. ${EXAMPLE_ADD}`,
  noText: () => `I can only read words and numbers. Try "help", or ${EXAMPLE_ADD}`,
  askDebtorName: () => 'Who is the customer? Send their name, for example: Ramesh Traders.',
  badDebtorName: () => 'Please send the customer\'s name in words, for example: Ramesh Traders. Or "cancel" to stop.',
  askAmount: (p: { debtor: string }) =>
    `How much does ${p.debtor} owe? For example: 12500, 12,500 or 12.5k. Or "cancel" to stop.`,
  badAmount: (p: { got: string }) =>
    `"${p.got}" doesn't look like an amount. Write it like 12500, 12,500, 12,50,000 or 12.5k.`,
  amountNotPositive: (p: { got: string }) => `The amount must be more than zero ("${p.got}"). For example: 12500.`,
  amountTooPrecise: (p: { got: string; digits: number; currency: string }) =>
    `${p.currency} amounts have at most ${p.digits} decimal places ("${p.got}"). For example: 12500.50.`,
  amountTooLarge: (p: { got: string }) => `"${p.got}" is larger than I can record. Please check the amount.`,
  badDate: (p: { got: string }) =>
    `"${p.got}" isn't a date I can use. Try for example: due 30 Nov, due next Friday, or due in 15 days.`,
  badPhone: (p: { got: string }) =>
    `"${p.got}" doesn't look like a phone number. Send it like +91 98123 45678 or 9812345678.`,
  invoiceExists: (p: { number: string; debtor: string; amount: string }) =>
    `Invoice #${p.number} already exists (${p.debtor}, ${p.amount}). Please use another number, e.g. #${p.number}-2.`,
  invoiceSaved: (p: { debtor: string; amount: string; due: string; number: string }) =>
    `Saved: ${p.debtor} · ${p.amount} · due ${p.due} · #${p.number}`,
  dueByTerms: (p: { date: string; days: number }) => `${p.date} (${p.days}-day terms)`,
  listEmpty: () => `No open invoices. Add one like this: ${EXAMPLE_ADD}`,
  listHeader: (p: { count: number; total: string }) => `Open invoices: ${p.count} · ${p.total} outstanding`,
  listLine: (p: { index: number; debtor: string; number: string; balance: string; due: string; when: string }) =>
    `${p.index}. ${p.debtor} · #${p.number} · ${p.balance} · due ${p.due} (${p.when})`,
  listMore: (p: { count: number }) => `…and ${p.count} more.`,
  dueToday: () => 'due today',
  dueInDays: (p: { days: number }) => (p.days === 1 ? 'tomorrow' : `in ${p.days} days`),
  overdueDays: (p: { days: number }) => (p.days === 1 ? '1 day overdue' : `${p.days} days overdue`),
  cancelled: () => 'Okay, cancelled. Nothing was saved.',
  nothingToCancel: () => 'There is nothing to cancel. Send "help" to see what I can do.',
  languageSet: () => "Okay, I'll write in English from now on.",
  debtorMessageReceived: (p: { business: string }) =>
    `Thank you for your message. I've passed it to ${p.business}; they will get back to you.`,
  ownerDebtorMessage: (p: { debtor: string; text: string }) => `Message from ${p.debtor}:\n"${p.text}"`,
  somethingWentWrong: () => 'Sorry, something went wrong on my side and nothing was saved. Please try again in a moment.',
};

export type MessageKey = keyof typeof en;
type Catalogue = { [K in MessageKey]: (typeof en)[K] };

const hi: Catalogue = {
  welcomeAskName: () =>
    '👋 Paynudge में आपका स्वागत है! मैं आपको समय पर भुगतान दिलाने में मदद करता हूँ: यहाँ बिल जोड़ें, और मैं आपके ग्राहकों को विनम्रता से याद दिलाऊँगा।\nसबसे पहले, आपके व्यवसाय का नाम क्या है?',
  badBusinessName: () => 'कृपया अपने व्यवसाय का नाम शब्दों में भेजें, जैसे: Sharma Distributors.',
  askCurrency: (p) =>
    `आपसे मिलकर खुशी हुई, ${p.name}! आप किस मुद्रा में बिल बनाते हैं? INR, OMR या USD जैसा कोड भेजें, या ${p.suggested} के लिए "ok" लिखें।`,
  badCurrency: (p) =>
    `"${p.got}" कोई मुद्रा कोड नहीं है जिसे मैं जानता हूँ। INR, OMR या USD जैसे तीन अक्षर भेजें, या ${p.suggested} के लिए "ok" लिखें।`,
  askTimeZone: (p) => `आप किस टाइम ज़ोन में हैं? Asia/Kolkata या Asia/Muscat जैसा भेजें, या ${p.suggested} के लिए "ok" लिखें।`,
  badTimeZone: (p) =>
    `"${p.got}" कोई टाइम ज़ोन नहीं है जिसे मैं जानता हूँ। Asia/Kolkata, Asia/Dubai या Europe/London जैसा भेजें, या ${p.suggested} के लिए "ok" लिखें।`,
  onboardingDone: (p) =>
    `सब तैयार है: ${p.name} · ${p.currency} · ${p.timeZone}.\nपहला बिल ऐसे जोड़ें:\n${EXAMPLE_ADD}\nमैं क्या कर सकता हूँ, यह देखने के लिए कभी भी "help" भेजें।`,
  help: () =>
    [
      'मैं यह कर सकता हूँ:',
      `• add <ग्राहक> <रकम> [due <तारीख>] [#<बिल नंबर>] [फ़ोन] — जैसे ${EXAMPLE_ADD}`,
      '• add — मैं एक-एक करके हर जानकारी पूछूँगा',
      '• list — आपके खुले बिल, सबसे पुराने पहले',
      '• cancel — जो चल रहा है उसे रोकें',
      '• hindi / english — मेरी भाषा बदलें',
      '• help — यह संदेश',
      'रकम: 12500, 12,500, 12,50,000, 12.5k, 1.2 lakh. तारीख: 30 Nov, next Friday, in 15 days.',
    ].join('\n'),
  unknownCommand: (p) => `माफ़ कीजिए, मैं "${p.got}" समझ नहीं पाया। ऐसे लिखें:\n${EXAMPLE_ADD}\nया "list", या सब कुछ देखने के लिए "help"।`,
  tooLong: (p) =>
    `यह संदेश मेरे लिए बहुत लंबा है (${p.length} अक्षर)। कृपया ${p.max} अक्षरों से छोटा रखें, जैसे ${EXAMPLE_ADD}`,
  noText: () => `मैं केवल शब्द और अंक पढ़ सकता हूँ। "help" भेजें, या ${EXAMPLE_ADD}`,
  askDebtorName: () => 'ग्राहक कौन है? उनका नाम भेजें, जैसे: Ramesh Traders.',
  badDebtorName: () => 'कृपया ग्राहक का नाम शब्दों में भेजें, जैसे: Ramesh Traders. रोकने के लिए "cancel" लिखें।',
  askAmount: (p) => `${p.debtor} पर कितना बकाया है? जैसे: 12500, 12,500 या 12.5k. रोकने के लिए "cancel" लिखें।`,
  badAmount: (p) => `"${p.got}" रकम जैसा नहीं लगता। ऐसे लिखें: 12500, 12,500, 12,50,000 या 12.5k.`,
  amountNotPositive: (p) => `रकम शून्य से ज़्यादा होनी चाहिए ("${p.got}")। जैसे: 12500.`,
  amountTooPrecise: (p) => `${p.currency} की रकम में दशमलव के बाद ज़्यादा से ज़्यादा ${p.digits} अंक होते हैं ("${p.got}")। जैसे: 12500.50.`,
  amountTooLarge: (p) => `"${p.got}" इतनी बड़ी रकम मैं दर्ज नहीं कर सकता। कृपया रकम जाँच लें।`,
  badDate: (p) => `"${p.got}" ऐसी तारीख नहीं है जिसे मैं इस्तेमाल कर सकूँ। ऐसे लिखें: due 30 Nov, due next Friday, या due in 15 days.`,
  badPhone: (p) => `"${p.got}" फ़ोन नंबर जैसा नहीं लगता। ऐसे भेजें: +91 98123 45678 या 9812345678.`,
  invoiceExists: (p) =>
    `बिल #${p.number} पहले से मौजूद है (${p.debtor}, ${p.amount})। कृपया दूसरा नंबर इस्तेमाल करें, जैसे #${p.number}-2.`,
  invoiceSaved: (p) => `सेव हो गया: ${p.debtor} · ${p.amount} · देय ${p.due} · #${p.number}`,
  dueByTerms: (p) => `${p.date} (${p.days} दिन की शर्तें)`,
  listEmpty: () => `कोई खुला बिल नहीं है। ऐसे जोड़ें: ${EXAMPLE_ADD}`,
  listHeader: (p) => `खुले बिल: ${p.count} · ${p.total} बकाया`,
  listLine: (p) => `${p.index}. ${p.debtor} · #${p.number} · ${p.balance} · देय ${p.due} (${p.when})`,
  listMore: (p) => `…और ${p.count} बिल।`,
  dueToday: () => 'आज देय',
  dueInDays: (p) => (p.days === 1 ? 'कल' : `${p.days} दिन में`),
  overdueDays: (p) => `${p.days} दिन से बकाया`,
  cancelled: () => 'ठीक है, रद्द कर दिया। कुछ भी सेव नहीं हुआ।',
  nothingToCancel: () => 'रद्द करने के लिए कुछ नहीं है। मैं क्या कर सकता हूँ, यह देखने के लिए "help" भेजें।',
  languageSet: () => 'ठीक है, अब से मैं हिंदी में लिखूँगा।',
  debtorMessageReceived: (p) => `आपके संदेश के लिए धन्यवाद। मैंने इसे ${p.business} तक पहुँचा दिया है; वे आपसे संपर्क करेंगे।`,
  ownerDebtorMessage: (p) => `${p.debtor} का संदेश:\n"${p.text}"`,
  somethingWentWrong: () => 'माफ़ कीजिए, मेरी तरफ़ कुछ गड़बड़ हुई और कुछ भी सेव नहीं हुआ। कृपया थोड़ी देर में फिर कोशिश करें।',
};

const catalogues: Record<Language, Catalogue> = { en, hi };

/** The catalogue of one language: `messagesFor('hi').askAmount({ debtor: 'Ramesh' })`. */
export function messagesFor(language: Language | string | null | undefined): Catalogue {
  return language === 'hi' ? catalogues.hi : catalogues.en;
}

export const SUPPORTED_LANGUAGES: readonly Language[] = ['en', 'hi'];
