// Approving reminders by message: the numbered list of reminders waiting for the owner, and
// approve all · approve 1 3 · skip 2 · snooze 4 2d · edit 6 <text> · show 3. The list comes with
// approve and skip buttons for each reminder (on Telegram); after some are approved or skipped
// the list is shown again, renumbered, so a number always means what the owner last saw.
// "reminders" also names the customers a reminder is due for that no chat can reach (they are
// never drafted, so they would not be on the list), with the link command to reach them.
import { STAGES } from '../../engine/ladder.ts';
import { unreachableLines, validateTemplate, UNREACHABLE_LIST_CAP } from '../../engine/reminder-text.ts';
import { nextSendTime } from '../../engine/schedule.ts';
import type { OwnerCommand } from '../../engine/owner-command.ts';
import { recordAudit } from '../../store/audit.ts';
import { listAwaitingApproval, rewordDraft, rewordStaleDrafts, type AwaitingReminder } from '../../store/approvals.ts';
import { findUnreachableDebtors } from '../../store/unreachable.ts';
import type { Choice } from '../channel.ts';
import type { OwnerContext, Reply } from './context.ts';

/** Reminders that get their own approve and skip buttons (the rest by number, or "approve all"). */
const BUTTONED_REMINDERS = 8;

export async function describeAwaiting(ctx: OwnerContext): Promise<Reply[]> {
  // Drafts from an earlier day are worded for today first: the list and "show" read as they would go.
  await rewordStaleDrafts(ctx.tx, ctx.business.id, ctx.now);
  const [rows, unreachable] = await Promise.all([
    listAwaitingApproval(ctx.tx, ctx.business.id, ctx.agentId),
    findUnreachableDebtors(ctx.tx, { businessId: ctx.business.id, now: ctx.now, timeZone: ctx.business.timeZone, agentId: ctx.agentId, limit: UNREACHABLE_LIST_CAP }),
  ]);
  const cannotReach = unreachableLines(ctx.language, unreachable);
  if (rows.length === 0) return [ctx.reply([ctx.m.noRemindersWaiting(), ...cannotReach].join('\n'))];
  return [ctx.reply(awaitingList(ctx, rows, cannotReach), awaitingChoices(ctx, rows))];
}

/** The numbered list and how to answer it, then any lines about customers no chat can reach. */
function awaitingList(ctx: OwnerContext, rows: AwaitingReminder[], cannotReach: readonly string[] = []): string {
  const lines = rows.map((r, i) => ctx.m.awaitingLine({ index: i + 1, name: r.debtorName, stage: r.stage ?? '', preview: r.body.split('\n')[0]!.slice(0, 60) }));
  // Example numbers from the list itself: "approve 1 3" on a list of one would name a reminder that is not there.
  const pick = (n: number) => Math.min(n, rows.length);
  const hint = ctx.m.approvalHint({ approve: [...new Set([1, pick(3)])].join(' '), skip: pick(2), snooze: pick(4), edit: pick(6), show: pick(3) });
  return [ctx.m.awaitingHeader({ count: rows.length }), ...lines, hint, ...cannotReach].join('\n');
}

/** Approve and skip for each of the first few reminders (a row each, where buttons can sit side by side), then approve all. */
function awaitingChoices(ctx: OwnerContext, rows: AwaitingReminder[]): Choice[] {
  const shown = rows.slice(0, BUTTONED_REMINDERS);
  return [
    ...shown.flatMap((r, i): Choice[] => [
      { label: ctx.m.choiceApproveOne({ index: i + 1, name: r.debtorName }), data: `approve ${i + 1}`, row: i },
      { label: ctx.m.choiceSkipOne({ index: i + 1 }), data: `skip ${i + 1}`, row: i },
    ]),
    { label: ctx.m.choiceApproveAll(), data: 'approve all', row: shown.length },
  ];
}

/** After some were approved or skipped: the answer, then the list as it is now numbered, with its buttons. */
async function withWhatIsLeft(ctx: OwnerContext, answer: string, left: number): Promise<Reply> {
  if (left === 0) return ctx.reply(answer);
  const rows = await listAwaitingApproval(ctx.tx, ctx.business.id);
  if (rows.length === 0) return ctx.reply(answer);
  return ctx.reply(`${answer}\n\n${awaitingList(ctx, rows)}`, awaitingChoices(ctx, rows));
}

export async function answerApproval(ctx: OwnerContext, command: Extract<OwnerCommand, { kind: 'approve' | 'skip' | 'snooze' | 'edit_reminder' | 'show_reminder' }>): Promise<Reply[]> {
  const { m, tx, business } = ctx;
  const rows = await listAwaitingApproval(tx, business.id);
  if (rows.length === 0) return [ctx.reply(m.noRemindersWaiting())];
  const indices = command.kind === 'approve' ? (command.which === 'all' ? rows.map((_, i) => i + 1) : command.which) : command.kind === 'skip' ? command.which : [command.index];
  const unknown = indices.filter((i) => i < 1 || i > rows.length);
  if (unknown.length) return [ctx.reply(m.noSuchReminder({ numbers: unknown.join(', '), max: rows.length }))];
  const chosen = indices.map((i) => rows[i - 1]!);
  const ids = chosen.map((r) => r.id);
  const audit = (action: string, data: Record<string, unknown> = {}) =>
    recordAudit(tx, { businessId: business.id, actor: ctx.actor(), action, entityType: 'outbound_message', data: { ids, ...data }, now: ctx.now });
  switch (command.kind) {
    case 'approve': {
      await tx.outboundMessage.updateMany({ where: { id: { in: ids }, status: 'awaiting_approval' }, data: { status: 'queued', updatedAt: ctx.now } });
      await audit('reminders.approved');
      return [await withWhatIsLeft(ctx, m.remindersApproved({ count: ids.length, left: rows.length - ids.length }), rows.length - ids.length)];
    }
    case 'skip': {
      await tx.outboundMessage.updateMany({ where: { id: { in: ids }, status: 'awaiting_approval' }, data: { status: 'skipped', updatedAt: ctx.now } });
      await audit('reminders.skipped');
      return [await withWhatIsLeft(ctx, m.remindersSkipped({ count: ids.length, left: rows.length - ids.length }), rows.length - ids.length)];
    }
    case 'snooze': {
      const later = new Date(ctx.now.getTime() + command.days * 86_400_000);
      const at = nextSendTime({ now: later, timeZone: business.timeZone, quietStartHour: business.quietStartHour, quietEndHour: business.quietEndHour, sendDays: business.sendDays });
      await tx.outboundMessage.updateMany({ where: { id: { in: ids }, status: 'awaiting_approval' }, data: { status: 'queued', scheduledAt: at, updatedAt: ctx.now } });
      await audit('reminders.snoozed', { days: command.days });
      return [ctx.reply(m.reminderSnoozed({ index: command.index, name: chosen[0]!.debtorName, days: command.days }))];
    }
    case 'edit_reminder': {
      // This message is already written for one customer: placeholders belong in "template".
      if (/[{}]/.test(command.text)) return [ctx.reply(m.noPlaceholdersInEdit())];
      if (command.text.length > 1000) return [ctx.reply(m.tooLong({ length: command.text.length, max: 1000 }))];
      // The owner's own words go as written: never worded again (see rewordReminder).
      await tx.outboundMessage.update({ where: { id: chosen[0]!.id }, data: { body: command.text, wordedOn: null, updatedAt: ctx.now } });
      await audit('reminder.edited');
      return [ctx.reply(m.reminderEdited({ index: command.index }))];
    }
    case 'show_reminder': {
      // As it would go today: a draft from an earlier day is worded again first.
      const reworded = await rewordDraft(tx, chosen[0]!.id, ctx.now);
      if (reworded === 'nothing_left') return [ctx.reply(m.reminderNothingLeft({ index: command.index, name: chosen[0]!.debtorName }))];
      return [ctx.reply(m.reminderShown({ index: command.index, name: chosen[0]!.debtorName, body: reworded?.body ?? chosen[0]!.body }))];
    }
  }
}

/** "template polite <text with {placeholders}>" sets the business's wording for a stage; "reset" drops it. */
export async function setTemplate(ctx: OwnerContext, command: Extract<OwnerCommand, { kind: 'template' }>): Promise<Reply[]> {
  const { m, tx, business } = ctx;
  if (!(STAGES as readonly string[]).includes(command.stage)) return [ctx.reply(m.badStage({ got: command.stage, stages: STAGES.join(', ') }))];
  if (command.text !== null) {
    const check = validateTemplate(command.text);
    if (!check.ok) return [ctx.reply(m.badPlaceholders({ unknown: check.unknown.join(', '), valid: check.valid.map((v) => `{${v}}`).join(' ') }))];
    if (command.text.length > 800) return [ctx.reply(m.tooLong({ length: command.text.length, max: 800 }))];
  }
  const templates = { ...(business.templates as Record<string, Record<string, string>>) };
  const language = business.language === 'hi' ? 'hi' : 'en';
  const forStage = { ...(templates[command.stage] ?? {}) };
  if (command.text === null) delete forStage[language];
  else forStage[language] = command.text;
  templates[command.stage] = forStage;
  await tx.business.update({ where: { id: business.id }, data: { templates, updatedAt: ctx.now } });
  await recordAudit(tx, { businessId: business.id, actor: ctx.actor(), action: 'template.changed', entityType: 'business', entityId: business.id, data: { stage: command.stage, language, text: command.text }, now: ctx.now });
  return [ctx.reply(command.text === null ? m.templateReset({ stage: command.stage }) : m.templateSet({ stage: command.stage }))];
}
