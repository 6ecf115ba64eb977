import { nameKey } from '../engine/owner-command.ts';
import type { Tx } from './types.ts';

export type DebtorLookup = { ok: true; debtor: { id: string; name: string } } | { ok: false; reason: 'none' } | { ok: false; reason: 'ambiguous'; names: string[] };

/** Finds a debtor by exact name, else by a unique name that starts with or contains the words. */
export async function findDebtorByName(tx: Tx, businessId: string, name: string): Promise<DebtorLookup> {
  const key = nameKey(name);
  const exact = await tx.debtor.findUnique({ where: { businessId_nameKey: { businessId, nameKey: key } }, select: { id: true, name: true } });
  if (exact) return { ok: true, debtor: exact };
  const candidates = await tx.debtor.findMany({
    where: { businessId, nameKey: { contains: key } },
    select: { id: true, name: true },
    orderBy: { name: 'asc' },
    take: 6,
  });
  if (candidates.length === 1) return { ok: true, debtor: candidates[0]! };
  if (candidates.length === 0) return { ok: false, reason: 'none' };
  return { ok: false, reason: 'ambiguous', names: candidates.map((c) => c.name) };
}

/** Links a chat identity to a debtor (one per channel), so the bot knows who is writing. */
export async function linkDebtorIdentity(tx: Tx, debtorId: string, channel: string, address: string): Promise<void> {
  await tx.debtorIdentity.upsert({
    where: { debtorId_channel: { debtorId, channel } },
    create: { debtorId, channel, address },
    update: { address },
  });
}
