// Environment, validated with zod. Every variable has a default that runs on a laptop, so a
// fresh clone needs no .env at all; a bad value stops start-up with one line that names it.
import { z } from 'zod';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

function isCurrency(code: string): boolean {
  return (Intl.supportedValuesOf('currency') as string[]).includes(code);
}

const emptyAsUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

/** Each entry: the variable, its schema, and what it expects in words (for the error line). */
const variables = {
  PORT: [
    z.coerce.number().int().min(0).max(65535).default(3000),
    'an integer from 0 to 65535 (0 picks a free port)',
  ],
  HOST: [z.string().min(1).default('127.0.0.1'), 'an interface address such as 127.0.0.1 or 0.0.0.0'],
  LOG_LEVEL: [z.enum(LOG_LEVELS).default('info'), `one of ${LOG_LEVELS.join(', ')}`],
  DATABASE_URL: [
    z
      .string()
      .regex(/^postgres(ql)?:\/\/.+/, 'not a postgres URL')
      .optional(),
    'a PostgreSQL URL like postgres://user@127.0.0.1:5432/paynudge, or nothing for embedded PGlite',
  ],
  DATA_DIR: [z.string().min(1).default('./data'), 'a directory for the embedded database'],
  DATABASE_POOL_SIZE: [z.coerce.number().int().min(1).max(500).default(10), 'an integer from 1 to 500 (PostgreSQL connections per process)'],
  DATABASE_STATEMENT_CACHE: [
    z.coerce.number().int().min(0).max(10_000).default(300),
    'an integer from 0 to 10000 (statements prepared per PostgreSQL connection; 0 behind a pooler in transaction mode)',
  ],
  DEFAULT_CURRENCY: [
    z
      .string()
      .transform((s) => s.toUpperCase())
      .refine(isCurrency)
      .default('INR'),
    'an ISO 4217 currency code such as INR, OMR, USD',
  ],
  DEFAULT_TIME_ZONE: [z.string().refine(isTimeZone).default('Asia/Kolkata'), 'an IANA time zone such as Asia/Kolkata'],
  DEFAULT_LANGUAGE: [z.enum(['en', 'hi']).default('en'), 'en or hi'],
  DEFAULT_COUNTRY: [
    z
      .string()
      .regex(/^[A-Za-z]{2}$/)
      .transform((s) => s.toUpperCase())
      .default('IN'),
    'a two-letter country code such as IN or OM (used to read local phone numbers)',
  ],
  TELEGRAM_BOT_TOKEN: [
    z
      .string()
      .regex(/^\d{1,20}:[A-Za-z0-9_-]{30,100}$/)
      .optional(),
    'the token BotFather gave your bot, like 123456789:AA…, or nothing to run without Telegram',
  ],
  TELEGRAM_WEBHOOK_URL: [
    z
      .url({ protocol: /^https?$/ })
      .optional(),
    'the public https:// URL Telegram should post updates to, like https://bot.example.com/telegram/webhook, or nothing for long polling',
  ],
  TELEGRAM_WEBHOOK_SECRET: [
    z
      .string()
      .regex(/^[A-Za-z0-9_-]{16,256}$/)
      .optional(),
    '16 to 256 letters, digits, _ or -, or nothing to derive one from the bot token',
  ],
  TELEGRAM_API_ROOT: [
    z
      .url({ protocol: /^https?$/ })
      .transform((s) => s.replace(/\/+$/, ''))
      .optional(),
    'the URL of a Bot API server, like http://127.0.0.1:8081, or nothing for https://api.telegram.org',
  ],
} as const;

/** Variables whose values are secrets: an error names them but never shows what was given. */
const SECRET_VARIABLES = new Set(['TELEGRAM_BOT_TOKEN', 'TELEGRAM_WEBHOOK_SECRET']);

type Variables = typeof variables;
export type Config = { [K in keyof Variables]: z.output<Variables[K][0]> };

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    readonly expected: string,
    got: string | undefined,
  ) {
    const shown = got === undefined || got === '' ? 'nothing' : SECRET_VARIABLES.has(variable) ? `a hidden value of ${got.length} characters` : JSON.stringify(got);
    super(`Configuration error: ${variable} must be ${expected} (got ${shown}).`);
    this.name = 'ConfigError';
  }
}

/** Reads the configuration from an environment; throws ConfigError on the first bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const out: Record<string, unknown> = {};
  for (const [name, [schema, expected]] of Object.entries(variables)) {
    const raw = env[name];
    const parsed = (schema as z.ZodType).safeParse(emptyAsUndefined(raw));
    if (!parsed.success) throw new ConfigError(name, expected, raw);
    out[name] = parsed.data;
  }
  const config = out as Config;
  // Telegram's variables only make sense together.
  if (!config.TELEGRAM_BOT_TOKEN) {
    for (const name of ['TELEGRAM_WEBHOOK_URL', 'TELEGRAM_WEBHOOK_SECRET', 'TELEGRAM_API_ROOT'] as const) {
      if (config[name]) throw new ConfigError('TELEGRAM_BOT_TOKEN', `set when ${name} is`, env.TELEGRAM_BOT_TOKEN);
    }
  }
  // Telegram's own servers post only to https; a local Bot API server (TELEGRAM_API_ROOT) may use http.
  if (config.TELEGRAM_WEBHOOK_URL?.startsWith('http:') && !config.TELEGRAM_API_ROOT) {
    throw new ConfigError('TELEGRAM_WEBHOOK_URL', 'an https:// URL (http:// works only with a local Bot API server in TELEGRAM_API_ROOT)', env.TELEGRAM_WEBHOOK_URL);
  }
  return config;
}

/** The variables this service reads, with what each expects: the source of .env.example. */
export function describeVariables(): Array<{ name: string; expected: string }> {
  return Object.entries(variables).map(([name, [, expected]]) => ({ name, expected }));
}
