// The entry points as a user runs them: `npm start`, `npm run chat` with piped input.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { testEngines } from './support/databases.ts';
import { collect, runScript, waitForLogLine } from './support/processes.ts';

describe('npm start', () => {
  it('stops with one clear line when a variable is bad', async () => {
    const result = await collect(runScript('src/main.ts', { PORT: 'eighty' }));
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe('Configuration error: PORT must be an integer from 0 to 65535 (0 picks a free port) (got "eighty").');
  });

  it.each(testEngines)('serves /healthz on $name and stops cleanly on SIGTERM', async (engine) => {
    const scratch = await engine.scratch();
    const dataDir = await mkdtemp(join(tmpdir(), 'paynudge-start-'));
    const child = runScript('src/main.ts', { PORT: '0', LOG_LEVEL: 'info', DATA_DIR: dataDir, DATABASE_URL: scratch.databaseUrl ?? '' });
    const exited = collect(child);
    try {
      const ready = await waitForLogLine(child, (l) => l.msg === 'ready');
      expect(ready).toMatchObject({ database: engine.name });
      const res = await fetch(`http://127.0.0.1:${ready.port as number}/healthz`);
      expect(await res.json()).toEqual({ status: 'ok', database: engine.name });
    } finally {
      child.kill('SIGTERM');
      const result = await exited;
      expect(result.stdout).toContain('"msg":"stopped"');
      await scratch.drop();
    }
  });
});

describe('npm run chat', () => {
  it('turns piped lines into a transcript on stdout and keeps the data in DATA_DIR', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'paynudge-chat-'));
    const first = runScript('src/chat.ts', { DATA_DIR: dataDir, DATABASE_URL: '' });
    first.stdin!.end('hello\nSharma Distributors\nok\nok\nadd Ramesh Traders 12500 due 30 Nov #A-102\nyes\n');
    const one = await collect(first);
    // "30 Nov" is the next or latest 30 Nov on the real clock; outside this year it carries its year.
    expect(one.code).toBe(0);
    expect(one.stdout).toMatch(/owner> yes\nbot → owner: Saved ✓ Ramesh Traders · ₹12,500.00 · due \w{3} 30 Nov(?: \d{4})? · #A-102\n/);

    const second = runScript('src/chat.ts', { DATA_DIR: dataDir, DATABASE_URL: '' });
    second.stdin!.end('list\n');
    const two = await collect(second);
    expect(two.stdout).toContain('Open invoices: 1 · ₹12,500.00 outstanding');
  });
});

describe('npm run demo', () => {
  it('seeds the demo business in memory and opens the console chat as its owner', async () => {
    const child = runScript('src/demo.ts', { DATABASE_URL: '' });
    child.stdin!.end('list\n');
    const result = await collect(child);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/owner> list\nbot → owner: Open invoices: \d+ · ₹[\d,]+\.\d\d outstanding\n {2}1\. /);
  });
});
