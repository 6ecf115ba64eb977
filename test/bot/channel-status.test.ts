// Channels report where they are (GET /readyz shows it), and log each change of state once.
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ChannelStatusKeeper } from '../../src/bot/channel.ts';
import { ConsoleChannel } from '../../src/bot/console.ts';
import { TelegramChannel } from '../../src/bot/telegram/channel.ts';
import { ManualClock } from '../../src/clock.ts';
import { createLogger } from '../../src/log.ts';
import { FakeTelegram } from '../support/fake-telegram.ts';

const TEST_NOW = new Date('2026-11-21T04:30:00Z');

function capturedLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const sink = { write: (chunk: string) => (lines.push(JSON.parse(chunk) as Record<string, unknown>), true) } as unknown as NodeJS.WritableStream;
  return { logger: createLogger('debug', sink), stateChanges: () => lines.filter((l) => l.msg === 'channel.state_changed') };
}

describe('ChannelStatusKeeper', () => {
  it('logs a change of state or reason once, and a repeat not at all', () => {
    const { logger, stateChanges } = capturedLogger();
    const keeper = new ChannelStatusKeeper('telegram', logger);
    expect(keeper.get()).toEqual({ state: 'starting' });
    keeper.set('ready');
    keeper.set('ready');
    keeper.set('reconnecting', 'getUpdates failed: 502');
    keeper.set('reconnecting', 'getUpdates failed: 502');
    keeper.set('reconnecting', 'getUpdates failed: timeout');
    keeper.set('ready');
    expect(keeper.get()).toEqual({ state: 'ready' });
    expect(stateChanges().map((l) => [l.level, l.channel, l.previous, l.state, l.reason])).toEqual([
      [30, 'telegram', 'starting', 'ready', undefined],
      [40, 'telegram', 'ready', 'reconnecting', 'getUpdates failed: 502'],
      [40, 'telegram', 'reconnecting', 'reconnecting', 'getUpdates failed: timeout'],
      [30, 'telegram', 'reconnecting', 'ready', undefined],
    ]);
  });
});

describe('ConsoleChannel status', () => {
  it('is starting before start, ready while reading, and stopped once the input ends', async () => {
    const input = new PassThrough();
    const channel = new ConsoleChannel({ input, output: new PassThrough(), clock: new ManualClock(TEST_NOW), interactive: false });
    expect(channel.status()).toEqual({ state: 'starting' });
    await channel.start(async () => undefined);
    expect(channel.status()).toEqual({ state: 'ready' });
    input.end();
    await channel.closed;
    expect(channel.status()).toEqual({ state: 'stopped', reason: 'the input ended' });
  });
});

describe('TelegramChannel status', () => {
  let fake: FakeTelegram | undefined;
  let channel: TelegramChannel | undefined;
  afterEach(async () => {
    await channel?.stop();
    await fake?.stop();
    channel = undefined;
    fake = undefined;
  });

  const open = async (token?: string) => {
    fake = await FakeTelegram.start();
    const log = capturedLogger();
    channel = new TelegramChannel({ token: token ?? fake.token, apiRoot: fake.apiRoot, logger: log.logger, clock: new ManualClock(TEST_NOW), pollTimeoutSeconds: 1, requestTimeoutMs: 5_000 });
    return { channel, ...log };
  };

  it('goes starting, ready, reconnecting while getUpdates fails, ready again, stopped; each change logged once', async () => {
    const { channel, stateChanges } = await open();
    expect(channel.status()).toEqual({ state: 'starting' });
    await channel.start(async () => undefined);
    expect(channel.status()).toEqual({ state: 'ready' });
    fake!.fail('getUpdates', { error_code: 502, description: 'Bad Gateway' }, { times: 3 });
    await vi.waitFor(() => expect(channel.status().state).toBe('reconnecting'), { timeout: 5_000 });
    expect(channel.status()).toEqual({ state: 'reconnecting', reason: 'getUpdates failed: Bad Gateway' });
    await vi.waitFor(() => expect(fake!.callsOf('getUpdates').length).toBeGreaterThan(3), { timeout: 10_000 });
    await vi.waitFor(() => expect(channel.status()).toEqual({ state: 'ready' }), { timeout: 10_000 });
    await channel.stop();
    expect(channel.status()).toEqual({ state: 'stopped' });
    expect(stateChanges().map((l) => l.state)).toEqual(['ready', 'reconnecting', 'ready', 'stopped']);
  });

  it('is stopped, saying why, when Telegram refuses the token', async () => {
    const { channel } = await open('987654321:AAWrongTokenThatTelegramRefuses_abcdefgh');
    await expect(channel.start(async () => undefined)).rejects.toThrow('Telegram did not accept the bot token');
    expect(channel.status()).toEqual({ state: 'stopped', reason: 'Telegram did not accept the bot token or could not be reached: getMe: Unauthorized' });
  });
});
