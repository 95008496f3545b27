from django.core.management.base import BaseCommand, CommandError

from regio.regionfile import RegionFileError
from regio.regionfile.loader import import_file


class Command(BaseCommand):
    help = "Maakt of wijzigt een samenwerkingsverband uit een regiobestand (YAML). Alles of niets."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", help="een of meer regiobestanden")

    def handle(self, *args, files, **options):
        for name in files:
            try:
                result = import_file(name)
            except RegionFileError as exc:
                for problem in exc.problems:
                    self.stderr.write(str(problem))
                raise CommandError(f"{name} is niet ingelezen: er is niets gewijzigd.") from exc
            self.stdout.write(result.summary())
