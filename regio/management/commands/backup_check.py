"""``manage.py backup_check [ARCHIVE]``: counts and amount sums of every table (audit history included) and the
hashes of the private documents; with an archive, compared with what it holds (regio/backup.py)."""

import json

from django.core.management.base import BaseCommand, CommandError

from regio import backup


class Command(BaseCommand):
    help = (
        "Tel rijen en sommen (facturen, betalingen, afrekeningen, auditgeschiedenis) en de hashes van de "
        "privédocumenten; met een archief: vergelijk ze met de back-up."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", nargs="?", help="een archief van manage.py backup om mee te vergelijken")
        parser.add_argument("--json", action="store_true", help="het hele manifest als JSON")

    def handle(self, *args, archive=None, **options):
        actual = backup.manifest()
        if options.get("json"):
            self.stdout.write(json.dumps(actual, indent=1, sort_keys=True))
        if archive:
            problems = backup.differences(backup.read_manifest(archive), actual)
            if problems:
                raise CommandError("De database wijkt af van de back-up:\n" + "\n".join(problems))
            self.stdout.write(f"Gelijk aan de back-up {archive}.")
        if not options.get("json"):
            self.stdout.write(backup.summary(actual))
