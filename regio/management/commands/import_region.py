from django.core.management.base import BaseCommand, CommandError

from regio.regionfile import RegionFileError
from regio.regionfile.loader import import_file
from regio.tenancy import system_actor


class Command(BaseCommand):
    help = "Maakt of wijzigt een samenwerkingsverband uit een regiobestand (YAML). Alles of niets."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", help="een of meer regiobestanden")

    def handle(self, *args, files, **options):
        for name in files:
            try:
                # The operator at the server's command line acts for the installation (issue 10, finding 2).
                result = import_file(name, user=system_actor("manage.py import_region"))
            except RegionFileError as exc:
                for problem in exc.problems:
                    self.stderr.write(str(problem))
                raise CommandError(f"{name} is niet ingelezen: er is niets gewijzigd.") from exc
            self.stdout.write(result.summary())
