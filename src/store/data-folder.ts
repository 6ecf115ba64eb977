// The embedded database's folder (DATA_DIR): created if missing, and held by one process at a time.
// Two processes on one PGlite folder each keep their own copy of the database in memory and write it
// back over the other's: the chat's business vanished when `npm start` stopped (issue 11). So the
// opener writes `paynudge.lock` (its pid and command) with O_EXCL; a second opener reads it and
// stops with one line naming the holder. A lock whose process is gone (killed, crashed, a container
// restarted) is taken over. Liveness is a pid check on this machine: two machines or containers with
// separate pid namespaces sharing one folder over a network are not protected.
import { randomUUID } from 'node:crypto';
import { readFileSync, unlinkSync } from 'node:fs';
import { mkdir, open, readFile, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export const LOCK_FILE = 'paynudge.lock';
const TAKEOVER_SUFFIX = '.takeover';

/** A data folder that cannot be used: one line for the person starting the process. */
export class DataFolderError extends Error {
  constructor(message: string) {
    super(`Configuration error: ${message}`);
    this.name = 'DataFolderError';
  }
}

/** What the lock file says about the process holding the folder. */
export interface LockHolder {
  pid: number;
  /** How the process was started, e.g. "npm start". */
  command: string;
  /** The process's start time as the kernel counts it (Linux), to tell a reused pid from the holder. */
  started?: string | undefined;
  /** Unique to one acquisition, so that releasing never removes another's lock. */
  token: string;
}

export interface DataFolderLock {
  /** The folder, as an absolute path. */
  dir: string;
  /** The holder whose lock was taken over because its process had stopped, if there was one. */
  tookOverFrom?: LockHolder | undefined;
  release(): Promise<void>;
}

/** Tokens of the locks this process holds or is creating: a lock file with our pid and another token is from an earlier life of this pid. */
const ownTokens = new Set<string>();

/** Creates the folder (and its parents) if missing and locks it for this process; throws DataFolderError. */
export async function lockDataFolder(folder: string, command = defaultCommand()): Promise<DataFolderLock> {
  const dir = resolve(folder);
  try {
    await makeFolder(dir);
  } catch (err) {
    throw new DataFolderError(`the data folder ${dir} cannot be created (${reason(err)}). Set DATA_DIR to a folder Paynudge can write to.`);
  }
  const lockPath = join(dir, LOCK_FILE);
  const mine: LockHolder = { pid: process.pid, command, started: processStart(process.pid), token: randomUUID() };
  ownTokens.add(mine.token);
  let tookOverFrom: LockHolder | undefined;
  try {
    tookOverFrom = await acquire(dir, lockPath, mine);
  } catch (err) {
    ownTokens.delete(mine.token);
    throw err;
  }
  // A process that exits without closing (process.exit after a failed start) still lets go.
  const onExit = () => releaseSync(lockPath, mine.token);
  process.once('exit', onExit);
  let released = false;
  return {
    dir,
    tookOverFrom,
    async release() {
      if (released) return;
      released = true;
      process.removeListener('exit', onExit);
      releaseSync(lockPath, mine.token);
      ownTokens.delete(mine.token);
    },
  };
}

/** Creates the lock file, taking over a stale one; returns the holder taken over from, if any. */
async function acquire(dir: string, lockPath: string, mine: LockHolder): Promise<LockHolder | undefined> {
  let tookOverFrom: LockHolder | undefined;
  for (let attempt = 0; attempt < 100; attempt++) {
    if (await createExclusively(dir, lockPath, JSON.stringify(mine))) return tookOverFrom;
    const found = await readLock(lockPath);
    if (found === 'gone') continue;
    if (found !== 'unreadable' && isRunning(found)) throw inUse(dir, found);
    // Stale (or garbage): remove exactly what we read, one taker at a time, then try again.
    if (await removeStale(lockPath, found)) tookOverFrom = found === 'unreadable' ? undefined : found;
  }
  throw new DataFolderError(`the data folder ${dir} has a lock file (${lockPath}) that could not be taken over. Remove it if no Paynudge process is running, or set DATA_DIR to another folder.`);
}

function defaultCommand(): string {
  const script = process.argv[1];
  return script ? `node ${basename(script)}` : 'node';
}

/** mkdir -p that fails instead of looping: Node 20's recursive mkdir spins forever on /proc/nope. */
async function makeFolder(dir: string): Promise<void> {
  try {
    await mkdir(dir);
    return;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      if (!(await stat(dir)).isDirectory()) throw new Error(`ENOTDIR: ${dir} is a file`);
      return;
    }
    const parent = dirname(dir);
    if (code !== 'ENOENT' || parent === dir) throw err;
    await makeFolder(parent);
  }
  try {
    await mkdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
}

/** Writes the lock file if there is none: true when this call created it. */
async function createExclusively(dir: string, path: string, text: string): Promise<boolean> {
  let file;
  try {
    file = await open(path, 'wx');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new DataFolderError(`the data folder ${dir} is not writable (${reason(err)}). Set DATA_DIR to a folder Paynudge can write to.`);
  }
  try {
    await file.writeFile(text);
    await file.sync();
  } finally {
    await file.close();
  }
  return true;
}

/** The lock file's holder; a file just created may be empty for a moment, so an unparsable one is read again before it counts as garbage. */
async function readLock(path: string): Promise<LockHolder | 'gone' | 'unreadable'> {
  for (let attempt = 0; attempt < 10; attempt++) {
    let text;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
      throw err;
    }
    const holder = parseHolder(text);
    if (holder) return holder;
    await sleep(20);
  }
  return 'unreadable';
}

function parseHolder(text: string): LockHolder | undefined {
  try {
    const value = JSON.parse(text) as Partial<LockHolder>;
    if (!Number.isInteger(value.pid) || (value.pid as number) <= 0 || typeof value.token !== 'string') return undefined;
    return { pid: value.pid as number, command: typeof value.command === 'string' ? value.command : 'unknown command', started: typeof value.started === 'string' ? value.started : undefined, token: value.token };
  } catch {
    return undefined;
  }
}

/** Whether the holder's process still runs: our own pid counts only for locks this process took. */
export function isRunning(holder: Pick<LockHolder, 'pid' | 'started' | 'token'>): boolean {
  if (holder.pid === process.pid) return ownTokens.has(holder.token);
  try {
    process.kill(holder.pid, 0);
  } catch (err) {
    // EPERM: it runs, as another user.
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  // The pid may since have gone to another process (a container restarted): its start time differs.
  const started = processStart(holder.pid);
  if (holder.started !== undefined && started !== undefined && started !== holder.started) return false;
  return processState(holder.pid) !== 'Z';
}

/** Removes the stale lock file if it still says what we read; a second file keeps two takers from removing each other's fresh lock. */
async function removeStale(lockPath: string, seen: LockHolder | 'unreadable'): Promise<boolean> {
  const guardPath = lockPath + TAKEOVER_SUFFIX;
  const guard = { pid: process.pid, command: 'takeover', started: processStart(process.pid), token: randomUUID() };
  ownTokens.add(guard.token);
  try {
    if (!(await createExclusively(dirname(lockPath), guardPath, JSON.stringify(guard)))) {
      const other = await readLock(guardPath);
      if (other === 'unreadable' || (other !== 'gone' && !isRunning(other))) await unlink(guardPath).catch(() => undefined);
      else await sleep(20);
      return false;
    }
    try {
      const now = await readLock(lockPath);
      if (now === 'gone') return false;
      if (seen === 'unreadable' ? now !== 'unreadable' : now === 'unreadable' || now.token !== seen.token) return false;
      await unlink(lockPath).catch(() => undefined);
      return true;
    } finally {
      await unlink(guardPath).catch(() => undefined);
    }
  } finally {
    ownTokens.delete(guard.token);
  }
}

function releaseSync(lockPath: string, token: string): void {
  try {
    if (parseHolder(readFileSync(lockPath, 'utf8'))?.token === token) unlinkSync(lockPath);
  } catch {
    // Already gone, or the folder with it.
  }
}

/** Field 22 of /proc/<pid>/stat (start time in clock ticks since boot); undefined off Linux. */
export function processStart(pid: number): string | undefined {
  return procStat(pid)?.[19];
}

function processState(pid: number): string | undefined {
  return procStat(pid)?.[0];
}

/** The fields of /proc/<pid>/stat after the command name (which may hold spaces and parentheses). */
function procStat(pid: number): string[] | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

function inUse(dir: string, holder: LockHolder): DataFolderError {
  if (holder.pid === process.pid) return new DataFolderError(`the data folder ${dir} is already open in this process (pid ${holder.pid}, ${holder.command}). Close it first, or use another folder.`);
  return new DataFolderError(`the data folder ${dir} is in use by another Paynudge process (pid ${holder.pid}, ${holder.command}). Stop it first, or set DATA_DIR to another folder.`);
}

/** "ENOENT: no such file or directory, mkdir '/proc/nope'" -> "no such file or directory". */
function reason(err: unknown): string {
  const message = (err as Error).message ?? String(err);
  return /^[A-Z0-9]+: ([^,]+)/.exec(message)?.[1] ?? message;
}
