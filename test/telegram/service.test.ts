// `npm start` with TELEGRAM_BOT_TOKEN runs the Telegram channel: long polling by default, the
// webhook on its own HTTP server when TELEGRAM_WEBHOOK_URL is set, and a token Telegram refuses
// stops start-up with one clear line. The token never appears in what the service prints.
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveWebhookSecret } from '../../src/http/telegram-webhook.ts';
import { FAKE_TOKEN, FakeTelegram, type FakeUser } from '../support/fake-telegram.ts';
import { collect, runScript, waitForLogLine } from '../support/processes.ts';

const owner: FakeUser = { id: 8001, first_name: 'Ravi' };

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('npm start with Telegram', () => {
  let fake: FakeTelegram;
  beforeAll(async () => {
    fake = await FakeTelegram.start();
  });
  afterAll(async () => fake?.stop());

  const baseEnv = { PORT: '0', DATA_DIR: 'memory://', DATABASE_URL: '', LOG_LEVEL: 'info', TELEGRAM_BOT_TOKEN: FAKE_TOKEN, TELEGRAM_WEBHOOK_URL: '', TELEGRAM_WEBHOOK_SECRET: '' };

  it('long-polls, answers a person, stops cleanly, and never prints the token', async () => {
    const child = runScript('src/main.ts', { ...baseEnv, TELEGRAM_API_ROOT: fake.apiRoot });
    const output = collect(child);
    const ready = await waitForLogLine(child, (l) => l.msg === 'ready', 60_000);
    expect(ready).toMatchObject({ telegram: 'polling' });
    const before = fake.messagesTo(owner.id).length;
    fake.text(owner, '/start');
    expect((await fake.nextMessage(owner.id, before, 10_000)).text).toMatch(/^👋 Welcome to Paynudge!/);
    child.kill('SIGTERM');
    const { code, stdout, stderr } = await output;
    expect(code).toBe(0);
    expect(stdout).toContain('"msg":"stopped"');
    expect(stdout + stderr).not.toContain(FAKE_TOKEN.split(':')[1]);
  });

  it('answers GET /readyz 200 once started, naming the database, the migrations and the Telegram channel as ready', async () => {
    const port = await freePort();
    const child = runScript('src/main.ts', { ...baseEnv, PORT: String(port), TELEGRAM_API_ROOT: fake.apiRoot });
    const output = collect(child);
    await waitForLogLine(child, (l) => l.msg === 'ready', 60_000);
    const res = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      status: 'ready',
      checks: { database: { state: 'up' }, migrations: { state: 'applied' }, channels: { telegram: { state: 'ready' } } },
    });
    child.kill('SIGTERM');
    const { stdout } = await output;
    const changes = stdout.split('\n').filter((l) => l.includes('"msg":"channel.state_changed"')).map((l) => JSON.parse(l).state);
    expect(changes).toEqual(['ready', 'stopped']);
  });

  it('with TELEGRAM_WEBHOOK_URL, registers the webhook with the derived secret and takes updates on its HTTP server', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/telegram/webhook`;
    const child = runScript('src/main.ts', { ...baseEnv, PORT: String(port), TELEGRAM_API_ROOT: fake.apiRoot, TELEGRAM_WEBHOOK_URL: url });
    const output = collect(child);
    const ready = await waitForLogLine(child, (l) => l.msg === 'ready', 60_000);
    expect(ready).toMatchObject({ telegram: 'webhook', port });
    expect(fake.webhook).toMatchObject({ url, secret: deriveWebhookSecret(FAKE_TOKEN) });
    const before = fake.messagesTo(owner.id).length;
    fake.text(owner, 'hello');
    expect((await fake.nextMessage(owner.id, before, 10_000)).text).toMatch(/^👋 Welcome to Paynudge!/);
    expect(await fake.postOnce({ update_id: 99_999, message: fake.userMessage(owner, { text: 'x' }) }, null)).toBe(401);
    child.kill('SIGTERM');
    const { code, stdout, stderr } = await output;
    expect(code).toBe(0);
    expect(stdout + stderr).not.toContain(FAKE_TOKEN.split(':')[1]);
    expect(stdout + stderr).not.toContain(deriveWebhookSecret(FAKE_TOKEN));
    fake.webhook = null;
  });

  it('a token Telegram refuses stops start-up with one line, without the token', async () => {
    const wrong = '987654321:AAWrongTokenThatTelegramRefuses_abcdefgh';
    const child = runScript('src/main.ts', { ...baseEnv, TELEGRAM_BOT_TOKEN: wrong, TELEGRAM_API_ROOT: fake.apiRoot });
    const { code, stdout, stderr } = await collect(child);
    expect(code).toBe(1);
    const fatal = stdout.split('\n').find((l) => l.includes('"startup failed"'))!;
    expect(JSON.parse(fatal).err.message).toBe('Telegram did not accept the bot token or could not be reached: getMe: Unauthorized');
    expect(stdout + stderr).not.toContain(wrong.split(':')[1]);
  });
});
