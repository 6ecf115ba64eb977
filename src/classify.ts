// Classifies debtor replies from JSON Lines on stdin: each line has `text`, `now` (ISO 8601 with
// offset) and `tz` (IANA zone); every other field passes through untouched. Each output line is the
// input with `intent`, `promisedDate` and `amount` set. A bad line yields a line with an `error`
// field, and processing continues.
//   npm run --silent classify < replies.jsonl
import { createInterface } from 'node:readline';
import { once } from 'node:events';
import { z } from 'zod';
import { isValidTimeZone } from './engine/calendar.ts';
import { understandReply } from './engine/reply.ts';

/** ISO 8601 date-time with a zone designator: "2026-02-21T12:58:00+05:30", "…T12:58Z", "…T12:58:00.5-04:00". */
const ISO_INSTANT_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/;

const replyLine = z.looseObject({
  text: z.string(),
  now: z
    .string()
    .refine((value) => ISO_INSTANT_WITH_OFFSET.test(value) && !Number.isNaN(new Date(value).getTime()), {
      message: 'expected an ISO 8601 date-time with offset',
    }),
  tz: z.string().refine(isValidTimeZone, { message: 'not an IANA time zone' }),
});

/** One output line (without the newline) for one input line, or null for a blank line. */
function classifyLine(line: string, lineNumber: number): string | null {
  if (line.trim() === '') return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return JSON.stringify({ line: lineNumber, error: 'invalid JSON' });
  }
  const result = replyLine.safeParse(parsed);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.') || 'line'}: ${issue.message}`).join('; ');
    const original = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? parsed : {};
    return JSON.stringify({ ...original, line: lineNumber, error: problems });
  }
  const row = result.data;
  const understood = understandReply({ text: row.text, now: new Date(row.now), tz: row.tz });
  // Spread the parsed input (not zod's output) so every other field keeps its place and value.
  return JSON.stringify({ ...(parsed as object), intent: understood.intent, promisedDate: understood.promisedDate, amount: understood.amount });
}

async function main(): Promise<void> {
  const lines = createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY });
  let lineNumber = 0;
  let buffer: string[] = [];
  const flush = async (): Promise<void> => {
    if (buffer.length === 0) return;
    const chunk = `${buffer.join('\n')}\n`;
    buffer = [];
    if (!process.stdout.write(chunk)) await once(process.stdout, 'drain');
  };
  for await (const line of lines) {
    lineNumber++;
    const output = classifyLine(line, lineNumber);
    if (output !== null) buffer.push(output);
    if (buffer.length >= 512) await flush();
  }
  await flush();
}

await main();
