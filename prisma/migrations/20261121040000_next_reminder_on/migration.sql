-- The day an invoice's next reminder stage falls due, so each day's planning reads only the
-- invoices with something due instead of every open invoice. A trigger keeps it from the
-- business's ladder and terms and the invoice's stage: on insert, when the due date, issue date
-- or stage changes, and when a broken promise bumps the invoice (then it is due at once).
-- NULL means no stage is left.
ALTER TABLE "invoice" ADD COLUMN "next_reminder_on" DATE;

CREATE FUNCTION "paynudge_invoice_next_reminder"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  stages text[] := ARRAY['heads_up', 'due_today', 'polite', 'firm', 'firmer', 'final'];
  terms int;
  ladder jsonb;
  next_offset int;
BEGIN
  IF NEW."reminder_bump" THEN
    NEW."next_reminder_on" := DATE '2000-01-01';
    RETURN NEW;
  END IF;
  SELECT b."default_terms_days", b."ladder" INTO terms, ladder FROM "business" b WHERE b."id" = NEW."business_id";
  SELECT MIN((e->>'offsetDays')::int) INTO next_offset
    FROM jsonb_array_elements(ladder) e
   WHERE COALESCE(array_position(stages, e->>'stage'), 0) > COALESCE(array_position(stages, NEW."reminder_stage"), 0);
  NEW."next_reminder_on" := COALESCE(NEW."due_on", NEW."issued_on" + terms) + next_offset;
  RETURN NEW;
END $$;

CREATE TRIGGER "invoice_next_reminder"
  BEFORE INSERT OR UPDATE OF "due_on", "issued_on", "reminder_stage", "reminder_bump" ON "invoice"
  FOR EACH ROW EXECUTE FUNCTION "paynudge_invoice_next_reminder"();

UPDATE "invoice" SET "reminder_stage" = "reminder_stage";

CREATE INDEX "invoice_business_id_next_reminder_on_idx" ON "invoice"("business_id", "next_reminder_on") WHERE "status" = 'open';
