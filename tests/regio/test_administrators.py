"""Two administrator roles (issue 10, finding 2): the platform administrator configures every region and reads no
case or client files; a municipality's functional administrator administers its own people and only the regions its
municipality coordinates. A changed e-mail address or role is in the history and told to the old address."""

from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.contrib.auth.models import Group
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client

from regio.audit import configuration_models, history_querysets
from regio.models import AccessLog, Membership, Municipality, Region, User, log_access
from regio.regionfile import RegionFileError
from regio.regionfile.loader import import_text
from regio.tenancy import system_actor
from tests.factories import UserFactory

DEMO = Path(settings.BASE_DIR) / "demo"

# The attack of finding 2, exactly: Sittard-Geleen's functional administrator sends a region file for Brabant
# Noordoost-oost that gives Oss's coordinator an address of its own choosing.
TAKEOVER = """region: {code: brabant-noordoost-oost, name: Brabant Noordoost-oost}
people:
  - username: oss-coordinator
    name: Medewerker regioteam Oss (demo)
    email: aanvaller@example.org
    municipality: GM0828
    roles: [coordinator]
"""


def upload(client, text: str, name: str = "bestand.yaml"):
    return client.post("/beheer/regiobestand/", {"file": SimpleUploadedFile(name, text.encode())})


def login(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def platform_admin() -> User:
    return UserFactory(username="platform", municipality=None, roles=["platformbeheerder"])


def commit_setup() -> None:
    """What the commit at the end of the test's setup would do: run the callbacks it left (e.g. "account created"),
    so that the test's own changes are a transaction of their own, as they would be in the application."""
    from django.db import connection

    callbacks = [entry[1] for entry in connection.run_on_commit]
    connection.run_on_commit[:] = []
    for callback in callbacks:
        callback()
    mail.outbox.clear()


def people_state():
    return sorted(User.objects.values_list("username", "email", "municipality__code")), sorted(
        User.groups.through.objects.values_list("user__username", "group__name")
    )


def test_the_takeover_of_finding_2_is_refused_and_changes_nothing(demo_regions):
    """Issue 10, finding 2, replayed: the upload is refused naming the region and the person; the e-mail of
    oss-coordinator is unchanged, no history record and no e-mail."""
    client = login("beheerder")
    history_before = User.history.count()
    before = people_state()
    response = upload(client, TAKEOVER)
    html = response.content.decode()
    assert response.status_code == 200 and "niet ingelezen" in html
    assert "regio &#x27;brabant-noordoost-oost&#x27; (Brabant Noordoost-oost) wordt niet door Sittard-Geleen" in html
    assert "&#x27;oss-coordinator&#x27; is een account van Oss" in html and "het e-mailadres" in html
    assert User.objects.get(username="oss-coordinator").email == "oss-coordinator@regio-wmo.example"
    assert people_state() == before and User.history.count() == history_before
    assert mail.outbox == []


def test_a_takeover_through_its_own_region_file_is_refused_too(demo_regions):
    """The same change hidden in the administrator's own region (Westelijke Mijnstreek) is refused as well."""
    text = TAKEOVER.replace(
        "region: {code: brabant-noordoost-oost, name: Brabant Noordoost-oost}",
        "region: {code: westelijke-mijnstreek, name: Westelijke Mijnstreek}",
    )
    before = people_state()
    with pytest.raises(RegionFileError) as exc:
        import_text(text, "wm.yaml", user=User.objects.get(username="beheerder"))
    problems = [str(p) for p in exc.value.problems]
    assert (
        "wm.yaml: people[0].municipality: Oss (GM0828) hoort niet bij de regio's die Sittard-Geleen coördineert."
        in (problems)
    )
    assert any("'oss-coordinator' is een account van Oss" in p for p in problems)
    assert people_state() == before


@pytest.mark.parametrize(
    ("username", "role"),
    [("oss-coordinator2", "coordinator"), ("oss-beheerder", "beheerder")],
    ids=["coordinator", "admin"],
)
def test_creating_an_account_in_another_municipality_is_refused(demo_regions, username, role):
    for region in ("brabant-noordoost-oost", "westelijke-mijnstreek"):
        text = (
            f"region: {{code: {region}, name: X}}\npeople:\n"
            f"  - {{username: {username}, name: Nieuw, email: n@example.org, municipality: GM0828, roles: [{role}]}}\n"
        )
        with pytest.raises(RegionFileError) as exc:
            import_text(text, "x.yaml", user=User.objects.get(username="beheerder"))
        assert any(f"'{username}' zou een nieuw account worden bij GM0828" in str(p) for p in exc.value.problems)
        assert not User.objects.filter(username=username).exists()


def test_changing_a_member_municipality_person_is_refused(demo_regions):
    """Stein is in Sittard-Geleen's region, but its people are Stein's to administer."""
    text = (
        (DEMO / "10-westelijke-mijnstreek.yaml")
        .read_text()
        .replace("stein-coordinator@regio-wmo.example", "ander@example.org")
    )
    with pytest.raises(RegionFileError) as exc:
        import_text(text, "wm.yaml", user=User.objects.get(username="beheerder"))
    at = [p["username"] for p in yaml.safe_load(text)["people"]].index("stein-coordinator")
    assert [str(p) for p in exc.value.problems] == [
        f"wm.yaml: people[{at}]: 'stein-coordinator' is een account van Stein: u beheert alleen de mensen van uw "
        "eigen gemeente (Sittard-Geleen); het bestand wijzigt het e-mailadres."
    ]


def test_adding_a_municipality_outside_its_regions_is_refused(demo_regions):
    text = (
        (DEMO / "10-westelijke-mijnstreek.yaml")
        .read_text()
        .replace("members:\n", "members:\n  - {municipality: GM0828, from: 2026-01-01}\n")
    )
    before = Membership.objects.unrestricted().count()
    with pytest.raises(RegionFileError) as exc:
        import_text(text, "wm.yaml", user=User.objects.get(username="beheerder"))
    assert (
        "wm.yaml: members[0].municipality: Oss (GM0828) hoort niet bij de regio's die Sittard-Geleen coördineert."
        in [str(p) for p in exc.value.problems]
    )
    assert Membership.objects.unrestricted().count() == before


def test_a_new_region_is_for_the_platform_administrator(demo_regions):
    text = "region: {code: nieuw, name: Nieuw}\n"
    with pytest.raises(RegionFileError, match="een nieuwe regio legt de platformbeheerder aan"):
        import_text(text, "n.yaml", user=User.objects.get(username="beheerder"))
    import_text(text, "n.yaml", user=platform_admin())
    assert Region.objects.unrestricted().filter(code="nieuw").exists()


def test_other_roles_import_nothing(demo_regions):
    with pytest.raises(RegionFileError, match="alleen een functioneel beheerder of de platformbeheerder"):
        import_text(TAKEOVER, "x.yaml", user=User.objects.get(username="oss-coordinator"))


def test_the_demo_functional_administrator_still_imports_its_own_region(demo_regions):
    """Keep what works: the WM demo files (with Stein's and Beek's people unchanged, and Schinnen's successor
    Beekdaelen) are accepted from Sittard-Geleen's functional administrator."""
    client = login("beheerder")
    for name in ("10-westelijke-mijnstreek.yaml", "20-agreements-westelijke-mijnstreek.yaml"):
        response = upload(client, (DEMO / name).read_text(), name)
        assert response.status_code == 302, response.content.decode()[:2000]


def test_the_functional_administrator_changes_its_own_people_and_the_old_address_hears_of_it(
    demo_regions, django_capture_on_commit_callbacks
):
    text = (DEMO / "10-westelijke-mijnstreek.yaml").read_text()
    text = text.replace("sittard-geleen-ambtenaar@regio-wmo.example", "nieuw@sittard-geleen.example")
    text = text.replace(
        "municipality: GM1883\n    roles: [ambtenaar]", "municipality: GM1883\n    roles: [ambtenaar, bw]"
    )
    commit_setup()
    with django_capture_on_commit_callbacks(execute=True):
        result = import_text(text, "wm.yaml", user=User.objects.get(username="beheerder"))
    assert result.changed >= 2
    person = User.objects.get(username="sittard-geleen-ambtenaar")
    assert person.email == "nieuw@sittard-geleen.example" and person.roles == ["ambtenaar", "bw"]
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["sittard-geleen-ambtenaar@regio-wmo.example"]
    assert message.subject == "Uw account in Regio Wmo is gewijzigd"
    assert "van sittard-geleen-ambtenaar@regio-wmo.example in nieuw@sittard-geleen.example" in message.body
    assert "Voorheen: Ambtenaar van een deelnemende gemeente. Nu: Ambtenaar van een deelnemende gemeente" in (
        message.body
    )
    # Roles are in the audit history too.
    latest = person.history.order_by("-history_date").first()
    assert sorted(latest.groups.values_list("group__name", flat=True)) == ["ambtenaar", "bw"]


def test_an_email_change_anywhere_notifies_the_old_address(db, django_capture_on_commit_callbacks):
    """Issue 10, finding 2: the password reset went to the new address; now the old one is told first."""
    user = UserFactory(username="stein-ambtenaar", email="oud@stein.example", roles=["ambtenaar"])
    commit_setup()
    with django_capture_on_commit_callbacks(execute=True):
        user.email = "nieuw@example.org"
        user.save()
        user.groups.add(Group.objects.get_or_create(name="coordinator")[0])
    assert [m.to for m in mail.outbox] == [["oud@stein.example"]]
    assert "oud@stein.example in nieuw@example.org" in mail.outbox[0].body
    assert "Medewerker van de coördinerende gemeente" in mail.outbox[0].body
    # Both changes are in the audit history: the e-mail address, then the role (with the roles at that moment).
    latest, before = user.history.order_by("-history_date", "-history_id")[:2]
    assert before.email == latest.email == "nieuw@example.org"
    assert sorted(latest.groups.values_list("group__name", flat=True)) == ["ambtenaar", "coordinator"]
    assert list(before.groups.values_list("group__name", flat=True)) == ["ambtenaar"]


def test_a_rolled_back_change_tells_nobody(db, django_capture_on_commit_callbacks):
    from django.db import transaction

    user = UserFactory(username="beek-ambtenaar", email="oud@beek.example")
    commit_setup()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        user.email = "nieuw@example.org"
        user.save()
        raise RuntimeError("teruggedraaid")
    assert mail.outbox == []
    # The rolled-back change leaves nothing behind that would swallow the next one.
    user.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        user.email = "later@example.org"
        user.save()
    assert [m.to for m in mail.outbox] == [["oud@beek.example"]]


def test_an_email_change_in_the_django_admin_notifies_the_old_address(
    db, admin_client, django_capture_on_commit_callbacks
):
    user = UserFactory(username="beek-ambtenaar", email="oud@beek.example", roles=["ambtenaar"])
    data = {
        "username": user.username,
        "email": "nieuw@example.org",
        "full_name": user.full_name,
        "municipality": user.municipality_id,
        "is_active": "on",
        "groups": list(user.groups.values_list("pk", flat=True)),
        "date_joined_0": "2026-01-01",
        "date_joined_1": "10:00:00",
    }
    commit_setup()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(f"/django-admin/regio/user/{user.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert [m.to for m in mail.outbox] == [["oud@beek.example"]]


# --- history and access log, scoped -------------------------------------------------------------------------------


def test_history_of_a_functional_administrator_shows_only_its_own_regions_and_people(demo_regions):
    html = login("beheerder").get("/beheer/historie/").content.decode()
    assert "Westelijke Mijnstreek" in html and "Ambtenaar Wmo Sittard-Geleen (demo)" in html
    assert "Brabant Noordoost-oost" not in html and "Maastricht-Heuvelland" not in html
    assert "Medewerker regioteam Oss (demo)" not in html and "Ambtenaar Wmo Stein (demo)" not in html


def test_history_of_the_platform_administrator_is_all_configuration_and_nothing_else(demo_regions):
    client = Client()
    user = platform_admin()
    client.force_login(user)
    html = client.get("/beheer/historie/").content.decode()
    for name in (
        "Westelijke Mijnstreek",
        "Brabant Noordoost-oost",
        "Maastricht-Heuvelland",
        "Medewerker regioteam Oss",
    ):
        assert name in html
    labels = {model.instance_type._meta.label for model, _ in history_querysets(user)}
    assert labels <= configuration_models()
    # Region-level settings are configuration (the objective-model start date); client files and money are not.
    settings_only = {"beschermdwonen.RegionSetting", "beschermdwonen.MaastrichtBudget", "beschermdwonen.ExecutionCost"}
    assert not any(
        label.startswith(("beschermdwonen.", "invoicing.Invoice", "invoicing.Payment", "toezicht.Signal"))
        for label in labels - settings_only
    )


def test_access_log_of_a_functional_administrator_is_its_own(demo_regions):
    oss, beek = Municipality.objects.get(code="GM0828"), Municipality.objects.get(code="GM0888")
    region = Region.objects.get(code="brabant-noordoost-oost")
    log_access(user=User.objects.get(username="oss-coordinator"), obj=region, municipality=oss)
    log_access(user=User.objects.get(username="sittard-geleen-coordinator"), obj=beek, municipality=beek)
    beheerder = User.objects.get(username="beheerder")
    assert list(AccessLog.objects.visible_to(beheerder).values_list("municipality__code", flat=True)) == ["GM0888"]
    html = login("beheerder").get("/beheer/inzagelog/").content.decode()
    assert "Beek" in html and "Oss" not in html
    oss_admin = UserFactory(username="oss-beheerder", municipality=oss, roles=["beheerder"])
    assert list(AccessLog.objects.visible_to(oss_admin).values_list("municipality__code", flat=True)) == ["GM0828"]


def test_the_platform_administrator_reads_no_access_log_and_no_tenant_data(demo_regions):
    client = Client()
    user = platform_admin()
    client.force_login(user)
    assert client.get("/beheer/inzagelog/").status_code == 403
    assert AccessLog.objects.visible_to(user).count() == 0
    # Configuration of every region, yes; another model's data, no.
    assert Region.objects.visible_to(user).count() == 3
    from agreements.models import Agreement

    call_command("load_demo", "--quiet-logins", stdout=StringIO())
    assert Agreement.objects.unrestricted().exists() and not Agreement.objects.visible_to(user).exists()


def test_the_platform_administrator_walks_every_page_of_its_navigation_without_error(db):
    """It has no municipality: every page it can reach answers, with no tenant data (the whole demo loaded)."""
    call_command("load_demo", "--quiet-logins", stdout=StringIO())
    client = Client()
    client.force_login(User.objects.get(username="platformbeheerder"))
    home = client.get("/")
    assert home.status_code == 200
    urls = [item["url"] for item in home.context["navigation"]]
    assert "/beheer/regiobestand/" in urls and "/beheer/historie/" in urls
    for url in urls:
        assert client.get(url).status_code == 200, url
    from django.urls import NoReverseMatch, reverse

    from tests.tenancy.matrix import all_routes

    lists = [name for name, pattern in all_routes().items() if name.startswith("api:") and name.endswith("-list")]
    assert lists
    for name in lists:
        try:
            url = reverse(name)
        except NoReverseMatch:  # a list below a parent (needs its key): not reachable without one
            continue
        response = client.get(url, HTTP_ACCEPT="application/json")
        assert response.status_code in (200, 400, 403, 405), (name, response.status_code)
        if response.status_code == 200 and name in ("api:invoice-list", "api:agreement-list"):
            body = response.json()
            assert (body["count"] if isinstance(body, dict) else len(body)) == 0, name  # no tenant data


def test_functional_administrator_scope_in_the_tenancy_rule(demo_regions):
    beheerder = User.objects.get(username="beheerder")
    assert set(Region.objects.restrict(beheerder, "change").values_list("code", flat=True)) == {
        "westelijke-mijnstreek"
    }
    changeable = set(Municipality.objects.restrict(beheerder, "change").values_list("code", flat=True))
    assert changeable == {"GM1883", "GM0971", "GM0888", "GM0962", "GM1954"}
    assert set(User.visible_people(beheerder).values_list("municipality__code", flat=True)) == {"GM1883"}


def test_the_demo_has_a_platform_administrator_login(db):
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "platformbeheerder" in out.getvalue() and "(hele installatie)" in out.getvalue()
    user = User.objects.get(username="platformbeheerder")
    assert user.check_password(settings.DEMO_PASSWORD) and user.roles == ["platformbeheerder"]
    assert user.municipality is None


def test_the_command_line_imports_any_region_as_the_system(demo_regions, tmp_path):
    path = tmp_path / "bno.yaml"
    path.write_text(TAKEOVER.replace("aanvaller@example.org", "oss-coordinator@oss.example"))
    call_command("import_region", str(path), stdout=StringIO())
    assert User.objects.get(username="oss-coordinator").email == "oss-coordinator@oss.example"
    assert import_text(TAKEOVER, "x.yaml", user=system_actor("test")).changed == 1


# --- the people page ------------------------------------------------------------------------------------------------


def test_the_people_page_changes_own_people_and_tells_the_old_address(
    demo_regions, django_capture_on_commit_callbacks
):
    client = login("beheerder")
    html = client.get("/beheer/mensen/").content.decode()
    assert "sittard-geleen-coordinator" in html and "stein-coordinator" not in html and "oss-coordinator" not in html
    commit_setup()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/beheer/mensen/sittard-geleen-bw/",
            {"full_name": "BW Sittard-Geleen", "email": "bw@sittard-geleen.example", "roles": ["bw", "ambtenaar"]},
        )
    assert response.status_code == 302
    person = User.objects.get(username="sittard-geleen-bw")
    assert (person.email, person.roles, person.is_active) == ("bw@sittard-geleen.example", ["ambtenaar", "bw"], False)
    assert [m.to for m in mail.outbox] == [["sittard-geleen-bw@regio-wmo.example"]]
    assert "door Functioneel beheerder (demo)" in mail.outbox[0].body
    record = person.history.order_by("-history_date", "-history_id").first()
    assert record.history_user.username == "beheerder"


@pytest.mark.parametrize("username", ["stein-coordinator", "oss-coordinator"])
def test_the_people_page_of_another_municipality_is_not_found(demo_regions, username):
    client = login("beheerder")
    before = people_state()
    assert client.get(f"/beheer/mensen/{username}/").status_code == 404
    response = client.post(f"/beheer/mensen/{username}/", {"full_name": "X", "email": "aanvaller@example.org"})
    assert response.status_code == 404
    assert people_state() == before


def test_a_platform_administrator_account_is_only_the_platform_administrators(demo_regions):
    operator = UserFactory(
        username="operator", municipality=Municipality.objects.get(code="GM1883"), roles=["platformbeheerder"]
    )
    client = login("beheerder")
    assert client.get("/beheer/mensen/operator/").status_code == 403
    platform = Client()
    platform.force_login(platform_admin())
    assert platform.get("/beheer/mensen/operator/").status_code == 200
    response = platform.post("/beheer/mensen/oss-coordinator/", {"full_name": "Oss", "email": "c@oss.example"})
    assert response.status_code == 302
    assert User.objects.get(username="oss-coordinator").email == "c@oss.example"
    assert operator.roles == ["platformbeheerder"]


def test_a_bad_email_on_the_people_page_is_a_dutch_message(demo_regions):
    response = login("beheerder").post("/beheer/mensen/sittard-geleen-bw/", {"full_name": "x", "email": "geen adres"})
    assert response.status_code == 200 and "Voer een geldig e-mailadres in." in response.content.decode()


def test_history_pages_with_the_whole_demo(db, django_assert_max_num_queries):
    """Every app's history, read through each model's own tenancy rule: no error, and the platform administrator's
    page lists no invoice (financial records are not configuration)."""
    call_command("load_demo", "--quiet-logins", stdout=StringIO())
    client = login("beheerder")
    response = client.get("/beheer/historie/")
    assert response.status_code == 200 and "Westelijke Mijnstreek" in response.content.decode()
    client = Client()
    client.force_login(User.objects.get(username="platformbeheerder"))
    html = client.get("/beheer/historie/").content.decode()
    assert "Brabant Noordoost-oost" in html and "Factuurgegevens: " in html
    assert "Factuur: " not in html and "Betaling: " not in html


@pytest.mark.django_db(transaction=True)
def test_setting_up_a_new_account_outside_a_transaction_sends_nothing():
    """Autocommit: the account is created, then its first roles are granted; neither is a change to warn about."""
    UserFactory(username="nieuw", email="nieuw@example.org", roles=["ambtenaar"])
    assert mail.outbox == []
    user = User.objects.get(username="nieuw")
    user.groups.add(Group.objects.get_or_create(name="bw")[0])
    assert [m.to for m in mail.outbox] == [["nieuw@example.org"]]  # a later change is one


def test_a_role_given_or_taken_from_the_groups_side_is_in_each_persons_history(db, django_capture_on_commit_callbacks):
    """The Django admin's group page changes ``group.user_set``: that used to crash simple-history (it recorded
    only the user's side). Now each person touched gets a history record with the roles at that moment, and the
    old address hears of it like any role change."""
    first = UserFactory(username="stein-a", email="a@stein.example", roles=["ambtenaar"])
    second = UserFactory(username="stein-b", email="b@stein.example", roles=["ambtenaar"])
    commit_setup()
    group = Group.objects.get_or_create(name="wethouder")[0]
    with django_capture_on_commit_callbacks(execute=True):
        group.user_set.add(first, second)
    for person in (first, second):
        latest = person.history.order_by("-history_date", "-history_id").first()
        assert sorted(latest.groups.values_list("group__name", flat=True)) == ["ambtenaar", "wethouder"]
    assert sorted(m.to[0] for m in mail.outbox) == ["a@stein.example", "b@stein.example"]
    with django_capture_on_commit_callbacks(execute=True):
        group.user_set.clear()
    latest = first.history.order_by("-history_date", "-history_id").first()
    assert list(latest.groups.values_list("group__name", flat=True)) == ["ambtenaar"]


def test_a_login_is_not_a_change_in_the_history(db):
    """Issue 17: the history counted every login as a changed person (Django's login writes ``last_login`` through
    ``update_last_login``, the receiver of ``user_logged_in``)."""
    from django.contrib.auth.models import update_last_login

    person = UserFactory(username="stein-c", roles=["ambtenaar"])
    before = person.history.count()
    update_last_login(None, person)
    person.refresh_from_db()
    assert person.last_login is not None and person.history.count() == before
