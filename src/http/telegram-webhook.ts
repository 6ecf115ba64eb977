// Telegram's webhook on the Fastify server. Every request must carry the secret registered with
// setWebhook in X-Telegram-Bot-Api-Secret-Token (checked before the body is read; compared in
// constant time); without it the answer is 401 and nothing is read or stored. An update is
// handled (stored, answered) before Telegram gets its 200 when that is quick, and otherwise
// answered after `answerWithinMs` while the work goes on: Telegram holds a chat's later updates
// until the earlier one is answered, so a slow update must not hold the chat up. Telegram forgets
// an update it got a 200 for, so a slow one is first kept (keepWebhookUpdate, in the database) to
// be handled after a crash; if it cannot be kept the answer is 500 and Telegram sends it again. A
// body that is no update is answered 200 (Telegram would otherwise resend it forever) and logged.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Logger } from '../log.ts';

export const SECRET_HEADER = 'x-telegram-bot-api-secret-token';

export interface WebhookReceiver {
  readonly ready: boolean;
  handleWebhookUpdate(update: unknown): Promise<void>;
  /** Keeps an update still being handled, before Telegram is told it arrived (see the channel). */
  keepWebhookUpdate(update: unknown): Promise<void>;
}

export interface TelegramWebhookOptions {
  /** The path of TELEGRAM_WEBHOOK_URL, e.g. /telegram/webhook. */
  path: string;
  secret: string;
  receiver: WebhookReceiver;
  logger: Logger;
  /** How long an update may take before Telegram is answered anyway (default 1 s). */
  answerWithinMs?: number;
}

const webhookUpdate = z.object({ update_id: z.number().int().nonnegative() });

/**
 * The secret when TELEGRAM_WEBHOOK_SECRET is not set: derived from the bot token, so every
 * instance of one deployment registers and expects the same one, and no one without the token
 * can compute it.
 */
export function deriveWebhookSecret(token: string): string {
  return createHmac('sha256', token).update('paynudge telegram webhook secret').digest('base64url');
}

function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

export function registerTelegramWebhook(app: FastifyInstance, options: TelegramWebhookOptions): void {
  const log = options.logger.child({ component: 'telegram-webhook' });
  const answerWithinMs = options.answerWithinMs ?? 1_000;
  app.post(
    options.path,
    {
      logLevel: 'warn',
      bodyLimit: 1_048_576,
      onRequest: async (request, reply) => {
        const given = request.headers[SECRET_HEADER];
        if (typeof given !== 'string' || !sameSecret(given, options.secret)) {
          log.warn({ ip: request.ip, hasHeader: given !== undefined }, 'telegram.webhook_rejected');
          return reply.code(401).send({ ok: false, error: 'unauthorized' });
        }
      },
    },
    async (request, reply) => {
      const parsed = webhookUpdate.safeParse(request.body);
      if (!parsed.success) {
        log.warn('telegram.webhook_not_an_update');
        return reply.code(200).send();
      }
      // Not receiving yet (starting) or any more (stopping): Telegram retries later.
      if (!options.receiver.ready) return reply.code(503).send();
      const handling = options.receiver.handleWebhookUpdate(request.body).catch((err: unknown) => {
        log.error({ err: { name: (err as Error).name, message: (err as Error).message }, update: parsed.data.update_id }, 'telegram.webhook_update_failed');
      });
      let timer: NodeJS.Timeout | undefined;
      const slow = new Promise<'slow'>((resolve) => {
        timer = setTimeout(() => resolve('slow'), answerWithinMs);
      });
      const first = await Promise.race([handling.then(() => 'done' as const), slow]);
      clearTimeout(timer);
      if (first === 'slow') {
        try {
          await options.receiver.keepWebhookUpdate(request.body);
        } catch (err) {
          log.error({ err: { name: (err as Error).name, message: (err as Error).message }, update: parsed.data.update_id }, 'telegram.webhook_keep_failed');
          return reply.code(500).send();
        }
        log.info({ update: parsed.data.update_id, answerWithinMs }, 'telegram.webhook_answered_before_done');
      }
      return reply.code(200).send();
    },
  );
}
