// The data folder's lock (src/store/data-folder.ts): one process per PGlite folder, stale locks taken over.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LOCK_FILE, lockDataFolder, processStart } from '../../src/store/data-folder.ts';

/** A process that has come and gone: its pid is free. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.on('exit', resolve));
  return child.pid!;
}

function sleeper(): ChildProcess {
  return spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
}

describe('the data folder lock', () => {
  let parent: string;
  let dir: string;
  let children: ChildProcess[];
  beforeEach(async () => {
    parent = await mkdtemp(join(tmpdir(), 'paynudge-lock-'));
    dir = join(parent, 'data');
    children = [];
  });
  afterEach(async () => {
    for (const child of children) child.kill('SIGKILL');
    await rm(parent, { recursive: true, force: true });
  });

  const writeLock = (holder: Record<string, unknown>) => writeFile(join(dir, LOCK_FILE), JSON.stringify(holder));

  it('creates the folder and its missing parents, and writes this process into the lock file', async () => {
    const nested = join(dir, 'a', 'b');
    const lock = await lockDataFolder(nested, 'npm start');
    try {
      expect(JSON.parse(await readFile(join(nested, LOCK_FILE), 'utf8'))).toMatchObject({ pid: process.pid, command: 'npm start' });
    } finally {
      await lock.release();
    }
  });

  it('refuses a second lock on the same folder while the first is held, naming the holder', async () => {
    const lock = await lockDataFolder(dir, 'npm start');
    try {
      await expect(lockDataFolder(dir, 'npm run chat')).rejects.toThrow(`Configuration error: the data folder ${dir} is already open in this process (pid ${process.pid}, npm start). Close it first, or use another folder.`);
    } finally {
      await lock.release();
    }
  });

  it('release removes the lock file, and the folder can be locked again', async () => {
    const first = await lockDataFolder(dir);
    await first.release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    const second = await lockDataFolder(dir);
    expect(second.tookOverFrom).toBeUndefined();
    await second.release();
  });

  it('refuses a folder held by another running process, naming its pid and command', async () => {
    const other = sleeper();
    children.push(other);
    await lockDataFolder(dir).then((lock) => lock.release());
    await writeLock({ pid: other.pid, command: 'npm start', token: 'theirs' });
    await expect(lockDataFolder(dir)).rejects.toThrow(`Configuration error: the data folder ${dir} is in use by another Paynudge process (pid ${other.pid}, npm start). Stop it first, or set DATA_DIR to another folder.`);
    expect(JSON.parse(await readFile(join(dir, LOCK_FILE), 'utf8'))).toMatchObject({ token: 'theirs' });
  });

  it('takes over a lock whose process is no longer running, and says whose it was', async () => {
    const pid = await deadPid();
    await lockDataFolder(dir).then((lock) => lock.release());
    await writeLock({ pid, command: 'npm run chat', token: 'dead' });
    const lock = await lockDataFolder(dir, 'npm start');
    try {
      expect(lock.tookOverFrom).toMatchObject({ pid, command: 'npm run chat' });
      expect(JSON.parse(await readFile(join(dir, LOCK_FILE), 'utf8'))).toMatchObject({ pid: process.pid, command: 'npm start' });
    } finally {
      await lock.release();
    }
  });

  it('takes over a lock with this process\'s own pid left by an earlier run (a restarted container)', async () => {
    await lockDataFolder(dir).then((lock) => lock.release());
    await writeLock({ pid: process.pid, command: 'npm start', token: 'earlier-life' });
    const lock = await lockDataFolder(dir);
    expect(lock.tookOverFrom).toMatchObject({ pid: process.pid, token: 'earlier-life' });
    await lock.release();
  });

  it('takes over a lock whose pid now belongs to a process started at another time', async () => {
    const other = sleeper();
    children.push(other);
    await lockDataFolder(dir).then((lock) => lock.release());
    expect(processStart(other.pid!)).toMatch(/^\d+$/);
    await writeLock({ pid: other.pid, command: 'npm start', started: '1', token: 'reused' });
    const lock = await lockDataFolder(dir);
    expect(lock.tookOverFrom).toMatchObject({ pid: other.pid, token: 'reused' });
    await lock.release();
  });

  it('takes over a lock file that is not a lock (empty or garbage)', async () => {
    await lockDataFolder(dir).then((lock) => lock.release());
    await writeFile(join(dir, LOCK_FILE), '');
    const lock = await lockDataFolder(dir, 'npm start');
    expect(JSON.parse(await readFile(join(dir, LOCK_FILE), 'utf8'))).toMatchObject({ pid: process.pid });
    await lock.release();
  });

  it('gives a stale lock to exactly one of two openers racing for it', async () => {
    await lockDataFolder(dir).then((lock) => lock.release());
    await writeLock({ pid: await deadPid(), command: 'npm start', token: 'dead' });
    const results = await Promise.allSettled([lockDataFolder(dir, 'one'), lockDataFolder(dir, 'two')]);
    const won = results.filter((r) => r.status === 'fulfilled');
    expect(won).toHaveLength(1);
    expect((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason.message).toMatch(/is already open in this process/);
    await won[0]!.value.release();
  });

  it('release leaves alone a lock that is no longer this one', async () => {
    const lock = await lockDataFolder(dir);
    await writeLock({ pid: 1, command: 'npm start', token: 'someone-else' });
    await lock.release();
    expect(JSON.parse(await readFile(join(dir, LOCK_FILE), 'utf8'))).toMatchObject({ token: 'someone-else' });
  });

  it('fails at once with one line when the folder cannot be created', async () => {
    await expect(lockDataFolder('/proc/nope')).rejects.toThrow('Configuration error: the data folder /proc/nope cannot be created (no such file or directory). Set DATA_DIR to a folder Paynudge can write to.');
  });

  it('fails with one line when a file is where the folder should be', async () => {
    const file = join(parent, 'file');
    await writeFile(file, 'not a folder');
    await expect(lockDataFolder(file)).rejects.toThrow(`Configuration error: the data folder ${file} cannot be created (${file} is a file). Set DATA_DIR to a folder Paynudge can write to.`);
  });
});
