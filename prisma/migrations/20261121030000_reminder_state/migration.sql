-- Where each invoice stands on the reminder ladder, so planning is one set-based statement.
ALTER TABLE "invoice" ADD COLUMN "reminder_stage" TEXT;
ALTER TABLE "invoice" ADD COLUMN "reminded_on" DATE;
-- Set when a promise about the invoice is broken: the next reminder goes one stage firmer.
ALTER TABLE "invoice" ADD COLUMN "reminder_bump" BOOLEAN NOT NULL DEFAULT false;

-- A business's own wording for reminder stages: { "<stage>": { "en": "...", "hi": "..." } }.
ALTER TABLE "business" ADD COLUMN "templates" JSONB NOT NULL DEFAULT '{}';

-- The dispatcher's queue: due rows by time, and stale claims to recover.
CREATE INDEX "outbound_message_status_updated_at_idx" ON "outbound_message"("status", "updated_at");
