import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Channel, ChannelStatus } from '../bot/channel.ts';
import type { Logger } from '../log.ts';
import type { Database } from '../store/database.ts';
import { DEFAULT_MIGRATIONS_DIR, pendingMigrations } from '../store/migrate.ts';

export interface HttpDeps {
  db: Database;
  logger: Logger;
  /** The chat channels, by name, as /readyz reports them (a live map: channels added later count). */
  channels?: ReadonlyMap<string, Channel>;
  /** The migrations the database should have (default prisma/migrations). */
  migrationsDir?: string;
  /** A database check not answered by then counts as down (default 2 s). */
  readyTimeoutMs?: number;
}

export interface Readiness {
  status: 'ready' | 'not_ready';
  checks: {
    database: { state: 'up' | 'down' };
    /** unknown: the database could not be asked. */
    migrations: { state: 'applied' | 'pending' | 'unknown'; pending?: string[] };
    channels: Record<string, ChannelStatus>;
  };
}

/**
 * The HTTP surface. GET /healthz: the process is up and the database answers. GET /readyz: ready
 * for traffic (200), or not (503), with each check's state: the database answers, every migration
 * is applied, every channel is ready.
 */
export function buildHttpServer(deps: HttpDeps): FastifyInstance {
  const app = Fastify({ loggerInstance: deps.logger.child({ component: 'http' }) as FastifyBaseLogger });
  app.get('/healthz', { logLevel: 'warn' }, async (_request, reply) => {
    try {
      await deps.db.sql.query('SELECT 1');
      return { status: 'ok', database: deps.db.engine };
    } catch {
      return reply.code(503).send({ status: 'unavailable', database: deps.db.engine });
    }
  });
  app.get('/readyz', { logLevel: 'warn' }, async (_request, reply) => {
    const readiness = await checkReadiness(deps);
    return reply.code(readiness.status === 'ready' ? 200 : 503).send(readiness);
  });
  return app;
}

export async function checkReadiness(deps: HttpDeps): Promise<Readiness> {
  const timeoutMs = deps.readyTimeoutMs ?? 2_000;
  const database: Readiness['checks']['database'] = { state: 'down' };
  let migrations: Readiness['checks']['migrations'] = { state: 'unknown' };
  try {
    await withTimeout(deps.db.sql.query('SELECT 1'), timeoutMs);
    database.state = 'up';
    const pending = await withTimeout(pendingMigrations(deps.db.sql, deps.migrationsDir ?? DEFAULT_MIGRATIONS_DIR), timeoutMs);
    migrations = pending.length === 0 ? { state: 'applied' } : { state: 'pending', pending };
  } catch (err) {
    deps.logger.debug({ err: { message: (err as Error).message }, database: database.state }, 'readyz.check_failed');
  }
  const channels: Record<string, ChannelStatus> = {};
  for (const [name, channel] of deps.channels ?? []) channels[name] = channel.status();
  const ready = database.state === 'up' && migrations.state === 'applied' && Object.values(channels).every((c) => c.state === 'ready');
  return { status: ready ? 'ready' : 'not_ready', checks: { database, migrations, channels } };
}

async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
