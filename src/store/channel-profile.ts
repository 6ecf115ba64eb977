// What a connected channel says about itself (the Telegram bot's username, for t.me links), kept
// in channel_auth_state under the key 'profile' so every instance and handler can read it.
import type { Prisma, Tx } from './types.ts';

export interface ChannelProfile {
  /** The bot's username without "@", e.g. paynudge_bot. */
  username: string;
  id: number;
}

const KEY = 'profile';

export async function saveChannelProfile(tx: Tx, channel: string, profile: ChannelProfile, now: Date): Promise<void> {
  const value = { username: profile.username, id: profile.id } as Prisma.InputJsonValue;
  await tx.channelAuthState.upsert({ where: { channel_key: { channel, key: KEY } }, create: { channel, key: KEY, value, updatedAt: now }, update: { value, updatedAt: now } });
}

export async function loadChannelProfile(tx: Tx, channel: string): Promise<ChannelProfile | null> {
  const row = await tx.channelAuthState.findUnique({ where: { channel_key: { channel, key: KEY } } });
  const value = row?.value as Partial<ChannelProfile> | undefined;
  return value && typeof value.username === 'string' && typeof value.id === 'number' ? { username: value.username, id: value.id } : null;
}
