from pathlib import Path

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from regio.models import User
from regio.regionfile import RegionFileError
from regio.regionfile.loader import import_file
from regio.roles import Role
from regio.tenancy import system_actor

DEMO_DIR = Path(settings.BASE_DIR) / "demo"


class Command(BaseCommand):
    help = "Leest de demo-regio's in (demo/*.yaml) en geeft de demo-gebruikers het demowachtwoord."

    def add_arguments(self, parser):
        parser.add_argument("--quiet-logins", action="store_true", help="de inloggegevens niet tonen")

    def handle(self, *args, quiet_logins=False, **options):
        files = sorted(DEMO_DIR.glob("*.yaml"))
        if not files:
            raise CommandError(f"Geen demobestanden in {DEMO_DIR}")
        with transaction.atomic():
            for path in files:
                try:
                    result = import_file(path, user=system_actor("manage.py load_demo"))
                except RegionFileError as exc:
                    for problem in exc.problems:
                        self.stderr.write(str(problem))
                    raise CommandError(f"{path.name} is niet ingelezen; de demo is niet geladen.") from exc
                if options["verbosity"] >= 1:
                    self.stdout.write(result.summary())
            from regio.demo import ensure_platform_admin

            ensure_platform_admin()
            # Only people without a password get the demo password, so that loading twice changes nothing.
            demo_hash = make_password(settings.DEMO_PASSWORD)
            users = (
                User.objects.filter(municipality__isnull=False) | User.objects.filter(groups__name=Role.PLATFORM_ADMIN)
            ).distinct()
            for user in users:
                if not user.has_usable_password():
                    user.password = demo_hash
                    user.save(update_fields=["password"])
            from regio.login.demo import give_demo_devices

            give_demo_devices(users)
        from regio.demo import demo_steps

        for name, step in demo_steps():
            with transaction.atomic():
                outcome = step()
            if options["verbosity"] >= 1:
                self.stdout.write(f"{name}: {outcome}")
        if not quiet_logins:
            self.print_logins(users)

    def print_logins(self, users):
        self.stdout.write("")
        self.stdout.write(f"Demo-logins (wachtwoord voor iedereen: {settings.DEMO_PASSWORD}):")
        if settings.DEMO_TOTP_SECRET:
            self.stdout.write(
                f"  Tweede stap (bw, toezicht, beheerders): oathtool --totp -b {settings.DEMO_TOTP_SECRET}"
            )
        for user in users.select_related("municipality").order_by("municipality__name", "username"):
            where = user.municipality.name if user.municipality_id else "(hele installatie)"
            self.stdout.write(f"  {user.username:<34} {where:<26} {', '.join(user.roles)}")
