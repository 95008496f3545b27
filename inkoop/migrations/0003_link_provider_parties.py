"""Point every provider party of an agreement (MH 4.1, bijlage 1: free text until now) at a provider record of the
agreement's region: an existing record with the same name (ignoring case), else a new record marked as taken over
from the party list (origin "partij", no KvK number yet). Reversible: the links go, and so do the records this
migration made that nothing else points at."""

from django.db import migrations

PROVIDER_ROLE = "dienstverlener"


def link(apps, schema_editor):
    Party = apps.get_model("agreements", "Party")
    Provider = apps.get_model("inkoop", "Provider")
    ProviderParty = apps.get_model("inkoop", "ProviderParty")
    parties = (
        Party.objects.filter(role=PROVIDER_ROLE, municipality__isnull=True)
        .exclude(provider_name="")
        .select_related("agreement")
        .order_by("pk")
    )
    for party in parties:
        if ProviderParty.objects.filter(party=party).exists():
            continue
        name = party.provider_name.strip()
        region_id = party.agreement.region_id
        provider = Provider.objects.filter(region_id=region_id, name__iexact=name).order_by("pk").first()
        if provider is None:
            provider = Provider.objects.create(region_id=region_id, name=name[:200], origin="partij")
        ProviderParty.objects.create(party=party, provider=provider)


def unlink(apps, schema_editor):
    Provider = apps.get_model("inkoop", "Provider")
    ProviderParty = apps.get_model("inkoop", "ProviderParty")
    taken_over = set(ProviderParty.objects.filter(provider__origin="partij").values_list("provider_id", flat=True))
    ProviderParty.objects.all().delete()
    Provider.objects.filter(pk__in=taken_over).exclude(contracts__isnull=False).exclude(awards__isnull=False).exclude(subsidies__isnull=False).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0001_initial"),
        ("inkoop", "0002_register_procurement_contracts"),
    ]

    operations = [migrations.RunPython(link, unlink)]
