import { describe, expect, it } from 'vitest';
import { ConfigError, describeVariables, loadConfig } from '../src/config.ts';

describe('configuration', () => {
  it('runs on a laptop with no environment at all: embedded PGlite in ./data, port 3000, INR, India', () => {
    expect(loadConfig({})).toEqual({
      PORT: 3000,
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      DATABASE_URL: undefined,
      DATA_DIR: './data',
      DATABASE_POOL_SIZE: 10,
      DATABASE_STATEMENT_CACHE: 300,
      DEFAULT_CURRENCY: 'INR',
      DEFAULT_TIME_ZONE: 'Asia/Kolkata',
      DEFAULT_LANGUAGE: 'en',
      DEFAULT_COUNTRY: 'IN',
      TELEGRAM_BOT_TOKEN: undefined,
      TELEGRAM_WEBHOOK_URL: undefined,
      TELEGRAM_WEBHOOK_SECRET: undefined,
      TELEGRAM_API_ROOT: undefined,
    });
  });

  it('reads given values, normalising codes', () => {
    const config = loadConfig({ PORT: '0', DATABASE_URL: 'postgres://u@127.0.0.1:5432/db', DEFAULT_CURRENCY: 'omr', DEFAULT_TIME_ZONE: 'Asia/Muscat', DEFAULT_COUNTRY: 'om', LOG_LEVEL: 'debug', DATABASE_POOL_SIZE: '40', DATABASE_STATEMENT_CACHE: '0' });
    expect(config).toMatchObject({ PORT: 0, DATABASE_URL: 'postgres://u@127.0.0.1:5432/db', DEFAULT_CURRENCY: 'OMR', DEFAULT_COUNTRY: 'OM', LOG_LEVEL: 'debug', DATABASE_POOL_SIZE: 40, DATABASE_STATEMENT_CACHE: 0 });
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', PORT: ' ' })).toMatchObject({ DATABASE_URL: undefined, PORT: 3000 });
  });

  it.each([
    ['PORT', 'abc', 'Configuration error: PORT must be an integer from 0 to 65535 (0 picks a free port) (got "abc").'],
    ['PORT', '70000', 'Configuration error: PORT must be an integer from 0 to 65535 (0 picks a free port) (got "70000").'],
    ['LOG_LEVEL', 'loud', 'Configuration error: LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "loud").'],
    ['DATABASE_URL', 'mysql://x', 'Configuration error: DATABASE_URL must be a PostgreSQL URL like postgres://user@127.0.0.1:5432/paynudge, or nothing for embedded PGlite (got "mysql://x").'],
    ['DEFAULT_CURRENCY', 'RUPEES', 'Configuration error: DEFAULT_CURRENCY must be an ISO 4217 currency code such as INR, OMR, USD (got "RUPEES").'],
    ['DEFAULT_TIME_ZONE', 'India/Delhi', 'Configuration error: DEFAULT_TIME_ZONE must be an IANA time zone such as Asia/Kolkata (got "India/Delhi").'],
    ['DEFAULT_LANGUAGE', 'fr', 'Configuration error: DEFAULT_LANGUAGE must be en or hi (got "fr").'],
    ['DATABASE_POOL_SIZE', '0', 'Configuration error: DATABASE_POOL_SIZE must be an integer from 1 to 500 (PostgreSQL connections per process) (got "0").'],
    ['DATABASE_STATEMENT_CACHE', 'lots', 'Configuration error: DATABASE_STATEMENT_CACHE must be an integer from 0 to 10000 (statements prepared per PostgreSQL connection; 0 behind a pooler in transaction mode) (got "lots").'],
  ])('a bad %s (%s) stops start-up with one line naming it', (name, value, message) => {
    let error: unknown;
    try {
      loadConfig({ [name]: value });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toBe(message);
    expect((error as ConfigError).message).not.toContain('\n');
  });

  const TOKEN = '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw';

  it('reads the Telegram variables: the token, a webhook URL and secret, another Bot API server', () => {
    expect(
      loadConfig({ TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_WEBHOOK_URL: 'https://bot.example.com/telegram/webhook', TELEGRAM_WEBHOOK_SECRET: 'a-secret_of-20-chars', TELEGRAM_API_ROOT: 'http://127.0.0.1:8081/' }),
    ).toMatchObject({ TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_WEBHOOK_URL: 'https://bot.example.com/telegram/webhook', TELEGRAM_WEBHOOK_SECRET: 'a-secret_of-20-chars', TELEGRAM_API_ROOT: 'http://127.0.0.1:8081' });
    // A local Bot API server may post to an http:// webhook; Telegram's own servers only to https.
    expect(loadConfig({ TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_WEBHOOK_URL: 'http://127.0.0.1:3000/tg', TELEGRAM_API_ROOT: 'http://127.0.0.1:8081' }).TELEGRAM_WEBHOOK_URL).toBe('http://127.0.0.1:3000/tg');
  });

  it.each([
    [{ TELEGRAM_BOT_TOKEN: 'not-a-token' }, 'Configuration error: TELEGRAM_BOT_TOKEN must be the token BotFather gave your bot, like 123456789:AA…, or nothing to run without Telegram (got a hidden value of 11 characters).'],
    [{ TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_WEBHOOK_SECRET: 'short' }, 'Configuration error: TELEGRAM_WEBHOOK_SECRET must be 16 to 256 letters, digits, _ or -, or nothing to derive one from the bot token (got a hidden value of 5 characters).'],
    [{ TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_WEBHOOK_URL: 'bot.example.com/hook' }, 'Configuration error: TELEGRAM_WEBHOOK_URL must be the public https:// URL Telegram should post updates to, like https://bot.example.com/telegram/webhook, or nothing for long polling (got "bot.example.com/hook").'],
    [{ TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_WEBHOOK_URL: 'http://bot.example.com/hook' }, 'Configuration error: TELEGRAM_WEBHOOK_URL must be an https:// URL (http:// works only with a local Bot API server in TELEGRAM_API_ROOT) (got "http://bot.example.com/hook").'],
    [{ TELEGRAM_WEBHOOK_URL: 'https://bot.example.com/hook' }, 'Configuration error: TELEGRAM_BOT_TOKEN must be set when TELEGRAM_WEBHOOK_URL is (got nothing).'],
    [{ TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: 'ftp://x' }, 'Configuration error: TELEGRAM_API_ROOT must be the URL of a Bot API server, like http://127.0.0.1:8081, or nothing for https://api.telegram.org (got "ftp://x").'],
  ])('a bad Telegram setting stops start-up with one line, never showing a secret: %j', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
    try {
      loadConfig(env);
    } catch (err) {
      expect((err as Error).message).not.toContain('not-a-token');
      expect((err as Error).message).not.toContain('short"');
    }
  });

  it('documents every variable it reads in .env.example', async () => {
    const { readFile } = await import('node:fs/promises');
    const example = await readFile(new URL('../.env.example', import.meta.url), 'utf8');
    for (const { name } of describeVariables()) expect(example).toMatch(new RegExp(`^#?\\s*${name}=`, 'm'));
  });
});
