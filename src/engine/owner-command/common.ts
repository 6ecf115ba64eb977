// What the owner-command parsers share: the reply for a command typed in the wrong form, and an
// invoice number as typed ("#A-102." is A-102).
import type { OwnerCommand, UsageTopic } from '../owner-command.ts';

export function usage(command: UsageTopic): OwnerCommand {
  return { kind: 'invalid', problem: { field: 'usage', command } };
}

export function stripNumber(raw: string): string {
  return raw.replace(/^#/, '').replace(/[.,;:]+$/, '');
}
