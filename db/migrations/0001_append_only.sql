-- The audit log and oversight records are the defensible record: the database itself refuses
-- to change or remove them. A correction to a record is a new record that supersedes it.
CREATE OR REPLACE FUNCTION oversight_refuse_change() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION oversight_refuse_change();
--> statement-breakpoint
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION oversight_refuse_change();
--> statement-breakpoint
CREATE TRIGGER oversight_records_append_only BEFORE UPDATE OR DELETE ON oversight_records
  FOR EACH ROW EXECUTE FUNCTION oversight_refuse_change();
--> statement-breakpoint
CREATE TRIGGER oversight_records_no_truncate BEFORE TRUNCATE ON oversight_records
  FOR EACH STATEMENT EXECUTE FUNCTION oversight_refuse_change();
