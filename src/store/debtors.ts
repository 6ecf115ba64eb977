import { nameKey } from '../engine/owner-command.ts';
import type { Tx } from './types.ts';

export interface DebtorMatch {
  id: string;
  name: string;
}

/**
 * The debtors a typed name may mean: the one with exactly that name, else those whose name
 * contains every word typed (at most 9, by name). An agent (agentId) only finds their own.
 */
export async function matchDebtorsByName(
  tx: Tx,
  businessId: string,
  typed: string,
  agentId: string | null = null,
): Promise<{ exact: DebtorMatch } | { candidates: DebtorMatch[] }> {
  const key = nameKey(typed);
  const scope = { businessId, ...(agentId ? { assignedAgentId: agentId } : {}) };
  const exact = await tx.debtor.findFirst({ where: { ...scope, nameKey: key }, select: { id: true, name: true } });
  if (exact) return { exact };
  const words = key.split(' ').filter(Boolean);
  const candidates = await tx.debtor.findMany({
    where: { ...scope, AND: words.map((w) => ({ nameKey: { contains: w } })) },
    select: { id: true, name: true },
    orderBy: { name: 'asc' },
    take: 9,
  });
  return { candidates };
}

export type DebtorLookup = { ok: true; debtor: DebtorMatch } | { ok: false; reason: 'none' } | { ok: false; reason: 'ambiguous'; names: string[] };

/** One debtor for a typed name, or why not: none matches, or several do. */
export async function findDebtorByName(tx: Tx, businessId: string, name: string): Promise<DebtorLookup> {
  const match = await matchDebtorsByName(tx, businessId, name);
  if ('exact' in match) return { ok: true, debtor: match.exact };
  if (match.candidates.length === 1) return { ok: true, debtor: match.candidates[0]! };
  if (match.candidates.length === 0) return { ok: false, reason: 'none' };
  return { ok: false, reason: 'ambiguous', names: match.candidates.map((c) => c.name) };
}

/** Links a chat identity to a debtor (one per channel), so the bot knows who is writing. */
export async function linkDebtorIdentity(tx: Tx, debtorId: string, channel: string, address: string, now: Date): Promise<void> {
  await tx.debtorIdentity.upsert({
    where: { debtorId_channel: { debtorId, channel } },
    create: { debtorId, channel, address, createdAt: now },
    update: { address },
  });
}

/** Another debtor of the business who already has this phone number (E.164), if any. */
export async function findDebtorWithPhone(tx: Tx, businessId: string, phone: string, exceptDebtorId: string | null): Promise<DebtorMatch | null> {
  return tx.debtor.findFirst({
    where: { businessId, phone, ...(exceptDebtorId ? { NOT: { id: exceptDebtorId } } : {}) },
    select: { id: true, name: true },
    orderBy: { name: 'asc' },
  });
}
