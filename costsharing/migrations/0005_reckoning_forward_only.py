"""Frozen means frozen (issue 10, finding 3; STYLE.md rule 8): replaces the triggers of migration 0002.

0002 guarded the figures of an approved reckoning but let ``status`` go back to draft (after which anything could
change) and let new parts, lines and items be inserted under an approved reckoning. From here on, on PostgreSQL:

* a reckoning is created as a draft only, and its status moves forward only: draft → approved → settled (the
  services ``approve_reckoning`` and ``mark_settled``); never back, never skipping approval;
* once approved, nothing of it changes but the status (forward), ``settled_at`` and the run marks (``run_state``,
  ``progress``, ``error``) of a re-run that found its inputs unchanged; it is never deleted;
* parts, lines and items are neither inserted, changed, moved nor deleted under an approved or settled reckoning
  (an item is also checked against its part's reckoning).

A correction is a new version (``previous`` points at the approved one). On SQLite (the embedded demo) the model and
queryset guards in ``costsharing/models.py`` are the only ones. Errors use SQLSTATE 23000, so Django raises
IntegrityError.
"""

import importlib

from django.db import migrations

MUTABLE = "ARRAY['status', 'settled_at', 'run_state', 'progress', 'error']"

FUNCTIONS = f"""
CREATE OR REPLACE FUNCTION costsharing_refuse_frozen_reckoning() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.status <> 'draft' THEN
            RAISE EXCEPTION 'Een afrekening begint als concept; de status gaat alleen vooruit via vaststellen en '
                'factureren (reckoning %).', NEW.id USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NEW;
    END IF;
    IF TG_OP = 'DELETE' THEN
        IF OLD.status <> 'draft' THEN
            RAISE EXCEPTION 'Een vastgestelde afrekening wordt niet verwijderd (reckoning %).', OLD.id
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN OLD;
    END IF;
    IF NOT (NEW.status = OLD.status
            OR (OLD.status = 'draft' AND NEW.status = 'approved')
            OR (OLD.status = 'approved' AND NEW.status = 'settled')) THEN
        RAISE EXCEPTION 'De status van een afrekening gaat alleen vooruit (concept → vastgesteld → gefactureerd), '
            'niet van % naar %; een correctie is een nieuwe versie (reckoning %).', OLD.status, NEW.status, OLD.id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF OLD.status <> 'draft'
       AND (to_jsonb(NEW) - {MUTABLE}) IS DISTINCT FROM (to_jsonb(OLD) - {MUTABLE}) THEN
        RAISE EXCEPTION 'Een vastgestelde afrekening verandert niet; maak een correctieversie (reckoning %).',
            OLD.id USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION costsharing_refuse_frozen_child() RETURNS trigger AS $$
DECLARE
    frozen bigint;
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        SELECT id INTO frozen FROM costsharing_reckoning WHERE id = OLD.reckoning_id AND status <> 'draft';
        IF frozen IS NULL AND TG_TABLE_NAME = 'costsharing_reckoningitem' THEN
            SELECT r.id INTO frozen FROM costsharing_reckoningpart p JOIN costsharing_reckoning r ON r.id = p.reckoning_id
                WHERE p.id = OLD.part_id AND r.status <> 'draft';
        END IF;
    END IF;
    IF frozen IS NULL AND TG_OP IN ('INSERT', 'UPDATE') THEN
        SELECT id INTO frozen FROM costsharing_reckoning WHERE id = NEW.reckoning_id AND status <> 'draft';
        IF frozen IS NULL AND TG_TABLE_NAME = 'costsharing_reckoningitem' THEN
            SELECT r.id INTO frozen FROM costsharing_reckoningpart p JOIN costsharing_reckoning r ON r.id = p.reckoning_id
                WHERE p.id = NEW.part_id AND r.status <> 'draft';
        END IF;
    END IF;
    IF frozen IS NOT NULL THEN
        RAISE EXCEPTION 'Een vastgestelde afrekening verandert niet; maak een correctieversie (reckoning %).',
            frozen USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
"""

CHILDREN = ["costsharing_reckoningline", "costsharing_reckoningitem", "costsharing_reckoningpart"]


def _triggers(schema_editor, events: str) -> None:
    for table in [*CHILDREN, "costsharing_reckoning"]:
        function = "costsharing_refuse_frozen_reckoning" if table == "costsharing_reckoning" else (
            "costsharing_refuse_frozen_child"
        )
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_frozen ON {table}")
        schema_editor.execute(
            f"CREATE TRIGGER {table}_frozen BEFORE {events} ON {table} FOR EACH ROW EXECUTE FUNCTION {function}()"
        )


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTIONS, params=None)
    _triggers(schema_editor, "INSERT OR UPDATE OR DELETE")


def backwards(apps, schema_editor):
    """Back to the guards of 0002 (its functions, UPDATE OR DELETE only)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    previous = importlib.import_module("costsharing.migrations.0002_frozen_reckoning_triggers")
    schema_editor.execute(previous.FUNCTIONS, params=None)
    _triggers(schema_editor, "UPDATE OR DELETE")


class Migration(migrations.Migration):
    dependencies = [("costsharing", "0004_reckoning_part_line_summary")]

    operations = [migrations.RunPython(forwards, backwards)]
