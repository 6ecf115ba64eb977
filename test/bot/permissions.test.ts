// Permissions in one place: the table in src/bot/owner/permissions.ts names every owner command
// kind and the roles that may run it, and the dispatcher refuses the rest before any handler runs.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultsFrom } from '../../src/app.ts';
import { handleInbound } from '../../src/bot/conversation.ts';
import { COMMAND_ROLES, mayRun } from '../../src/bot/owner/permissions.ts';
import { ManualClock } from '../../src/clock.ts';
import { loadConfig } from '../../src/config.ts';
import { addDays } from '../../src/engine/calendar.ts';
import type { OwnerCommand } from '../../src/engine/owner-command.ts';
import { planReminders } from '../../src/scheduler/plan.ts';
import { toDbDate } from '../../src/store/types.ts';
import { testEngines, type TestDatabase } from '../support/databases.ts';
import { chat, ONBOARD } from '../support/transcript.ts';

/** Every OwnerCommand kind, written out: the type check below fails when one is missing here. */
const KINDS = [
  'help', 'list', 'cancel', 'yes', 'no', 'choose', 'language', 'add', 'edit_invoice', 'cancel_invoice',
  'dispute_invoice', 'resolve_dispute', 'payment', 'undo', 'follow_up', 'summary', 'statement', 'history',
  'settings', 'set', 'invite_agent', 'join', 'assign', 'unassign', 'remove_agent', 'team', 'pause', 'resume',
  'import', 'reminders', 'approve', 'skip', 'snooze', 'edit_reminder', 'show_reminder', 'template', 'export',
  'claims', 'confirm_claim', 'reject_claim', 'allow_messages', 'debtor_link', 'invalid', 'unknown',
] as const satisfies readonly OwnerCommand['kind'][];
type Missing = Exclude<OwnerCommand['kind'], (typeof KINDS)[number]>;
const noKindMissing: [Missing] extends [never] ? true : Missing = true;

const OWNER_ONLY = [
  'cancel_invoice', 'set', 'invite_agent', 'assign', 'unassign', 'remove_agent', 'import',
  'approve', 'skip', 'snooze', 'edit_reminder', 'show_reminder', 'template',
];

describe('the permissions table', () => {
  it('has an entry for every owner command kind, and no other', () => {
    expect(noKindMissing).toBe(true);
    for (const kind of KINDS) expect(COMMAND_ROLES[kind], kind).toBeDefined();
    expect(Object.keys(COMMAND_ROLES).sort()).toEqual([...KINDS].sort());
  });

  it('lets the owner run every command', () => {
    expect(KINDS.filter((kind) => !mayRun('owner', kind))).toEqual([]);
  });

  it('keeps from agents exactly settings changes, cancelling invoices, the team, imports and answering reminders', () => {
    expect(KINDS.filter((kind) => !mayRun('agent', kind)).sort()).toEqual([...OWNER_ONLY].sort());
  });
});

/** Monday 23 Nov 2026, 10:00 in India: a day reminders are planned. */
const NOW = new Date('2026-11-23T04:30:00Z');
const TODAY = '2026-11-23';
const RAVI = 'agent-ravi';
const OWNER_ONLY_REPLY = 'Only the owner can do that. Please ask them.';

describe.each(testEngines)('an agent and the owner-only reminder commands on $name', (engine) => {
  let db: TestDatabase;
  let businessId: string;
  const clock = new ManualClock(NOW);
  const snapshot = async () => ({
    business: await db.prisma.business.findUniqueOrThrow({ where: { id: businessId } }),
    invoices: await db.prisma.invoice.findMany({ orderBy: { id: 'asc' } }),
    debtors: await db.prisma.debtor.findMany({ orderBy: { id: 'asc' } }),
    outbound: await db.prisma.outboundMessage.findMany({ where: { kind: { not: 'reply' } }, orderBy: { id: 'asc' } }),
    conversations: await db.prisma.conversation.findMany({ orderBy: { address: 'asc' } }),
    audit: await db.prisma.auditEvent.count(),
  });

  /** The replies one message (or file) from Ravi's chat queued for Ravi. */
  async function ravi(text: string, attachment?: { fileName: string; text: string }): Promise<string[]> {
    const result = await handleInbound(
      { prisma: db.prisma, clock, defaults: defaultsFrom(loadConfig({})) },
      { channel: 'console', address: RAVI, providerMessageId: randomUUID(), text, receivedAt: clock.now(), ...(attachment ? { attachment } : {}) },
    );
    return result.outgoing.filter((o) => o.recipient === RAVI).map((o) => o.body);
  }

  beforeAll(async () => {
    db = await engine.open();
    await chat(db, ONBOARD, clock);
    businessId = (await db.prisma.business.findFirstOrThrow()).id;
    const debtor = await db.prisma.debtor.create({ data: { businessId, name: 'Ramesh Traders', nameKey: 'ramesh traders', phone: '+919800000001' } });
    await db.prisma.debtorIdentity.create({ data: { debtorId: debtor.id, channel: 'console', address: `debtor:${debtor.id}` } });
    await db.prisma.invoice.create({ data: { businessId, debtorId: debtor.id, number: 'R-1', amountMinor: 100_000n, currency: 'INR', issuedOn: toDbDate(addDays(TODAY, -30)), dueOn: toDbDate(addDays(TODAY, -5)) } });
    await planReminders(db, { now: NOW });
    const invite = await chat(db, ['invite Ravi'], clock);
    const code = /\n {2}join ([A-Z2-9]{4}-[A-Z2-9]{4})\n/.exec(invite)?.[1];
    expect(code).toBeDefined();
    await ravi(`join ${code!}`);
    await chat(db, ['assign Ramesh to Ravi'], clock);
  });
  afterAll(async () => db?.destroy());

  it.each(['approve all', 'approve 1', 'skip 1', 'snooze 1 2d', 'edit 1 Please pay today.', 'show 1', 'template polite Please pay {amount}.'])(
    'an agent cannot "%s" a waiting reminder: only the owner can, and nothing changes',
    async (line) => {
      expect(await chat(db, ['reminders'], clock)).toContain('1 reminder(s) waiting for your approval');
      const before = await snapshot();
      expect(await ravi(line)).toEqual([OWNER_ONLY_REPLY]);
      expect(await snapshot()).toEqual(before);
    },
  );

  it('an agent sending a CSV file is told only the owner can import, and nothing is imported', async () => {
    const before = await snapshot();
    expect(await ravi('', { fileName: 'bills.csv', text: 'customer,phone,invoice,amount\nNew Co,,N-1,100\n' })).toEqual([OWNER_ONLY_REPLY]);
    expect(await snapshot()).toEqual(before);
  });

  it('an agent still reads the waiting list and their own customers', async () => {
    expect((await ravi('reminders'))[0]).toContain('1 reminder(s) waiting for your approval');
    expect((await ravi('list'))[0]).toContain('Ramesh Traders · #R-1');
  });

  it("an agent's waiting list names only their own customers' reminders; the owner's names all", async () => {
    const gupta = await db.prisma.debtor.create({ data: { businessId, name: 'Gupta Stores', nameKey: 'gupta stores' } });
    await db.prisma.outboundMessage.create({
      data: { businessId, debtorId: gupta.id, kind: 'reminder', stage: 'polite', channel: 'console', recipient: `debtor:${gupta.id}`, body: 'Hello Gupta Stores', status: 'awaiting_approval', idempotencyKey: `reminder:${gupta.id}:${TODAY}`, createdAt: NOW, updatedAt: NOW },
    });
    const agents = (await ravi('reminders'))[0]!;
    expect(agents).toContain('1 reminder(s) waiting for your approval:\n1. Ramesh Traders');
    expect(agents).not.toContain('Gupta Stores');
    expect(await chat(db, ['reminders'], clock)).toContain('2 reminder(s) waiting for your approval');
  });
});
