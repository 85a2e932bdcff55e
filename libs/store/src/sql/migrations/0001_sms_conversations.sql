CREATE TYPE "public"."sms_conversation_status" AS ENUM('active', 'archived', 'closed');--> statement-breakpoint
CREATE TABLE "sms_conversations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"practice_id" uuid NOT NULL,
	"coordinator_sax_id" bigint NOT NULL,
	"patient_phone" varchar(20) NOT NULL,
	"friendly_name" varchar(255),
	"twilio_sid" varchar(34) NOT NULL,
	"created_by" bigint NOT NULL,
	"status" "sms_conversation_status" DEFAULT 'active' NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"archived_at" timestamp with time zone,
	"closed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE UNIQUE INDEX "sms_conversations_one_active_per_practice_phone" ON "sms_conversations" USING btree ("tenant_id","practice_id","patient_phone") WHERE "sms_conversations"."status" = 'active' and "sms_conversations"."active";--> statement-breakpoint
CREATE INDEX "sms_conversations_practice_phone_idx" ON "sms_conversations" USING btree ("tenant_id","practice_id","patient_phone");--> statement-breakpoint
CREATE INDEX "sms_conversations_twilio_sid_idx" ON "sms_conversations" USING btree ("twilio_sid");--> statement-breakpoint
CREATE INDEX "sms_conversations_tenant_created_idx" ON "sms_conversations" USING btree ("tenant_id","created_at","id");