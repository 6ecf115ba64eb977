// Everything an owner or agent handler needs about the message it answers: who sent it, in
// which business, today's date there, their language, and how to reply.
import { formatDay, type CalendarDate } from '../../engine/calendar.ts';
import { messagesFor, type Language } from '../../engine/messages.ts';
import { formatMoney } from '../../engine/money.ts';
import type { OwnerCommand } from '../../engine/owner-command.ts';
import type { MemberWithBusiness } from '../../store/businesses.ts';
import { clearConversation, saveConversation } from '../../store/conversations.ts';
import { matchDebtorsByName, type DebtorMatch } from '../../store/debtors.ts';
import type { Business, Tx } from '../../store/types.ts';
import type { Choice, InboundText } from '../channel.ts';
import type { ConversationState } from '../state.ts';

/** A reply before it is queued: to whom and what. */
export interface Reply {
  channel: string;
  address: string;
  text: string;
  kind: 'reply' | 'owner_notice' | 'thanks';
  choices?: Choice[];
  attachment?: { fileName: string; mimeType: string; content: string };
  businessId?: string | null;
  memberId?: string | null;
  debtorId?: string | null;
}

export type Catalogue = ReturnType<typeof messagesFor>;

export class OwnerContext {
  readonly business: Business;
  readonly m: Catalogue;
  readonly isOwner: boolean;

  constructor(
    readonly tx: Tx,
    readonly member: MemberWithBusiness,
    readonly message: InboundText,
    readonly now: Date,
    readonly today: CalendarDate,
    readonly language: Language,
    readonly locale: string,
  ) {
    this.business = member.business;
    this.m = messagesFor(language);
    this.isOwner = member.role === 'owner';
  }

  /** Agents see only the debtors assigned to them; owners see all. */
  get agentId(): string | null {
    return this.isOwner ? null : this.member.id;
  }

  money(minor: number): string {
    return formatMoney(minor, this.business.currency, this.locale);
  }

  day(date: CalendarDate): string {
    return formatDay(date, this.language, this.today);
  }

  reply(text: string, choices?: Choice[]): Reply {
    return { channel: this.message.channel, address: this.message.address, text, kind: 'reply', memberId: this.member.id, ...(choices ? { choices } : {}) };
  }

  async setState(state: ConversationState): Promise<void> {
    await saveConversation(this.tx, this.message.channel, this.message.address, state, this.now);
  }

  async clearState(): Promise<void> {
    await clearConversation(this.tx, this.message.channel, this.message.address);
  }

  /** Yes/No buttons in the member's language. */
  yesNo(yes?: string): Choice[] {
    return [
      { label: yes ?? this.m.choiceYes(), data: 'yes' },
      { label: this.m.choiceNo(), data: 'no' },
    ];
  }

  actor() {
    return { type: 'member' as const, id: this.member.id };
  }
}

export type { DebtorMatch };

/**
 * Finds the debtor an owner means by a name they typed: the exact name, else the unique name
 * containing it. Several matches ask which one (the command runs again with the choice); none
 * says so. Agents only find their own debtors, so another agent's debtor is "not found".
 */
export async function resolveDebtor(
  ctx: OwnerContext,
  typed: string,
  command: OwnerCommand,
  options: { allowNew?: boolean } = {},
): Promise<{ debtor: DebtorMatch; exact: boolean } | { replies: Reply[] } | { none: true }> {
  const match = await matchDebtorsByName(ctx.tx, ctx.business.id, typed, ctx.agentId);
  if ('exact' in match) return { debtor: match.exact, exact: true };
  const { candidates } = match;
  if (candidates.length === 1 && !options.allowNew) return { debtor: candidates[0]!, exact: false };
  if (candidates.length === 0) return { none: true };
  await ctx.setState({ flow: 'choose_debtor', options: candidates, command, allowNew: options.allowNew ? typed : null });
  // The options travel as choices: buttons on Telegram, a numbered list where there are none.
  const choices = [...candidates.map((c, i) => ({ label: c.name, data: String(i + 1) })), ...(options.allowNew ? [{ label: ctx.m.newCustomerOption({ name: typed }), data: String(candidates.length + 1) }] : [])];
  return { replies: [ctx.reply(ctx.m.whichCustomer({ typed }), choices)] };
}

export function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
