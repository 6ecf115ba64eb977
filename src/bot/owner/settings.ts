// Settings by message: currency, time zone, language, digest hour, quiet hours, payment details,
// approval mode, terms, sending days, thank-you notes, the reminder ladder and ranking weights.
import { isValidTimeZone } from '../../engine/calendar.ts';
import { changeLadderStep, STAGES, TONES, type LadderStep, type Stage, type Tone } from '../../engine/ladder.ts';
import { formatMoney, minorDigits } from '../../engine/money.ts';
import type { SettingChange } from '../../engine/owner-command.ts';
import { readCurrency, readTimeZone } from '../../engine/onboarding.ts';
import { InvalidWeightsError, resolveWeights, WEIGHT_KEYS } from '../../engine/ranking.ts';
import { recordAudit } from '../../store/audit.ts';
import type { Prisma } from '../../store/types.ts';
import type { OwnerContext, Reply } from './context.ts';

const UPI_ID = /^[\w.-]{2,256}@[A-Za-z][A-Za-z0-9]{1,63}$/;
const WEEKDAYS = { en: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'], hi: ['सोम', 'मंगल', 'बुध', 'गुरु', 'शुक्र', 'शनि', 'रवि'] };

function languageName(language: string): string {
  return language === 'hi' ? 'हिंदी' : 'English';
}

/** A ladder day as the settings show it: -3, +0, +10. */
function signed(day: number): string {
  return `${day >= 0 ? '+' : ''}${day}`;
}

function hour(h: number): string {
  return `${String(h).padStart(2, '0')}:00`;
}

export function describeSettings(ctx: OwnerContext): Reply[] {
  const b = ctx.business;
  const { m } = ctx;
  const ladder = (b.ladder as unknown as LadderStep[]).map((s) => `${s.stage} ${s.offsetDays >= 0 ? '+' : ''}${s.offsetDays} (${s.tone})`).join(', ');
  const weights = resolveWeights(b.rankingWeights);
  const days = b.sendDays.length === 7 ? m.everyDay() : b.sendDays.map((d) => WEEKDAYS[ctx.language][d - 1]).join(' ');
  return [
    ctx.reply(
      m.settingsList({
        name: b.name,
        currency: b.currency,
        timeZone: b.timeZone,
        language: b.language,
        digest: hour(b.digestHour),
        quiet: `${hour(b.quietStartHour)}–${hour(b.quietEndHour)}`,
        upi: b.upiId ?? '—',
        details: b.paymentDetails ?? '—',
        approval: b.approvalMode === 'approve' ? m.approvalOn() : m.approvalOff(),
        terms: b.defaultTermsDays,
        days,
        thanks: b.thankYouEnabled ? m.on() : m.off(),
        ladder,
        weights: WEIGHT_KEYS.map((k) => `${k} ${weights[k]}`).join(', '),
      }),
    ),
  ];
}

export async function changeSetting(ctx: OwnerContext, change: SettingChange): Promise<Reply[]> {
  const { m, business, tx } = ctx;
  let data: Prisma.BusinessUpdateInput;
  let said: string;
  switch (change.key) {
    case 'currency': {
      const currency = readCurrency(change.value);
      if (!currency) return [ctx.reply(m.badCurrency({ got: change.value, suggested: business.currency }))];
      const invoices = await tx.invoice.count({ where: { businessId: business.id } });
      if (invoices > 0 && currency !== business.currency) return [ctx.reply(m.currencyLocked({ currency: business.currency, wanted: currency }))];
      data = { currency };
      // An example amount in the new currency shows its minor units: OMR 40.000, ₹40.00, JPY 40.
      said = m.settingCurrency({ currency, example: formatMoney(40 * 10 ** minorDigits(currency), currency, ctx.locale) });
      break;
    }
    case 'timezone': {
      const tz = readTimeZone(change.value);
      if (!tz || !isValidTimeZone(tz)) return [ctx.reply(m.badTimeZone({ got: change.value, suggested: business.timeZone }))];
      data = { timeZone: tz };
      said = m.settingTimeZone({ timeZone: tz });
      break;
    }
    case 'language':
      // The business's language is its customers'. Members who never chose one of their own read
      // their chat in it too: they keep the language they read now, so only customers change.
      await tx.member.updateMany({ where: { businessId: business.id, language: null }, data: { language: business.language } });
      data = { language: change.value };
      said = m.settingLanguage({ language: languageName(change.value), own: languageName(ctx.language) });
      break;
    case 'digest':
      data = { digestHour: change.hour };
      said = m.settingDigest({ hour: hour(change.hour) });
      break;
    case 'quiet':
      data = { quietStartHour: change.startHour, quietEndHour: change.endHour };
      said = m.settingQuiet({ from: hour(change.startHour), to: hour(change.endHour) });
      break;
    case 'upi':
      if (change.value && !UPI_ID.test(change.value)) return [ctx.reply(m.badUpi({ got: change.value }))];
      data = { upiId: change.value };
      said = change.value ? m.settingUpi({ upi: change.value }) : m.settingUpiRemoved();
      break;
    case 'payment_details':
      if (change.value && change.value.length > 300) return [ctx.reply(m.tooLong({ length: change.value.length, max: 300 }))];
      data = { paymentDetails: change.value };
      said = m.settingDetails({ details: change.value ?? '—' });
      break;
    case 'approval':
      data = { approvalMode: change.mode };
      said = change.mode === 'approve' ? m.settingApprovalOn() : m.settingApprovalOff();
      break;
    case 'terms':
      data = { defaultTermsDays: change.days };
      said = m.settingTerms({ days: change.days });
      break;
    case 'send_days':
      data = { sendDays: change.days };
      said = m.settingDays({ days: change.days.map((d) => WEEKDAYS[ctx.language][d - 1]).join(' ') });
      break;
    case 'thanks':
      data = { thankYouEnabled: change.enabled };
      said = change.enabled ? m.settingThanksOn() : m.settingThanksOff();
      break;
    case 'ladder': {
      const current = business.ladder as unknown as LadderStep[];
      if (!current.some((s) => s.stage === change.stage)) return [ctx.reply(m.badStage({ got: change.stage, stages: STAGES.join(', ') }))];
      if (change.tone && !(TONES as readonly string[]).includes(change.tone)) return [ctx.reply(m.badTone({ got: change.tone, tones: TONES.join(', ') }))];
      const changed = changeLadderStep(current, { stage: change.stage as Stage, offsetDays: change.offsetDays, tone: change.tone as Tone | null });
      if (!changed.ok) {
        const p = changed.problem;
        const stage = change.stage;
        if (p.code === 'no_room') return [ctx.reply(m.ladderNoRoom({ stage, before: signed(p.before), after: signed(p.after) }))];
        if (p.code === 'day_out_of_order') return [ctx.reply(m.ladderDayOutOfOrder({ stage, day: signed(change.offsetDays!), from: signed(p.from), to: signed(p.to) }))];
        return [ctx.reply(m.ladderToneOutOfOrder({ stage, tone: change.tone!, allowed: p.allowed.join(', ') }))];
      }
      const ladder = changed.ladder;
      const step = ladder.find((s) => s.stage === change.stage)!;
      data = { ladder: ladder as unknown as Prisma.InputJsonValue };
      said = m.settingLadder({ stage: step.stage, day: signed(step.offsetDays), tone: step.tone });
      break;
    }
    case 'weight': {
      const merged = { ...(business.rankingWeights as Record<string, number>), [change.factor]: change.value };
      try {
        resolveWeights(merged);
      } catch (err) {
        if (err instanceof InvalidWeightsError) return [ctx.reply(m.badWeight({ keys: WEIGHT_KEYS.join(', ') }))];
        throw err;
      }
      data = { rankingWeights: merged };
      said = m.settingWeight({ factor: change.factor, value: change.value });
      break;
    }
  }
  await tx.business.update({ where: { id: business.id }, data: { ...data, updatedAt: ctx.now } });
  if (change.key === 'ladder' || change.key === 'terms') {
    // Re-derive each open invoice's next reminder day from the new ladder or terms (a trigger does it).
    await tx.$executeRaw`UPDATE invoice SET reminder_stage = reminder_stage WHERE business_id = ${business.id}::uuid AND status = 'open'`;
  }
  await recordAudit(tx, { businessId: business.id, actor: ctx.actor(), action: 'settings.changed', entityType: 'business', entityId: business.id, data: { change }, now: ctx.now });
  return [ctx.reply(said)];
}
