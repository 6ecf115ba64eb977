import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from '../log.ts';
import type { Database } from '../store/database.ts';

export interface HttpDeps {
  db: Database;
  logger: Logger;
}

/** The HTTP surface. For now: GET /healthz, which also proves the database answers. */
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
  return app;
}
