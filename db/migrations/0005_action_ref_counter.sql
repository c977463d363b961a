-- Action refs from a one-row counter advanced inside the inserting transaction, replacing the
-- sequence: Postgres pre-logs 32 sequence values, so after a crash (or a reopen of the embedded
-- database) refs jumped, e.g. from A2 to A34. A rolled-back insert rolls the counter back too.
CREATE TABLE "action_ref_counter" (
	"id" boolean PRIMARY KEY DEFAULT true NOT NULL CHECK ("id"),
	"last" bigint NOT NULL
);
--> statement-breakpoint
INSERT INTO "action_ref_counter" ("id", "last")
SELECT true, COALESCE(MAX(substring("ref" FROM 2)::bigint), 0) FROM "actions" WHERE "ref" ~ '^A[0-9]+$';
--> statement-breakpoint
CREATE FUNCTION next_action_ref() RETURNS text LANGUAGE sql VOLATILE AS $$
  UPDATE "public"."action_ref_counter" SET "last" = "last" + 1 RETURNING 'A' || "last"
$$;
--> statement-breakpoint
ALTER TABLE "actions" ALTER COLUMN "ref" SET DEFAULT next_action_ref();
--> statement-breakpoint
DROP SEQUENCE "public"."action_ref_seq";
