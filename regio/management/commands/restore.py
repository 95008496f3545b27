"""``manage.py restore ARCHIVE``: into a fresh, empty database and document folder, then checked (regio/backup.py)."""

from django.core.management.base import BaseCommand, CommandError

from regio import backup


class Command(BaseCommand):
    help = "Herstel een back-up in een nieuwe, lege database en documentenmap en controleer het resultaat."

    def add_arguments(self, parser):
        parser.add_argument("archive", help="het archief van manage.py backup")

    def handle(self, *args, archive, **options):
        expected = backup.restore_backup(archive)
        problems = backup.differences(expected, backup.manifest())
        if problems:
            raise CommandError("Het herstel wijkt af van de back-up:\n" + "\n".join(problems))
        self.stdout.write(f"Hersteld en gecontroleerd: {archive}\n{backup.summary(expected)}")
