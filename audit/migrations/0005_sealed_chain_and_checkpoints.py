"""Audit rows are appended pending and chained later by one sealer; signed checkpoints of the head.

- `seq` is a row's place in the chain (1, 2, 3, ...), set when the sealer chains it. Every row
  already in the table is chained in id order, so it gets its id-order position.
- On PostgreSQL the append-only trigger is replaced by one that still refuses every DELETE, and
  every UPDATE but one: the sealer setting `seq`, `prev_hash` and `hash` of a pending row (no
  `seq`, empty hashes) once, every other column unchanged. A pending row can therefore be neither
  changed nor removed, and a sealed row not at all.
- The checkpoint table gets a trigger of its own that refuses UPDATE and DELETE.
TRUNCATE is left alone: test runs empty tables with it.
"""

import django.utils.timezone
from django.db import migrations, models

NUMBER_EXISTING_POSTGRESQL = """
UPDATE audit_auditevent AS a SET seq = n.position
FROM (SELECT id, row_number() OVER (ORDER BY id) AS position FROM audit_auditevent) AS n
WHERE a.id = n.id
"""
NUMBER_EXISTING_SQLITE = """
UPDATE audit_auditevent SET seq = (SELECT COUNT(*) FROM audit_auditevent AS b WHERE b.id <= audit_auditevent.id)
"""

EVENT_FUNCTION = """
CREATE OR REPLACE FUNCTION audit_event_refuse_change() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE'
        AND OLD.seq IS NULL AND OLD.prev_hash = '' AND OLD.hash = ''
        AND NEW.seq IS NOT NULL AND length(NEW.prev_hash) = 64 AND length(NEW.hash) = 64
        AND (to_jsonb(NEW) - 'seq' - 'prev_hash' - 'hash') = (to_jsonb(OLD) - 'seq' - 'prev_hash' - 'hash')
    THEN
        RETURN NEW;  -- the sealer chaining a pending row, once
    END IF;
    RAISE EXCEPTION 'audit rows are append-only: % of audit_auditevent is refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql
"""
EVENT_FUNCTION_BEFORE = """
CREATE OR REPLACE FUNCTION audit_event_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit rows are append-only: % of audit_auditevent is refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql
"""
EVENT_TRIGGER = """
CREATE TRIGGER audit_event_append_only
    BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_event_refuse_change()
"""
DROP_EVENT_TRIGGER = "DROP TRIGGER IF EXISTS audit_event_append_only ON audit_auditevent"

CHECKPOINT_FUNCTION = """
CREATE OR REPLACE FUNCTION audit_checkpoint_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit checkpoints are append-only: % of audit_auditcheckpoint is refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql
"""
CHECKPOINT_TRIGGER = """
CREATE TRIGGER audit_checkpoint_append_only
    BEFORE UPDATE OR DELETE ON audit_auditcheckpoint
    FOR EACH ROW EXECUTE FUNCTION audit_checkpoint_refuse_change()
"""
DROP_CHECKPOINT = [
    "DROP TRIGGER IF EXISTS audit_checkpoint_append_only ON audit_auditcheckpoint",
    "DROP FUNCTION IF EXISTS audit_checkpoint_refuse_change()",
]


def number_existing_rows(apps, schema_editor):
    """Rows written before this migration were chained in id order: that is their place."""
    postgresql = schema_editor.connection.vendor == "postgresql"
    if postgresql:
        schema_editor.execute(DROP_EVENT_TRIGGER, params=None)
    schema_editor.execute(NUMBER_EXISTING_POSTGRESQL if postgresql else NUMBER_EXISTING_SQLITE, params=None)
    if postgresql:
        # params=None: the SQL holds a literal % that must not be read as a placeholder.
        schema_editor.execute(EVENT_FUNCTION, params=None)
        schema_editor.execute(EVENT_TRIGGER, params=None)
        schema_editor.execute(CHECKPOINT_FUNCTION, params=None)
        schema_editor.execute(CHECKPOINT_TRIGGER, params=None)


def restore_strict_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in DROP_CHECKPOINT:
            schema_editor.execute(sql, params=None)
        schema_editor.execute(EVENT_FUNCTION_BEFORE, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0004_case_models_in_cases"),
    ]

    operations = [
        migrations.CreateModel(
            name="AuditCheckpoint",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("at", models.DateTimeField(default=django.utils.timezone.now)),
                ("count", models.BigIntegerField()),
                ("head_hash", models.CharField(max_length=64)),
                ("signature", models.CharField(max_length=64)),
            ],
            options={
                "ordering": ["id"],
            },
        ),
        migrations.AddField(
            model_name="auditevent",
            name="seq",
            field=models.BigIntegerField(blank=True, editable=False, null=True, unique=True),
        ),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(condition=models.Q(("seq__isnull", True)), fields=["id"], name="audit_pending_idx"),
        ),
        migrations.RunPython(number_existing_rows, restore_strict_trigger),
    ]
