-- Updates a channel took from its provider before it finished handling them. Long polling
-- confirms an update to Telegram by asking for the next ones, and a webhook answers a slow update
-- before it is handled; from then on Telegram will not send it again. So such an update is kept
-- here until it is handled, and a process that starts (or a sweep on any instance) handles again
-- what a dead one left unfinished. Handling is idempotent by update id (inbound_message).
CREATE TABLE "pending_update" (
    "key" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "replay_after" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "pending_update_pkey" PRIMARY KEY ("key")
);
CREATE INDEX "pending_update_channel_replay_after_idx" ON "pending_update"("channel", "replay_after");
