-- The outbox's rate limits, shared by every instance on one PostgreSQL database (Telegram allows
-- about 30 messages a second per bot, however many processes send them): one row per limited key
-- (a channel, or a chat on a channel), in rate-limiter-flexible's RateLimiterPostgres layout.
-- "expire" is a Unix time in milliseconds.
CREATE TABLE "rate_limit" (
    "key" VARCHAR(255) NOT NULL,
    "points" INTEGER NOT NULL DEFAULT 0,
    "expire" BIGINT,
    CONSTRAINT "rate_limit_pkey" PRIMARY KEY ("key")
);
