"""Verzonden e-mails (issue 11, demo output): with the demo's file backend the administrator reads the outbox in the
browser; with any other backend the pages do not exist."""

import os
import subprocess
import sys

import pytest
from django.core.mail import EmailMessage
from django.test import override_settings
from django.utils import timezone

from regio import settings as settings_module
from regio.roles import Role

FILE_BACKEND = "django.core.mail.backends.filebased.EmailBackend"


def _platform(world):
    """The installation's operator, who alone reads mail sent to every municipality's people (issue 10)."""
    from django.test import Client

    from tests.factories import UserFactory

    client = Client()
    client.force_login(UserFactory(username="platform", municipality=None, roles=[Role.PLATFORM_ADMIN]))
    return client


@pytest.fixture
def outbox(settings, tmp_path):
    settings.EMAIL_BACKEND = FILE_BACKEND
    settings.EMAIL_FILE_PATH = str(tmp_path / "sent_mail")
    message = EmailMessage(
        "Factuur 2025-0001 van Sittard-Geleen",
        "Geachte heer, mevrouw,\n\nBijgaand de factuur.",
        "Regio Wmo <noreply@regio-wmo.localhost>",
        ["crediteuren@beek.example"],
    )
    message.attach("factuur-2025-0001.pdf", b"%PDF-1.7 " + b"x" * 991, "application/pdf")
    message.send()
    EmailMessage("Herinnering", "Tekst", to=["stein@example.nl"]).send()
    return tmp_path / "sent_mail"


def _demo_setting(name: str, **environment) -> str:
    """A setting of ``regio.settings`` as a fresh process reads it, with no EMAIL_* but ``environment``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("EMAIL_")} | environment
    code = f"import regio.settings as s; print(s.{name})"
    return subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=settings_module.BASE_DIR, capture_output=True, text=True, check=True
    ).stdout.strip()


def test_demo_settings_write_mail_to_files_not_the_console():
    """With no EMAIL_* in the environment (the demo), mail goes to files under the project, not the console: the
    PDFs of the demo's invoices no longer print as base64 before the logins. With EMAIL_HOST it is SMTP."""
    assert _demo_setting("EMAIL_BACKEND") == FILE_BACKEND
    assert _demo_setting("EMAIL_FILE_PATH") == str(settings_module.BASE_DIR / "sent_mail")
    smtp = "django.core.mail.backends.smtp.EmailBackend"
    assert _demo_setting("EMAIL_BACKEND", EMAIL_HOST="smtp.example.nl") == smtp
    assert "sent_mail/" in (settings_module.BASE_DIR / ".gitignore").read_text().split()


def test_administrator_lists_and_reads_the_sent_mail(world, outbox):
    client = _platform(world)
    page = client.get("/beheer/verzonden-emails/").content.decode()
    assert "Factuur 2025-0001 van Sittard-Geleen" in page and "crediteuren@beek.example" in page
    assert "2 berichten" in page
    assert timezone.localtime().strftime("%d-%m-%Y %H:") in page  # Dutch local time, not the header's UTC
    files = sorted(p.name for p in outbox.iterdir())
    assert len(files) == 2
    first = next(n for n in files if b"Factuur 2025-0001" in (outbox / n).read_bytes())
    response = client.get(f"/beheer/verzonden-emails/{first}/0/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Bijgaand de factuur." in text
    assert "factuur-2025-0001.pdf (application/pdf, 1000 bytes)" in text
    assert "JVBERi0" not in text  # the PDF is listed, never shown as base64


def test_the_list_paginates(world, outbox):
    for n in range(30):
        EmailMessage(f"Bericht {n}", "Tekst", to=["x@example.nl"]).send()
    client = _platform(world)
    first = client.get("/beheer/verzonden-emails/").content.decode()
    assert "Pagina 1 van 2" in first and first.count("/beheer/verzonden-emails/") >= 25
    assert "Pagina 2 van 2" in client.get("/beheer/verzonden-emails/?page=2").content.decode()


def test_only_administrators_and_only_with_the_file_backend(world, outbox):
    assert world.client("a1", Role.COORDINATOR).get("/beheer/verzonden-emails/").status_code == 403
    assert world.client("b1", Role.CIVIL_SERVANT).get("/beheer/verzonden-emails/").status_code == 403
    # A municipality's functional administrator may not read mail to other municipalities' people.
    assert world.client("a1", Role.FUNCTIONAL_ADMIN).get("/beheer/verzonden-emails/").status_code == 403
    anonymous = world.client(None).get("/beheer/verzonden-emails/")
    assert anonymous.status_code == 302 and "/account/inloggen/" in anonymous["Location"]
    admin = _platform(world)
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend"):
        assert admin.get("/beheer/verzonden-emails/").status_code == 404
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        assert admin.get("/beheer/verzonden-emails/").status_code == 404


@pytest.mark.parametrize("name", ["..%2F..%2Fetc%2Fpasswd", "nope.log", "settings.py"])
def test_a_message_outside_the_outbox_is_not_found(world, outbox, name):
    admin = _platform(world)
    assert admin.get(f"/beheer/verzonden-emails/{name}/0/").status_code == 404
    existing = sorted(p.name for p in outbox.iterdir())[0]
    assert admin.get(f"/beheer/verzonden-emails/{existing}/5/").status_code == 404
