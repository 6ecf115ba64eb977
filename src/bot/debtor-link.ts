// Opening a debtor's link: Telegram sends "/start <token>" from the chat that opened
// https://t.me/<bot>?start=<token>. A valid debtor_link token connects that chat to the debtor
// (their DebtorIdentity on the channel), so reminders go there from then on; the debtor is
// greeted and the owners told. Any other token gets a short explanation and changes nothing.
import { messagesFor, type Language } from '../engine/messages.ts';
import { redeemDebtorLink } from '../store/access-tokens.ts';
import { recordAudit } from '../store/audit.ts';
import { listOwners } from '../store/businesses.ts';
import { clearConversation } from '../store/conversations.ts';
import { linkDebtorIdentity } from '../store/debtors.ts';
import type { Tx } from '../store/types.ts';
import type { InboundText } from './channel.ts';
import type { Reply } from './owner/index.ts';

/** Opt-outs that came from the channel itself (a blocked bot), which opening a new link undoes. */
const CHANNEL_OPT_OUT_REASONS = new Set(['blocked', 'deactivated']);

/** The token of "/start <token>" (a deep link opened), or null for any other text. */
export function startLinkToken(text: string): string | null {
  const m = /^\/start(?:@\w+)?\s+([A-Za-z0-9_-]{1,64})$/.exec(text.trim());
  return m ? m[1]! : null;
}

export async function openDebtorLink(
  tx: Tx,
  message: InboundText,
  token: string,
  now: Date,
  fallbackLanguage: Language,
): Promise<{ replies: Reply[]; who: { businessId?: string; debtorId?: string } }> {
  const { channel, address } = message;
  const redeemed = await redeemDebtorLink(tx, token, now, { channel, address });
  const debtor = redeemed ? await tx.debtor.findUnique({ where: { id: redeemed.debtorId }, include: { business: true } }) : null;
  if (!redeemed || !debtor) {
    return { replies: [{ channel, address, text: messagesFor(fallbackLanguage).debtorLinkInvalid(), kind: 'reply' }], who: {} };
  }
  const business = debtor.business;
  const welcome: Reply = {
    channel,
    address,
    text: messagesFor(debtor.language ?? business.language).debtorLinked({ debtor: debtor.name, business: business.name }),
    kind: 'reply',
    businessId: business.id,
    debtorId: debtor.id,
  };
  // The link opened again from the chat it connected: greet them, change nothing, tell no one.
  if (redeemed.again) return { replies: [welcome], who: { businessId: business.id, debtorId: debtor.id } };
  await linkDebtorIdentity(tx, debtor.id, channel, address, now);
  await clearConversation(tx, channel, address);
  await recordAudit(tx, { businessId: business.id, actor: { type: 'debtor', id: debtor.id }, action: 'debtor.linked', entityType: 'debtor', entityId: debtor.id, data: { channel }, now });
  if (debtor.optedOut && (await optedOutByChannel(tx, debtor.id))) {
    await tx.debtor.update({ where: { id: debtor.id }, data: { optedOut: false, optedOutAt: null, updatedAt: now } });
    await recordAudit(tx, { businessId: business.id, actor: { type: 'debtor', id: debtor.id }, action: 'debtor.opted_in', entityType: 'debtor', entityId: debtor.id, data: { reason: 'opened a new link', channel }, now });
  }
  const replies: Reply[] = [
    welcome,
    ...(await listOwners(tx, business.id)).map(
      (owner): Reply => ({
        channel: owner.channel,
        address: owner.address,
        text: messagesFor(owner.language ?? business.language).ownerDebtorLinked({ debtor: debtor.name }),
        kind: 'owner_notice',
        businessId: business.id,
        memberId: owner.id,
        debtorId: debtor.id,
      }),
    ),
  ];
  return { replies, who: { businessId: business.id, debtorId: debtor.id } };
}

/** Whether the debtor's latest opt-out came from the channel (they blocked the bot), not from their words. */
async function optedOutByChannel(tx: Tx, debtorId: string): Promise<boolean> {
  const last = await tx.auditEvent.findFirst({ where: { entityType: 'debtor', entityId: debtorId, action: 'debtor.opted_out' }, orderBy: { seq: 'desc' }, select: { data: true } });
  const reason = (last?.data as { reason?: unknown } | undefined)?.reason;
  return typeof reason === 'string' && CHANNEL_OPT_OUT_REASONS.has(reason);
}
