-- Planning moves thousands of invoices up the ladder a day. Make each of those updates cheap:
--
-- 1. Heap-only (HOT) updates: an update that changes no indexed column and finds room on its page
--    writes no index entries. The index on next_reminder_on made every stage change rewrite all
--    five of the invoice's indexes (about 8 times the cost); planning all businesses reads the
--    table sequentially anyway, so the index goes, and pages keep room for the new row versions.
DROP INDEX "invoice_business_id_next_reminder_on_idx";
ALTER TABLE "invoice" SET (fillfactor = 85);

-- 2. The planner sets next_reminder_on itself, from the same ladder in the same statement, so the
--    trigger need not derive it again row by row. The trigger still runs on every insert and on
--    every update that changes the due date, issue date, stage or bump without also changing
--    next_reminder_on (editing an invoice, a broken promise, a ladder change): an update that sets
--    next_reminder_on to a new value is trusted to have derived it.
DROP TRIGGER "invoice_next_reminder" ON "invoice";
CREATE TRIGGER "invoice_next_reminder_insert"
  BEFORE INSERT ON "invoice"
  FOR EACH ROW EXECUTE FUNCTION "paynudge_invoice_next_reminder"();
CREATE TRIGGER "invoice_next_reminder_update"
  BEFORE UPDATE OF "due_on", "issued_on", "reminder_stage", "reminder_bump" ON "invoice"
  FOR EACH ROW WHEN (NEW."next_reminder_on" IS NOT DISTINCT FROM OLD."next_reminder_on")
  EXECUTE FUNCTION "paynudge_invoice_next_reminder"();

-- 3. The outbox's status indexes hold only the rows their queries look for: queued rows by due
--    time (the dispatcher's claims, oldest first) and rows being sent by last update (stale claims
--    to recover). Rows awaiting approval, sent, failed or skipped, nearly all of them over time,
--    are in neither: queuing a day's reminders writes fewer index entries, and the indexes stay
--    small however long the outbox grows.
DROP INDEX "outbound_message_status_scheduled_at_idx";
DROP INDEX "outbound_message_status_updated_at_idx";
CREATE INDEX "outbound_message_queued_scheduled_at_idx" ON "outbound_message"("scheduled_at", "created_at") WHERE "status" = 'queued';
CREATE INDEX "outbound_message_sending_updated_at_idx" ON "outbound_message"("updated_at") WHERE "status" = 'sending';
