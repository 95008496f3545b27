"""Constraints on the document type, after 0006 filled it: a correction is a credit note, and a credit note of its
own (no ``credit_for``) carries its reason."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("invoicing", "0006_document_type_of_existing_credit_notes")]

    operations = [
        migrations.AddConstraint(
            model_name='invoice',
            constraint=models.CheckConstraint(condition=models.Q(('credit_for__isnull', True), ('document_type', 'credit_note'), _connector='OR'), name='invoicing_credit_for_is_credit_note'),
        ),
        migrations.AddConstraint(
            model_name='invoice',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('document_type', 'credit_note'), _negated=True), ('credit_for__isnull', False), models.Q(('credit_reason', ''), _negated=True), _connector='OR'), name='invoicing_credit_note_has_source'),
        ),
    ]
