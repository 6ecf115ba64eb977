// The journal of updates taken from a provider and not yet handled (src/store/update-journal.ts):
// kept once, forgotten once handled, taken up again only after the replay delay (or all at once
// by a process that is the only receiver), and by one instance at a time.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.ts';
import { openDatabase } from '../../src/store/database.ts';
import { DatabaseUpdateJournal } from '../../src/store/update-journal.ts';
import { testEngines, type TestDatabase } from '../support/databases.ts';

const NOW = new Date('2026-11-21T04:30:00Z');
const update = (id: number) => ({ key: `tg:update:${id}`, payload: { update_id: id, message: { text: `message ${id}` } } });

describe.each(testEngines)('the update journal on $name', (engine) => {
  let db: TestDatabase;
  let clock: ManualClock;
  let journal: DatabaseUpdateJournal;
  const keys = async () => (await db.prisma.pendingUpdate.findMany({ orderBy: { key: 'asc' } })).map((r) => r.key);

  beforeAll(async () => {
    db = await engine.open();
  });
  beforeEach(async () => {
    await db.prisma.pendingUpdate.deleteMany();
    clock = new ManualClock(NOW);
    journal = new DatabaseUpdateJournal(db.prisma, 'telegram', clock, { replayAfterMs: 60_000, finishDelayMs: 5 });
  });
  afterAll(async () => db?.destroy());

  it('keeps updates with their payload, and keeping one again changes nothing', async () => {
    await journal.keep([update(1), update(2)]);
    await journal.keep([update(2)]);
    const rows = await db.prisma.pendingUpdate.findMany({ orderBy: { key: 'asc' } });
    expect(rows.map((r) => [r.key, r.channel, r.payload, r.attempts, r.replayAfter.toISOString()])).toEqual([
      ['tg:update:1', 'telegram', update(1).payload, 0, '2026-11-21T04:31:00.000Z'],
      ['tg:update:2', 'telegram', update(2).payload, 0, '2026-11-21T04:31:00.000Z'],
    ]);
  });

  it('forgets finished updates, several in one write', async () => {
    await journal.keep([update(1), update(2), update(3)]);
    await Promise.all([journal.finish('tg:update:1'), journal.finish('tg:update:3')]);
    expect(await keys()).toEqual(['tg:update:2']);
  });

  it('takes up nothing before the replay delay, then the oldest first, and holds them for another delay', async () => {
    await journal.keep([update(7)]);
    clock.advance(10_000);
    await journal.keep([update(8)]);
    expect(await journal.takeUp()).toEqual([]);
    clock.advance(55_000); // 65 s after the first was kept, 55 s after the second
    expect(await journal.takeUp()).toEqual([{ ...update(7), attempts: 1 }]);
    clock.advance(10_000);
    // The second is due now; the first, just taken up, is held.
    expect(await journal.takeUp()).toEqual([{ ...update(8), attempts: 1 }]);
    clock.advance(60_000);
    expect((await journal.takeUp()).map((u) => [u.key, u.attempts])).toEqual([
      ['tg:update:7', 2],
      ['tg:update:8', 2],
    ]);
  });

  it('takes up everything at once for the only receiver, and only its own channel', async () => {
    await journal.keep([update(1), update(2)]);
    await new DatabaseUpdateJournal(db.prisma, 'whatsapp', clock).keep([{ key: 'wa:1', payload: {} }]);
    expect((await journal.takeUp({ everything: true })).map((u) => u.key).sort()).toEqual(['tg:update:1', 'tg:update:2']);
    expect(await journal.takeUp()).toEqual([]);
  });

  it('takes up at most the limit at a time', async () => {
    await journal.keep([update(1), update(2), update(3)]);
    clock.advance(60_000);
    expect(await journal.takeUp({ limit: 2 })).toHaveLength(2);
    expect(await journal.takeUp({ limit: 2 })).toHaveLength(1);
  });
});

describe.each(testEngines.filter((e) => e.name === 'postgres'))('the update journal on $name, from two instances', (engine) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await engine.open();
  });
  afterAll(async () => db?.destroy());

  it('two instances taking up at once share the updates: each is taken up by one', async () => {
    const other = await openDatabase({ databaseUrl: db.url, migrate: false, poolSize: 2 });
    try {
      const clock = new ManualClock(NOW);
      const a = new DatabaseUpdateJournal(db.prisma, 'telegram', clock);
      const b = new DatabaseUpdateJournal(other.prisma, 'telegram', clock);
      await a.keep(Array.from({ length: 200 }, (_, i) => update(i + 1)));
      clock.advance(61_000);
      const taken = (await Promise.all([a.takeUp({ limit: 120 }), b.takeUp({ limit: 120 }), a.takeUp({ limit: 120 })])).flat();
      expect(taken).toHaveLength(200);
      expect(new Set(taken.map((u) => u.key)).size).toBe(200);
    } finally {
      await other.close();
    }
  });
});
