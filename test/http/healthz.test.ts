import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildHttpServer } from '../../src/http/server.ts';
import { createLogger } from '../../src/log.ts';
import { testEngines, type TestDatabase } from '../support/databases.ts';

describe.each(testEngines)('GET /healthz on $name', (engine) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await engine.open();
  });
  afterAll(async () => db?.destroy());

  it('answers 200 with the database engine when the database answers', async () => {
    const app = buildHttpServer({ db, logger: createLogger('silent') });
    const res = await app.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', database: engine.name });
    await app.close();
  });

  it('answers 503 when the database does not', async () => {
    const broken = { ...db, sql: { ...db.sql, query: async () => Promise.reject(new Error('connection lost')) } };
    const app = buildHttpServer({ db: broken, logger: createLogger('silent') });
    const res = await app.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({ status: 'unavailable', database: engine.name });
    await app.close();
  });
});
