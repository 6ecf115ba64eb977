// Drives the console chat as a person would, with piped lines, and returns the transcript.
import { PassThrough } from 'node:stream';
import { runConsoleChat } from '../../src/app.ts';
import { ManualClock } from '../../src/clock.ts';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/log.ts';
import type { Database } from '../../src/store/database.ts';

/** 21 Nov 2026, 10:00 in India. */
export const TEST_NOW = new Date('2026-11-21T04:30:00Z');

export async function chat(db: Database, lines: string[], clock = new ManualClock(TEST_NOW)): Promise<string> {
  const input = new PassThrough();
  const output = new PassThrough();
  let transcript = '';
  output.on('data', (chunk: Buffer) => (transcript += chunk.toString('utf8')));
  const done = runConsoleChat({
    db,
    clock,
    config: loadConfig({}),
    logger: createLogger('silent'),
    input,
    output,
    interactive: false,
  });
  input.end(lines.map((l) => `${l}\n`).join(''));
  await done;
  return transcript;
}

/** Only the bot's lines, for assertions that do not care about the echo. */
export function botLines(transcript: string): string {
  return transcript
    .split('\n')
    .filter((l) => l.startsWith('bot → ') || l.startsWith('  '))
    .join('\n');
}

export const ONBOARD = ['hello', 'Sharma Distributors', 'ok', 'ok'];
