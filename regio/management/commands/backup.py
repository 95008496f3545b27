"""``manage.py backup ARCHIVE``: database dump, private documents and manifest in one archive (regio/backup.py)."""

from django.core.management.base import BaseCommand

from regio import backup


class Command(BaseCommand):
    help = "Maak een back-up: database (pg_dump, custom format), privédocumenten en een manifest in één archief."

    def add_arguments(self, parser):
        parser.add_argument("archive", help="het archief dat wordt geschreven (.tar.gz)")

    def handle(self, *args, archive, **options):
        data = backup.create_backup(archive)
        self.stdout.write(f"Back-up geschreven: {archive}\n{backup.summary(data)}")
