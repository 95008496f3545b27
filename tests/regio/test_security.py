"""Login lockout, audit trail, admin, production settings."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client

from regio.models import Region
from tests.factories import MunicipalityFactory, UserFactory


def test_lockout_after_repeated_failed_logins(db):
    user = UserFactory(username="stein-ambtenaar", roles=["ambtenaar"])
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post("/account/inloggen/", {"username": user.username, "password": "fout"})
    assert response.status_code in (403, 429)
    assert "Account tijdelijk geblokkeerd" in response.content.decode()
    # Even the right password is refused now.
    response = client.post("/account/inloggen/", {"username": user.username, "password": "correct-horse-battery"})
    assert response.status_code in (403, 429)
    assert "_auth_user_id" not in client.session


def test_successful_login(db):
    user = UserFactory(username="beek-ambtenaar", roles=["ambtenaar"])
    response = Client().post("/account/inloggen/", {"username": user.username, "password": "correct-horse-battery"})
    assert response.status_code == 302 and response["Location"] == "/"


def test_password_reset_sends_a_dutch_email(db):
    UserFactory(username="beek-ambtenaar", email="ambtenaar@beek.example")
    response = Client().post("/account/wachtwoord-vergeten/", {"email": "ambtenaar@beek.example"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Nieuw wachtwoord voor Regio Wmo"
    assert "/account/wachtwoord-instellen/" in mail.outbox[0].body
    # An unknown address gives the same answer and no e-mail (no account enumeration).
    response = Client().post("/account/wachtwoord-vergeten/", {"email": "onbekend@example.nl"})
    assert response.status_code == 302 and len(mail.outbox) == 1


def test_audit_trail_records_the_author(db):
    from django.core.files.uploadedfile import SimpleUploadedFile

    # A new region is the platform administrator's to create (issue 10, finding 2).
    admin = UserFactory(username="platform", municipality=None, roles=["platformbeheerder"])
    client = Client()
    client.force_login(admin)
    text = b"region: {code: audit, name: Auditregio}\n"
    client.post("/beheer/regiobestand/", {"file": SimpleUploadedFile("audit.yaml", text)})
    record = Region.history.get(code="audit")
    assert record.history_user == admin and record.history_type == "+"
    assert record.history_change_reason == "regiobestand audit.yaml"
    html = client.get("/beheer/historie/").content.decode()
    assert "Auditregio" in html and str(admin) in html


def test_history_cannot_be_reverted_or_edited_in_the_admin(db, admin_client):
    region = Region.objects.create(code="r", name="R")
    region.name = "R2"
    region.save()
    history_id = region.history.last().history_id
    response = admin_client.get(f"/django-admin/regio/region/{region.pk}/history/{history_id}/")
    assert response.status_code in (403, 404) or "Revert" not in response.content.decode()
    assert settings.SIMPLE_HISTORY_REVERT_DISABLED


def test_admin_is_for_superusers_only(db):
    client = Client()
    client.force_login(UserFactory(username="beheerder", roles=["beheerder"], is_staff=True))
    response = client.get("/django-admin/")
    assert response.status_code == 302 and "/django-admin/login/" in response["Location"]


def test_admin_works_for_a_superuser(db, admin_client):
    MunicipalityFactory(code="GM0888", name="Beek")
    assert admin_client.get("/django-admin/regio/municipality/").status_code == 200


PROD_ENV = {
    "DJANGO_SETTINGS_MODULE": "regio.settings_production",
    "SECRET_KEY": "x" * 20 + "-production-secret-for-the-deploy-check-0123456789",
    "ALLOWED_HOSTS": "regio-wmo.example.nl",
    "BW_PSEUDONYM_SECRET": "deploy-check-pseudonym-key-0123456789abcdef",
    "DATABASE_URL": "sqlite:////tmp/regio-deploy-check.sqlite3",
}


def run_manage(*args, env):
    dropped = {"SECRET_KEY", "ALLOWED_HOSTS", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    full_env = {k: v for k, v in os.environ.items() if k not in dropped}
    full_env.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=settings.BASE_DIR, env=full_env, capture_output=True, text=True
    )


def test_check_deploy_is_clean_under_production_settings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PROD_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "BW_PSEUDONYM_SECRET"])
def test_production_refuses_to_start_without(missing):
    env = {k: v for k, v in PROD_ENV.items() if k != missing}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert missing in result.stderr
