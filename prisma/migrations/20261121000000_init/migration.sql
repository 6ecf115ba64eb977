-- Paynudge: the whole data model (see prisma/schema.prisma). Names follow Prisma's conventions.

CREATE TYPE "MemberRole" AS ENUM ('owner', 'agent');
CREATE TYPE "ApprovalMode" AS ENUM ('approve', 'auto');
CREATE TYPE "InvoiceStatus" AS ENUM ('open', 'paid', 'cancelled');
CREATE TYPE "PromiseStatus" AS ENUM ('open', 'kept', 'broken', 'cancelled');
CREATE TYPE "DisputeStatus" AS ENUM ('open', 'resolved');
CREATE TYPE "OutboundStatus" AS ENUM ('awaiting_approval', 'queued', 'sending', 'sent', 'failed', 'skipped', 'cancelled');
CREATE TYPE "ActorType" AS ENUM ('member', 'debtor', 'system');

CREATE TABLE "business" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" TEXT NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "time_zone" TEXT NOT NULL,
    "language" TEXT NOT NULL DEFAULT 'en',
    "country" CHAR(2) NOT NULL DEFAULT 'IN',
    "upi_id" TEXT,
    "payment_details" TEXT,
    "digest_hour" INTEGER NOT NULL DEFAULT 9,
    "quiet_start_hour" INTEGER NOT NULL DEFAULT 21,
    "quiet_end_hour" INTEGER NOT NULL DEFAULT 9,
    "approval_mode" "ApprovalMode" NOT NULL DEFAULT 'approve',
    "ladder" JSONB NOT NULL,
    "default_terms_days" INTEGER NOT NULL DEFAULT 30,
    "send_days" INTEGER[] NOT NULL DEFAULT ARRAY[1, 2, 3, 4, 5, 6, 7]::INTEGER[],
    "thank_you_enabled" BOOLEAN NOT NULL DEFAULT true,
    "ranking_weights" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "business_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "business_digest_hour_check" CHECK ("digest_hour" BETWEEN 0 AND 23),
    CONSTRAINT "business_quiet_hours_check" CHECK ("quiet_start_hour" BETWEEN 0 AND 23 AND "quiet_end_hour" BETWEEN 0 AND 23)
);

CREATE TABLE "member" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "business_id" UUID NOT NULL,
    "role" "MemberRole" NOT NULL,
    "name" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "language" TEXT,
    "digest_hour" INTEGER,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "member_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "member_channel_address_key" ON "member"("channel", "address");
CREATE INDEX "member_business_id_idx" ON "member"("business_id");

CREATE TABLE "debtor" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "business_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "name_key" TEXT NOT NULL,
    "phone" TEXT,
    "language" TEXT,
    "opted_out" BOOLEAN NOT NULL DEFAULT false,
    "opted_out_at" TIMESTAMPTZ(3),
    "paused_until" DATE,
    "paused_indefinitely" BOOLEAN NOT NULL DEFAULT false,
    "pause_reason" TEXT,
    "assigned_agent_id" UUID,
    "notes" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "debtor_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "debtor_business_id_name_key_key" ON "debtor"("business_id", "name_key");
CREATE INDEX "debtor_business_id_phone_idx" ON "debtor"("business_id", "phone");

CREATE TABLE "debtor_identity" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "debtor_id" UUID NOT NULL,
    "channel" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "debtor_identity_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "debtor_identity_debtor_id_channel_key" ON "debtor_identity"("debtor_id", "channel");
CREATE INDEX "debtor_identity_channel_address_idx" ON "debtor_identity"("channel", "address");

CREATE TABLE "invoice" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "business_id" UUID NOT NULL,
    "debtor_id" UUID NOT NULL,
    "number" TEXT NOT NULL,
    "amount_minor" BIGINT NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "issued_on" DATE NOT NULL,
    "due_on" DATE,
    "status" "InvoiceStatus" NOT NULL DEFAULT 'open',
    "paused_until" DATE,
    "paused_indefinitely" BOOLEAN NOT NULL DEFAULT false,
    "pause_reason" TEXT,
    "note" TEXT,
    "closed_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "invoice_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "invoice_amount_minor_check" CHECK ("amount_minor" > 0)
);
CREATE UNIQUE INDEX "invoice_business_id_number_key" ON "invoice"("business_id", "number");
CREATE INDEX "invoice_business_id_status_due_on_idx" ON "invoice"("business_id", "status", "due_on");
CREATE INDEX "invoice_debtor_id_status_idx" ON "invoice"("debtor_id", "status");

CREATE TABLE "payment" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "business_id" UUID NOT NULL,
    "debtor_id" UUID NOT NULL,
    "amount_minor" BIGINT NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "received_on" DATE NOT NULL,
    "method" TEXT,
    "reference" TEXT,
    "source" TEXT NOT NULL,
    "external_id" TEXT,
    "reversed_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "payment_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "payment_amount_minor_check" CHECK ("amount_minor" > 0)
);
CREATE UNIQUE INDEX "payment_business_id_external_id_key" ON "payment"("business_id", "external_id");
CREATE INDEX "payment_debtor_id_received_on_idx" ON "payment"("debtor_id", "received_on");

CREATE TABLE "payment_allocation" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "payment_id" UUID NOT NULL,
    "invoice_id" UUID NOT NULL,
    "amount_minor" BIGINT NOT NULL,
    CONSTRAINT "payment_allocation_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "payment_allocation_amount_minor_check" CHECK ("amount_minor" > 0)
);
CREATE UNIQUE INDEX "payment_allocation_payment_id_invoice_id_key" ON "payment_allocation"("payment_id", "invoice_id");
CREATE INDEX "payment_allocation_invoice_id_idx" ON "payment_allocation"("invoice_id");

CREATE TABLE "payment_promise" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "business_id" UUID NOT NULL,
    "debtor_id" UUID NOT NULL,
    "invoice_id" UUID,
    "amount_minor" BIGINT,
    "promised_on" DATE,
    "status" "PromiseStatus" NOT NULL DEFAULT 'open',
    "source_message_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolved_at" TIMESTAMPTZ(3),
    CONSTRAINT "payment_promise_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "payment_promise_business_id_status_promised_on_idx" ON "payment_promise"("business_id", "status", "promised_on");
CREATE INDEX "payment_promise_debtor_id_status_idx" ON "payment_promise"("debtor_id", "status");

CREATE TABLE "dispute" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "business_id" UUID NOT NULL,
    "debtor_id" UUID NOT NULL,
    "invoice_id" UUID,
    "reason" TEXT NOT NULL,
    "status" "DisputeStatus" NOT NULL DEFAULT 'open',
    "source_message_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolved_at" TIMESTAMPTZ(3),
    CONSTRAINT "dispute_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "dispute_business_id_status_idx" ON "dispute"("business_id", "status");
CREATE INDEX "dispute_invoice_id_status_idx" ON "dispute"("invoice_id", "status");

CREATE TABLE "outbound_message" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "business_id" UUID,
    "kind" TEXT NOT NULL,
    "stage" TEXT,
    "channel" TEXT NOT NULL,
    "recipient" TEXT NOT NULL,
    "debtor_id" UUID,
    "member_id" UUID,
    "invoice_ids" UUID[] NOT NULL DEFAULT ARRAY[]::UUID[],
    "body" TEXT NOT NULL,
    "choices" JSONB,
    "status" "OutboundStatus" NOT NULL DEFAULT 'queued',
    "scheduled_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "idempotency_key" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,
    "provider_message_id" TEXT,
    "sent_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "outbound_message_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "outbound_message_idempotency_key_key" ON "outbound_message"("idempotency_key");
CREATE INDEX "outbound_message_status_scheduled_at_idx" ON "outbound_message"("status", "scheduled_at");
CREATE INDEX "outbound_message_business_id_kind_created_at_idx" ON "outbound_message"("business_id", "kind", "created_at");
CREATE INDEX "outbound_message_debtor_id_created_at_idx" ON "outbound_message"("debtor_id", "created_at");

CREATE TABLE "inbound_message" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "channel" TEXT NOT NULL,
    "provider_message_id" TEXT NOT NULL,
    "sender" TEXT NOT NULL,
    "business_id" UUID,
    "debtor_id" UUID,
    "member_id" UUID,
    "text" TEXT NOT NULL,
    "parsed" JSONB,
    "intent" TEXT,
    "received_at" TIMESTAMPTZ(3) NOT NULL,
    "handled_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "inbound_message_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "inbound_message_channel_provider_message_id_key" ON "inbound_message"("channel", "provider_message_id");
CREATE INDEX "inbound_message_business_id_received_at_idx" ON "inbound_message"("business_id", "received_at");

CREATE TABLE "audit_event" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "business_id" UUID,
    "actor_type" "ActorType" NOT NULL,
    "actor_id" TEXT,
    "action" TEXT NOT NULL,
    "entity_type" TEXT NOT NULL,
    "entity_id" TEXT,
    "data" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "audit_event_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "audit_event_business_id_entity_type_entity_id_idx" ON "audit_event"("business_id", "entity_type", "entity_id");
CREATE INDEX "audit_event_business_id_created_at_idx" ON "audit_event"("business_id", "created_at");

CREATE TABLE "conversation" (
    "channel" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "state" JSONB NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "conversation_pkey" PRIMARY KEY ("channel", "address")
);

CREATE TABLE "access_token" (
    "token" TEXT NOT NULL,
    "business_id" UUID NOT NULL,
    "purpose" TEXT NOT NULL,
    "debtor_id" UUID,
    "created_by" UUID,
    "expires_at" TIMESTAMPTZ(3),
    "used_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "access_token_pkey" PRIMARY KEY ("token")
);
CREATE INDEX "access_token_business_id_purpose_idx" ON "access_token"("business_id", "purpose");

CREATE TABLE "channel_auth_state" (
    "channel" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "value" JSONB NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "channel_auth_state_pkey" PRIMARY KEY ("channel", "key")
);

CREATE TABLE "channel_lease" (
    "name" TEXT NOT NULL,
    "holder" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "channel_lease_pkey" PRIMARY KEY ("name")
);

ALTER TABLE "member" ADD CONSTRAINT "member_business_id_fkey" FOREIGN KEY ("business_id") REFERENCES "business"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "debtor" ADD CONSTRAINT "debtor_business_id_fkey" FOREIGN KEY ("business_id") REFERENCES "business"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "debtor" ADD CONSTRAINT "debtor_assigned_agent_id_fkey" FOREIGN KEY ("assigned_agent_id") REFERENCES "member"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "debtor_identity" ADD CONSTRAINT "debtor_identity_debtor_id_fkey" FOREIGN KEY ("debtor_id") REFERENCES "debtor"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "invoice" ADD CONSTRAINT "invoice_business_id_fkey" FOREIGN KEY ("business_id") REFERENCES "business"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "invoice" ADD CONSTRAINT "invoice_debtor_id_fkey" FOREIGN KEY ("debtor_id") REFERENCES "debtor"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "payment" ADD CONSTRAINT "payment_business_id_fkey" FOREIGN KEY ("business_id") REFERENCES "business"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "payment" ADD CONSTRAINT "payment_debtor_id_fkey" FOREIGN KEY ("debtor_id") REFERENCES "debtor"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "payment_allocation" ADD CONSTRAINT "payment_allocation_payment_id_fkey" FOREIGN KEY ("payment_id") REFERENCES "payment"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "payment_allocation" ADD CONSTRAINT "payment_allocation_invoice_id_fkey" FOREIGN KEY ("invoice_id") REFERENCES "invoice"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "payment_promise" ADD CONSTRAINT "payment_promise_business_id_fkey" FOREIGN KEY ("business_id") REFERENCES "business"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "payment_promise" ADD CONSTRAINT "payment_promise_debtor_id_fkey" FOREIGN KEY ("debtor_id") REFERENCES "debtor"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "payment_promise" ADD CONSTRAINT "payment_promise_invoice_id_fkey" FOREIGN KEY ("invoice_id") REFERENCES "invoice"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "payment_promise" ADD CONSTRAINT "payment_promise_source_message_id_fkey" FOREIGN KEY ("source_message_id") REFERENCES "inbound_message"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "dispute" ADD CONSTRAINT "dispute_business_id_fkey" FOREIGN KEY ("business_id") REFERENCES "business"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "dispute" ADD CONSTRAINT "dispute_debtor_id_fkey" FOREIGN KEY ("debtor_id") REFERENCES "debtor"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "dispute" ADD CONSTRAINT "dispute_invoice_id_fkey" FOREIGN KEY ("invoice_id") REFERENCES "invoice"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "dispute" ADD CONSTRAINT "dispute_source_message_id_fkey" FOREIGN KEY ("source_message_id") REFERENCES "inbound_message"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "outbound_message" ADD CONSTRAINT "outbound_message_business_id_fkey" FOREIGN KEY ("business_id") REFERENCES "business"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "outbound_message" ADD CONSTRAINT "outbound_message_debtor_id_fkey" FOREIGN KEY ("debtor_id") REFERENCES "debtor"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "inbound_message" ADD CONSTRAINT "inbound_message_business_id_fkey" FOREIGN KEY ("business_id") REFERENCES "business"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "inbound_message" ADD CONSTRAINT "inbound_message_debtor_id_fkey" FOREIGN KEY ("debtor_id") REFERENCES "debtor"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "audit_event" ADD CONSTRAINT "audit_event_business_id_fkey" FOREIGN KEY ("business_id") REFERENCES "business"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "access_token" ADD CONSTRAINT "access_token_business_id_fkey" FOREIGN KEY ("business_id") REFERENCES "business"("id") ON DELETE CASCADE ON UPDATE CASCADE;
