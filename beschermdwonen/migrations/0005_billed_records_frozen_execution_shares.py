"""Execution-cost shares (WM-DVO annex 3 §4) and the frozen guard of billed records (STYLE.md rule 8).

On PostgreSQL a trigger refuses any change to, or deletion of, a fee (``bw_fee``) or an execution-cost share
(``bw_execution``) whose invoice line is on an issued (non-draft) invoice, whoever writes; an update that changes
nothing passes. The model and queryset guards (``beschermdwonen.models.billed``) say the same in Dutch on every
database (SQLite, the embedded demo, has only those). Errors use SQLSTATE 23000, so Django raises IntegrityError.
The function reads invoicing's tables by name at run time (PL/pgSQL binds late), so this app imports nothing of
invoicing.
"""

import django.db.models.deletion
import django.utils.timezone
import simple_history.models
from django.conf import settings
from django.db import migrations, models


FUNCTION = """
CREATE OR REPLACE FUNCTION beschermdwonen_refuse_billed() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND to_jsonb(NEW) IS NOT DISTINCT FROM to_jsonb(OLD) THEN
        RETURN NEW;
    END IF;
    IF EXISTS (
        SELECT 1 FROM invoicing_invoiceline l JOIN invoicing_invoice i ON i.id = l.invoice_id
        WHERE l.source_type = TG_ARGV[0] AND l.source_id = OLD.id::text AND i.status <> 'draft'
    ) THEN
        RAISE EXCEPTION 'Dit bedrag staat op een verzonden factuur en verandert niet meer (% %).', TG_ARGV[0], OLD.id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
"""
TABLES = {"beschermdwonen_fee": "bw_fee", "beschermdwonen_executionshare": "bw_execution"}


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION, params=None)
    for table, source in TABLES.items():
        schema_editor.execute(
            f"CREATE TRIGGER {table}_billed BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION beschermdwonen_refuse_billed('{source}')"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_billed ON {table}")
    schema_editor.execute("DROP FUNCTION IF EXISTS beschermdwonen_refuse_billed()")


class Migration(migrations.Migration):

    dependencies = [
        ('beschermdwonen', '0004_money'),
        ('regio', '0005_user_sessions_ended_at'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='HistoricalExecutionShare',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField(verbose_name='jaar')),
                ('clients', models.PositiveIntegerField(verbose_name='cliënten op de peildatum')),
                ('basis', models.CharField(choices=[('budgeted', 'begroot (formatie op begrotingsbasis)'), ('realised', 'nacalculatie')], max_length=10, verbose_name='grondslag')),
                ('amount', models.DecimalField(decimal_places=2, max_digits=14, verbose_name='bedrag')),
                ('computed_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='berekend op')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.TextField(null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('execution', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='beschermdwonen.executioncost', verbose_name='uitvoeringskosten')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('municipality', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='regio.municipality', verbose_name='gemeente')),
                ('region', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='regio.region', verbose_name='regio')),
            ],
            options={
                'verbose_name': 'historical aandeel uitvoeringskosten beschermd wonen',
                'verbose_name_plural': 'historical aandelen uitvoeringskosten beschermd wonen',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='ExecutionShare',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField(verbose_name='jaar')),
                ('clients', models.PositiveIntegerField(verbose_name='cliënten op de peildatum')),
                ('basis', models.CharField(choices=[('budgeted', 'begroot (formatie op begrotingsbasis)'), ('realised', 'nacalculatie')], max_length=10, verbose_name='grondslag')),
                ('amount', models.DecimalField(decimal_places=2, max_digits=14, verbose_name='bedrag')),
                ('computed_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='berekend op')),
                ('execution', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='shares', to='beschermdwonen.executioncost', verbose_name='uitvoeringskosten')),
                ('municipality', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='regio.municipality', verbose_name='gemeente')),
                ('region', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='regio.region', verbose_name='regio')),
            ],
            options={
                'verbose_name': 'aandeel uitvoeringskosten beschermd wonen',
                'verbose_name_plural': 'aandelen uitvoeringskosten beschermd wonen',
                'ordering': ['region', 'year', 'municipality'],
                'constraints': [models.UniqueConstraint(fields=('execution', 'municipality'), name='bw_execution_share_unique'), models.CheckConstraint(condition=models.Q(('amount__gte', 0)), name='bw_execution_share_not_negative')],
            },
        ),
        migrations.RunPython(forwards, backwards),
]
