// An owner's or agent's message: screened, read as a command (or as the answer to a question the
// bot asked), and handled. Every handler answers in the member's language and writes nothing on
// bad input.
import { todayIn } from '../../engine/calendar.ts';
import { messagesFor, type Language } from '../../engine/messages.ts';
import { localeFor } from '../../engine/money.ts';
import { MAX_MESSAGE_LENGTH, parseOwnerCommand, screenText, type OwnerCommand } from '../../engine/owner-command.ts';
import { setMemberLanguage, type MemberWithBusiness } from '../../store/businesses.ts';
import type { Tx } from '../../store/types.ts';
import type { InboundText } from '../channel.ts';
import type { ConversationState, PendingAction } from '../state.ts';
import { OwnerContext, type Reply } from './context.ts';
import { answerApproval, describeAwaiting, setTemplate } from './approvals.ts';
import { allowMessages, confirmClaim, listClaims, rejectClaim } from './claims.ts';
import { exportCsv, finishImport, importCsv } from './import-export.ts';
import { debtorLink } from './links.ts';
import { addInvoice, askCancelInvoice, continueAddForm, disputeInvoice, doCancelInvoice, editInvoice, listInvoices, resolveDispute, saveInvoice } from './invoices.ts';
import { askUndoPayment, paymentCommand, savePayment, undoPayment } from './payments.ts';
import { pauseReminders, resumeReminders } from './pause.ts';
import { refusal } from './permissions.ts';
import { describeProblem } from './problems.ts';
import { followUpToday, history, statement, summary } from './reports.ts';
import { changeSetting, describeSettings } from './settings.ts';
import { askRemoveAgent, assignDebtor, describeTeam, inviteAgent, removeAgent, unassignDebtor } from './team.ts';

export type { Reply } from './context.ts';

/** `state`: the chat's conversation state, as the caller read it with the message. */
export async function handleMemberText(tx: Tx, member: MemberWithBusiness, message: InboundText, now: Date, state: ConversationState | null): Promise<Reply[]> {
  const business = member.business;
  const language = (member.language ?? business.language) as Language;
  const ctx = new OwnerContext(tx, member, message, now, todayIn(now, business.timeZone), language, localeFor(language, business.country));
  const { m } = ctx;
  // A file sent in (a CSV) is an import, whatever else is going on.
  if (message.attachment) return refusal(ctx, 'import') ?? importCsv(ctx, message.attachment.text, message.attachment.fileName);
  const screened = screenText(message.text);
  if (!screened.ok && !(screened.reason === 'too_long' && state?.flow === 'import')) {
    return [ctx.reply(screened.reason === 'too_long' ? m.tooLong({ length: screened.length, max: MAX_MESSAGE_LENGTH }) : m.noText())];
  }
  const text = screened.ok ? screened.text : message.text;
  const command = parseOwnerCommand(text, { today: ctx.today, country: business.country });

  switch (state?.flow) {
    case 'import':
      if (command.kind === 'cancel') break;
      if (/^(done|finish|ho gaya|bas)$/i.test(text)) return finishImport(ctx, state.lines);
      await ctx.setState({ flow: 'import', lines: [...state.lines, ...message.text.split(/\r?\n/)] });
      return [];
    case 'confirm':
      // The offered choices are [yes, no]: "1" and "2" answer too (as on a phone after a restart).
      if (command.kind === 'yes' || (command.kind === 'choose' && command.index === 1)) {
        await ctx.clearState();
        return runPending(ctx, state.action);
      }
      if (command.kind === 'no' || command.kind === 'cancel' || (command.kind === 'choose' && command.index === 2)) {
        await ctx.clearState();
        return [ctx.reply(m.notDone())];
      }
      if (command.kind === 'choose') return [ctx.reply(m.pickANumber({ max: 2 }))];
      break;
    case 'choose_debtor':
      if (command.kind === 'choose') {
        const chosen = state.options[command.index - 1];
        if (chosen) {
          await ctx.clearState();
          return runCommand(ctx, withDebtorName(state.command, chosen.name));
        }
        if (state.allowNew && command.index === state.options.length + 1 && state.command.kind === 'add') {
          await ctx.clearState();
          return addInvoice(ctx, { ...state.command.draft, debtorName: state.allowNew }, true);
        }
        return [ctx.reply(m.pickANumber({ max: state.options.length + (state.allowNew ? 1 : 0) }))];
      }
      break;
    case 'add':
      if (command.kind === 'unknown' || command.kind === 'invalid' || command.kind === 'choose') return continueAddForm(ctx, state, text);
      break;
    case 'list':
      if (command.kind === 'list' && command.page === 'next') {
        await ctx.clearState();
        return listInvoices(ctx, state.page + 1);
      }
      break;
  }
  if (state && command.kind !== 'help') await ctx.clearState();
  // A list with pages left is nothing the owner is in the middle of: "cancel" has nothing to stop.
  return runCommand(ctx, command, state !== null && state.flow !== 'list');
}

/** The same command with the debtor the owner picked from a list. */
function withDebtorName(command: OwnerCommand, name: string): OwnerCommand {
  switch (command.kind) {
    case 'add':
      return { ...command, draft: { ...command.draft, debtorName: name } };
    case 'payment':
      return { ...command, draft: { ...command.draft, debtorName: name } };
    case 'statement':
    case 'assign':
    case 'unassign':
      return { ...command, debtorName: name };
    case 'export':
    case 'allow_messages':
    case 'debtor_link':
      return { ...command, debtorName: name };
    case 'history':
      return { ...command, target: name };
    case 'pause':
    case 'resume':
      return { ...command, target: { debtorName: name } };
    default:
      return command;
  }
}

async function runPending(ctx: OwnerContext, action: PendingAction): Promise<Reply[]> {
  switch (action.kind) {
    case 'save_invoice':
      return saveInvoice(ctx, action);
    case 'cancel_invoice':
      return doCancelInvoice(ctx, action.invoiceId);
    case 'record_payment':
      return savePayment(ctx, action);
    case 'undo_payment':
      return undoPayment(ctx, action.paymentId);
    case 'remove_agent':
      return removeAgent(ctx, action.memberId);
  }
}

/** Runs a command the member's role may run (src/bot/owner/permissions.ts); refuses any other before its handler. */
async function runCommand(ctx: OwnerContext, command: OwnerCommand, hadState = false): Promise<Reply[]> {
  const refused = refusal(ctx, command.kind);
  if (refused) return refused;
  const { m } = ctx;
  switch (command.kind) {
    case 'help':
      return [ctx.reply(ctx.isOwner ? m.help() : m.helpAgent())];
    case 'cancel':
      return [ctx.reply(hadState ? m.cancelled() : m.nothingToCancel())];
    case 'yes':
    case 'no':
      return [ctx.reply(m.nothingToConfirm())];
    case 'language':
      await setMemberLanguage(ctx.tx, ctx.member, command.language, ctx.now);
      return [ctx.reply(messagesFor(command.language).languageSet())];
    case 'list':
      // "more" with no list shown before starts at the first page.
      return listInvoices(ctx, typeof command.page === 'number' ? command.page : 1);
    case 'add':
      return addInvoice(ctx, command.draft);
    case 'edit_invoice':
      return editInvoice(ctx, command);
    case 'cancel_invoice':
      return askCancelInvoice(ctx, command.number);
    case 'dispute_invoice':
      return disputeInvoice(ctx, command.number, command.reason);
    case 'resolve_dispute':
      return resolveDispute(ctx, command.number);
    case 'payment':
      return paymentCommand(ctx, command.draft);
    case 'undo':
      return askUndoPayment(ctx);
    case 'follow_up':
      return followUpToday(ctx);
    case 'summary':
      return summary(ctx);
    case 'statement':
      return (await statement(ctx, command.debtorName, command)) ?? [ctx.reply(m.noSuchCustomer({ name: command.debtorName }))];
    case 'history':
      return history(ctx, command.target, command);
    case 'settings':
      return describeSettings(ctx);
    case 'set':
      return changeSetting(ctx, command.change);
    case 'invite_agent':
      return inviteAgent(ctx, command.name);
    case 'join':
      return [ctx.reply(m.alreadyMember({ business: ctx.business.name }))];
    case 'assign':
      return assignDebtor(ctx, command);
    case 'unassign':
      return unassignDebtor(ctx, command);
    case 'remove_agent':
      return askRemoveAgent(ctx, command.name);
    case 'team':
      return describeTeam(ctx);
    case 'pause':
      return pauseReminders(ctx, command);
    case 'resume':
      return resumeReminders(ctx, command);
    case 'import':
      return command.text.trim() ? importCsv(ctx, command.text, null) : startImport(ctx);
    case 'export':
      return exportCsv(ctx, command.debtorName, command);
    case 'debtor_link':
      return debtorLink(ctx, command);
    case 'reminders':
      return describeAwaiting(ctx);
    case 'approve':
    case 'skip':
    case 'snooze':
    case 'edit_reminder':
    case 'show_reminder':
      return answerApproval(ctx, command);
    case 'template':
      return setTemplate(ctx, command);
    case 'claims':
      return listClaims(ctx);
    case 'confirm_claim':
      return confirmClaim(ctx, command.number);
    case 'reject_claim':
      return rejectClaim(ctx, command.number);
    case 'allow_messages':
      return allowMessages(ctx, command);
    case 'invalid':
      return [ctx.reply(describeProblem(ctx, command.problem))];
    case 'choose':
    case 'unknown': {
      // A customer's name alone asks for their statement.
      const text = command.kind === 'unknown' ? command.text : String(command.index);
      if (/^[\p{L}][\p{L}\p{N} .&'-]{1,59}$/u.test(text) && text.split(' ').length <= 5) {
        const found = await statement(ctx, text, { kind: 'statement', debtorName: text });
        if (found) return found;
      }
      return [ctx.reply(m.unknownCommand({ got: text.length > 60 ? `${text.slice(0, 59)}…` : text }))];
    }
  }
}

async function startImport(ctx: OwnerContext): Promise<Reply[]> {
  await ctx.setState({ flow: 'import', lines: [] });
  return [ctx.reply(ctx.m.importStart())];
}
