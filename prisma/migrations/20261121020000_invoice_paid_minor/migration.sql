-- What has been paid on each invoice, kept by triggers so every hot read (lists, follow-ups,
-- summaries, planning) is a plain scan of invoice instead of an aggregate over all allocations.
-- It always equals the sum of the invoice's allocations from payments that are not reversed,
-- whoever writes them; test/store/paid-minor.test.ts holds the invariant.
ALTER TABLE "invoice" ADD COLUMN "paid_minor" BIGINT NOT NULL DEFAULT 0;

UPDATE "invoice" i SET "paid_minor" = s.paid
  FROM (SELECT a.invoice_id, SUM(a.amount_minor) AS paid
          FROM "payment_allocation" a JOIN "payment" p ON p.id = a.payment_id AND p.reversed_at IS NULL
         GROUP BY a.invoice_id) s
 WHERE s.invoice_id = i.id;

ALTER TABLE "invoice" ADD CONSTRAINT "invoice_paid_minor_check" CHECK ("paid_minor" >= 0);

CREATE FUNCTION "paynudge_allocation_paid"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    -- A reversed payment's allocations were already taken off. (A payment deleted in a cascade is
    -- gone by now; reversed_payment_delete compensates for reversed ones.)
    UPDATE "invoice" SET "paid_minor" = "paid_minor" - OLD."amount_minor"
     WHERE "id" = OLD."invoice_id"
       AND NOT EXISTS (SELECT 1 FROM "payment" WHERE "id" = OLD."payment_id" AND "reversed_at" IS NOT NULL);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    UPDATE "invoice" SET "paid_minor" = "paid_minor" + NEW."amount_minor"
     WHERE "id" = NEW."invoice_id"
       AND EXISTS (SELECT 1 FROM "payment" WHERE "id" = NEW."payment_id" AND "reversed_at" IS NULL);
    RETURN NEW;
  END IF;
  RETURN OLD;
END $$;

CREATE TRIGGER "payment_allocation_paid"
  AFTER INSERT OR UPDATE OR DELETE ON "payment_allocation"
  FOR EACH ROW EXECUTE FUNCTION "paynudge_allocation_paid"();

CREATE FUNCTION "paynudge_payment_reversal"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (OLD."reversed_at" IS NULL) <> (NEW."reversed_at" IS NULL) THEN
    UPDATE "invoice" i
       SET "paid_minor" = i."paid_minor" + CASE WHEN NEW."reversed_at" IS NULL THEN a."amount_minor" ELSE -a."amount_minor" END
      FROM "payment_allocation" a
     WHERE a."payment_id" = NEW."id" AND a."invoice_id" = i."id";
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER "payment_reversal"
  AFTER UPDATE OF "reversed_at" ON "payment"
  FOR EACH ROW EXECUTE FUNCTION "paynudge_payment_reversal"();

-- Deleting a reversed payment cascades to its allocations, whose trigger can no longer see the
-- payment was reversed and takes them off again: put them back first, so the two cancel out.
CREATE FUNCTION "paynudge_reversed_payment_delete"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD."reversed_at" IS NOT NULL THEN
    UPDATE "invoice" i SET "paid_minor" = i."paid_minor" + a."amount_minor"
      FROM "payment_allocation" a
     WHERE a."payment_id" = OLD."id" AND a."invoice_id" = i."id";
  END IF;
  RETURN OLD;
END $$;

CREATE TRIGGER "reversed_payment_delete"
  BEFORE DELETE ON "payment"
  FOR EACH ROW EXECUTE FUNCTION "paynudge_reversed_payment_delete"();

-- Payments by day, for "received this month" and the month's opening balance.
CREATE INDEX "payment_business_id_received_on_idx" ON "payment"("business_id", "received_on");
-- Recent contact per debtor, for the follow-up ranking.
CREATE INDEX "inbound_message_business_id_debtor_id_received_at_idx" ON "inbound_message"("business_id", "debtor_id", "received_at");

-- Audit rows in the order they were written (several share a timestamp within one transaction).
ALTER TABLE "audit_event" ADD COLUMN "seq" BIGSERIAL NOT NULL;
CREATE INDEX "audit_event_business_id_seq_idx" ON "audit_event"("business_id", "seq");
