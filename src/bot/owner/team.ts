// The team: the owner invites agents with a one-time code, assigns debtors to them, removes them.
import { randomInt } from 'node:crypto';
import type { OwnerCommand } from '../../engine/owner-command.ts';
import { recordAudit } from '../../store/audit.ts';
import { resolveDebtor, type OwnerContext, type Reply } from './context.ts';

const INVITE_DAYS = 7;
// No 0/O, 1/I/L: codes are read aloud and typed on phones.
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

/** An unguessable 8-character code (31^8 ≈ 8.5e11), shown as XXXX-XXXX. */
export function newInviteCode(): string {
  const chars = Array.from({ length: 8 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]!);
  return `${chars.slice(0, 4).join('')}-${chars.slice(4).join('')}`;
}

export async function inviteAgent(ctx: OwnerContext, name: string): Promise<Reply[]> {
  const { m } = ctx;
  const code = newInviteCode();
  const expiresAt = new Date(ctx.now.getTime() + INVITE_DAYS * 86_400_000);
  await ctx.tx.accessToken.create({ data: { token: code, businessId: ctx.business.id, purpose: 'agent_invite', label: name, createdBy: ctx.member.id, expiresAt, createdAt: ctx.now } });
  await recordAudit(ctx.tx, { businessId: ctx.business.id, actor: ctx.actor(), action: 'agent.invited', entityType: 'member', data: { name }, now: ctx.now });
  return [ctx.reply(m.inviteCreated({ name, code, days: INVITE_DAYS }))];
}

/** The join step, run for a chat the bot does not know yet: "join ABCD-EFGH". */
export async function redeemInvite(
  ctx: { tx: OwnerContext['tx']; now: Date; channel: string; address: string; senderName?: string | undefined },
  code: string,
): Promise<{ ok: true; businessName: string; businessId: string; memberId: string; ownerIds: string[]; agentName: string } | { ok: false }> {
  const normalised = code.toUpperCase().replace(/[^A-Z0-9]/g, '').replace(/^(.{4})(.{4})$/, '$1-$2');
  // Claim the token atomically: a code works once, even if two chats send it at the same moment.
  const { count } = await ctx.tx.accessToken.updateMany({
    where: { token: normalised, purpose: 'agent_invite', usedAt: null, expiresAt: { gt: ctx.now } },
    data: { usedAt: ctx.now },
  });
  if (count !== 1) return { ok: false };
  const token = await ctx.tx.accessToken.findUniqueOrThrow({ where: { token: normalised }, include: { business: true } });
  const agentName = token.label ?? ctx.senderName ?? 'Agent';
  const member = await ctx.tx.member.upsert({
    where: { channel_address: { channel: ctx.channel, address: ctx.address } },
    create: { businessId: token.businessId, role: 'agent', name: agentName, channel: ctx.channel, address: ctx.address, createdAt: ctx.now },
    update: { businessId: token.businessId, role: 'agent', name: agentName, active: true },
  });
  await recordAudit(ctx.tx, { businessId: token.businessId, actor: { type: 'member', id: member.id }, action: 'agent.joined', entityType: 'member', entityId: member.id, data: { name: agentName }, now: ctx.now });
  const owners = await ctx.tx.member.findMany({ where: { businessId: token.businessId, role: 'owner', active: true }, select: { id: true } });
  return { ok: true, businessName: token.business.name, businessId: token.businessId, memberId: member.id, ownerIds: owners.map((o) => o.id), agentName };
}

async function findAgent(ctx: OwnerContext, name: string) {
  const agents = await ctx.tx.member.findMany({ where: { businessId: ctx.business.id, role: 'agent', active: true } });
  const key = name.toLowerCase().trim();
  return agents.find((a) => a.name.toLowerCase() === key) ?? (agents.filter((a) => a.name.toLowerCase().includes(key)).length === 1 ? agents.find((a) => a.name.toLowerCase().includes(key)) : undefined);
}

export async function assignDebtor(ctx: OwnerContext, command: Extract<OwnerCommand, { kind: 'assign' }>): Promise<Reply[]> {
  const { m } = ctx;
  const agent = await findAgent(ctx, command.agentName);
  if (!agent) return [ctx.reply(m.noSuchAgent({ name: command.agentName }))];
  const found = await resolveDebtor(ctx, command.debtorName, command);
  if ('replies' in found) return found.replies;
  if ('none' in found) return [ctx.reply(m.noSuchCustomer({ name: command.debtorName }))];
  await ctx.tx.debtor.update({ where: { id: found.debtor.id }, data: { assignedAgentId: agent.id, updatedAt: ctx.now } });
  await recordAudit(ctx.tx, { businessId: ctx.business.id, actor: ctx.actor(), action: 'debtor.assigned', entityType: 'debtor', entityId: found.debtor.id, data: { agentId: agent.id, agent: agent.name }, now: ctx.now });
  return [ctx.reply(m.assigned({ debtor: found.debtor.name, agent: agent.name }))];
}

export async function unassignDebtor(ctx: OwnerContext, command: Extract<OwnerCommand, { kind: 'unassign' }>): Promise<Reply[]> {
  const { m } = ctx;
  const found = await resolveDebtor(ctx, command.debtorName, command);
  if ('replies' in found) return found.replies;
  if ('none' in found) return [ctx.reply(m.noSuchCustomer({ name: command.debtorName }))];
  await ctx.tx.debtor.update({ where: { id: found.debtor.id }, data: { assignedAgentId: null, updatedAt: ctx.now } });
  await recordAudit(ctx.tx, { businessId: ctx.business.id, actor: ctx.actor(), action: 'debtor.unassigned', entityType: 'debtor', entityId: found.debtor.id, now: ctx.now });
  return [ctx.reply(m.unassigned({ debtor: found.debtor.name }))];
}

export async function askRemoveAgent(ctx: OwnerContext, name: string): Promise<Reply[]> {
  const { m } = ctx;
  const agent = await findAgent(ctx, name);
  if (!agent) return [ctx.reply(m.noSuchAgent({ name }))];
  await ctx.setState({ flow: 'confirm', action: { kind: 'remove_agent', memberId: agent.id } });
  return [ctx.reply(m.confirmRemoveAgent({ name: agent.name }), ctx.yesNo(m.choiceRemove()))];
}

export async function removeAgent(ctx: OwnerContext, memberId: string): Promise<Reply[]> {
  const agent = await ctx.tx.member.findFirst({ where: { id: memberId, businessId: ctx.business.id, role: 'agent' } });
  if (!agent) return [ctx.reply(ctx.m.somethingWentWrong())];
  await ctx.tx.member.update({ where: { id: agent.id }, data: { active: false } });
  const { count } = await ctx.tx.debtor.updateMany({ where: { assignedAgentId: agent.id }, data: { assignedAgentId: null, updatedAt: ctx.now } });
  await recordAudit(ctx.tx, { businessId: ctx.business.id, actor: ctx.actor(), action: 'agent.removed', entityType: 'member', entityId: agent.id, data: { unassigned: count }, now: ctx.now });
  return [ctx.reply(ctx.m.agentRemoved({ name: agent.name, count }))];
}

export async function describeTeam(ctx: OwnerContext): Promise<Reply[]> {
  const members = await ctx.tx.member.findMany({
    where: { businessId: ctx.business.id, active: true },
    orderBy: [{ role: 'asc' }, { createdAt: 'asc' }],
    include: { _count: { select: { assignedDebtors: true } } },
  });
  const lines = members.map((mem) => (mem.role === 'owner' ? ctx.m.teamOwner({ name: mem.name }) : ctx.m.teamAgent({ name: mem.name, count: mem._count.assignedDebtors })));
  return [ctx.reply([ctx.m.teamHeader(), ...lines, ...(ctx.isOwner ? [ctx.m.teamHint()] : [])].join('\n'))];
}
