// Per-chat conversation state (a guided form, onboarding) kept in the database, so a restart
// or a second instance continues the same conversation.
import type { Tx } from './types.ts';

export async function loadConversation<S>(tx: Tx, channel: string, address: string): Promise<S | null> {
  const row = await tx.conversation.findUnique({ where: { channel_address: { channel, address } } });
  return (row?.state as S | undefined) ?? null;
}

export async function saveConversation<S extends object>(tx: Tx, channel: string, address: string, state: S, now: Date): Promise<void> {
  await tx.conversation.upsert({
    where: { channel_address: { channel, address } },
    create: { channel, address, state, updatedAt: now },
    update: { state, updatedAt: now },
  });
}

export async function clearConversation(tx: Tx, channel: string, address: string): Promise<void> {
  await tx.conversation.deleteMany({ where: { channel, address } });
}
