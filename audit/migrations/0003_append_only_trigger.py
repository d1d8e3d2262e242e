"""On PostgreSQL, refuse UPDATE and DELETE of audit rows in the database itself.

The application already refuses them (AuditEvent.save/delete and its queryset); the trigger
means the service's own database user cannot change the trail with raw SQL either. TRUNCATE is
left alone: test runs empty tables with it. Other databases (the embedded SQLite demo) rely on
the application checks and the hash chain.
"""

from django.db import migrations

CREATE_FUNCTION = """
CREATE OR REPLACE FUNCTION audit_event_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit rows are append-only: % of audit_auditevent is refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql
"""

CREATE_TRIGGER = """
CREATE TRIGGER audit_event_append_only
    BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_event_refuse_change()
"""

DROP_TRIGGER = "DROP TRIGGER IF EXISTS audit_event_append_only ON audit_auditevent"
DROP_FUNCTION = "DROP FUNCTION IF EXISTS audit_event_refuse_change()"


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        # params=None: the SQL holds a literal % that must not be read as a placeholder.
        schema_editor.execute(CREATE_FUNCTION, params=None)
        schema_editor.execute(CREATE_TRIGGER, params=None)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_TRIGGER, params=None)
        schema_editor.execute(DROP_FUNCTION, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_hash_chain")]

    operations = [migrations.RunPython(create_trigger, drop_trigger)]
