// Bulk import (a CSV file, or lines pasted after "import") and CSV export of open invoices or a
// customer's statement. Good rows are saved, bad rows reported by line; sending a file twice
// changes nothing. Customers holding credit have it applied to their new invoices at once.
import { describeColumns, describeImportProblem, parseInvoiceRows, type PastedLayout } from '../../engine/invoice-import.ts';
import { debtorStatementCsv, openInvoicesCsv } from '../../engine/invoice-export.ts';
import type { OwnerCommand } from '../../engine/owner-command.ts';
import { importInvoices } from '../../store/invoice-import.ts';
import { loadDebtorStatement, loadOpenInvoicesForExport } from '../../store/invoice-export.ts';
import { applyDebtorCredit, debtorsWithCredit } from '../../store/payments.ts';
import { resolveDebtor, type OwnerContext, type Reply } from './context.ts';
import { creditSpentText, creditThanks, thankYou } from './payments.ts';

const SHOWN_PROBLEMS = 10;

export async function importCsv(ctx: OwnerContext, text: string, _fileName: string | null): Promise<Reply[]> {
  const { m, business } = ctx;
  await ctx.clearState();
  const parsed = parseInvoiceRows(text, { currency: business.currency, country: business.country, today: ctx.today });
  if (parsed.rows.length === 0 && parsed.problems.length === 0) return [ctx.reply(m.importNothing())];
  const saved = await importInvoices(ctx.tx, { businessId: business.id, currency: business.currency, actorMemberId: ctx.member.id, rows: parsed.rows, now: ctx.now });
  const issues = [
    ...saved.conflicts.map((c) => ({ line: c.line, text: m.importConflict({ line: c.line, number: c.number, reason: c.reason === 'different_amount' ? m.differentAmount() : m.differentDebtor() }) })),
    ...parsed.problems.map((p) => ({ line: p.line, text: m.importProblemLine({ line: p.line, problem: describeImportProblem(p.reason, ctx.language) }) })),
  ].sort((a, b) => a.line - b.line);
  const credit = await applyImportedCredit(ctx, saved.createdDebtorIds);
  const fileName = `import-problems-${ctx.today}.csv`;
  const lines = [
    m.importSummary({ created: saved.created, already: saved.alreadyPresent.length, bad: parsed.problems.length, conflicts: saved.conflicts.length, debtors: saved.debtorsCreated }),
    ...columnsNote(ctx, parsed.layout),
    ...saved.sharedPhones.slice(0, SHOWN_PROBLEMS).map((p) => m.importPhoneShared(p)),
    ...credit.lines.slice(0, SHOWN_PROBLEMS),
    ...(credit.lines.length > SHOWN_PROBLEMS ? [m.creditImportMore({ count: credit.lines.length - SHOWN_PROBLEMS })] : []),
    ...issues.slice(0, SHOWN_PROBLEMS).map((i) => i.text),
    ...(issues.length > SHOWN_PROBLEMS ? [m.importMoreProblems({ count: issues.length - SHOWN_PROBLEMS, fileName })] : []),
  ];
  const reply = ctx.reply(lines.join('\n'));
  // The chat keeps a short list; every problem goes in a file, as exports do (the console prints it).
  if (issues.length > SHOWN_PROBLEMS) {
    const quote = (text: string) => `"${text.replace(/^[•\s]+/, '').replace(/"/g, '""')}"`;
    reply.attachment = { fileName, mimeType: 'text/csv', content: [m.importReportHeader(), ...issues.map((i) => `${i.line},${quote(i.text)}`)].join('\n') + '\n' };
  }
  return [reply, ...credit.thanks];
}

/** Applies the credit of the customers the import gave new invoices: a line each for the owner, thank-yous for what it paid in full. */
async function applyImportedCredit(ctx: OwnerContext, debtorIds: string[]): Promise<{ lines: string[]; thanks: Reply[] }> {
  const { m, business } = ctx;
  const lines: string[] = [];
  const thanks: Reply[] = [];
  for (const debtor of await debtorsWithCredit(ctx.tx, debtorIds)) {
    const credit = await applyDebtorCredit(ctx.tx, { businessId: business.id, debtorId: debtor.id, termsDays: business.defaultTermsDays, actor: ctx.actor(), now: ctx.now });
    if (credit.invoices.length === 0) continue;
    const invoices = credit.invoices.map((c) =>
      m.creditImportInvoice({ number: c.invoice.number, left: c.closed ? null : ctx.money(c.invoice.balanceMinor - c.amountMinor) }),
    );
    lines.push(m.creditImportLine({ debtor: debtor.name, spent: creditSpentText(ctx, credit), invoices: invoices.join(', ') }));
    const paid = creditThanks(credit);
    thanks.push(...(await thankYou(ctx, debtor, paid.closed, paid)));
  }
  return { lines, thanks };
}

/**
 * Which column of header-less lines was read as which, when the owner may need to know: the order
 * was detected from what the columns hold, or the fixed order left a cell that looks like another
 * column's.
 */
function columnsNote(ctx: OwnerContext, layout: PastedLayout | undefined): string[] {
  if (layout?.source === 'detected') return [ctx.m.importColumnsDetected({ columns: describeColumns(layout.columns, ctx.language) })];
  if (layout?.source === 'pasted' && layout.misread) return [ctx.m.importColumnsRead({ columns: describeColumns(layout.columns, ctx.language) })];
  return [];
}

export async function finishImport(ctx: OwnerContext, lines: string[]): Promise<Reply[]> {
  return importCsv(ctx, lines.join('\n'), null);
}

export async function exportCsv(ctx: OwnerContext, debtorName: string | null, command: OwnerCommand): Promise<Reply[]> {
  const { m, business } = ctx;
  const options = { currency: business.currency, locale: ctx.locale };
  if (!debtorName) {
    const lines = await loadOpenInvoicesForExport(ctx.tx, business.id, { termsDays: business.defaultTermsDays, agentId: ctx.agentId });
    const fileName = `open-invoices-${ctx.today}.csv`;
    const reply = ctx.reply(m.exportReady({ count: lines.length, fileName }));
    reply.attachment = { fileName, mimeType: 'text/csv', content: openInvoicesCsv(lines, { ...options, today: ctx.today }) };
    return [reply];
  }
  const found = await resolveDebtor(ctx, debtorName, command);
  if ('replies' in found) return found.replies;
  if ('none' in found) return [ctx.reply(m.noSuchCustomer({ name: debtorName }))];
  const statement = await loadDebtorStatement(ctx.tx, business.id, found.debtor.id);
  if (!statement) return [ctx.reply(m.noSuchCustomer({ name: debtorName }))];
  const fileName = `statement-${found.debtor.name.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '-')}-${ctx.today}.csv`;
  const reply = ctx.reply(m.statementExportReady({ name: found.debtor.name, fileName }));
  reply.attachment = { fileName, mimeType: 'text/csv', content: debtorStatementCsv(statement, options) };
  return [reply];
}
