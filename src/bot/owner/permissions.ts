// Who may run which owner command: the one table, checked once in the dispatcher
// (src/bot/owner/index.ts) before any handler runs. Typed by every OwnerCommand kind, so a new
// kind does not compile until it is given its roles here.
//
// "Owner and agent" does not mean the same view: handlers still narrow an agent to the customers
// assigned to them (OwnerContext.agentId) and show an agent their own help and team list.
import type { OwnerCommand } from '../../engine/owner-command.ts';
import type { OwnerContext, Reply } from './context.ts';

export type Role = 'owner' | 'agent';

const OWNER: readonly Role[] = ['owner'];
const EVERYONE: readonly Role[] = ['owner', 'agent'];

export const COMMAND_ROLES: Readonly<Record<OwnerCommand['kind'], readonly Role[]>> = {
  help: EVERYONE, // agents get their own help text
  list: EVERYONE, // agents: their customers' invoices
  cancel: EVERYONE,
  yes: EVERYONE,
  no: EVERYONE,
  choose: EVERYONE,
  language: EVERYONE,
  add: EVERYONE, // an agent's new customer is assigned to them
  edit_invoice: EVERYONE, // agents: their customers' invoices
  cancel_invoice: OWNER,
  dispute_invoice: EVERYONE, // agents: their customers' invoices
  resolve_dispute: EVERYONE, // agents: their customers' invoices
  payment: EVERYONE, // agents: their customers; recorded as from an agent
  undo: EVERYONE, // one's own last payment
  follow_up: EVERYONE, // agents: their customers
  summary: EVERYONE, // agents: their customers
  statement: EVERYONE, // agents: their customers
  history: EVERYONE, // agents: their customers
  settings: EVERYONE, // reading only; changing is `set`
  set: OWNER,
  invite_agent: OWNER,
  join: EVERYONE, // already a member: says so
  assign: OWNER,
  unassign: OWNER,
  remove_agent: OWNER,
  team: EVERYONE, // agents see it without the owner's hint
  pause: EVERYONE, // agents: their customers
  resume: EVERYONE, // agents: their customers
  import: OWNER, // also a CSV sent as a file
  reminders: EVERYONE, // reading the waiting list; answering it is owner-only. Unreachable customers: agents see theirs
  approve: OWNER,
  skip: OWNER,
  snooze: OWNER,
  edit_reminder: OWNER,
  show_reminder: OWNER,
  template: OWNER,
  export: EVERYONE, // agents: their customers
  claims: EVERYONE, // agents: their customers' claims
  confirm_claim: EVERYONE, // agents: their customers' claims
  reject_claim: EVERYONE, // agents: their customers' claims
  allow_messages: EVERYONE, // agents: their customers
  debtor_link: EVERYONE, // agents: their customers
  invalid: EVERYONE,
  unknown: EVERYONE, // a customer's name alone: agents find only theirs
};

export function roleOf(ctx: OwnerContext): Role {
  return ctx.isOwner ? 'owner' : 'agent';
}

export function mayRun(role: Role, kind: OwnerCommand['kind']): boolean {
  return COMMAND_ROLES[kind].includes(role);
}

/** The reply refusing a command this member's role may not run, or null when they may. */
export function refusal(ctx: OwnerContext, kind: OwnerCommand['kind']): Reply[] | null {
  return mayRun(roleOf(ctx), kind) ? null : [ctx.reply(ctx.m.ownerOnly())];
}
