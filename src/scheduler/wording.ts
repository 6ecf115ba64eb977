// The words of one reminder, the same whether the planner drafts it or the dispatcher words it
// again on the day it leaves (see rewordReminder): the stage's tone on the business's ladder, the
// customer's language (else the business's), and the owner's template for the stage if any.
import type { CalendarDate } from '../engine/calendar.ts';
import type { LadderStep, Stage } from '../engine/ladder.ts';
import { renderReminder, type ReminderBusiness, type ReminderInvoice } from '../engine/reminder-text.ts';
import { toneOf } from '../engine/schedule.ts';
import type { SqlTx } from '../store/sql.ts';

/** The business columns a reminder's words need, as the raw driver reads them. */
export interface WordingBusinessRow {
  name: string;
  currency: string;
  country: string;
  language: string;
  upi_id: string | null;
  payment_details: string | null;
  ladder: LadderStep[];
  templates: Record<string, Record<string, string> | undefined>;
}

export function wordingBusinessOf(row: WordingBusinessRow): WordingBusiness {
  return {
    ladder: row.ladder,
    language: row.language,
    templates: row.templates,
    reminderBusiness: { name: row.name, currency: row.currency, country: row.country, upiId: row.upi_id, paymentDetails: row.payment_details },
  };
}

export interface WordingBusiness {
  ladder: LadderStep[];
  language: string;
  templates: Record<string, Record<string, string> | undefined>;
  reminderBusiness: ReminderBusiness;
}

export function wordReminder(input: {
  business: WordingBusiness;
  debtor: { name: string; language: string | null };
  stage: Stage;
  invoices: readonly ReminderInvoice[];
  today: CalendarDate;
}): string {
  const { business, stage } = input;
  const language = (input.debtor.language ?? business.language) === 'hi' ? 'hi' : 'en';
  return renderReminder({
    stage,
    tone: toneOf(business.ladder, stage),
    language,
    business: business.reminderBusiness,
    debtorName: input.debtor.name,
    invoices: input.invoices,
    today: input.today,
    custom: business.templates[stage]?.[language] ?? null,
  }).text;
}

/** Why a reminder written earlier was not sent: everything it listed was settled, paused or disputed since. */
export const NOTHING_LEFT_TO_REMIND = 'nothing left to remind: its invoices were paid, paused or disputed since it was written';

/**
 * Words a reminder again for the business-local day of `now`: the invoices it listed that are
 * still open, unpaid, not paused and not disputed, with their balances and day counts as of
 * today. Only a row still in `status` (and, for a claimed row, still at `attempts`) is touched.
 * Returns the new text, 'nothing_left' (the row is then skipped) or null when the row is no
 * longer there to word.
 */
export async function rewordReminder(
  tx: SqlTx,
  input: { id: string; now: Date; status: 'sending' | 'awaiting_approval'; attempts?: number },
): Promise<{ body: string; invoiceIds: string[] } | 'nothing_left' | null> {
  const attempts = input.attempts ?? null;
  const [row] = await tx.query<WordingBusinessRow & { stage: Stage; invoice_ids: string[]; today: string; debtor_name: string; debtor_language: string | null }>(
    `SELECT o.stage, o.invoice_ids::text[] AS invoice_ids, (($3::timestamptz AT TIME ZONE b.time_zone)::date)::text AS today,
            d.name AS debtor_name, d.language AS debtor_language,
            b.name, b.currency, b.country, b.language, b.upi_id, b.payment_details, b.ladder, b.templates
       FROM outbound_message o
       JOIN business b ON b.id = o.business_id
       JOIN debtor d ON d.id = o.debtor_id
      WHERE o.id = $1::uuid AND o.kind = 'reminder' AND o.status = $2::"OutboundStatus" AND o.stage IS NOT NULL
        AND ($4::int IS NULL OR o.attempts = $4::int)
      FOR UPDATE OF o`,
    [input.id, input.status, input.now, attempts],
  );
  if (!row) return null;
  const invoices = await tx.query<{ id: string; number: string; balance: string; due_on: string }>(
    `SELECT i.id::text, i.number, (i.amount_minor - i.paid_minor)::text AS balance,
            (COALESCE(i.due_on, i.issued_on + b.default_terms_days))::text AS due_on
       FROM invoice i JOIN business b ON b.id = i.business_id
      WHERE i.id = ANY($1::uuid[]) AND i.status = 'open' AND i.amount_minor > i.paid_minor
        AND NOT i.paused_indefinitely AND (i.paused_until IS NULL OR i.paused_until < $2::date)
        AND NOT EXISTS (SELECT 1 FROM dispute x WHERE x.invoice_id = i.id AND x.status = 'open')`,
    [row.invoice_ids, row.today],
  );
  const fence = 'AND ($4::int IS NULL OR attempts = $4::int)';
  if (invoices.length === 0) {
    await tx.query(
      `UPDATE outbound_message SET status = 'skipped', last_error = $3, updated_at = $5 WHERE id = $1::uuid AND status = $2::"OutboundStatus" ${fence}`,
      [input.id, input.status, NOTHING_LEFT_TO_REMIND, attempts, input.now],
    );
    return 'nothing_left';
  }
  const body = wordReminder({
    business: wordingBusinessOf(row),
    debtor: { name: row.debtor_name, language: row.debtor_language },
    stage: row.stage,
    invoices: invoices.map((i) => ({ number: i.number, balanceMinor: Number(i.balance), dueOn: i.due_on })),
    today: row.today,
  });
  const invoiceIds = invoices.map((i) => i.id);
  await tx.query(
    `UPDATE outbound_message SET body = $3, invoice_ids = $5::uuid[], worded_on = $6::date, updated_at = $7
      WHERE id = $1::uuid AND status = $2::"OutboundStatus" ${fence}`,
    [input.id, input.status, body, attempts, invoiceIds, row.today, input.now],
  );
  return { body, invoiceIds };
}
