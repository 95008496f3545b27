"""What is settled stays settled (STYLE.md rule 8): on PostgreSQL a trigger refuses changes to the figures of an
approved or settled reckoning (total, inputs, natural key, deletion) and to its lines, parts and items, also from raw
SQL. Status transitions are the services' business (approve_reckoning, mark_settled). On SQLite (the embedded demo)
the model and queryset guards are the only ones."""

from django.db import migrations

FUNCTIONS = """
CREATE OR REPLACE FUNCTION costsharing_refuse_frozen_child() RETURNS trigger AS $$
DECLARE
    parent_status varchar;
BEGIN
    SELECT status INTO parent_status FROM costsharing_reckoning WHERE id = OLD.reckoning_id;
    IF parent_status IS NOT NULL AND parent_status <> 'draft' THEN
        RAISE EXCEPTION 'Een vastgestelde afrekening verandert niet; maak een correctieversie (reckoning %).',
            OLD.reckoning_id USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION costsharing_refuse_frozen_reckoning() RETURNS trigger AS $$
BEGIN
    IF OLD.status <> 'draft' THEN
        IF TG_OP = 'DELETE' THEN
            RAISE EXCEPTION 'Een vastgestelde afrekening wordt niet verwijderd (reckoning %).', OLD.id
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        IF NEW.total IS DISTINCT FROM OLD.total OR NEW.inputs_hash IS DISTINCT FROM OLD.inputs_hash
           OR NEW.region_id IS DISTINCT FROM OLD.region_id OR NEW.year IS DISTINCT FROM OLD.year
           OR NEW.version IS DISTINCT FROM OLD.version
           OR NEW.inputs IS DISTINCT FROM OLD.inputs THEN
            RAISE EXCEPTION 'Een vastgestelde afrekening verandert niet; maak een correctieversie (reckoning %).',
                OLD.id USING ERRCODE = 'integrity_constraint_violation';
        END IF;
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
"""

TABLES = ["costsharing_reckoningline", "costsharing_reckoningitem", "costsharing_reckoningpart"]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTIONS, params=None)
    for table in TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_frozen BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION costsharing_refuse_frozen_child()"
        )
    schema_editor.execute(
        "CREATE TRIGGER costsharing_reckoning_frozen BEFORE UPDATE OR DELETE ON costsharing_reckoning "
        "FOR EACH ROW EXECUTE FUNCTION costsharing_refuse_frozen_reckoning()"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in [*TABLES, "costsharing_reckoning"]:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_frozen ON {table}")
    schema_editor.execute("DROP FUNCTION IF EXISTS costsharing_refuse_frozen_child()")
    schema_editor.execute("DROP FUNCTION IF EXISTS costsharing_refuse_frozen_reckoning()")


class Migration(migrations.Migration):
    dependencies = [("costsharing", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
