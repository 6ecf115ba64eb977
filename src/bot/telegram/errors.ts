// What Telegram's errors mean for the outbox, and keeping the bot token out of every message and
// log line (grammY leaves it out of its own errors; a download URL or a network error could
// still carry it, so everything that leaves this channel is scrubbed).
import { GrammyError, HttpError } from 'grammy';
import { RetryLaterError, UndeliverableError } from '../channel.ts';

/** The text with the token (and its secret part alone) replaced. */
export function scrub(text: string, token: string): string {
  const secretPart = token.split(':')[1];
  let out = text.split(token).join('<token>');
  if (secretPart && secretPart.length >= 16) out = out.split(secretPart).join('<token>');
  return out;
}

/** A loggable description of any error: name, message and Telegram's code, scrubbed. */
export function describeError(err: unknown, token: string): { name: string; message: string; code?: number } {
  if (err instanceof GrammyError) return { name: 'GrammyError', message: scrub(`${err.method}: ${err.description}`, token), code: err.error_code };
  if (err instanceof HttpError) {
    const cause = err.error instanceof Error ? `: ${err.error.message}` : '';
    return { name: 'HttpError', message: scrub(`${err.message}${cause}`, token) };
  }
  if (err instanceof Error) return { name: err.name, message: scrub(err.message, token) };
  return { name: 'Error', message: scrub(String(err), token) };
}

/**
 * A failed send as the dispatcher reads it: 429 → retry after Telegram's retry_after; 403 from a
 * person who blocked the bot or deleted their account → undeliverable, and an opt-out; other 403s
 * and 400s (chat not found, a refused message) → undeliverable, no opt-out; anything else (5xx,
 * network) → an error to retry with backoff.
 */
export function toSendError(err: unknown, token: string): Error {
  if (err instanceof GrammyError) {
    const message = scrub(`Telegram ${err.error_code}: ${err.description}`, token);
    if (err.error_code === 429) return new RetryLaterError(message, Math.max(1, err.parameters?.retry_after ?? 1) * 1000);
    if (err.error_code === 403) {
      const reason = /blocked by the user/i.test(err.description) ? 'blocked' : /deactivated/i.test(err.description) ? 'deactivated' : 'forbidden';
      return new UndeliverableError(message, { reason, optOut: reason !== 'forbidden' });
    }
    if (err.error_code === 400) return new UndeliverableError(message, { reason: /chat not found/i.test(err.description) ? 'chat_not_found' : 'rejected', optOut: false });
    return new Error(message);
  }
  if (err instanceof RetryLaterError || err instanceof UndeliverableError) return err;
  const described = describeError(err, token);
  return new Error(described.message);
}
