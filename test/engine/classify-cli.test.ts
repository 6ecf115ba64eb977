import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const repoRoot = resolve(import.meta.dirname, '../..');

function runClassify(input: string): { status: number | null; lines: Record<string, unknown>[] } {
  const result = spawnSync('npx', ['tsx', 'src/classify.ts'], { cwd: repoRoot, input, encoding: 'utf8', timeout: 60_000 });
  const lines = result.stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { status: result.status, lines };
}

describe('classify CLI', () => {
  it('adds intent, promisedDate and amount to each line, passes other fields through, and reports bad lines without stopping', () => {
    const input = [
      JSON.stringify({ id: 'r1', text: '5k kal bhej dunga', now: '2027-02-28T09:13:00+05:30', tz: 'Asia/Kolkata', intent: 'stale', lang: 'hinglish' }),
      '{not json',
      JSON.stringify({ id: 'r3', text: 'stop' }),
      JSON.stringify({ id: 'r4', text: 'paid 9,000', now: '2027-05-20T08:58:00+05:30', tz: 'Nowhere/Land' }),
      '',
      JSON.stringify({ id: 'r6', text: 'UPI kar diya', now: '2027-10-19T12:00:00+05:30', tz: 'Asia/Kolkata', meta: { channel: 'whatsapp' } }),
    ].join('\n');
    const { status, lines } = runClassify(`${input}\n`);
    expect(status).toBe(0);
    expect(lines).toHaveLength(5);
    expect(lines[0]).toEqual({
      id: 'r1',
      text: '5k kal bhej dunga',
      now: '2027-02-28T09:13:00+05:30',
      tz: 'Asia/Kolkata',
      intent: 'promise',
      lang: 'hinglish',
      promisedDate: '2027-03-01',
      amount: 5000,
    });
    expect(lines[1]).toMatchObject({ line: 2, error: 'invalid JSON' });
    expect(lines[2]).toMatchObject({ id: 'r3', line: 3 });
    expect(String(lines[2]?.error)).toMatch(/now/);
    expect(lines[3]).toMatchObject({ id: 'r4', line: 4 });
    expect(String(lines[3]?.error)).toMatch(/tz/);
    expect(lines[4]).toEqual({
      id: 'r6',
      text: 'UPI kar diya',
      now: '2027-10-19T12:00:00+05:30',
      tz: 'Asia/Kolkata',
      meta: { channel: 'whatsapp' },
      intent: 'paid',
      promisedDate: null,
      amount: null,
    });
  });
});
