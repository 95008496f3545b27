"""django-guardian's direct foreign-key tables for grants on a municipality (STYLE.md rule 6), and the move of the
existing grants (today ``regio.supervise_municipality``) out of guardian's generic tables. Reversible: the way back
moves them into the generic tables again."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def _generic_rows(apps, generic_name):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Generic = apps.get_model("guardian", generic_name)
    content_type = ContentType.objects.filter(app_label="regio", model="municipality").first()
    if content_type is None:
        return Generic.objects.none(), None
    return Generic.objects.filter(content_type=content_type), content_type


def move_grants_to_direct_tables(apps, schema_editor):
    Municipality = apps.get_model("regio", "Municipality")
    existing = set(Municipality.objects.values_list("pk", flat=True))
    for generic_name, direct_name, holder in (
        ("UserObjectPermission", "MunicipalityUserObjectPermission", "user_id"),
        ("GroupObjectPermission", "MunicipalityGroupObjectPermission", "group_id"),
    ):
        Direct = apps.get_model("regio", direct_name)
        rows, _content_type = _generic_rows(apps, generic_name)
        direct = []
        for row in rows:
            pk = int(row.object_pk) if str(row.object_pk).isdigit() else None
            if pk in existing:  # a grant on a municipality that no longer exists grants nothing: dropped
                direct.append(Direct(content_object_id=pk, permission_id=row.permission_id, **{holder: getattr(row, holder)}))
        Direct.objects.bulk_create(direct, ignore_conflicts=True)
        rows.delete()


def move_grants_back_to_generic_tables(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type, _created = ContentType.objects.get_or_create(app_label="regio", model="municipality")
    for generic_name, direct_name, holder in (
        ("UserObjectPermission", "MunicipalityUserObjectPermission", "user_id"),
        ("GroupObjectPermission", "MunicipalityGroupObjectPermission", "group_id"),
    ):
        Generic = apps.get_model("guardian", generic_name)
        Direct = apps.get_model("regio", direct_name)
        Generic.objects.bulk_create(
            [
                Generic(
                    content_type=content_type,
                    object_pk=str(row.content_object_id),
                    permission_id=row.permission_id,
                    **{holder: getattr(row, holder)},
                )
                for row in Direct.objects.all()
            ],
            ignore_conflicts=True,
        )


class Migration(migrations.Migration):

    dependencies = [
        ('auth', '0012_alter_user_first_name_max_length'),
        ('regio', '0002_accesslog'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('guardian', '0003_remove_groupobjectpermission_guardian_gr_content_ae6aec_idx_and_more'),
    ]

    operations = [
        migrations.CreateModel(
            name='MunicipalityGroupObjectPermission',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('content_object', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='regio.municipality', verbose_name='gemeente')),
                ('group', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='auth.group')),
                ('permission', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='auth.permission')),
            ],
            options={
                'verbose_name': 'recht van een groep op een gemeente',
                'verbose_name_plural': 'rechten van groepen op gemeenten',
                'abstract': False,
                'unique_together': {('group', 'permission', 'content_object')},
            },
        ),
        migrations.CreateModel(
            name='MunicipalityUserObjectPermission',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('content_object', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='regio.municipality', verbose_name='gemeente')),
                ('permission', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='auth.permission')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'recht van een persoon op een gemeente',
                'verbose_name_plural': 'rechten van personen op gemeenten',
                'abstract': False,
                'unique_together': {('user', 'permission', 'content_object')},
            },
        ),
        migrations.RunPython(move_grants_to_direct_tables, move_grants_back_to_generic_tables),
    ]
