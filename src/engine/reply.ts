// Understanding a debtor's reply: one intent, and for a promise the promised date, and for a
// promise or a payment the amount. The contract is shared/spec/reply-understanding.md.
//
// How it works: the reply is normalised, cut into clauses ("paid half | rest on friday"), and
// each clause is tagged by families of cue phrases (paid, commitment, inability, refusal,
// dispute, opt-out, callback, question, time request). Dates come from when.ts. A date in a
// clause that is about paying in the future (not a past payment, not a negated or callback or
// question clause) makes the reply a dated promise, which wins over everything else. Otherwise
// the families decide in a fixed order of precedence.
import { findAmountsInNormalizedText, type AmountMention } from './amount.ts';
import { todayIn, type CalendarDate } from './calendar.ts';
import { normalizePatternSource, normalizeText, WORD_END, WORD_START } from './text.ts';
import { findDateMentionsInNormalizedText, type DateMention } from './when.ts';

export type ReplyIntent = 'promise' | 'paid' | 'dispute' | 'extension' | 'callback' | 'opt_out' | 'question' | 'refuse' | 'other';

export const REPLY_INTENTS: readonly ReplyIntent[] = ['promise', 'paid', 'dispute', 'extension', 'callback', 'opt_out', 'question', 'refuse', 'other'];

export interface ReplyInput {
  text: string;
  /** When the reply was received. */
  now: Date;
  /** The business's IANA time zone; dates are calendar dates there. */
  tz: string;
}

export interface ReplyUnderstanding {
  intent: ReplyIntent;
  /** 'YYYY-MM-DD' for a promise that names or implies a day, else null. */
  promisedDate: CalendarDate | null;
  /** Major units, for a promise or paid reply that names an amount, else null. */
  amount: number | null;
}

// ---------------------------------------------------------------------------------------------
// Cue families. Each is one global regex over normalised text; matches are assigned to clauses.

function family(...sources: string[]): RegExp {
  return new RegExp(`${WORD_START}(?:${normalizePatternSource(sources.join('|'))})${WORD_END}`, 'gu');
}

/** Devanagari word ending with one of the suffixes (future-tense verbs: करूंगा, देंगे, जाएगा). */
const DEVANAGARI_FUTURE = '[\\p{L}\\p{M}]*(?:ूंगा|ूंगी|ुंगा|ुंगी|ूगा|ेंगे|ेंगी|ेगा|ेगी|ाएगा|ायेगा|ाएगी|ायेगी|ाएंगे|ायेंगे)';
/** Roman Hindi future-tense verbs: dunga, karenge, jayega, bhejunga. */
const ROMAN_HINDI_FUTURE =
  '[a-z]*(?:unga|ungi|unge|oonga|oongi|onga|ooga|uga|enge|engi|ega|egi|yega|ayega|aega|aegi|ayegi|jayga|jaega|jaayega|jaaega|dege|denge|krenge|karega)';
const NOT_FUTURE_HINDI = new Set(['omega', 'mega', 'vega', 'bodega', 'ganga', 'manga', 'tonga', 'congo']);

const PAID_CUES = family(
  // English past tense, not "will be paid", "get paid", "not paid"
  "(?<!(?:will|shall|to|would|can|could|should|must|gonna|get|getting|gets|got|not|never|yet|n't|'ll|be)\\s(?:be\\s)?)(?<!(?:will|shall|would|to|gonna|not|n't|'ll)\\s(?:have\\s)?(?:already\\s)?)(?:paid|payed|pd)(?! back)",
  '(?:i|we|i have|we have|i\'ve|we\'ve|have|has|had|already|just) (?:already |just )?(?:paid|payed)',
  'already (?:paid|done|sent|transferred|cleared|deposited|settled|given|made)',
  '(?:i |we |already |have |i have |we have )?(?:did|done|completed|finished) (?:it|that|the needful|the transfer|the payment|payment)(?! (?:by|before|till|until|tomorrow|tmrw|kal|next|this week|in \\d|on (?:mon|tue|wed|thu|fri|sat|sun)))',
  '(?:payment|pymt|pyment|paymnt|pmt|amount|amt|money|funds?|cheque|check|chq|transfer|balance|dues|it|full amount|rest|baaki|remaining|balance amount)(?: (?:has been|is|was|have been|already|been))? (?:done|made|sent|transferred|transfered|completed|cleared|processed|credited|deposited|released|initiated|remitted|received|submitted|given|dropped|settled)(?! (?:by|before|till|until|tomorrow|tmrw|kal|next|this|in))',
  "(?<!(?:will|shall|to|be|'ll|gonna|not|n't|never|please|pls|plz|kindly)\\s(?:be\\s)?)(?:sent|transferred|transfered|trasferred|deposited|credited|remitted|wired|cleared|settled|released|dropped|processed|initiated|done)(?! (?:back|by|before|till|until|tomorrow|tmrw|kal|next|this week|in \\d))",
  '(?:made|did|completed|done|did the|made the|completed the) (?:the )?(?:payment|pymt|transfer|neft|imps|rtgs|upi)',
  "(?:gave|handed|handed over|submitted) (?:the |you |your |a )?(?:cheque|check|chq|cash|payment|money|amount)",
  '(?:check|chk|pls check|please check|kindly check) (?:your|ur|you|the|yr|ur bank|your bank)? ?(?:account|a/c|acc|acct|bank|statement|gpay|phonepe|paytm|upi|whatsapp|inbox|messages)',
  'check (?:karo|kro|kar lo|kr lo|kijiye|kariye|karlo|krlo|kar lijiye)',
  '(?:did you|have you|u|you) (?:receive|received|get|got) (?:it|the payment|payment|the money|money|the amount|amount)',
  '(?:payment|amount|money|paisa|paise)? ?(?:received|mil gaya|mila|mil gya)\\?',
  "(?:check|cheque|chq|payment|money order) (?:is |was |has been )?(?:in the mail|in the post|posted|mailed|couriered|sent by (?:post|courier|mail))|(?:mailed|posted|couriered|dropped off|dropped) (?:the |a |you |your )?(?:check|cheque|chq|payment)|venmo'?d|venmoed|zelled|zelle'?d|paypal'?d|paypaled|cash ?app'?d|gpay'?d|gpayed|paytm'?d|upi'?d",
  '(?:payment|transfer|transaction|txn|upi|neft|imps|rtgs|pymt|pyment)[a-z ]{0,10}(?:successful|successfull|success|succeeded|complete|completed|processed)',
  'screenshot|screen shot|ss (?:bheja|sent|bhej)|utr|txn id|transaction id|trans id|ref no|reference no|reference number',
  // Roman Hindi past tense: "kar diya", "bhej diya", "de diya", "jama kara diya", "ho gaya"
  '(?:kar|kr|karr|kar di|de|di|bhej|bhj|daal|dal|jama|jma|transfer|trf|send|credit|clear|pay|payment|gpay|paytm|phonepe|upi|neft|imps|rtgs|karwa|karva|kara|krwa|krva|krdi|chuka)\\s?(?:diya|diye|diyе|dia|diya hai|diya tha|diye hai|diye the|di hai|di thi|di h|dii|diyaa|chuka|chuke|chuki|chuka hu|chuka hoon|chuke hai|chuke hain)(?! (?:jayega|jaega|jaayega|jayegi|jaegi|jaenge|jayenge|karo|kro|karenge))',
  '(?:kardiya|krdiya|krdia|kardia|kardiye|krdiye|bhejdiya|bhejdia|bhejdiye|dediya|dediye|dedia|daaldiya|daldiya|jamakardiya|bhejdi|kardi|krdi|dedi)(?! (?:jayega|jaega|jayegi))',
  '(?:bheja|bheji|bheje|kiya|kia|diya|jama kiya|transfer kiya|pay kiya|payment kiya|daala|dala)(?: (?:tha|thi|the|hai|h|he|hai ji|hua|hain))',
  '(?:bheja|bheje|bheji) (?:hai|tha|h|he)|maine (?:bheja|bhej|kar|de|pay|transfer)[a-z ]{0,12}',
  '(?:payment|paisa|paise|amount|rakam|transfer|upi|neft|paiment|pyment|pymt)[a-z ]{0,14}(?:ho gaya|ho gya|hogaya|hogya|ho gayi|ho gai|ho chuka|ho chuki|chala gaya|chla gya|chali gayi|gaya hai|gya hai|pahuch gaya|pahunch gaya|mil gaya hoga|chala gya|credit ho gaya)',
  '(?:ho gaya|ho gya|hogaya|hogya) (?:hai|h|he|sir|ji|bhai|boss)',
  '(?:paisa|paise|payment|amount|money|rakam|transfer) (?:aa gaya|aa gya|aagaya|aaya|aya|mila|mil gaya|mil gya|pahunch gaya|pahuncha|credit hua|credit ho gaya|received)(?: (?:kya|hoga|na|ki nahi))?\\?|mil gaya hoga|mil gya hoga|pahunch gaya hoga|pahuch gaya hoga|aa gaya hoga|aa gya hoga|mil gaya kya|mila kya|mil gya kya|pahunch gaya kya|aaya kya',
  // "GPay kiya", "online kiya": a payment means in the simple past (not "kiya jayega")
  '(?:gpay|g pay|paytm|phonepe|phone pe|upi|neft|imps|rtgs|pay|payment|transfer|online|cash)\\s?(?:kiya|kia|kiye|kari|kri)(?! (?:jayega|jaega|jaayega|jayegi|jaegi|jaenge|jayenge|hai kya))',
  // Devanagari past tense
  '(?:कर|भेज|दे|डाल|जमा|ट्रांसफर|करा|करवा|चुका)\\s?(?:दिया|दिए|दिये|दी)(?! (?:जाएगा|जायेगा|जाएगी|जाएंगे))',
  '(?:कर|भेज|दे|जमा|चुका) (?:चुका|चुके|चुकी)',
  '(?:भुगतान|पेमेंट|पैसे|पैसा|रकम|राशि)[\\p{L}\\p{M} ]{0,14}(?:हो गया|हो गई|हो चुका|चला गया|पहुंच गया|जमा हो गया)',
  '(?:भेजा|भेजे|किया|दिया|जमा किया)(?: (?:था|थे|है|हैं))',
  'मिल गया होगा|पहुंच गया होगा|मिला क्या|मिल गया क्या',
);

/** A bare "done", "paid", "sent" reply, or "ho gaya" in a very short reply. */
const SHORT_PAID_REPLY =
  /^(?:(?:ok|okay|sir|ji|bhai|haan|han|yes|ya|payment|pymt|pyment|paiment|all|its|it's|it is|already|✅|👍|🙏|\s|[.,!])*)(?:done|paid|sent|transferred|ho gaya|ho gya|hogaya|hogya|kar diya|kr diya|kardiya|krdiya|bhej diya|de diya|हो गया|कर दिया|भेज दिया)(?:\s|[.,!✅👍🙏]|sir|ji|bhai|already|ho gaya|hai|h|he)*$/u;

const COMMIT_CUES = family(
  // English: "will pay", "i'll send", "going to transfer", "you will get it", "paying"
  "(?:i'll|we'll|ill|will|wil|wll|shall|gonna|going to|goin to|gona|let me|plan to|planning to|try to|trying to|try and|i'd|we'd)\\s(?:surely |definitely |certainly |try to |be able to |make sure to |make sure i |also |only |just |all |then |now |def |defo |100% |sure |try and )?(?:pay|paying|send|sending|transfer|transferring|clear|clearing|release|releasing|deposit|depositing|settle|settling|make|do|arrange|arranging|give|process|credit|remit|wire|drop|put|manage|cover|get it done|get this done|sort|sort it|close|complete|repay|return the money|be paying|be sending|be transferring|be clearing|have it|have the|pay you|send you|get you)",
  "(?:i'll|we'll|ill|i will|we will|i shall|we shall|i am going|we are going|i'm going|im going|will be|shall be|would be|it'll|it will|that will|this will|payment will|pymt will|amount will|money will|funds will|cheque will|check will|transfer will|balance will|rest will|remaining will|dues will)",
  "(?:i am|i'm|im|we are|we're|am)\\s(?:paying|sending|transferring|clearing|releasing|arranging|depositing|settling|making)",
  "you(?:'ll| will| shall|ll)? (?:get|receive|have|be paid|be getting)",
  '(?:can|could|may|shall) (?:i|we) (?:pay|send|transfer|clear|settle|deposit|give|do the payment|make the payment)(?: (?:it|you|the|this|that|u|rest|balance|remaining|amount|payment))?(?! (?:half|part|partial|some|only|a part|a portion|little|in (?:\\d|two|three|four|parts?|installments?|instalments?)))(?! (?:by|via|through|with|using|thru|in|through) (?:card|upi|cash|cheque|check|gpay|paytm|phonepe|bank|neft|credit|debit|installments?|instalments?|parts?|emi|\\d))',
  '(?:paying|sending|transferring|releasing|clearing|depositing)(?= (?:now|right now|today|tonight|tomorrow|tmrw|shortly|soon|in|on|by|this|next|it|the|you|u|your|ur|rs|inr|₹|\\$|\\d))|^(?:paying|sending|transferring)$',
  '(?:expect|expected|expecting|expect the|receive it|you can expect)',
  '(?:is |it\'s |its )?(?:on the way|on its way|in process|in progress|under process|being processed|being arranged|being transferred)',
  '(?:promise|promised|i promise|we promise|assure|assured|i assure|guarantee|guaranteed|without fail|for sure|commit|committed)',
  '(?:will|wil|wll|shall) (?:do|try|manage|arrange|clear|pay|send)',
  // Roman Hindi future and present-continuous
  ROMAN_HINDI_FUTURE,
  '(?:kar|kr|bhej|bhj|de|jama|transfer|clear|pay|arrange|intezam|intezaam|karwa|karva|ho|dal|daal)\\s?(?:raha|rha|rahe|rhe|rahi|rhi|raha hu|raha hoon|rha hu|raha hun|rahe hai|rahe hain|rhe h|rha h|rhi hu|dete|deta|deti|leta)',
  '(?:karta|krta|karte|krte|bhejta|bhejte|bhejti|deta|dete|deti|karti|daalta|dalta|jama karta)\\s?(?:hu|hoon|hun|hu ji|hain|hai|h|he|hu sir|hun ji)',
  '(?:ho|mil|pahunch|pahuch|pohoch|pohonch|aa|clear|credit|transfer|jama)\\s?(?:jayega|jaega|jaayega|jayga|jaega|jaegi|jayegi|jaenge|jayenge|jaaega|jaaegi)',
  'de dege|de denge|kar dege|kar denge|bhej dege|bhej denge|dedenge|kardenge|bhejdenge|de doon|kar doon|bhej doon|kar du|kar dun|bhej du|bhej dun|de du|de dun|dedu|krdu|kardu|bhejdu',
  'zaroor|zarur|jaroor|jarur|jarur se|zaroor se|pakka se kar|pakka de|pakka bhej|pakka kar',
  // Devanagari
  DEVANAGARI_FUTURE,
  '(?:कर|भेज|दे|जमा)\\s?(?:रहा|रहे|रही)(?: (?:हूं|हूँ|हैं|है))?',
  '(?:करता|भेजता|देता|करते|भेजते|देते|करती|भेजती)\\s?(?:हूं|हूँ|हैं|है)',
  'जरूर|ज़रूर|पक्का से',
);

/** Words that only assert ("pakka", "100%", "sure", "latest"): a commitment when a date or payment is named with them. */
const ASSURANCE_CUES = family('pakka|pkka|pakaa|pakki|100%|100 %|sure|surely|definitely|confirmed?|latest|max|maximum|for sure|guaranteed|done deal|पक्का|पक्की|ज़रूर|जरूर|निश्चित');

/** Payment topic words: a date next to them is about paying. */
const PAYMENT_TOPIC_CUES = family(
  'pay|paying|payment|payments|pymt|pyment|paymnt|payement|paymt|pmt|paiment|payemnt|pament|payout|paisa|paise|paisay|paysa|pese|paisa|money|amount|amt|funds?|dues|due amount|balance|bal|rest|remaining|baaki|baki|bakaya|bakiya|transfer|trf|transfered|neft|imps|rtgs|upi|gpay|phonepe|paytm|cheque|chq|cash|clear|clearance|settle|settlement|release|deposit|bhugtan|rakam|hisab|hisaab|installment|kisht|emi|rs|inr|rupees|rupaye|rupay|₹|dirham|riyal|rial|omr|aed|\\$|£',
  'भुगतान|पैसे|पैसा|रकम|राशि|पेमेंट|ट्रांसफर|चेक|बाकी|हिसाब|रुपये|रुपए|रूपये|नकद|कैश',
);

const INABILITY_CUES = family(
  "(?:can't|cant|can not|cannot|cnt|couldn't|couldnt|could not|unable to|not able to|won't be able to|wont be able to|will not be able to|may not be able to|am not able to|not in a position to|no way i can) (?:pay|make|send|transfer|clear|do|manage|arrange|afford|settle|give)",
  "(?:not possible|impossible|no money|don't have (?:the )?(?:money|funds|cash)|dont have (?:the )?(?:money|funds|cash)|do not have (?:the )?(?:money|funds)|have no money|no funds|short of (?:funds|money|cash)|cash crunch|cash flow|tight|financial (?:problem|issue|crisis|difficulty|difficulties|constraints?)|money problem|broke|bankrupt|lost my job|lost job|job loss|no job|no salary|salary not|salary nahi|salary delay|not received salary|hospital|emergency|medical|accident|unwell|sick|business is down|business down|market down|slow business|market slow|no sales)",
  "(?:not|haven't|havent|didn't|didnt|no|nahi|nhi) (?:got|get|received|receive|mili|mila|aayi|aai)?(?: (?:my|the|any))? ?(?:salary|pension|payment from (?:my |the )?(?:client|customer|party))|salary (?:nahi|nhi|not) (?:aayi|aai|mili|came|come|received|credited)|(?:cash|money|paisa|paise|fund|funds|financial|payment|paymnt) (?:problem|issue|issues|crunch|crisis|ki problem|ki dikkat|dikkat|ki kami|shortage)|dikkat (?:hai|chal rahi)|problem chal rahi",
  '(?:bit|little|slightly|very|quite|abit|too|really|thoda|kaafi) (?:short|tight)|short (?:on|of) (?:cash|money|funds)|money is tight|(?:haath|hath) tang|tangi|paise nahi|paisa nahi|pese nahi|paise nhi|paisa nhi|funds nahi|cash nahi|nahi ho (?:payega|paega|paayega|pa raha|sakta|sakega|sakti|paaega)|nhi ho (?:payega|paega|pa raha|sakta)|nahi (?:kar|de|bhej|dal) (?:paunga|paayenge|payenge|paenge|sakta|sakte|sakti|paaunga|pa raha|pa rahe|paungi)|nhi (?:kar|de|bhej) (?:paunga|payenge|sakta|sakte)|mushkil|muskil|mushkal|possible nahi|possible nhi|sambhav nahi|not now|not right now|abhi nahi|abhi nhi|abhi nai|abhi mushkil|abhi possible nahi|condition kharab|halat kharab|haalat kharab|situation kharab|dhanda (?:manda|kharab|band)|dhandha (?:manda|kharab)|mandi|kaam (?:nahi|band) (?:chal|hai)|naukri (?:chali|chhoot)|job (?:chali|chhoot|gayi)',
  'नहीं हो पाएगा|नहीं हो पायेगा|नहीं हो सकता|नहीं कर पाऊंगा|नहीं दे पाऊंगा|नहीं कर सकता|नहीं दे सकता|मुश्किल|पैसे नहीं|हाथ तंग|अभी नहीं|हालत खराब|तंगी',
);

const REFUSE_CUES = family(
  "(?:won't|wont|will not|wil not|shall not|not going to|not gonna|am not|i'm not|im not|we are not|we're not|i will never|will never|never going to|refuse to|do not|don't|dont) (?:pay|paying|be paying|give|send|settle|clear)(?! (?:today|now|tomorrow|tmrw|yet|right now|till|until|before))",
  "(?:don't|dont|do not|doesn't) (?:have|need) to pay|why should (?:i|we) pay|(?:main|mai|mein|hum) kyu(?:n)? (?:du|dun|doon|de|denge|pay karu)",
  '^never[.!]*$|^(?:no|nope|nahi) (?:way|chance)|court (?:mein|me|main) (?:milte|milenge|dekh|dekhte|dekhenge|jao)|see you in court',
  'not paying|no payment(?! (?:today|yet|received|sent))|refuse|refused|refusing|no way|forget it|forget about it|sue me|take me to court|go to court|see you in court|court (?:jao|chale jao|mein dekh|me dekh)|do what(?:ever)? you (?:want|can|like)|do your worst|not my problem|i owe you nothing|owe you nothing|(?:don\'t|dont|do not|doesn\'t) owe (?:you |u )?(?:anything|a thing|any money|nothing)|owe nothing|nothing to pay|nothing is due|nothing due',
  '(?:nahi|nhi|nai|nahin|na|nahii) (?:dunga|dungi|denge|doonga|dege|karunga|karenge|krunga|krenge|bhejunga|bhejenge|dena|deni|dene|milega|milenge|karna|bharunga|bharenge)(?! (?:abhi|aaj|kal|tak))',
  '(?:ek|1) (?:paisa|rupya|rupaya|rupiya|paise) (?:bhi )?(?:nahi|nhi|nahin|na)|kuch (?:nahi|nhi) (?:milega|dunga|denge)|jo karna hai (?:karo|kar lo|kar lijiye|kr lo)|jo karna h kro|paisa nahi milega|paise nahi milenge|bhool jao|bhul jao',
  'नहीं दूंगा|नहीं देंगे|नहीं दूँगा|नहीं करूंगा|नहीं करेंगे|नहीं भेजूंगा|एक पैसा नहीं|कुछ नहीं मिलेगा|जो करना है करो|नहीं मिलेगा',
);

const DISPUTE_CUES = family(
  "(?:won't|wont|will not|not|don't|dont|do not|nahi|nhi)[a-z ]{0,16}(?:until|till|unless|jab tak)[a-z ]{0,12}(?:fix|fixed|correct|corrected|revise|revised|rectify|rectified|change|changed|sahi|theek|thik|send (?:the |a )?(?:correct|right|revised|new))",
  '(?:wrong|incorrect|galat|galt|glt|ghalat|not correct|not right|inaccurate)(?! (?:chat|group|msg|message|text|window|grp))(?: (?:amount|amt|bill|invoice|rate|rates|price|entry|calculation|calc|qty|quantity|charge|charges|total|item|items|person|number|no|party|account|billing|figure|gst|tax|hisab|hisaab|hai|he|h))?',
  '(?:amount|amt|bill|invoice|rate|price|hisab|hisaab|total|qty|quantity|entry|calculation|figure)(?: (?:is|was|looks|seems))? (?:wrong|incorrect|galat|galt|glt|ghalat|not correct|too high|too much|excess|jyada|zyada|jada|zada|more|high|mismatch)',
  "(?:work|job|service|services|repair|installation|delivery|order|project|kaam) (?:that |which |jo )?(?:was |is |has |had |has been |is still )?(?:not|never|wasn't|isn't|hasn't|nahi|nhi|incomplete|pending|half)(?: (?:been|yet|hua|hui|kiya|kia))? ?(?:done|completed|complete|finished|delivered|provided|rendered|hua|pura|poora|kiya|installed|working)?|(?:incomplete|unfinished|poor|bad|shoddy) (?:work|job|service)|service not (?:provided|rendered|received)|not (?:done|completed) properly",
  '(?:pehle|first|pahle) (?:maal|mal|saman|samaan|goods|product|item|items|issue|problem|complaint|defect)[a-z ]{0,24}(?:theek|thik|sahi|replace|fix|badlo|badal|change|exchange|resolve|solve)|replace (?:the |it|goods|maal|items?)|replacement|exchange (?:the|it|karo|kar)|itna (?:paisa|paise|amount|bill|zyada|jyada)(?: (?:kis|kaise|kyu|kyun|kyon))?',
  '(?:मेरा|मेरी|हमारा|हमारी) (?:ऑर्डर|आर्डर|बिल|माल|सामान|इनवॉइस) नहीं|(?:मैंने|हमने) (?:ये |यह )?(?:ऑर्डर|आर्डर|माल|सामान) नहीं',
  '(?:was|is) supposed to be|(?:we|i) agreed (?:on|to|for)?|agreed (?:rate|price|amount)|as agreed|should be only|should have been|wrongly|galti se|by mistake charged|why (?:[₹$]?\\d+|so much|this much|so high|extra|more|is it so)|itna (?:zyada|jyada|kaise)|mismatch|doesn\'t match|does not match|dont match|don\'t match|discrepancy|discrepancies|dispute|disputed|complaint|complain|overcharged|over charged|overbilled|over billed|extra charged?|charged extra|charged more|excess (?:amount|charge|billing)|double (?:bill|billing|charged|charge|entry|invoice)|billed twice|charged twice|charged (?:me |us )?(?:twice|double|two times|2 times)|(?:jyada|zyada|jada|zada|extra) (?:paisa|paise|amount|charge|lagaya|laga|liya|bill|hai)',
  '(?:returned|return kar|return kiya|return kar diya|return ho|sent back|send back|sent it back|gave back|given back|wapas|vapas|vaapas|waapas|wapis|vapis|lauta|lautaya|lauta diya)',
  '(?:damaged|damage|defective|broken|faulty|expired|leaking|leaked|rotten|spoiled|spoilt|torn|tuta|toota|tuta hua|toota hua|tooti|tuti|phata|fata|sada|sadha|kharab (?:maal|mal|aaya|aya|nikla|saman|samaan|product|item|quality)|(?:maal|mal|saman|samaan|product|item|goods|quality) (?:kharab|bekar|ghatiya|bad|poor|damaged|defective|broken|tuta|sahi nahi)|not working|kaam nahi kar|chal nahi raha|poor quality|bad quality|quality (?:issue|problem|kharab|bad|poor)|substandard|(?:product|goods|item|items|maal|material|stock|service|machine|it) (?:is |was |are |were )?(?:useless|worthless|fake|duplicate|bekar|bekaar|ghatiya|not as described|not usable|unusable))',
  '(?:never|not|didn\'t|didnt|did not|haven\'t|havent|have not|hasn\'t|has not|yet to) (?:received|receive|got|get|delivered|been delivered|arrived)(?! (?:my |our |the |any )?(?:salary|pension|payment from|paid|money from|funds from|pay\\b))(?: (?:the |any |my |our )?(?:goods|order|item|items|material|maal|products?|delivery|shipment|consignment|stock|parcel))?',
  '(?:goods|order|item|items|material|maal|mal|saman|samaan|products?|delivery|shipment|consignment|stock|parcel|supply)[a-z ]{0,20}(?:not|nahi|nhi|never) (?:received|delivered|mila|aaya|aya|pahuncha|pahucha|arrived|reached|came|come)',
  '(?:maal|mal|saman|samaan|order|delivery|goods|supply) (?:hi )?(?:nahi|nhi|nai) (?:mila|aaya|aya|pahuncha|pahucha|aayi|ayi)|(?:mila|aaya|aya) hi (?:nahi|nhi)',
  '(?:pieces|piece|pcs|pc|items|item|boxes|box|qty|quantity|bags|cartons|units|packets|bottles)[a-z ]{0,8}(?:kam|less|short|missing|fewer)|kam (?:aaye|aye|aaya|aya|aayi|mila|mile|bheje|bheja)|credit note|debit note|cn pending|return pending|short (?:supply|delivery|quantity|qty|shipment)|shortage|quantity short|qty short|less quantity|less qty|kam (?:maal|mal|aaya|aya|bheja|diya|saman|qty|quantity)|missing (?:items?|goods|pieces|quantity)|items? missing|pieces missing',
  "not (?:mine|my (?:bill|invoice|order|account|debt|dues)|ours|our (?:bill|invoice|order))|not my|isn't mine|isnt mine|mera nahi|mera nhi|meri nahi|hamara nahi|humara nahi|hamari nahi|apna nahi|wrong person|wrong party|never ordered|didn't order|didnt order|did not order|not ordered|never placed|no order|order (?:hi )?(?:nahi|nhi) (?:kiya|diya|kia|kiya tha|diya tha)|(?:mangaya|mangwaya|mangvaya|manga) (?:hi )?(?:nahi|nhi|nai)|(?:nahi|nhi) (?:mangaya|mangwaya|manga)",
  '(?:bill|invoice|amount|hisab|hisaab|calculation|rate|entry|total)(?: (?:mein|me|main|में))? (?:galti|glti|mistake|error|गलती)|(?:mistake|error|errors|galti) in (?:the |your |this |my )?(?:bill|invoice|amount|calculation|total)|(?:charged|charging|charge kiya|lagaya|laga diya|liya|le liya|billed)[a-z0-9 ,]{0,16}(?:extra|more|zyada|jyada|jada|excess|too much)|(?:order|mangaya|manga|mangwaya) (?:kiya|kia|kara|kiye) hi (?:nahi|nhi|nai)|(?:humne|hamne|maine|mene|we|i) (?:ye |yeh |this |koi )?(?:order|mangaya|manga|mangwaya)[a-z ]{0,10}(?:nahi|nhi|never)|(?:mera|meri|mere|hamara|humara|hamari|apna) (?:bill|invoice|order|maal|saman|samaan|udhar|account|hisab) (?:nahi|nhi|nai)|(?:cancel|cancelled|canceled)(?: (?:this|the|that|my|our|ye|yeh))? (?:bill|invoice|order)|why (?:this|is this) (?:bill|invoice|charge|amount)|(?:ye|yeh|yah|is) (?:bill|invoice) (?:kaise|kyu|kyon|kyun|kis liye|kisliye)|kaisa bill|kis baat ka (?:bill|paisa|paise)|discount (?:nahi|nhi|not|missing|pending|was promised|promised)|promised discount|rate (?:difference|diff|zyada|jyada)|already returned|not as (?:ordered|promised|per order)|(?:kyun|kyu|kyon) (?:bheja|bill|charge)',
  'गलत|ग़लत|वापस|लौटा|खराब|ख़राब|टूटा|टूटे|टूटी|फटा|नहीं मंगाया|मंगाया ही नहीं|मंगवाया नहीं|मंगाया नहीं|(?:माल|सामान|ऑर्डर|डिलीवरी)[\\p{L}\\p{M} ]{0,12}नहीं (?:मिला|आया|पहुंचा)|मेरा नहीं|हमारा नहीं|ज्यादा (?:पैसे|बिल|लगाया|लिया)|कम माल|कम आया|शिकायत|बिल (?:गलत|कैसे|क्यों)',
);

const OPT_OUT_CUES = family(
  '^stop[.! ]*$|^stop (?:it|this|pls|please|now|all|sir)[.! ]*$|^please stop|^pls stop|^plz stop|^stp$',
  'stop (?:messaging|message|msg|msgs|msging|messeging|texting|text|sending|these|this|spamming|spam|bothering|disturbing|harassing|harrasing|calling|contacting|writing|the messages|the reminders|reminders?|notifications?|it now|it|now|all this)',
  "enough (?:messages|msgs|reminders|of this|of these|texts)|that's enough|bas karo|bas kijiye|bas karein|बस करो|बस कीजिए|harass(?:ment|ing|ed)?|harras(?:ment|ing|ed)?|report(?:ing)? (?:this|your) (?:number|no)|(?:police|cyber cell|cyber crime) (?:complaint|me|mein)",
  'unsubscribe|unsub|opt out|optout|opt-out|unsubcribe|unsubscibe',
  "(?:don't|dont|do not|pls don't|please don't|never) (?:message|msg|text|contact|disturb|bother|spam|remind|send (?:me )?(?:any )?(?:more )?(?:messages|msgs|reminders|texts)|whatsapp|write|ping|call or message)(?: me| us)?(?: again| anymore| any more)?",
  'no more (?:messages|msgs|reminders|texts|spam|calls)|remove (?:me|my number|my no|this number|from (?:your |the )?list)|take me off|delete my number|leave me alone|(?:i will |i\'ll |will )?block(?:ed|ing)? (?:you|this number|your number)|^block$|block (?:kar|kr|karunga|kardunga|kar dunga|kar denge|kr dunga|karo|kar diya)|reported as spam|report(?:ing)? (?:you|as spam)',
  '(?:band|bnd|bund) (?:karo|kro|kar do|kr do|kijiye|karein|karo na|karo yaar|kar dijiye|kro yaar|karo bhai)|(?:message|messages|msg|msgs|sms|reminder|reminders|whatsapp)[a-z ]{0,10}(?:mat|na|mt|band)\\s?(?:karo|kro|bhejo|bhejiye|bhejna|karna|kare|karein|kijiye|kr)|mat (?:bhejo|bhejna|bhejiye)|pareshan (?:mat|na|mt)|pareshaan (?:mat|na)|disturb (?:mat|na|mt)|tang (?:mat|na) karo|baar baar (?:message|msg|call|mat)|(?:bar bar|baar baar) (?:msg|message)',
  'मैसेज मत|मेसेज मत|संदेश मत|बंद करो|बंद करें|बंद कीजिए|परेशान मत|परेशान न|मत भेजो|मत भेजिए|तंग मत',
);

const CALLBACK_CUES = family(
  "call me|call us|call back|callback|call later|call karo|call kro|call kar|call kr|call kariye|call kijiye|call karna|call krna|call karein|call kare|call karen|call do|call dena|call please|call pls|call plz|please call|pls call|plz call|kindly call|give (?:me|us) a (?:call|ring)|gimme a call|ring me|phone karo|phone kro|phone kar|phone kijiye|phone karna|phone me|phone pe|phone par|call pe|call par|on call|over (?:the )?(?:call|phone)|whatsapp call|voice call|video call|missed call|i(?:'ll| will) call|will call|we(?:'ll| will) call|call you|calling you|contact me|reach me|(?<!(?:don't|dont|do not|no|stop|never|not|mat|na) )(?:call|calls|calling)(?! (?:center|centre|log|logs|record|records|history))",
  "(?:talk|speak|contact|call|ask|reach)(?: to| with)? (?:my|our) (?:accountant|accounts|manager|boss|owner|partner|father|brother|son|ca|office|staff|munim)|(?:can|could|shall) (?:we|i|you) (?:talk|speak|discuss|meet|have a call|connect|chat)|let'?s (?:talk|discuss|speak|meet|connect)|let us (?:talk|discuss|meet)|want to (?:talk|speak|discuss|meet)|need to (?:talk|speak|discuss)|would like to (?:talk|speak|discuss)|speak (?:to|with) (?:you|me|someone|manager|owner)|talk (?:to|with) (?:you|me|your|someone)|discuss (?:this|it|with)|to discuss|meet (?:you|me|and)|meeting",
  'baat (?:karte|karo|kro|kar|kr|karni|karna|krna|krte|karenge|karte hai|karte hain|kijiye|kariye|hogi|ho|karunga|karenge|karein|karen|kare|karlo|kar lo|kar lete|kar lenge|krenge)|baat karte|baat karni hai|mil (?:ke|kar|kr) baat|milte (?:hai|hain|h)|milke baat|aake baat|aa ke baat|aakar baat|mil lete|office aa',
  'फोन करो|फोन करें|फोन कीजिए|फोन करना|कॉल करो|कॉल करें|कॉल कीजिए|कॉल करना|बात करते|बात करें|बात करो|बात कीजिए|बात करनी|बात करेंगे|मिलते हैं|मिल कर बात|फ़ोन',
);

const QUESTION_CUES = family(
  // a discount or waiver is the owner's to decide: a question, even beside "if I pay today"
  '(?:discount|disc|rebate|concession|waive|waiver|waive off|chhoot|chhut|kam kar (?:do|dijiye|sakte))|छूट',
  '(?:which|what|konsa|kaunsa|kon sa|kaun sa|konsi|kaunsi|kon si|kaun si|kis) (?:invoice|bill|one|order|payment|amount|item|items|maal|saman|samaan|cheez|chiz|entry|month|date|bank|account|upi|number|no|company|firm|shop|dukan|delivery|supply)',
  "^how\\?*$|^how (?:to|do i|can i)\\b|(?:invoice|bill|order|account|a/c|upi|gpay) (?:number|no|#|id)(?= ?\\?| ?$)|same (?:account|upi|number|bank|details|a/c)|(?:is|was|are) (?:this|it|that|these) (?:for|about|regarding|of|from)|what(?:'s| is| was)? (?:this|that|the) (?:charge|amount|payment|bill|invoice|entry|fee|fees|transaction|debit)(?: for| about)?|(?:email|mail|e-mail|whatsapp|text|message|forward|resend|re-send|share)(?: me| us)? (?:the |a |your |this |that )?(?:bill|invoice|copy|statement|details|receipt|pdf|ledger)|what(?:'s| is| was) the (?:due|last) date|due date\\?|due date kya|(?:what|which) (?:is|was) (?:this|it|that)(?: for)?\\?",
  "what(?:'s| is| was)? (?:this|it|that) (?:for|about|regarding)|what for|for what|kis (?:cheez|chiz|chij|baat|liye|cheez ka|chiz ka|maal|saman|cheez ke|order)|kis ka (?:bill|paisa|payment)|kiska (?:bill|paisa|payment)|kahe ka|kaahe ka|details? (?:please|pls|plz|bhejo|bhejiye|send|do|dijiye|chahiye|share)|(?:send|share|forward|give|bhejo|bhej do|bhejiye|bhejna) (?:me )?(?:the |your |ur |a )?(?:details|detail|bill|invoice|copy|statement|ledger|breakup|break up|account|bank|qr|link|upi|number|no|id|gpay|phonepe|paytm|payment link|payment details|bank details|account details|upi id|scanner|proof|receipt)",
  '(?:hisab|hisaab|khata|account statement|bill|invoice|statement|ledger|breakup|copy|details|detail|upi id|upi|account|account details|bank details|qr|qr code|scanner|link|payment link|gpay|gpay number|phonepe|paytm|number|a/c|ac no|account no|id|pdf)[a-z ]{0,12}(?:bhejo|bhej do|bhejiye|bhejna|bhej dijiye|bhejo na|bhej de|send karo|send kro|send kar do|send please|send pls|share karo|share kro|dijiye|do na|chahiye|please|pls|plz)',
  "how much|how many|kitna|kitne|kitni|kitnaa|total kya|balance kya|amount kya|baaki kitna|due kitna|kya amount|kya balance|how (?:do|can|should|shall|to|will) (?:i |we )?(?:pay|send|transfer|make|deposit|remit|clear|do the payment)|how to pay|where (?:do|can|should|shall|to) (?:i |we )?(?:pay|send|transfer|deposit)|where to pay|where to send|what is the (?:amount|balance|due|total|upi|account|bank)|what(?:'s| is) (?:your |the |ur )?(?:upi|account|bank|gpay|a/c|ifsc|number)|is (?:the )?(?:upi|account|number) same|same (?:account|upi|number)\\?|(?:payment|pay) (?:link|details|method|mode|options?)|(?:bank|account|a/c|upi|gpay|paytm|phonepe) (?:details|number|no|id)|ifsc|iban|swift|swift code|sort code|routing number|bank account|account details|qr code|qr|scanner|payment link",
  "(?:kaha|kahan|kahaan|kidhar|kis account|kis number|kis upi) (?:bhej|bhejna|bhejun|bhejoon|bhejne|pay|payment|transfer|dalu|daalu|dalna|daalna|jama|de|dena|du|karu|karun|karna)|kaise (?:pay|bhej|bhejna|bhejun|de|dena|du|karu|karun|karna|kare|karein|payment|transfer|jama)|(?:pay|payment|transfer) (?:kaise|kaha|kahan|kidhar)|(?:can|may|should) i pay (?:by|via|through|with|using|thru|in) (?:card|upi|cash|cheque|check|gpay|paytm|phonepe|bank|neft|credit|debit|installments?)|card or (?:bank|cash|upi)|cash or (?:card|online|upi|cheque)|do you (?:accept|take)|(?:due date|last date) (?:kya|kab|what|when)|when is (?:it|this|the payment|payment) due|(?:what|which) is the due date|kab tak (?:dena|karna|bharna|jama)|whose (?:bill|invoice)",
  '(?:कहां|कहाँ|किधर|कैसे) (?:भेज|कर|दे|जमा|ट्रांसफर|पेमेंट|भुगतान)[\\u0900-\\u097f]*|कितना|कितने|कितनी|कौन सा|कौनसा|कौन सी|किस (?:चीज|बात|बिल|लिए)[\\u0900-\\u097f]*|(?:बिल|इनवॉइस|कॉपी|डिटेल|खाता|अकाउंट|नंबर|यूपीआई|क्यूआर)[\\p{L}\\p{M} ]{0,16}(?:भेज[\\u0900-\\u097f]*|दीजिए|दो|चाहिए)|बिल की कॉपी|डिटेल|खाता (?:नंबर|संख्या)|यूपीआई|क्यूआर',
);

const EXTENSION_TIME_REQUEST_CUES = family(
  '(?:give|grant|allow|need|want|require|requesting|request|some|little|bit|few|more|extra|additional|thoda|thodi|thoda sa|thodi si|kuch|aur|zara|jara) (?:me |us |a |some |more |little |bit of |few |extra )*(?:time|days|din|weeks|hafte|mohlat|muhlat|samay|waqt|waqat|wakt|relief)(?! (?:ka|ki|ke) (?:bill|invoice))',
  '(?:time|samay|waqt|mohlat|muhlat) (?:do|dijiye|dijie|de do|dedo|de dijiye|chahiye|chaiye|please|pls|plz|de|dena|milega|mil sakta|extend|badha|badhao|more)',
  'time (?:lagega|lag jayega|lagegi|lagta|lag sakta)|(?:samay|waqt|der) lagega|bear with (?:me|us)|be patient|have patience|payment plan|payment schedule|installment plan|instalment plan|easy installments|extend|extension|postpone|defer|reschedule|delay(?:ed)?|later date|mohlat|muhlat|wait (?:please|pls|karo|kijiye|kariye|for|a bit|a little|some|till|for some|kar lo|kr lo)|please wait|pls wait|plz wait|ruko|rukiye|ruk jao|ruk jaiye|intezar|intezaar|intazar|patience|adjust|adjustment|cooperate|co-operate|consider',
  '(?:per|every|each|har) (?:week|month|mahine|hafte|din|day)|weekly|monthly|(?:pay|paying|payment|de|du|dunga) (?:a )?(?:bit |little |thoda |thodi )?(?:late|later than|der se)|(?:little|bit|thoda|thodi|some) (?:late|delay|der)|der (?:ho jayegi|ho jaegi|hogi|lagegi)|(?:pay|paying|send|give) (?:only )?(?:half|part|partial|some)(?: (?:now|today|amount|payment|of it))?|give (?:me |us )?(?:till|until|time till|time until|up to|upto)|ruk ja|ruk jao|ruk jaiye|ruko zara|'
  + '(?:installments?|instalments?|emi|emis|kisht|kishton|kishto|kist|kiston|parts|part payment|part-payment|partial|partly|in parts|thoda thoda|thoda-thoda|little by little|bit by bit|tukdon|tukde|hisse)',
  'समय (?:दीजिए|दो|दे|चाहिए)|थोड़ा समय|थोडा समय|मोहलत|किश्त[\\u0900-\\u097f]*|किस्त[\\u0900-\\u097f]*|रुकिए|इंतजार|थोड़ा थोड़ा|थोडा थोडा',
);

const LATER_CUES = family('later|baad mein|baad me|bad me|bad mein|baad main|baadme|badme|after some time|some other time|soon|jaldi|asap|as soon as|shortly|in a few days|in few days|kuch din|kuch dino|thode din|बाद में|जल्दी|जल्द');

/** Income or salary waiting to arrive: "salary aate hi", "when my pension arrives", "once I get paid". */
const INCOME_CUES = family(
  'salary|salery|sallary|pension|payment aate|paisa aate|paise aate|funds aate|when i get paid|once i get paid|after i get paid|when (?:i|we) (?:get|receive)|once (?:i|we) (?:get|receive)|after (?:i|we) (?:get|receive)|aate hi|milte hi|aane pe|aane par|aane ke baad|milne pe|milne par|milne ke baad|वेतन|सैलरी|आते ही|मिलते ही',
);

/** "now", "abhi", "turant": today, but only beside a verb that commits to paying ("paying now", "abhi bhej raha hu"). */
const NOW_CUES = family('now|right now|right away|immediately|abhi|abi|abhie|abhi ke abhi|turant|fauran|अभी|तुरंत');

const CLAUSE_BREAK = /(?<!\d)[,.](?!\d)|[;!?\n]|(?<=\d)[.,](?=\s|$)|\s[-–|/]\s|\s(?:but|lekin|magar|par|aur|and|or|then|phir|fir|however|though|although|otherwise|warna|nahi to|else)\s|(?=\s(?:rest|remaining|balance|baaki|baki|bakaya|bakiya|बाकी|शेष|remaining amount)\s)/gu;

interface Span {
  start: number;
  end: number;
}

interface Clause extends Span {
  text: string;
  paid: boolean;
  commit: boolean;
  assurance: boolean;
  paymentTopic: boolean;
  inability: boolean;
  refuse: boolean;
  dispute: boolean;
  optOut: boolean;
  callback: boolean;
  question: boolean;
  timeRequest: boolean;
  later: boolean;
  income: boolean;
  rest: boolean;
  hasQuestionMark: boolean;
  dates: DateMention[];
  amounts: AmountMention[];
}

const REST_CLAUSE = /^(?:\s|[,.;:-])*(?:and |aur |but |then )?(?:the )?(?:rest|remaining|balance|baaki|baki|bakaya|bakiya|बाकी|शेष)/u;
const NEGATION_BEFORE_DATE = /(?:^|[^a-z'])(?:not|no|never|n't|cant|can't|cannot)\s+(?:(?:on|by|till|until|before)\s+)?$/u;
const NEGATION_AFTER_DATE = /^\s*(?:(?:ko|tak|tk|को|तक)\s+)?(?:nahi|nhi|nai|not|no|mat|नहीं|possible nahi|mushkil|not possible|is not possible|difficult|won't|wont|can't|cant)(?![\p{L}])/u;
/** "nahi ho payega", "nahi kar paunga", "नहीं कर": a negated verb is not a commitment. */
const NEGATION_BEFORE_VERB = /(?:^|[^\p{L}\p{M}])(?:nahi|nhi|nai|nahin|na|not|never|mat|नहीं|ना|मत)\s+(?:(?:ho|kar|kr|de|bhej|pa|paa|हो|कर|दे|भेज)\s+)?$/u;
const PAST_DATE_KINDS = new Set(['yesterday', 'day_before_yesterday', 'days_ago', 'last_weekday']);

function splitClauses(text: string): Span[] {
  const spans: Span[] = [];
  let start = 0;
  CLAUSE_BREAK.lastIndex = 0;
  for (let match = CLAUSE_BREAK.exec(text); match !== null; match = CLAUSE_BREAK.exec(text)) {
    if (match[0].length === 0) {
      // lookahead break before "rest"/"baaki"
      if (match.index > start) spans.push({ start, end: match.index });
      start = match.index;
      CLAUSE_BREAK.lastIndex++;
      continue;
    }
    if (match.index > start) spans.push({ start, end: match.index });
    start = match.index + match[0].length;
  }
  if (start < text.length) spans.push({ start, end: text.length });
  return spans.filter((span) => text.slice(span.start, span.end).trim().length > 0);
}

function matchSpans(regex: RegExp, text: string): Span[] {
  const spans: Span[] = [];
  regex.lastIndex = 0;
  for (let match = regex.exec(text); match !== null; match = regex.exec(text)) {
    if (match[0].length === 0) {
      regex.lastIndex++;
      continue;
    }
    spans.push({ start: match.index, end: match.index + match[0].length });
  }
  return spans;
}

function within(spans: Span[], clause: Span): boolean {
  for (const span of spans) if (span.start >= clause.start && span.start < clause.end) return true;
  return false;
}

/**
 * Commitment cues, minus those that are part of an inability, refusal or question phrase
 * ("nahi ho payega", "nahi dunga", "can I pay by card?") or are not verbs at all ("omega").
 */
function commitmentSpans(text: string, exclusions: Span[][]): Span[] {
  return matchSpans(COMMIT_CUES, text).filter(
    (span) =>
      !NOT_FUTURE_HINDI.has(text.slice(span.start, span.end)) &&
      !NEGATION_BEFORE_VERB.test(text.slice(Math.max(0, span.start - 16), span.start)) &&
      !exclusions.some((spans) => spans.some((excluded) => overlaps(span, excluded))),
  );
}

function buildClauses(text: string, dates: DateMention[], amounts: AmountMention[]): Clause[] {
  const inability = matchSpans(INABILITY_CUES, text);
  const refuse = matchSpans(REFUSE_CUES, text);
  const question = matchSpans(QUESTION_CUES, text);
  const callback = matchSpans(CALLBACK_CUES, text);
  const timeRequest = matchSpans(EXTENSION_TIME_REQUEST_CUES, text);
  const cues = {
    paid: matchSpans(PAID_CUES, text),
    commit: commitmentSpans(text, [inability, refuse, question, callback, timeRequest]),
    assurance: matchSpans(ASSURANCE_CUES, text),
    paymentTopic: matchSpans(PAYMENT_TOPIC_CUES, text),
    inability,
    refuse,
    dispute: matchSpans(DISPUTE_CUES, text),
    optOut: matchSpans(OPT_OUT_CUES, text),
    callback,
    question,
    timeRequest,
    later: matchSpans(LATER_CUES, text),
    income: matchSpans(INCOME_CUES, text),
  };
  return splitClauses(text).map((span) => {
    const clauseText = text.slice(span.start, span.end);
    const afterClause = text.slice(span.end, span.end + 2);
    return {
      start: span.start,
      end: span.end,
      text: clauseText,
      paid: within(cues.paid, span),
      commit: within(cues.commit, span),
      assurance: within(cues.assurance, span),
      paymentTopic: within(cues.paymentTopic, span),
      inability: within(cues.inability, span),
      refuse: within(cues.refuse, span),
      dispute: within(cues.dispute, span),
      optOut: within(cues.optOut, span),
      callback: within(cues.callback, span),
      question: within(cues.question, span),
      timeRequest: within(cues.timeRequest, span),
      later: within(cues.later, span),
      income: within(cues.income, span),
      rest: REST_CLAUSE.test(clauseText),
      hasQuestionMark: afterClause.includes('?') || clauseText.includes('?'),
      dates: dates.filter((date) => date.start >= span.start && date.start < span.end),
      amounts: amounts.filter((amount) => amount.start >= span.start && amount.start < span.end),
    };
  });
}

function isNegatedDate(text: string, date: DateMention): boolean {
  return NEGATION_BEFORE_DATE.test(text.slice(Math.max(0, date.start - 12), date.start)) || NEGATION_AFTER_DATE.test(text.slice(date.end, date.end + 24));
}

/** Whether a clause's dates can carry a promise: it is about paying later, not about a past payment, a call, a question or a refusal. */
function isPromiseClause(clause: Clause): boolean {
  if (clause.refuse || clause.dispute) return clause.commit && !clause.refuse;
  if (clause.timeRequest && !clause.paid && !clause.callback) return true; // "give me till friday?" names the day
  if (clause.paid && !clause.commit) return false;
  if (clause.inability && !clause.commit) return false;
  if (clause.callback && !clause.commit && !clause.paymentTopic) return false;
  if ((clause.question || clause.hasQuestionMark) && !clause.commit && !clause.paymentTopic && !clause.assurance) return false;
  if (clause.question && !clause.commit) return false;
  return true;
}

function classifyIntent(text: string, clauses: Clause[]): { intent: ReplyIntent; dateClauses: Clause[]; promisedDate: CalendarDate | null } {
  const any = (key: keyof Clause): boolean => clauses.some((clause) => clause[key] === true);
  const commitOutsidePaid = clauses.some((clause) => clause.commit && (!clause.paid || clause.rest));

  // A dated commitment to pay wins over everything.
  let promisedDate: CalendarDate | null = null;
  const dateClauses: Clause[] = [];
  const blockedWithoutCommitment = any('optOut') || any('dispute') || any('callback') || any('question') || any('refuse');
  const hasPaymentSignal = commitOutsidePaid || any('paymentTopic') || any('assurance') || clauses.some((clause) => clause.amounts.length > 0);
  for (const clause of clauses) {
    if (!isPromiseClause(clause)) continue;
    for (const date of clause.dates) {
      if (!('date' in date.resolution)) continue;
      if (PAST_DATE_KINDS.has(date.kind)) continue;
      if (isNegatedDate(text, date)) continue;
      if (blockedWithoutCommitment && !commitOutsidePaid && !(clause.paymentTopic && !clause.question && !clause.dispute)) continue;
      if (!hasPaymentSignal && blockedWithoutCommitment) continue;
      const candidate = date.resolution.date;
      if (promisedDate === null || candidate > promisedDate) {
        // The latest day named is the commitment ("kal ya parso" → parso); its clause carries the amount.
        promisedDate = candidate;
        dateClauses.length = 0;
      }
      if (candidate === promisedDate && !dateClauses.includes(clause)) dateClauses.push(clause);
    }
  }
  if (promisedDate !== null) return { intent: 'promise', dateClauses, promisedDate };

  const shortPaid = SHORT_PAID_REPLY.test(text);
  if (any('optOut')) return { intent: 'opt_out', dateClauses, promisedDate };
  if (any('dispute')) return { intent: 'dispute', dateClauses, promisedDate };
  // A payment already made outranks an undated promise about the rest ("paid half, rest soon").
  if (any('paid') || shortPaid) return { intent: 'paid', dateClauses, promisedDate };
  if (any('refuse')) return { intent: 'refuse', dateClauses, promisedDate };
  if (any('timeRequest')) return { intent: 'extension', dateClauses, promisedDate };
  const undatedCommitment = commitOutsidePaid || clauses.some((clause) => clause.income && !clause.question) ||
    clauses.some((clause) => clause.assurance && clause.paymentTopic && !clause.question);
  if (undatedCommitment && !any('callback')) return { intent: 'promise', dateClauses, promisedDate };
  if (any('callback')) return { intent: 'callback', dateClauses, promisedDate };
  if (any('inability')) return { intent: 'extension', dateClauses, promisedDate };
  if (any('later') && !any('question')) return { intent: 'extension', dateClauses, promisedDate };
  if (any('question')) return { intent: 'question', dateClauses, promisedDate };
  if (clauses.some((clause) => clause.hasQuestionMark && clause.paymentTopic)) return { intent: 'question', dateClauses, promisedDate };
  return { intent: 'other', dateClauses, promisedDate };
}

function overlaps(a: Span, b: Span): boolean {
  return a.start < b.end && b.start < a.end;
}

function strongestAmount(amounts: AmountMention[]): number | null {
  if (amounts.length === 0) return null;
  const marked = amounts.find((amount) => amount.hasCurrency || amount.hasScale);
  return (marked ?? amounts[0])?.value ?? null;
}

function chooseAmount(intent: ReplyIntent, clauses: Clause[], dateClauses: Clause[], dates: DateMention[]): number | null {
  const moneyIn = (clause: Clause): AmountMention[] => clause.amounts.filter((amount) => !dates.some((date) => overlaps(amount, date)));
  if (intent === 'paid') {
    const paidClauses = clauses.filter((clause) => clause.paid);
    const fromPaid = strongestAmount(paidClauses.flatMap(moneyIn));
    if (fromPaid !== null) return fromPaid;
    return strongestAmount(clauses.filter((clause) => !clause.dispute && !clause.question).flatMap(moneyIn));
  }
  if (intent !== 'promise') return null;
  const fromDateClause = strongestAmount(dateClauses.flatMap(moneyIn));
  if (fromDateClause !== null) return fromDateClause;
  // The clause with the date may be "rest on friday": the rest's amount is not named.
  if (dateClauses.some((clause) => clause.rest)) return null;
  const candidates = clauses.filter((clause) => (!clause.paid || clause.commit) && !clause.dispute && !clause.question && !clause.refuse);
  return strongestAmount(candidates.flatMap(moneyIn));
}

/** A day and month with no year is a promised date only when it is at most this many days ahead (the spec). */
export const DAY_AND_MONTH_WINDOW_DAYS = 120;

/** Replies longer than this are understood by their first MAX_REPLY_CHARACTERS characters. */
export const MAX_REPLY_CHARACTERS = 2000;

function findNowMentions(text: string, today: CalendarDate, dates: DateMention[]): DateMention[] {
  const mentions: DateMention[] = [];
  for (const span of matchSpans(NOW_CUES, text)) {
    if (dates.some((date) => overlaps(date, span))) continue;
    mentions.push({ kind: 'today', start: span.start, end: span.end, text: text.slice(span.start, span.end), resolution: { date: today }, ambiguous: false });
  }
  return mentions;
}

/** One reply understood: intent, promised date (for a promise) and amount (for a promise or payment). */
export function understandReply(input: ReplyInput): ReplyUnderstanding {
  const today = todayIn(input.now, input.tz);
  return understandReplyOn(input.text, today);
}

/** As understandReply, with "today" already known in the business's time zone. */
export function understandReplyOn(rawText: string, today: CalendarDate): ReplyUnderstanding {
  // A reply is a few words; an essay is understood by its opening, which keeps the cost bounded.
  const text = normalizeText(rawText.length > MAX_REPLY_CHARACTERS ? rawText.slice(0, MAX_REPLY_CHARACTERS) : rawText);
  if (text === '') return { intent: 'other', promisedDate: null, amount: null };
  const dates = findDateMentionsInNormalizedText(text, today, { dayAndMonthWithinDays: DAY_AND_MONTH_WINDOW_DAYS });
  const amounts = findAmountsInNormalizedText(text);
  const nowMentions = findNowMentions(text, today, dates);
  const clauses = buildClauses(text, [...dates, ...nowMentions].sort((a, b) => a.start - b.start), amounts);
  for (const clause of clauses) {
    // "now" names today only in a clause that commits to paying.
    if (!clause.commit || clause.paid) clause.dates = clause.dates.filter((date) => !nowMentions.includes(date));
  }
  const { intent, dateClauses, promisedDate } = classifyIntent(text, clauses);
  return {
    intent,
    promisedDate: intent === 'promise' ? promisedDate : null,
    amount: chooseAmount(intent, clauses, dateClauses, dates),
  };
}

/** A reply that pays part of the balance: part now (or already), and the rest later. */
export interface PartialPayment {
  /** The part paid or being paid now ("paid 10000, rest on friday", "20000 abhi, baaki 15 tareekh ko"); null when none is named. */
  partPaid: number | null;
  /** A share of the balance promised ("aadha de dunga": 0.5); null when none. */
  share: number | null;
}

const HALF = family('aadha|adha|aadhaa|aadhe|adhe|aadhi|half|half of it|half the amount|आधा|आधे|आधी');

/**
 * The split a promise makes of the balance, beside understandReply's one intent: the amount named
 * in a clause before a "rest"/"baaki" clause is paid (or being paid) now; "aadha"/"half" alone is
 * a promise of half. Null when the reply is not such a split.
 */
export function readPartialPayment(rawText: string, today: CalendarDate): PartialPayment | null {
  const text = normalizeText(rawText.length > MAX_REPLY_CHARACTERS ? rawText.slice(0, MAX_REPLY_CHARACTERS) : rawText);
  if (text === '') return null;
  const dates = findDateMentionsInNormalizedText(text, today, { dayAndMonthWithinDays: DAY_AND_MONTH_WINDOW_DAYS });
  const amounts = findAmountsInNormalizedText(text).filter((amount) => !dates.some((date) => overlaps(amount, date)));
  const clauses = buildClauses(text, dates, amounts);
  const restAt = clauses.findIndex((clause) => clause.rest);
  if (restAt > 0) {
    const before = clauses.slice(0, restAt).filter((clause) => !clause.dispute && !clause.question && !clause.refuse);
    const part = strongestAmount(before.flatMap((clause) => clause.amounts));
    if (part !== null && part > 0) return { partPaid: part, share: null };
    return null;
  }
  if (matchSpans(HALF, text).length > 0 && clauses.some((clause) => clause.commit) && amounts.length === 0) return { partPaid: null, share: 0.5 };
  return null;
}
