// Pausing reminders for a debtor or one invoice, until a date or until resumed, with the reason.
import type { CalendarDate } from '../../engine/calendar.ts';
import type { OwnerCommand, PauseTarget } from '../../engine/owner-command.ts';
import { recordAudit } from '../../store/audit.ts';
import { findInvoiceByNumber } from '../../store/invoices.ts';
import { toDbDate } from '../../store/types.ts';
import { resolveDebtor, type OwnerContext, type Reply } from './context.ts';

type Target = { type: 'invoice'; id: string; label: string } | { type: 'debtor'; id: string; label: string };

async function findTarget(ctx: OwnerContext, target: PauseTarget, command: OwnerCommand): Promise<Target | { replies: Reply[] }> {
  if ('invoiceNumber' in target) {
    const invoice = await findInvoiceByNumber(ctx.tx, ctx.business.id, target.invoiceNumber, ctx.agentId);
    if (!invoice) return { replies: [ctx.reply(ctx.m.invoiceNotFound({ number: target.invoiceNumber }))] };
    return { type: 'invoice', id: invoice.id, label: `#${invoice.number}` };
  }
  // "stop reminders for A-102": a bare invoice number works too.
  const looksLikeNumber = /^[A-Za-z]*[-/]?\d[\w\-/]*$/.test(target.debtorName);
  const asInvoice = looksLikeNumber ? await findInvoiceByNumber(ctx.tx, ctx.business.id, target.debtorName, ctx.agentId) : null;
  if (asInvoice) return { type: 'invoice', id: asInvoice.id, label: `#${asInvoice.number}` };
  const found = await resolveDebtor(ctx, target.debtorName, command);
  if ('replies' in found) return found;
  if ('none' in found) {
    return { replies: [ctx.reply(looksLikeNumber ? ctx.m.invoiceNotFound({ number: target.debtorName }) : ctx.m.noSuchCustomer({ name: target.debtorName }))] };
  }
  return { type: 'debtor', id: found.debtor.id, label: found.debtor.name };
}

export async function pauseReminders(ctx: OwnerContext, command: Extract<OwnerCommand, { kind: 'pause' }>): Promise<Reply[]> {
  const target = await findTarget(ctx, command.target, command);
  if ('replies' in target) return target.replies;
  await applyPause(ctx, target, command.until, command.reason);
  const { m } = ctx;
  const reason = command.reason ? m.pauseReason({ reason: command.reason }) : '';
  return [ctx.reply((command.until ? m.pausedUntil({ target: target.label, date: ctx.day(command.until) }) : m.pausedIndefinitely({ target: target.label })) + reason)];
}

async function applyPause(ctx: OwnerContext, target: Target, until: CalendarDate | null, reason: string | null): Promise<void> {
  const data = { pausedUntil: until ? toDbDate(until) : null, pausedIndefinitely: until === null, pauseReason: reason, updatedAt: ctx.now };
  if (target.type === 'invoice') await ctx.tx.invoice.update({ where: { id: target.id }, data });
  else await ctx.tx.debtor.update({ where: { id: target.id }, data });
  await recordAudit(ctx.tx, {
    businessId: ctx.business.id,
    actor: ctx.actor(),
    action: 'reminders.paused',
    entityType: target.type,
    entityId: target.id,
    data: { until, reason },
    now: ctx.now,
  });
}

export async function resumeReminders(ctx: OwnerContext, command: Extract<OwnerCommand, { kind: 'resume' }>): Promise<Reply[]> {
  const target = await findTarget(ctx, command.target, command);
  if ('replies' in target) return target.replies;
  const data = { pausedUntil: null, pausedIndefinitely: false, pauseReason: null, updatedAt: ctx.now };
  if (target.type === 'invoice') await ctx.tx.invoice.update({ where: { id: target.id }, data });
  else await ctx.tx.debtor.update({ where: { id: target.id }, data });
  await recordAudit(ctx.tx, { businessId: ctx.business.id, actor: ctx.actor(), action: 'reminders.resumed', entityType: target.type, entityId: target.id, now: ctx.now });
  return [ctx.reply(ctx.m.resumed({ target: target.label }))];
}
