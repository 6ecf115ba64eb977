// Debtor links: unguessable, single-purpose, single-use tokens in access_token (purpose
// 'debtor_link'). Only a SHA-256 of each token is stored, so the table alone opens no chat; the
// token itself exists only in the link the owner forwards. Agent invites (purpose 'agent_invite')
// live with the team (src/bot/owner/team.ts).
import { createHash, randomBytes } from 'node:crypto';
import type { Tx } from './types.ts';

export const DEBTOR_LINK_PURPOSE = 'debtor_link';
export const DEBTOR_LINK_DAYS = 30;

/** 144 random bits in 24 URL-safe characters: fits Telegram's start parameter (A-Z a-z 0-9 _ -, at most 64). */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{24}$/;

export function newLinkToken(): string {
  return randomBytes(18).toString('base64url');
}

function stored(token: string): string {
  return `sha256:${createHash('sha256').update(token).digest('base64url')}`;
}

/** Issues a new link token for a debtor, valid for `days`. Returns the token (shown once, never stored). */
export async function issueDebtorLink(
  tx: Tx,
  input: { businessId: string; debtorId: string; createdBy: string | null; now: Date; days?: number },
): Promise<{ token: string; expiresAt: Date }> {
  const token = newLinkToken();
  const expiresAt = new Date(input.now.getTime() + (input.days ?? DEBTOR_LINK_DAYS) * 86_400_000);
  await tx.accessToken.create({
    data: { token: stored(token), businessId: input.businessId, purpose: DEBTOR_LINK_PURPOSE, debtorId: input.debtorId, createdBy: input.createdBy, expiresAt, createdAt: input.now },
  });
  return { token, expiresAt };
}

/**
 * Uses a debtor link: atomically marks it used, so it connects one chat even if two open it at
 * the same moment. The chat it connected may open it again (`again`: nothing to change). Null for
 * anything else: a malformed, unknown, expired token, one used by another chat, or one made for
 * another purpose (an agent's invite code).
 */
export async function redeemDebtorLink(
  tx: Tx,
  token: string,
  now: Date,
  chat: { channel: string; address: string },
): Promise<{ businessId: string; debtorId: string; again: boolean } | null> {
  if (!TOKEN_PATTERN.test(token)) return null;
  const key = stored(token);
  const { count } = await tx.accessToken.updateMany({
    where: { token: key, purpose: DEBTOR_LINK_PURPOSE, usedAt: null, expiresAt: { gt: now } },
    data: { usedAt: now },
  });
  const row = await tx.accessToken.findUnique({ where: { token: key }, select: { businessId: true, debtorId: true, purpose: true } });
  if (!row?.debtorId || row.purpose !== DEBTOR_LINK_PURPOSE) return null;
  if (count === 1) return { businessId: row.businessId, debtorId: row.debtorId, again: false };
  // Used already: by this very chat (the customer tapped the link again) it still answers; by any other, not.
  const linked = await tx.debtorIdentity.count({ where: { debtorId: row.debtorId, channel: chat.channel, address: chat.address } });
  return linked === 1 ? { businessId: row.businessId, debtorId: row.debtorId, again: true } : null;
}
