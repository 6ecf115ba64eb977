import { pino, type Logger } from 'pino';

export type { Logger };

/** Structured JSON logs, one event per line. Secrets never reach here; phones go through maskAddress. */
export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      level,
      base: { service: 'paynudge' },
      redact: { paths: ['*.token', '*.password', '*.databaseUrl', 'DATABASE_URL'], censor: '[secret]' },
    },
    destination ?? process.stdout,
  );
}

/** "+919812345678" -> "+91••••••5678"; chat ids keep only their last 4 characters. */
export function maskAddress(address: string): string {
  if (address.length <= 4) return '••••';
  const keepStart = address.startsWith('+') ? 3 : 0;
  return address.slice(0, keepStart) + '•'.repeat(Math.max(2, address.length - keepStart - 4)) + address.slice(-4);
}
