import json

from django.core.management.base import BaseCommand

from regio.regionfile.loader import full_schema


class Command(BaseCommand):
    help = "Schrijft het JSON Schema van regiobestanden (docs/region-file.schema.json) naar stdout."

    def handle(self, *args, **options):
        self.stdout.write(json.dumps(full_schema(), indent=2, ensure_ascii=False))
