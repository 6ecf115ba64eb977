// What the bot says in a debtor's conversation: to the debtor (acknowledgements that restate what
// was understood and promise nothing the owner has not agreed to) and to the owner (what the
// debtor said and what the bot did about it). English and Hindi; the Hindi catalogue must have
// every key of the English one (the type checker enforces it). Amounts and days arrive formatted.
import type { Language } from './money.ts';

const en = {
  // --- to the debtor ---
  promiseNoted: (p: { amount: string; day: string }) => `Noted: ${p.amount} by ${p.day}. Thank you!`,
  partialNoted: (p: { part: string; rest: string; day: string; business: string }) =>
    `Noted: ${p.part} paid now, which I've asked ${p.business} to confirm, and the remaining ${p.rest} by ${p.day}. Thank you!`,
  promiseAskDate: (p: { amount: string }) =>
    `Thank you! By which day will you pay ${p.amount}? For example: Friday, 30 Nov, or in 5 days.`,
  promiseNotedNoDate: (p: { amount: string; business: string }) =>
    `Noted: ${p.amount}. Thank you! I've told ${p.business}.`,
  paidThanks: (p: { amount: string; business: string }) =>
    `Thank you! I've asked ${p.business} to confirm your payment of ${p.amount}. I'll let you know once it's confirmed.`,
  paymentConfirmed: (p: { amount: string; business: string }) =>
    `${p.business} has received your payment of ${p.amount}. Thank you!`,
  paymentNotFound: (p: { amount: string; business: string }) =>
    `${p.business} could not find your payment of ${p.amount} yet. Please reply with the UPI or bank reference and the date you paid, and they will check again.`,
  disputeNoted: (p: { invoices: string; business: string }) =>
    `Sorry about that. I've stopped reminders for ${p.invoices} and passed your message to ${p.business}; they will get back to you.`,
  callbackNoted: (p: { business: string }) => `Thank you. I've asked ${p.business} to call you.`,
  extensionNoted: (p: { business: string }) =>
    `Thank you. I've passed your request to ${p.business}; they will get back to you.`,
  optedOut: (p: { business: string }) =>
    `Done: you won't get more messages from ${p.business} here. For anything else, please contact them directly.`,
  balance: (p: { business: string; total: string; lines: string }) => `You owe ${p.business} ${p.total}:\n${p.lines}`,
  balanceLine: (p: { number: string; amount: string; due: string }) => `#${p.number} · ${p.amount} · due ${p.due}`,
  payByUpi: (p: { link: string }) => `Pay by UPI: ${p.link}`,
  payDetails: (p: { details: string }) => `How to pay: ${p.details}`,
  payAskBusiness: (p: { business: string }) => `Please ask ${p.business} how to pay.`,
  nothingDue: (p: { business: string }) => `You have nothing due to ${p.business} right now. Thank you!`,
  questionForwarded: (p: { business: string }) => `I've passed your question to ${p.business}; they will reply soon.`,
  messageForwarded: (p: { business: string }) =>
    `Thank you for your message. I've passed it to ${p.business}; they will get back to you.`,
  unknownSender: () =>
    'Thank you for your message. I don\'t know this chat yet, so I have kept your message for the business it is meant for. To use Paynudge for your own business, send "start".',

  // --- to the owner ---
  ownerPromise: (p: { debtor: string; amount: string; day: string; text: string }) =>
    `${p.debtor} promised ${p.amount} by ${p.day}:\n"${p.text}"\nI'll hold their reminders until then.`,
  ownerPartial: (p: { debtor: string; part: string; rest: string; day: string; number: number; text: string }) =>
    `${p.debtor} says they are paying ${p.part} now and promise the remaining ${p.rest} by ${p.day}:\n"${p.text}"\nDid you receive ${p.part}? Reply "confirm ${p.number}" to record it, or "reject ${p.number}". I'll hold their reminders until ${p.day}.`,
  ownerPromiseNoDate: (p: { debtor: string; amount: string; holdUntil: string; text: string }) =>
    `${p.debtor} promised ${p.amount} without a date:\n"${p.text}"\nI've asked them for one and will hold reminders until ${p.holdUntil}.`,
  ownerPaidClaim: (p: { debtor: string; amount: string; number: number; text: string }) =>
    `${p.debtor} says they have paid ${p.amount}:\n"${p.text}"\nDid you receive it? Reply "confirm ${p.number}" to record the payment, or "reject ${p.number}".`,
  ownerDispute: (p: { debtor: string; invoices: string; text: string; resolve: string }) =>
    `${p.debtor} disputes ${p.invoices}:\n"${p.text}"\nReminders for it are paused. When it is sorted out: ${p.resolve}`,
  ownerCallback: (p: { debtor: string; text: string; phone: string }) =>
    `${p.debtor} asks you to call them${p.phone}:\n"${p.text}"\nPlease call them back.`,
  ownerExtension: (p: { debtor: string; text: string }) =>
    `${p.debtor} asks for more time:\n"${p.text}"\nPlease let them know what you decide.`,
  ownerOptOut: (p: { debtor: string; text: string; name: string }) =>
    `${p.debtor} asked not to get messages:\n"${p.text}"\nI won't send them anything more. If they agree to hear from you again: allow ${p.name}`,
  ownerRefuse: (p: { debtor: string; text: string }) => `${p.debtor} says they won't pay:\n"${p.text}"\nYou may want to call them.`,
  ownerQuestion: (p: { debtor: string; text: string }) => `${p.debtor} asks:\n"${p.text}"\nPlease reply to them directly.`,
  ownerMessage: (p: { debtor: string; text: string }) => `Message from ${p.debtor}:\n"${p.text}"`,
  ownerUnknownSender: (p: { sender: string; text: string }) =>
    `A message from a chat I don't know (${p.sender}):\n"${p.text}"`,
  claimConfirmedChoice: () => '✓ Received',
  claimRejectedChoice: () => '✗ Not received',
  claimNotFound: (p: { number: number }) =>
    `There is no payment claim ${p.number} waiting. Send "claims" to see the ones that are.`,
  claimAlreadyDone: (p: { number: number; status: string }) => `Payment claim ${p.number} was already ${p.status}.`,
  claimStatusConfirmed: () => 'confirmed',
  claimStatusRejected: () => 'rejected',
  claimNothingDue: (p: { debtor: string }) =>
    `${p.debtor} has nothing open to pay, so there is nothing to record. I've closed the claim.`,
  claimRejected: (p: { debtor: string }) =>
    `Okay. I've told ${p.debtor} you couldn't find the payment and asked for the reference.`,
  claimsNone: () => 'No payment claims are waiting for you.',
  claimsHeader: (p: { count: number }) => `${p.count} payment claim(s) waiting:`,
  claimsLine: (p: { number: number; debtor: string; amount: string; day: string }) =>
    `${p.number}. ${p.debtor} · ${p.amount} · ${p.day}`,
  claimsFooter: () => 'Reply "confirm N" to record one as a payment, or "reject N".',
  allowed: (p: { debtor: string }) => `${p.debtor} can get messages and reminders again.`,
  notOptedOut: (p: { debtor: string }) => `${p.debtor} has not asked to stop messages.`,
  theWholeBalance: (p: { amount: string }) => `${p.amount} (the full balance)`,
};

export type DebtorCatalogue = typeof en;

const hi: DebtorCatalogue = {
  promiseNoted: (p) => `नोट कर लिया: ${p.amount}, ${p.day} तक। धन्यवाद!`,
  partialNoted: (p) =>
    `नोट कर लिया: अभी ${p.part}, जिसकी पुष्टि करने को मैंने ${p.business} से कहा है, और बाकी ${p.rest} ${p.day} तक। धन्यवाद!`,
  promiseAskDate: (p) => `धन्यवाद! ${p.amount} आप किस दिन तक देंगे? जैसे: शुक्रवार, 30 Nov, या 5 दिन में।`,
  promiseNotedNoDate: (p) => `नोट कर लिया: ${p.amount}। धन्यवाद! मैंने ${p.business} को बता दिया है।`,
  paidThanks: (p) => `धन्यवाद! मैंने ${p.business} से आपके ${p.amount} के भुगतान की पुष्टि करने को कहा है। पुष्टि होते ही मैं आपको बताऊँगा।`,
  paymentConfirmed: (p) => `${p.business} को आपका ${p.amount} का भुगतान मिल गया है। धन्यवाद!`,
  paymentNotFound: (p) =>
    `${p.business} को अभी आपका ${p.amount} का भुगतान नहीं मिला। कृपया UPI या बैंक रेफ़रेंस और भुगतान की तारीख भेजें, वे फिर से देखेंगे।`,
  disputeNoted: (p) => `असुविधा के लिए क्षमा करें। मैंने ${p.invoices} के रिमाइंडर रोक दिए हैं और आपका संदेश ${p.business} तक पहुँचा दिया है; वे आपसे संपर्क करेंगे।`,
  callbackNoted: (p) => `धन्यवाद। मैंने ${p.business} से आपको कॉल करने को कहा है।`,
  extensionNoted: (p) => `धन्यवाद। मैंने आपका अनुरोध ${p.business} तक पहुँचा दिया है; वे आपसे संपर्क करेंगे।`,
  optedOut: (p) => `ठीक है: अब आपको यहाँ ${p.business} की ओर से संदेश नहीं आएँगे। किसी और बात के लिए कृपया उनसे सीधे संपर्क करें।`,
  balance: (p) => `${p.business} का आप पर ${p.total} बकाया है:\n${p.lines}`,
  balanceLine: (p) => `#${p.number} · ${p.amount} · देय ${p.due}`,
  payByUpi: (p) => `UPI से भुगतान करें: ${p.link}`,
  payDetails: (p) => `भुगतान कैसे करें: ${p.details}`,
  payAskBusiness: (p) => `भुगतान का तरीका कृपया ${p.business} से पूछें।`,
  nothingDue: (p) => `अभी आप पर ${p.business} का कुछ बकाया नहीं है। धन्यवाद!`,
  questionForwarded: (p) => `मैंने आपका सवाल ${p.business} तक पहुँचा दिया है; वे जल्दी जवाब देंगे।`,
  messageForwarded: (p) => `आपके संदेश के लिए धन्यवाद। मैंने इसे ${p.business} तक पहुँचा दिया है; वे आपसे संपर्क करेंगे।`,
  unknownSender: () =>
    'आपके संदेश के लिए धन्यवाद। मैं इस चैट को अभी नहीं पहचानता, इसलिए आपका संदेश संबंधित व्यापार के लिए रख लिया है। अपने व्यापार के लिए Paynudge इस्तेमाल करने के लिए "start" भेजें।',

  ownerPromise: (p) => `${p.debtor} ने ${p.day} तक ${p.amount} देने का वादा किया:\n"${p.text}"\nतब तक मैं उनके रिमाइंडर रोक रहा हूँ।`,
  ownerPartial: (p) =>
    `${p.debtor} कह रहे हैं कि वे अभी ${p.part} दे रहे हैं और बाकी ${p.rest} ${p.day} तक देने का वादा करते हैं:\n"${p.text}"\nक्या आपको ${p.part} मिले? दर्ज करने के लिए "confirm ${p.number}" भेजें, या "reject ${p.number}"। ${p.day} तक मैं उनके रिमाइंडर रोक रहा हूँ।`,
  ownerPromiseNoDate: (p) =>
    `${p.debtor} ने बिना तारीख ${p.amount} देने का वादा किया:\n"${p.text}"\nमैंने उनसे तारीख पूछी है और ${p.holdUntil} तक रिमाइंडर रोक रहा हूँ।`,
  ownerPaidClaim: (p) =>
    `${p.debtor} कहते हैं कि उन्होंने ${p.amount} का भुगतान कर दिया है:\n"${p.text}"\nक्या आपको मिला? भुगतान दर्ज करने के लिए "confirm ${p.number}" लिखें, या "reject ${p.number}"।`,
  ownerDispute: (p) => `${p.debtor} ने ${p.invoices} पर आपत्ति की है:\n"${p.text}"\nइसके रिमाइंडर रोक दिए गए हैं। मामला सुलझने पर: ${p.resolve}`,
  ownerCallback: (p) => `${p.debtor} चाहते हैं कि आप उन्हें कॉल करें${p.phone}:\n"${p.text}"\nकृपया उन्हें वापस कॉल कर लें।`,
  ownerExtension: (p) => `${p.debtor} और समय माँग रहे हैं:\n"${p.text}"\nकृपया उन्हें अपना फ़ैसला बता दें।`,
  ownerOptOut: (p) =>
    `${p.debtor} ने संदेश न भेजने को कहा है:\n"${p.text}"\nमैं उन्हें अब कुछ नहीं भेजूँगा। अगर वे फिर से संदेश लेने को मान जाएँ: allow ${p.name}`,
  ownerRefuse: (p) => `${p.debtor} कहते हैं कि वे भुगतान नहीं करेंगे:\n"${p.text}"\nशायद आप उन्हें कॉल करना चाहें।`,
  ownerQuestion: (p) => `${p.debtor} पूछ रहे हैं:\n"${p.text}"\nकृपया उन्हें सीधे जवाब दें।`,
  ownerMessage: (p) => `${p.debtor} का संदेश:\n"${p.text}"`,
  ownerUnknownSender: (p) => `एक अनजान चैट (${p.sender}) से संदेश:\n"${p.text}"`,
  claimConfirmedChoice: () => '✓ मिल गया',
  claimRejectedChoice: () => '✗ नहीं मिला',
  claimNotFound: (p) => `भुगतान दावा ${p.number} बाकी नहीं है। बाकी दावे देखने के लिए "claims" भेजें।`,
  claimAlreadyDone: (p) => `भुगतान दावा ${p.number} पहले ही ${p.status} हो चुका है।`,
  claimStatusConfirmed: () => 'स्वीकार',
  claimStatusRejected: () => 'अस्वीकार',
  claimNothingDue: (p) => `${p.debtor} का कोई बिल खुला नहीं है, इसलिए दर्ज करने को कुछ नहीं है। मैंने दावा बंद कर दिया है।`,
  claimRejected: (p) => `ठीक है। मैंने ${p.debtor} को बता दिया कि भुगतान नहीं मिला और रेफ़रेंस माँगा है।`,
  claimsNone: () => 'कोई भुगतान दावा आपकी पुष्टि के लिए बाकी नहीं है।',
  claimsHeader: (p) => `${p.count} भुगतान दावे बाकी:`,
  claimsLine: (p) => `${p.number}. ${p.debtor} · ${p.amount} · ${p.day}`,
  claimsFooter: () => 'भुगतान दर्ज करने के लिए "confirm N" लिखें, या "reject N"।',
  allowed: (p) => `${p.debtor} को अब फिर से संदेश और रिमाइंडर जा सकते हैं।`,
  notOptedOut: (p) => `${p.debtor} ने संदेश बंद करने को नहीं कहा है।`,
  theWholeBalance: (p) => `${p.amount} (पूरा बकाया)`,
};

const catalogues: Record<Language, DebtorCatalogue> = { en, hi };

export function debtorTextsFor(language: Language | string | null | undefined): DebtorCatalogue {
  return catalogues[language === 'hi' ? 'hi' : 'en'];
}
