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
      DEFAULT_CURRENCY: 'INR',
      DEFAULT_TIME_ZONE: 'Asia/Kolkata',
      DEFAULT_LANGUAGE: 'en',
      DEFAULT_COUNTRY: 'IN',
    });
  });

  it('reads given values, normalising codes', () => {
    const config = loadConfig({ PORT: '0', DATABASE_URL: 'postgres://u@127.0.0.1:5432/db', DEFAULT_CURRENCY: 'omr', DEFAULT_TIME_ZONE: 'Asia/Muscat', DEFAULT_COUNTRY: 'om', LOG_LEVEL: 'debug' });
    expect(config).toMatchObject({ PORT: 0, DATABASE_URL: 'postgres://u@127.0.0.1:5432/db', DEFAULT_CURRENCY: 'OMR', DEFAULT_COUNTRY: 'OM', LOG_LEVEL: 'debug' });
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

  it('documents every variable it reads in .env.example', async () => {
    const { readFile } = await import('node:fs/promises');
    const example = await readFile(new URL('../.env.example', import.meta.url), 'utf8');
    for (const { name } of describeVariables()) expect(example).toMatch(new RegExp(`^#?\\s*${name}=`, 'm'));
  });
});
