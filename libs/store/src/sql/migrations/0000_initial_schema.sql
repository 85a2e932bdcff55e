CREATE TYPE "public"."sitter_status" AS ENUM('pending', 'active', 'inactive');--> statement-breakpoint
CREATE TYPE "public"."client_source" AS ENUM('sync', 'first_contact');--> statement-breakpoint
CREATE TYPE "public"."number_lifecycle" AS ENUM('pool', 'reserved', 'standby');--> statement-breakpoint
CREATE TYPE "public"."number_status" AS ENUM('pending', 'ready', 'failed', 'released');--> statement-breakpoint
CREATE TYPE "public"."session_status" AS ENUM('active', 'closed');--> statement-breakpoint
CREATE TYPE "public"."message_direction" AS ENUM('client_to_sitter', 'sitter_to_client', 'system_notice', 'alert');--> statement-breakpoint
CREATE TYPE "public"."audit_severity" AS ENUM('info', 'warning', 'error');--> statement-breakpoint
CREATE TABLE "sitters" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"phone" text NOT NULL,
	"email" text,
	"status" "sitter_status" DEFAULT 'pending' NOT NULL,
	"reserved_number" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "clients" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text,
	"first_name" text,
	"last_name" text,
	"phone" text NOT NULL,
	"time_to_pet_id" text,
	"email" text,
	"address" text,
	"sitter_id" uuid,
	"last_active_at" timestamp with time zone,
	"source" "client_source" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "number_inventory" (
	"id" uuid PRIMARY KEY NOT NULL,
	"phone_number" text,
	"twilio_sid" text,
	"lifecycle" "number_lifecycle" NOT NULL,
	"status" "number_status" DEFAULT 'pending' NOT NULL,
	"sitter_id" uuid,
	"area_code" text NOT NULL,
	"purchased_at" timestamp with time zone,
	"purchase_reason" text,
	"purchase_token" text NOT NULL,
	"verification_result" text,
	"error_code" text,
	"error_message" text,
	"job_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"client_id" uuid NOT NULL,
	"sitter_id" uuid NOT NULL,
	"reserved_number" text NOT NULL,
	"pool_number" text NOT NULL,
	"status" "session_status" DEFAULT 'active' NOT NULL,
	"last_activity_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_at" timestamp with time zone,
	"close_reason" text
);
--> statement-breakpoint
CREATE TABLE "messages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"seq" bigint GENERATED ALWAYS AS IDENTITY (sequence name "messages_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"direction" "message_direction" NOT NULL,
	"session_id" text,
	"from_number" text NOT NULL,
	"to_number" text NOT NULL,
	"body" text NOT NULL,
	"media_urls" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"inbound_sid" text,
	"twilio_sid" text,
	"status" text NOT NULL,
	"error_code" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"seq" bigint GENERATED ALWAYS AS IDENTITY (sequence name "audit_events_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"event_type" text NOT NULL,
	"category" text NOT NULL,
	"severity" "audit_severity" DEFAULT 'info' NOT NULL,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"number_id" text,
	"sitter_id" text,
	"client_id" text,
	"phone_number" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "clients" ADD CONSTRAINT "clients_sitter_id_sitters_id_fk" FOREIGN KEY ("sitter_id") REFERENCES "public"."sitters"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "number_inventory" ADD CONSTRAINT "number_inventory_sitter_id_sitters_id_fk" FOREIGN KEY ("sitter_id") REFERENCES "public"."sitters"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_sitter_id_sitters_id_fk" FOREIGN KEY ("sitter_id") REFERENCES "public"."sitters"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "sitters_phone_unique" ON "sitters" USING btree ("phone");--> statement-breakpoint
CREATE INDEX "sitters_reserved_number_idx" ON "sitters" USING btree ("reserved_number");--> statement-breakpoint
CREATE UNIQUE INDEX "clients_phone_unique" ON "clients" USING btree ("phone");--> statement-breakpoint
CREATE UNIQUE INDEX "clients_time_to_pet_id_unique" ON "clients" USING btree ("time_to_pet_id") WHERE "clients"."time_to_pet_id" is not null;--> statement-breakpoint
CREATE INDEX "clients_sitter_id_idx" ON "clients" USING btree ("sitter_id");--> statement-breakpoint
CREATE UNIQUE INDEX "numbers_phone_number_unique" ON "number_inventory" USING btree ("phone_number") WHERE "number_inventory"."phone_number" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "numbers_purchase_token_unique" ON "number_inventory" USING btree ("purchase_token");--> statement-breakpoint
CREATE UNIQUE INDEX "numbers_one_open_reserved_per_sitter" ON "number_inventory" USING btree ("sitter_id") WHERE "number_inventory"."lifecycle" = 'reserved' and "number_inventory"."status" in ('pending', 'ready');--> statement-breakpoint
CREATE INDEX "numbers_lifecycle_status_idx" ON "number_inventory" USING btree ("lifecycle","status","purchased_at");--> statement-breakpoint
CREATE INDEX "numbers_created_at_idx" ON "number_inventory" USING btree ("created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "sessions_one_active_per_client_sitter" ON "sessions" USING btree ("client_id","sitter_id") WHERE "sessions"."status" = 'active';--> statement-breakpoint
CREATE UNIQUE INDEX "sessions_one_active_per_sitter_pool_number" ON "sessions" USING btree ("sitter_id","pool_number") WHERE "sessions"."status" = 'active';--> statement-breakpoint
CREATE INDEX "sessions_active_last_activity_idx" ON "sessions" USING btree ("last_activity_at") WHERE "sessions"."status" = 'active';--> statement-breakpoint
CREATE INDEX "sessions_reserved_number_idx" ON "sessions" USING btree ("reserved_number");--> statement-breakpoint
CREATE INDEX "sessions_client_id_idx" ON "sessions" USING btree ("client_id");--> statement-breakpoint
CREATE UNIQUE INDEX "messages_twilio_sid_unique" ON "messages" USING btree ("twilio_sid") WHERE "messages"."twilio_sid" is not null;--> statement-breakpoint
CREATE INDEX "messages_session_seq_idx" ON "messages" USING btree ("session_id","seq");--> statement-breakpoint
CREATE INDEX "audit_events_seq_idx" ON "audit_events" USING btree ("seq");--> statement-breakpoint
CREATE INDEX "audit_events_type_seq_idx" ON "audit_events" USING btree ("event_type","seq");