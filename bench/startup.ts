// Time from `npm start` to the "ready" log line, on embedded PGlite (a fresh data directory and
// an existing one) and on PostgreSQL (a fresh database and an existing one).
// Usage: npx tsx bench/startup.ts [runs]   (PostgreSQL: BENCH_DATABASE_URL, default the local server)
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createScratchDatabase } from './scratch-database.ts';

const runs = Number(process.argv[2] ?? 3);

function startOnce(env: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn('npm', ['start', '--silent'], { env: { ...process.env, PORT: '0', LOG_LEVEL: 'info', ...env }, stdio: ['ignore', 'pipe', 'inherit'], detached: true });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('"msg":"ready"')) {
        const ms = performance.now() - started;
        process.kill(-child.pid!, 'SIGTERM');
        child.on('close', () => resolve(ms));
      }
    });
    child.on('exit', (code) => {
      if (!out.includes('"msg":"ready"')) reject(new Error(`exited ${code} before ready:\n${out}`));
    });
  });
}

async function withScratchDatabase<T>(fn: (url: string) => Promise<T>): Promise<T> {
  const scratch = await createScratchDatabase('startup');
  try {
    return await fn(scratch.url);
  } finally {
    await scratch.drop();
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const row = (label: string, xs: number[]) =>
  console.log(`${label.padEnd(36)} median ${median(xs).toFixed(0).padStart(5)} ms   runs: ${xs.map((x) => x.toFixed(0)).join(', ')}`);

console.log(`npm start -> "ready", ${runs} runs each`);
const fresh: number[] = [];
const warm: number[] = [];
for (let i = 0; i < runs; i++) {
  const dir = await mkdtemp(join(tmpdir(), 'paynudge-bench-'));
  fresh.push(await startOnce({ DATA_DIR: dir, DATABASE_URL: '' }));
  warm.push(await startOnce({ DATA_DIR: dir, DATABASE_URL: '' }));
  await rm(dir, { recursive: true, force: true });
}
row('PGlite, new data directory', fresh);
row('PGlite, existing data directory', warm);

const pgFresh: number[] = [];
const pgWarm: number[] = [];
for (let i = 0; i < runs; i++) {
  await withScratchDatabase(async (url) => {
    pgFresh.push(await startOnce({ DATABASE_URL: url }));
    pgWarm.push(await startOnce({ DATABASE_URL: url }));
  });
}
row('PostgreSQL, new database', pgFresh);
row('PostgreSQL, migrated database', pgWarm);
