// The fake Bot API server for bench/telegram.ts, in a worker thread so that its work does not
// share the bot's event loop. It plays the load it is told to (chat id and text per update),
// pairs each reply with the oldest unanswered update of its chat, and measures update delivered
// (its getUpdates answer) → reply received (sendMessage), all on its own clock.
import { parentPort } from 'node:worker_threads';
import { FakeTelegram } from '../test/support/fake-telegram.ts';

const fake = await FakeTelegram.start({ record: false, maxPollMs: 30_000 });
const pending = new Map<number, number[]>();
const latencies: number[] = [];
let measureFrom = Number.POSITIVE_INFINITY;
let replies = 0;

fake.onBotMessage = (message) => {
  if (message.edits.length > 0) return;
  const updateId = pending.get(message.chatId)?.shift();
  if (updateId === undefined) return;
  replies += 1;
  const delivered = fake.deliveredAt.get(updateId);
  fake.deliveredAt.delete(updateId);
  if (delivered !== undefined && updateId >= measureFrom) latencies.push(message.at - delivered);
};

type Command = { kind: 'send'; messages: Array<{ chatId: number; text: string }>; measure: boolean } | { kind: 'results' } | { kind: 'stop' };

parentPort!.on('message', (command: Command) => {
  if (command.kind === 'send') {
    for (const { chatId, text } of command.messages) {
      const update = fake.text({ id: chatId, first_name: `User${chatId}` }, text);
      let queue = pending.get(chatId);
      if (!queue) pending.set(chatId, (queue = []));
      queue.push(update.update_id);
      if (command.measure && measureFrom === Number.POSITIVE_INFINITY) measureFrom = update.update_id;
    }
  } else if (command.kind === 'results') {
    const unanswered = [...pending.values()].reduce((n, q) => n + q.length, 0);
    parentPort!.postMessage({ kind: 'results', latencies, replies, unanswered });
  } else {
    void fake.stop().then(() => process.exit(0));
  }
});

parentPort!.postMessage({ kind: 'ready', apiRoot: fake.apiRoot, token: fake.token });
