// Accuracy on the labelled sample and throughput of understandReply.
// Usage: npx tsx bench/classify.ts [path/to/replies.jsonl] [classifications-for-throughput]
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { understandReply } from '../src/engine/reply.ts';

interface LabelledReply {
  id?: string;
  text: string;
  now: string;
  tz: string;
  intent: string;
  promisedDate: string | null;
  amount: number | null;
}

const samplePath = resolve(process.argv[2] ?? resolve(import.meta.dirname, '../../shared/spec/replies-sample.jsonl'));
const throughputRuns = Number(process.argv[3] ?? 100_000);
const rows: LabelledReply[] = readFileSync(samplePath, 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as LabelledReply);

let intentHits = 0;
let dateHits = 0;
let amountHits = 0;
const misses: string[] = [];
for (const row of rows) {
  const got = understandReply({ text: row.text, now: new Date(row.now), tz: row.tz });
  const intentOk = got.intent === row.intent;
  const dateOk = got.promisedDate === row.promisedDate;
  const amountOk = got.amount === row.amount;
  intentHits += Number(intentOk);
  dateHits += Number(dateOk);
  amountHits += Number(amountOk);
  if (!intentOk || !dateOk || !amountOk) {
    misses.push(
      `  ${row.id ?? '?'} ${JSON.stringify(row.text)}\n     want ${row.intent} ${row.promisedDate} ${row.amount}\n     got  ${got.intent} ${got.promisedDate} ${got.amount}`,
    );
  }
}
const percent = (hits: number): string => `${((100 * hits) / rows.length).toFixed(1)}% (${hits}/${rows.length})`;
console.log(`sample: ${samplePath}`);
console.log(`intent accuracy:    ${percent(intentHits)}`);
console.log(`date exact match:   ${percent(dateHits)}`);
console.log(`amount exact match: ${percent(amountHits)}`);
console.log(misses.length === 0 ? 'misses: none' : `misses (${misses.length}):\n${misses.join('\n')}`);

const inputs = rows.map((row) => ({ text: row.text, now: new Date(row.now), tz: row.tz }));
for (let i = 0; i < 2_000; i++) understandReply(inputs[i % inputs.length]!); // warm up
const started = performance.now();
let checksum = 0;
for (let i = 0; i < throughputRuns; i++) checksum += understandReply(inputs[i % inputs.length]!).intent.length;
const seconds = (performance.now() - started) / 1000;
console.log(`throughput: ${Math.round(throughputRuns / seconds).toLocaleString('en-US')} replies/second (${throughputRuns.toLocaleString('en-US')} in ${seconds.toFixed(2)} s, checksum ${checksum})`);
