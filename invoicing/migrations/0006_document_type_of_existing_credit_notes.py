"""Data: every existing correction (``credit_for`` set) is a credit note (EN 16931 BT-3 code 381).

Issued invoices are guarded by the trigger of migration 0003, which refuses any change to a non-mutable column. This
one-time fill of the new ``document_type`` column switches that trigger off for the duration of this migration's
transaction only (ALTER TABLE ... DISABLE/ENABLE TRIGGER is transactional), so the trigger itself is not weakened.
"""

from django.db import migrations

TRIGGER = "invoicing_invoice_immutable"


def forwards(apps, schema_editor):
    Invoice = apps.get_model("invoicing", "Invoice")
    postgres = schema_editor.connection.vendor == "postgresql"
    if postgres:
        schema_editor.execute(f"ALTER TABLE invoicing_invoice DISABLE TRIGGER {TRIGGER}")
    Invoice.objects.filter(credit_for__isnull=False).update(document_type="credit_note")
    if postgres:
        schema_editor.execute(f"ALTER TABLE invoicing_invoice ENABLE TRIGGER {TRIGGER}")


def backwards(apps, schema_editor):
    """Nothing to undo: the column goes with migration 0005's reverse."""


class Migration(migrations.Migration):
    dependencies = [("invoicing", "0005_credit_notes_payouts_collection_costs")]

    operations = [migrations.RunPython(forwards, backwards)]
