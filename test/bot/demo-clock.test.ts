// The demo's clock: /next moves to tomorrow 10:00 and runs the day, so a newcomer watches the
// approval list, the digest and the reminders appear.
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runConsoleChat } from '../../src/app.ts';
import { ManualClock } from '../../src/clock.ts';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/log.ts';
import { seedDemoBusiness } from '../../src/store/demo-seed.ts';
import { testEngines, type TestDatabase } from '../support/databases.ts';
import { TEST_NOW } from '../support/transcript.ts';

async function demoChat(db: TestDatabase, clock: ManualClock, lines: string[]): Promise<string> {
  const input = new PassThrough();
  const output = new PassThrough();
  let transcript = '';
  output.on('data', (c: Buffer) => (transcript += c.toString()));
  const done = runConsoleChat({ db, clock, movableClock: clock, config: loadConfig({}), logger: createLogger('silent'), input, output, interactive: false });
  input.end(lines.map((l) => `${l}\n`).join(''));
  await done;
  return transcript;
}

describe.each(testEngines)('the demo clock on $name', (engine) => {
  let db: TestDatabase;
  const clock = new ManualClock(TEST_NOW);
  beforeAll(async () => {
    db = await engine.open();
    await db.prisma.$transaction((tx) => seedDemoBusiness(tx, clock.now()), { timeout: 60_000 });
  });
  afterAll(async () => db?.destroy());

  it('/next runs tomorrow morning: reminders planned for approval, the digest, then approved reminders reach the debtors', async () => {
    const transcript = await demoChat(db, clock, ['/next', 'approve all', '/run']);
    expect(transcript).toMatch(/bot → owner: \d+ reminders ready:\n {2}1\. /);
    expect(transcript).toContain('bot → owner: Good morning! Sharma Distributors · Sun 22 Nov');
    expect(transcript).toMatch(/\(it is now Sun 22 Nov 2026, 10:00: \d+ reminder\(s\) planned/);
    expect(transcript).toMatch(/bot → owner: Approved \d+; they will go out now/);
    expect(transcript).toMatch(/bot → Patel Kirana: Hello Patel Kirana, this is Sharma Distributors\./);
    expect(await db.prisma.outboundMessage.count({ where: { kind: 'reminder', status: 'sent' } })).toBeGreaterThan(0);
  });

  it('/advance refuses what it cannot read, and moves the clock by hours', async () => {
    const transcript = await demoChat(db, clock, ['/advance soon', '/advance 3h']);
    expect(transcript).toContain('(usage: /advance 1d or /advance 3h)');
    expect(transcript).toMatch(/\(it is now Sun 22 Nov 2026, 13:00: /);
  });
});
