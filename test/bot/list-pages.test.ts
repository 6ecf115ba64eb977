// "list" shows open invoices twenty at a time and says how to see the rest ("more", "list 2").
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines, type TestDatabase } from '../support/databases.ts';
import { chat, ONBOARD } from '../support/transcript.ts';

const numbers = Array.from({ length: 25 }, (_, i) => `L-${String(i + 1).padStart(2, '0')}`);

describe.each(testEngines)('"list" in pages on $name', (engine) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await engine.open();
    await chat(db, [...ONBOARD, ...numbers.flatMap((n, i) => [`add Ramesh Traders ${1000 + i} due 1 Dec #${n}`, 'yes'])]);
    expect(await db.prisma.invoice.count()).toBe(25);
  });
  afterAll(async () => db?.destroy());

  it('the first page shows twenty invoices and says how to see the other five', async () => {
    const transcript = await chat(db, ['list']);
    expect(transcript).toContain('bot → owner: Open invoices: 25 · ₹25,300.00 outstanding · page 1 of 2');
    expect(numbers.filter((n) => transcript.includes(`#${n} `))).toEqual(numbers.slice(0, 20));
    expect(transcript).toContain('  …and 5 more. Send "more" or "list 2" to see them.');
  });

  it.each([['list', 'more'], ['list 2']])('%s shows the other five, as page 2 of 2', async (...lines) => {
    const transcript = await chat(db, lines);
    const page2 = transcript.slice(transcript.lastIndexOf('bot → owner: Open invoices'));
    expect(page2.split('\n')[0]).toBe('bot → owner: Open invoices: 25 · ₹25,300.00 outstanding · page 2 of 2');
    expect(numbers.filter((n) => page2.includes(`#${n} `))).toEqual(numbers.slice(20));
    expect(page2).not.toContain('more');
  });
});
