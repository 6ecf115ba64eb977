// The entry points as a user runs them: `npm start`, `npm run chat` with piped input.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCK_FILE } from '../src/store/data-folder.ts';
import { testEngines } from './support/databases.ts';
import { collect, runScript, runScriptDirectly, waitForLogLine } from './support/processes.ts';

describe('npm start', () => {
  it('stops with one clear line when a variable is bad', async () => {
    const result = await collect(runScript('src/main.ts', { PORT: 'eighty' }));
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe('Configuration error: PORT must be an integer from 0 to 65535 (0 picks a free port) (got "eighty").');
  });

  it('stops at once with one clear line when DATA_DIR cannot be created', async () => {
    const result = await collect(runScript('src/main.ts', { PORT: '0', DATA_DIR: '/proc/nope', DATABASE_URL: '' }));
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe('Configuration error: the data folder /proc/nope cannot be created (no such file or directory). Set DATA_DIR to a folder Paynudge can write to.');
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
      // The embedded folder is held while the service runs; on PostgreSQL nothing is written to DATA_DIR.
      expect(existsSync(join(dataDir, LOCK_FILE))).toBe(engine.name === 'pglite');
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

  it('stops at once with one clear line when DATA_DIR cannot be created', async () => {
    const chat = runScript('src/chat.ts', { DATA_DIR: '/proc/nope', DATABASE_URL: '' });
    chat.stdin!.end('hello\n');
    const result = await collect(chat);
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe('Configuration error: the data folder /proc/nope cannot be created (no such file or directory). Set DATA_DIR to a folder Paynudge can write to.');
  });
});

describe('one process per PGlite data folder', () => {
  let dataDir: string;
  let holder: ChildProcess;
  let holderExit: ReturnType<typeof collect>;
  let port: number;
  const inUse = () => `Configuration error: the data folder ${dataDir} is in use by another Paynudge process (pid ${holder.pid}, npm start). Stop it first, or set DATA_DIR to another folder.`;
  const stillServing = async () => expect(await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()).toEqual({ status: 'ok', database: 'pglite' });

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'paynudge-held-'));
    // Directly (no tsx wrapper), so that holder.pid is the service's own pid, the one the lock names.
    holder = runScriptDirectly('src/main.ts', { PORT: '0', LOG_LEVEL: 'info', DATA_DIR: dataDir, DATABASE_URL: '' });
    holderExit = collect(holder);
    port = (await waitForLogLine(holder, (l) => l.msg === 'ready', 60_000)).port as number;
  }, 90_000);
  afterAll(async () => {
    holder.kill('SIGTERM');
    expect((await holderExit).code).toBe(0);
    expect(existsSync(join(dataDir, LOCK_FILE))).toBe(false);
    await rm(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('npm run chat on the folder npm start is using stops with one line naming its pid, and npm start keeps serving', async () => {
    const chat = runScript('src/chat.ts', { DATA_DIR: dataDir, DATABASE_URL: '' });
    chat.stdin!.end('hello\nSharma Distributors\n');
    const result = await collect(chat);
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(inUse());
    expect(result.stdout).toBe('');
    await stillServing();
  }, 60_000);

  it('a second npm start on the folder stops with the same line, and the first keeps serving', async () => {
    const result = await collect(runScript('src/main.ts', { PORT: '0', DATA_DIR: dataDir, DATABASE_URL: '' }));
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(inUse());
    await stillServing();
  }, 60_000);
});

describe('a data folder left locked by a process that is no longer running', () => {
  it('npm start takes the lock over, says whose it was, and removes it when it stops', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'paynudge-stale-'));
    const gone = spawn(process.execPath, ['-e', '']);
    await new Promise((resolve) => gone.on('exit', resolve));
    await writeFile(join(dataDir, LOCK_FILE), JSON.stringify({ pid: gone.pid, command: 'npm run chat', token: 'killed' }));
    // Directly: tsx's wrapper relays SIGTERM with a 30 ms wait and SIGKILLs a busy child, which would leave the lock.
    const child = runScriptDirectly('src/main.ts', { PORT: '0', LOG_LEVEL: 'info', DATA_DIR: dataDir, DATABASE_URL: '' });
    const exited = collect(child);
    try {
      const [tookOver] = await Promise.all([
        waitForLogLine(child, (l) => l.msg === 'took over the data folder from a process that is no longer running', 60_000),
        waitForLogLine(child, (l) => l.msg === 'ready', 60_000),
      ]);
      expect(tookOver).toMatchObject({ dataDir, pid: gone.pid, command: 'npm run chat' });
      expect(existsSync(join(dataDir, LOCK_FILE))).toBe(true);
    } finally {
      child.kill('SIGTERM');
      expect((await exited).code).toBe(0);
    }
    expect(existsSync(join(dataDir, LOCK_FILE))).toBe(false);
    await rm(dataDir, { recursive: true, force: true });
  }, 90_000);
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
