-- A promise remembers the payment that kept it, so undoing that payment reopens it.
ALTER TABLE "payment_promise" ADD COLUMN "kept_by_payment_id" UUID;
ALTER TABLE "payment_promise" ADD CONSTRAINT "payment_promise_kept_by_payment_id_fkey" FOREIGN KEY ("kept_by_payment_id") REFERENCES "payment"("id") ON DELETE SET NULL ON UPDATE CASCADE;
CREATE INDEX "payment_promise_kept_by_payment_id_idx" ON "payment_promise"("kept_by_payment_id");

-- A message may carry a file (a CSV export): { fileName, mimeType, content }.
ALTER TABLE "outbound_message" ADD COLUMN "attachment" JSONB;

-- What a token is for in words (the invited agent's name).
ALTER TABLE "access_token" ADD COLUMN "label" TEXT;
