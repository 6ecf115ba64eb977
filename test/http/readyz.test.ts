import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Channel } from '../../src/bot/channel.ts';
import { buildHttpServer, type HttpDeps } from '../../src/http/server.ts';
import { createLogger } from '../../src/log.ts';
import { DEFAULT_MIGRATIONS_DIR, readMigrations } from '../../src/store/migrate.ts';
import { testEngines, type TestDatabase } from '../support/databases.ts';
import { FakeChannel } from '../support/fake-channel.ts';

async function readyz(deps: Omit<HttpDeps, 'logger'>) {
  const app = buildHttpServer({ ...deps, logger: createLogger('silent') });
  try {
    const res = await app.inject({ method: 'GET', url: '/readyz' });
    return { code: res.statusCode, body: res.json() };
  } finally {
    await app.close();
  }
}

describe.each(testEngines)('GET /readyz on $name', (engine) => {
  let db: TestDatabase;
  let telegram: FakeChannel;
  let channels: Map<string, Channel>;
  let tmp: string;
  beforeAll(async () => {
    db = await engine.open();
    tmp = await mkdtemp(join(tmpdir(), 'paynudge-readyz-'));
  });
  afterAll(async () => {
    await db?.destroy();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });
  const freshChannels = () => {
    telegram = new FakeChannel('telegram');
    channels = new Map([[telegram.name, telegram]]);
    return channels;
  };

  it('answers 200 ready when the database answers, every migration is applied and every channel is ready', async () => {
    const { code, body } = await readyz({ db, channels: freshChannels() });
    expect(code).toBe(200);
    expect(body).toEqual({
      status: 'ready',
      checks: { database: { state: 'up' }, migrations: { state: 'applied' }, channels: { telegram: { state: 'ready' } } },
    });
  });

  it('answers 503 naming the pending migration when the folder has one the database lacks', async () => {
    const dir = join(tmp, 'migrations');
    await cp(DEFAULT_MIGRATIONS_DIR, dir, { recursive: true });
    await mkdir(join(dir, '99990101000000_not_yet_applied'));
    await writeFile(join(dir, '99990101000000_not_yet_applied', 'migration.sql'), 'SELECT 1;\n');
    const { code, body } = await readyz({ db, channels: freshChannels(), migrationsDir: dir });
    expect(code).toBe(503);
    expect(body.status).toBe('not_ready');
    expect(body.checks.migrations).toEqual({ state: 'pending', pending: ['99990101000000_not_yet_applied'] });
    expect(body.checks.database).toEqual({ state: 'up' });
  });

  it('answers 503 naming the channel that is not ready, with its reason', async () => {
    freshChannels();
    telegram.currentStatus = { state: 'reconnecting', reason: 'getUpdates failed: Network request failed' };
    const { code, body } = await readyz({ db, channels });
    expect(code).toBe(503);
    expect(body).toEqual({
      status: 'not_ready',
      checks: {
        database: { state: 'up' },
        migrations: { state: 'applied' },
        channels: { telegram: { state: 'reconnecting', reason: 'getUpdates failed: Network request failed' } },
      },
    });
  });

  it('counts a channel added to the map after the server was built', async () => {
    const live = new Map<string, Channel>();
    const app = buildHttpServer({ db, logger: createLogger('silent'), channels: live });
    const late = new FakeChannel('telegram');
    late.currentStatus = { state: 'starting' };
    live.set(late.name, late);
    const res = await app.inject({ method: 'GET', url: '/readyz' });
    await app.close();
    expect(res.statusCode).toBe(503);
    expect(res.json().checks.channels).toEqual({ telegram: { state: 'starting' } });
  });

  it('answers 503 with the database down and migrations unknown when the database is closed', async () => {
    const closed = await engine.open();
    await closed.destroy();
    const { code, body } = await readyz({ db: closed, channels: freshChannels() });
    expect(code).toBe(503);
    expect(body).toEqual({
      status: 'not_ready',
      checks: { database: { state: 'down' }, migrations: { state: 'unknown' }, channels: { telegram: { state: 'ready' } } },
    });
  });

  it('answers 503 with the database down when it does not answer in time', async () => {
    const hanging = { ...db, sql: { ...db.sql, query: () => new Promise<never>(() => undefined) } };
    const { code, body } = await readyz({ db: hanging, readyTimeoutMs: 50 });
    expect(code).toBe(503);
    expect(body.checks.database).toEqual({ state: 'down' });
  });

  it('answers 503 with every migration pending on a database never migrated', async () => {
    const bare = await engine.open({ migrate: false });
    try {
      const { code, body } = await readyz({ db: bare });
      expect(code).toBe(503);
      const all = (await readMigrations()).map((m) => m.name);
      expect(all.length).toBeGreaterThan(0);
      expect(body.checks.migrations).toEqual({ state: 'pending', pending: all });
    } finally {
      await bare.destroy();
    }
  });
});
