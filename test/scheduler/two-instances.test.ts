// Two instances of the service on one database: both run the day's jobs and both dispatch, at
// the same moments. Every reminder must be planned once and sent once. On PostgreSQL they are
// two real connection pools (two processes' worth); on embedded PGlite, two schedulers in one
// process sharing the database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Channel, OutgoingText } from '../../src/bot/channel.ts';
import { ManualClock } from '../../src/clock.ts';
import { addDays } from '../../src/engine/calendar.ts';
import { DEFAULT_LADDER } from '../../src/engine/ladder.ts';
import { createLogger } from '../../src/log.ts';
import { Dispatcher } from '../../src/scheduler/dispatch.ts';
import { runDayJobs } from '../../src/scheduler/index.ts';
import { openDatabase, type Database } from '../../src/store/database.ts';
import { toDbDate } from '../../src/store/types.ts';
import { testEngines } from '../support/databases.ts';

class CountingChannel implements Channel {
  readonly name = 'console';
  readonly sends = new Map<string, number>();
  async start() {}
  async stop() {}
  status() {
    return { state: 'ready' as const };
  }
  async send(message: OutgoingText) {
    await new Promise((r) => setTimeout(r, 2));
    this.sends.set(message.text, (this.sends.get(message.text) ?? 0) + 1);
    return { providerMessageId: `c-${this.sends.size}` };
  }
}

const START = '2026-11-01';
const at = (d: number) => new Date(Date.parse(`${addDays(START, d)}T04:30:00Z`)); // 10:00 in India

describe.each(testEngines)('two instances on one $name database', (engine) => {
    let scratch: Awaited<ReturnType<typeof engine.scratch>>;
    let a: Database;
    let b: Database;
    const channelA = new CountingChannel();
    const channelB = new CountingChannel();
    const DEBTORS = 60;

    beforeAll(async () => {
      scratch = await engine.scratch();
      a = await openDatabase(scratch);
      b = engine.name === 'postgres' ? await openDatabase(scratch) : a;
      const business = await a.prisma.business.create({ data: { name: 'Twin Traders', currency: 'INR', timeZone: 'Asia/Kolkata', ladder: DEFAULT_LADDER as unknown as object, approvalMode: 'auto' } });
      await a.prisma.member.create({ data: { businessId: business.id, role: 'owner', name: 'Owner', channel: 'console', address: 'owner' } });
      for (let i = 0; i < DEBTORS; i++) {
        const d = await a.prisma.debtor.create({ data: { businessId: business.id, name: `Customer ${i}`, nameKey: `customer ${i}` } });
        await a.prisma.debtorIdentity.create({ data: { debtorId: d.id, channel: 'console', address: `chat:${i}` } });
        await a.prisma.invoice.create({ data: { businessId: business.id, debtorId: d.id, number: `TW-${i}`, amountMinor: 100_000n, currency: 'INR', issuedOn: toDbDate(START), dueOn: toDbDate(addDays(START, 5 + (i % 10))) } });
      }
      const clock = new ManualClock(at(0));
      const logger = createLogger('silent');
      const dispatchers = [new Dispatcher({ db: a, channels: new Map([['console', channelA]]), clock, logger }), new Dispatcher({ db: b, channels: new Map([['console', channelB]]), clock, logger })];
      for (let day = 0; day <= 20; day++) {
        clock.set(at(day));
        await Promise.all([runDayJobs(a, clock.now()), runDayJobs(b, clock.now())]);
        for (let round = 0; round < 20; round++) {
          const results = await Promise.all(dispatchers.map((d) => d.runOnce()));
          if (results.every((r) => r.claimed === 0)) break;
        }
      }
    }, 240_000);

    afterAll(async () => {
      await a?.close();
      if (b !== a) await b?.close();
      await scratch?.drop();
    });

    it('plans each reminder once: one per debtor per stage', async () => {
      const rows = await a.prisma.outboundMessage.findMany({ where: { kind: 'reminder' } });
      const keys = new Set(rows.map((r) => `${r.debtorId}:${r.stage}`));
      expect(keys.size).toBe(rows.length);
      // Due between day 5 and 14, by day 20 each debtor reached at least polite: heads-up, due today, polite.
      expect(rows.length).toBeGreaterThanOrEqual(DEBTORS * 3);
    });

    it('sends every message exactly once, shared between the two instances', async () => {
      const all = new Map<string, number>();
      for (const [text, n] of [...channelA.sends, ...channelB.sends]) all.set(text, (all.get(text) ?? 0) + n);
      expect([...all.values()].every((n) => n === 1)).toBe(true);
      const sent = await a.prisma.outboundMessage.count({ where: { status: 'sent' } });
      expect([...all.values()].reduce((s, n) => s + n, 0)).toBe(sent);
      // With two connection pools the work is really shared; PGlite runs one query at a time.
      if (engine.name === 'postgres') {
        expect(channelA.sends.size).toBeGreaterThan(0);
        expect(channelB.sends.size).toBeGreaterThan(0);
      }
    });

    it('sends one digest a day to the owner, not one per instance', async () => {
      expect(await a.prisma.outboundMessage.count({ where: { kind: 'digest' } })).toBe(21);
    });
  });
