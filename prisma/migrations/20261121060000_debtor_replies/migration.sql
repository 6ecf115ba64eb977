-- Debtors' replies. A promise made without a date ("will pay soon") still holds reminders for a
-- few days: it gets a date the bot chose, and date_given says the debtor did not name it.
ALTER TABLE "payment_promise" ADD COLUMN "date_given" BOOLEAN NOT NULL DEFAULT true;

-- "Paid already": the debtor's word, waiting for the owner to confirm it (then it becomes a
-- payment) or reject it. Numbered per business so the owner can answer "confirm 3".
CREATE TYPE "ClaimStatus" AS ENUM ('open', 'confirmed', 'rejected');

CREATE TABLE "payment_claim" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "business_id" UUID NOT NULL,
    "debtor_id" UUID NOT NULL,
    "number" INTEGER NOT NULL,
    "amount_minor" BIGINT,
    "status" "ClaimStatus" NOT NULL DEFAULT 'open',
    "source_message_id" UUID,
    "payment_id" UUID,
    "resolved_by" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolved_at" TIMESTAMPTZ(3),
    CONSTRAINT "payment_claim_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "payment_claim_business_id_number_key" ON "payment_claim"("business_id", "number");
CREATE INDEX "payment_claim_debtor_id_status_idx" ON "payment_claim"("debtor_id", "status");
ALTER TABLE "payment_claim" ADD CONSTRAINT "payment_claim_business_id_fkey" FOREIGN KEY ("business_id") REFERENCES "business"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "payment_claim" ADD CONSTRAINT "payment_claim_debtor_id_fkey" FOREIGN KEY ("debtor_id") REFERENCES "debtor"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "payment_claim" ADD CONSTRAINT "payment_claim_source_message_id_fkey" FOREIGN KEY ("source_message_id") REFERENCES "inbound_message"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "payment_claim" ADD CONSTRAINT "payment_claim_payment_id_fkey" FOREIGN KEY ("payment_id") REFERENCES "payment"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- The follow-up list finds debtors who asked for a call or more time by their recent replies.
CREATE INDEX "inbound_message_debtor_id_intent_received_at_idx" ON "inbound_message"("debtor_id", "intent", "received_at");
