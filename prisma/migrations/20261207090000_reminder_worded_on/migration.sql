-- The business-local day a reminder's text was worded for. A reminder sent on a later day
-- (approved late, snoozed, held by quiet hours or send days) is worded again before it goes, so
-- its dates and day counts are true when it is read. NULL: the owner's own words ("edit"), sent
-- as written; and every row that is not a reminder.
ALTER TABLE "outbound_message" ADD COLUMN "worded_on" DATE;

-- Reminders already planned were worded on the day in their key (reminder:<debtor>:<YYYY-MM-DD>).
UPDATE "outbound_message" SET "worded_on" = substring("idempotency_key" from '(\d{4}-\d{2}-\d{2})$')::date
 WHERE "kind" = 'reminder' AND "idempotency_key" ~ '^reminder:[^:]+:\d{4}-\d{2}-\d{2}$';
