CREATE SEQUENCE "public"."action_ref_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE TABLE "case_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"source" text NOT NULL,
	"event_id" text NOT NULL,
	"crn" text NOT NULL,
	"type" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"envelope" jsonb NOT NULL,
	"outcome" text NOT NULL,
	"rule" text NOT NULL,
	"reason" text NOT NULL,
	"policy_version" text NOT NULL,
	"request_id" uuid
);
--> statement-breakpoint
CREATE TABLE "cases" (
	"crn" text PRIMARY KEY NOT NULL,
	"service" text NOT NULL,
	"team_code" text NOT NULL,
	"case_manager_code" text,
	"case_manager_grade" text,
	"rosh" text,
	"vulnerability" text,
	"flags" text[] DEFAULT '{}' NOT NULL,
	"watch_since" timestamp with time zone,
	"watch_reason" text,
	"raised_risk_since" timestamp with time zone,
	"last_record_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "audit_log_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor" text NOT NULL,
	"surface" text NOT NULL,
	"action" text NOT NULL,
	"subject_type" text NOT NULL,
	"subject_id" text NOT NULL,
	"crn" text,
	"detail" jsonb
);
--> statement-breakpoint
CREATE TABLE "deliveries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"platform" text NOT NULL,
	"kind" text NOT NULL,
	"target" text NOT NULL,
	"team_code" text,
	"request_id" uuid,
	"action_id" uuid,
	"dedupe_key" text,
	"payload" jsonb NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"external_ref" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone,
	"failed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "conversation_refs" (
	"key" text PRIMARY KEY NOT NULL,
	"platform" text NOT NULL,
	"reference" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "staff" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"role" text NOT NULL,
	"team_code" text NOT NULL,
	"grade" text,
	"slack_user_id" text,
	"msteams_aad_object_id" text,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "teams" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"service" text NOT NULL,
	"timezone" text NOT NULL,
	"digest_at" text DEFAULT '08:30' NOT NULL,
	"digest_days" text[] DEFAULT '{mon,tue,wed,thu,fri}'::text[] NOT NULL,
	"lead_code" text,
	"slack_channel" text,
	"msteams_conversation_id" text,
	"msteams_service_url" text,
	"msteams_tenant_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "actions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"ref" text NOT NULL,
	"request_id" uuid NOT NULL,
	"record_id" uuid NOT NULL,
	"crn" text NOT NULL,
	"team_code" text NOT NULL,
	"description" text NOT NULL,
	"owner_code" text NOT NULL,
	"set_by" text NOT NULL,
	"due_date" date NOT NULL,
	"overdue_from" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"done_evidence" text,
	"done_by" text,
	"done_at" timestamp with time zone,
	"confirmed_by" text,
	"confirmed_at" timestamp with time zone,
	"cancelled_by" text,
	"cancelled_at" timestamp with time zone,
	"reason" text,
	"next_due_at" timestamp with time zone,
	"next_step" text,
	"reminder_count" integer DEFAULT 0 NOT NULL,
	"escalated_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "oversight_records" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"request_id" uuid NOT NULL,
	"crn" text NOT NULL,
	"by" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"supersedes" uuid,
	"assurances" jsonb NOT NULL,
	"deficits" text,
	"rationale" text NOT NULL,
	"variance_procedure" text,
	"variance_reason" text,
	"evidence" text[] DEFAULT '{}' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "oversight_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"crn" text NOT NULL,
	"team_code" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"opened_at" timestamp with time zone DEFAULT now() NOT NULL,
	"acknowledge_by" timestamp with time zone NOT NULL,
	"acknowledged_by" text,
	"acknowledged_at" timestamp with time zone,
	"recorded_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"escalated_at" timestamp with time zone,
	"next_due_at" timestamp with time zone,
	"next_step" text,
	"reminder_count" integer DEFAULT 0 NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"slack_channel" text,
	"slack_ts" text,
	"msteams_conversation_id" text,
	"msteams_activity_id" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "request_triggers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"request_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"case_event_id" uuid,
	"event_id" text,
	"type" text NOT NULL,
	"category" text NOT NULL,
	"rule" text NOT NULL,
	"reason" text NOT NULL,
	"policy_version" text NOT NULL,
	"by" text,
	"referral_reason" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "case_events" ADD CONSTRAINT "case_events_crn_cases_crn_fk" FOREIGN KEY ("crn") REFERENCES "public"."cases"("crn") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_team_code_teams_code_fk" FOREIGN KEY ("team_code") REFERENCES "public"."teams"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "staff" ADD CONSTRAINT "staff_team_code_teams_code_fk" FOREIGN KEY ("team_code") REFERENCES "public"."teams"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "actions" ADD CONSTRAINT "actions_request_id_oversight_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."oversight_requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "actions" ADD CONSTRAINT "actions_record_id_oversight_records_id_fk" FOREIGN KEY ("record_id") REFERENCES "public"."oversight_records"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "actions" ADD CONSTRAINT "actions_crn_cases_crn_fk" FOREIGN KEY ("crn") REFERENCES "public"."cases"("crn") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "actions" ADD CONSTRAINT "actions_team_code_teams_code_fk" FOREIGN KEY ("team_code") REFERENCES "public"."teams"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "oversight_records" ADD CONSTRAINT "oversight_records_request_id_oversight_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."oversight_requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "oversight_records" ADD CONSTRAINT "oversight_records_crn_cases_crn_fk" FOREIGN KEY ("crn") REFERENCES "public"."cases"("crn") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "oversight_requests" ADD CONSTRAINT "oversight_requests_crn_cases_crn_fk" FOREIGN KEY ("crn") REFERENCES "public"."cases"("crn") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "oversight_requests" ADD CONSTRAINT "oversight_requests_team_code_teams_code_fk" FOREIGN KEY ("team_code") REFERENCES "public"."teams"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "request_triggers" ADD CONSTRAINT "request_triggers_request_id_oversight_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."oversight_requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "request_triggers" ADD CONSTRAINT "request_triggers_case_event_id_case_events_id_fk" FOREIGN KEY ("case_event_id") REFERENCES "public"."case_events"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "case_events_source_id_uq" ON "case_events" USING btree ("source","event_id");--> statement-breakpoint
CREATE INDEX "case_events_crn_idx" ON "case_events" USING btree ("crn","occurred_at");--> statement-breakpoint
CREATE INDEX "cases_team_idx" ON "cases" USING btree ("team_code");--> statement-breakpoint
CREATE INDEX "cases_case_manager_idx" ON "cases" USING btree ("case_manager_code");--> statement-breakpoint
CREATE INDEX "audit_log_crn_idx" ON "audit_log" USING btree ("crn","at");--> statement-breakpoint
CREATE INDEX "audit_log_subject_idx" ON "audit_log" USING btree ("subject_id");--> statement-breakpoint
CREATE UNIQUE INDEX "deliveries_dedupe_uq" ON "deliveries" USING btree ("dedupe_key");--> statement-breakpoint
CREATE INDEX "deliveries_team_failed_idx" ON "deliveries" USING btree ("team_code","failed_at") WHERE "deliveries"."status" = 'failed';--> statement-breakpoint
CREATE INDEX "deliveries_pending_idx" ON "deliveries" USING btree ("created_at") WHERE "deliveries"."status" = 'queued';--> statement-breakpoint
CREATE INDEX "staff_team_idx" ON "staff" USING btree ("team_code","role");--> statement-breakpoint
CREATE UNIQUE INDEX "staff_slack_user_uq" ON "staff" USING btree ("slack_user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "staff_msteams_user_uq" ON "staff" USING btree ("msteams_aad_object_id");--> statement-breakpoint
CREATE UNIQUE INDEX "actions_ref_uq" ON "actions" USING btree ("ref");--> statement-breakpoint
CREATE INDEX "actions_request_idx" ON "actions" USING btree ("request_id");--> statement-breakpoint
CREATE INDEX "actions_team_live_idx" ON "actions" USING btree ("team_code","status","overdue_from") WHERE "actions"."status" in ('open', 'done_claimed');--> statement-breakpoint
CREATE INDEX "actions_owner_live_idx" ON "actions" USING btree ("owner_code","overdue_from") WHERE "actions"."status" in ('open', 'done_claimed');--> statement-breakpoint
CREATE INDEX "actions_next_due_idx" ON "actions" USING btree ("next_due_at") WHERE "actions"."next_due_at" is not null;--> statement-breakpoint
CREATE INDEX "oversight_records_request_idx" ON "oversight_records" USING btree ("request_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "oversight_requests_one_live_per_case_uq" ON "oversight_requests" USING btree ("crn") WHERE "oversight_requests"."status" <> 'closed';--> statement-breakpoint
CREATE INDEX "oversight_requests_team_live_idx" ON "oversight_requests" USING btree ("team_code","status","opened_at") WHERE "oversight_requests"."status" <> 'closed';--> statement-breakpoint
CREATE INDEX "oversight_requests_next_due_idx" ON "oversight_requests" USING btree ("next_due_at") WHERE "oversight_requests"."next_due_at" is not null;--> statement-breakpoint
CREATE INDEX "oversight_requests_crn_idx" ON "oversight_requests" USING btree ("crn","opened_at");--> statement-breakpoint
CREATE INDEX "request_triggers_request_idx" ON "request_triggers" USING btree ("request_id","at");