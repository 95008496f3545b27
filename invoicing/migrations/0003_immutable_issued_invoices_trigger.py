"""PostgreSQL triggers: an issued invoice and its lines never change (Wet OB art. 35a, SPEC §6.6, STYLE.md rule 8).

The model and queryset guards stop the ORM; these stop everything else (raw SQL, another program). Only the payment
status and the overdue / reminded / interest-claimed marks move after issue (WM-SO 6.9); they are the columns left
out of the comparison. Errors use SQLSTATE 23001 (restrict_violation) so Django raises IntegrityError.
"""

from django.db import migrations

MUTABLE = "ARRAY['status', 'overdue_on', 'reminded_on', 'reminder_due_on', 'interest_claimed_on', 'updated_at']"

CREATE = f"""
CREATE OR REPLACE FUNCTION invoicing_invoice_guard() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.status <> 'draft' THEN
            RAISE EXCEPTION 'Factuur % is verzonden en kan niet worden verwijderd; maak een creditfactuur.', OLD.number
                USING ERRCODE = '23001';
        END IF;
        RETURN OLD;
    END IF;
    IF OLD.status <> 'draft' THEN
        IF NEW.status = 'draft'
           OR (to_jsonb(NEW) - {MUTABLE}) IS DISTINCT FROM (to_jsonb(OLD) - {MUTABLE}) THEN
            RAISE EXCEPTION 'Factuur % is verzonden en verandert niet meer; maak een creditfactuur.', OLD.number
                USING ERRCODE = '23001';
        END IF;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER invoicing_invoice_immutable
    BEFORE UPDATE OR DELETE ON invoicing_invoice
    FOR EACH ROW EXECUTE FUNCTION invoicing_invoice_guard();

CREATE OR REPLACE FUNCTION invoicing_invoiceline_guard() RETURNS trigger AS $$
DECLARE
    parent_status text;
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        SELECT status INTO parent_status FROM invoicing_invoice WHERE id = OLD.invoice_id;
        IF parent_status IS NOT NULL AND parent_status <> 'draft' THEN
            RAISE EXCEPTION 'De regels van een verzonden factuur veranderen niet meer.' USING ERRCODE = '23001';
        END IF;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        SELECT status INTO parent_status FROM invoicing_invoice WHERE id = NEW.invoice_id;
        IF parent_status IS NOT NULL AND parent_status <> 'draft' THEN
            RAISE EXCEPTION 'Een verzonden factuur krijgt geen regels meer.' USING ERRCODE = '23001';
        END IF;
        RETURN NEW;
    END IF;
    RETURN OLD;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER invoicing_invoiceline_immutable
    BEFORE INSERT OR UPDATE OR DELETE ON invoicing_invoiceline
    FOR EACH ROW EXECUTE FUNCTION invoicing_invoiceline_guard();
"""

DROP = """
DROP TRIGGER IF EXISTS invoicing_invoiceline_immutable ON invoicing_invoiceline;
DROP FUNCTION IF EXISTS invoicing_invoiceline_guard();
DROP TRIGGER IF EXISTS invoicing_invoice_immutable ON invoicing_invoice;
DROP FUNCTION IF EXISTS invoicing_invoice_guard();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("invoicing", "0002_load_statutory_interest_rates")]

    operations = [migrations.RunPython(create, drop)]
