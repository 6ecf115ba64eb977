// "link Ramesh": a personal Telegram link for a customer. A bot cannot write to someone who never
// opened it, so the owner forwards this link; opening it connects that chat to the customer
// (src/bot/debtor-link.ts) and their reminders go there from then on.
import type { OwnerCommand } from '../../engine/owner-command.ts';
import { DEBTOR_LINK_DAYS, issueDebtorLink } from '../../store/access-tokens.ts';
import { recordAudit } from '../../store/audit.ts';
import { loadChannelProfile } from '../../store/channel-profile.ts';
import { resolveDebtor, type OwnerContext, type Reply } from './context.ts';

/** https://t.me/<bot>?start=<token>: Telegram opens the bot with a Start button that sends "/start <token>". */
export function telegramStartLink(username: string, token: string): string {
  return `https://t.me/${username}?start=${token}`;
}

export async function debtorLink(ctx: OwnerContext, command: Extract<OwnerCommand, { kind: 'debtor_link' }>): Promise<Reply[]> {
  const { m } = ctx;
  const profile = await loadChannelProfile(ctx.tx, 'telegram');
  if (!profile) return [ctx.reply(m.debtorLinkUnavailable())];
  const found = await resolveDebtor(ctx, command.debtorName, command);
  if ('replies' in found) return found.replies;
  if ('none' in found) return [ctx.reply(m.noSuchCustomer({ name: command.debtorName }))];
  const { token, expiresAt } = await issueDebtorLink(ctx.tx, { businessId: ctx.business.id, debtorId: found.debtor.id, createdBy: ctx.member.id, now: ctx.now });
  // The token is a credential: the audit trail says a link was made, never what it was.
  await recordAudit(ctx.tx, { businessId: ctx.business.id, actor: ctx.actor(), action: 'debtor.link_created', entityType: 'debtor', entityId: found.debtor.id, data: { channel: 'telegram', expiresAt: expiresAt.toISOString() }, now: ctx.now });
  return [ctx.reply(m.debtorLinkCreated({ debtor: found.debtor.name, url: telegramStartLink(profile.username, token), days: DEBTOR_LINK_DAYS }))];
}
