"""Matrix cases of beschermd wonen (issue 13: the pseudonymous register). Region A's coordinating municipality a1
runs the register (its ``bw`` staff is the access team); a2's ``bw`` staff reads its own residents only; a3's ``bw``
staff, a2's portfolio holder and a1's coordinator without the ``bw`` role see no record at all."""

from datetime import date

from beschermdwonen.models import Client, Residence
from tests.tenancy.matrix import Case

NO_RECORD = (("a3", "bw"), ("a2", "wethouder"), ("a1", "coordinator"))


def _client(world):
    client = Client.objects.create(region=world.a, reference="BW-MATRIX-A2", birth_year=1931)
    Residence.objects.create(client=client, municipality=world.a2, valid_from=date(2024, 1, 1))
    return {"reference": client.reference}


def _client_list(world):
    _client(world)
    return {}


def _marker(world, kwargs):
    return "BW-MATRIX-A2"


def _page_marker(world, kwargs):
    # The reference is in the detail page's own URL (echoed by the language form), so the file's content is the marker.
    return ">1931<"


def _api_marker(world, kwargs):
    return '"birth_year":1931'


def _snapshot(world, kwargs):
    return (
        sorted(Client.objects.unrestricted().values_list("pk", "reference", "birth_year")),
        sorted(Residence.objects.unrestricted().values_list("pk", "municipality_id", "valid_from", "valid_to")),
    )


def _new_client(world, kwargs):
    return {"region": "regio-a", "municipality": "GM0888", "valid_from": "2025-01-01", "reference": "BW-NIEUW"}


def _new_client_form(world, kwargs):
    return {"municipality": "GM0888", "valid_from": "01-01-2025", "reference": "BW-NIEUW"}


CASES = [
    Case(
        "bw-client-list",
        _client_list,
        _marker,
        kind="list",
        insider=("a2", "bw"),
        outsiders=NO_RECORD,
    ),
    Case(
        "bw-client-detail",
        _client,
        _page_marker,
        insider=("a2", "bw"),
        outsiders=NO_RECORD,
        writes=("POST",),
        write_payload={"municipality": "GM1883", "valid_from": "01-06-2025"},
        snapshot=_snapshot,
    ),
    Case(
        "bw-client-create",
        _client_list,
        lambda w, kw: "Nieuwe cliënt beschermd wonen",
        kind="role",
        insider=("a1", "bw"),
        outsiders=(("a2", "bw"), ("a2", "wethouder"), ("a1", "coordinator")),
        viewer=("a2", "bw"),
        writes=("POST",),
        write_payload=_new_client_form,
        snapshot=_snapshot,
    ),
    Case("bw-counts", _client_list, lambda w, kw: "Regio A", kind="list", insider=("a2", "wethouder")),
    Case(
        "api:bw-client-list",
        _client_list,
        _marker,
        kind="list",
        insider=("a2", "bw"),
        outsiders=NO_RECORD,
        viewer=("a2", "bw"),
        writes=("POST",),
        write_payload=_new_client,
        snapshot=_snapshot,
    ),
    Case("api:bw-client-detail", _client, _api_marker, insider=("a2", "bw"), outsiders=NO_RECORD),
]


def _notification(world):
    from beschermdwonen.models import Notification

    _client(world)
    client = Client.objects.unrestricted().get(reference="BW-MATRIX-A2")
    notification = Notification.objects.create(
        client=client,
        notified_on=date(2025, 2, 3),
        kind="extramural",
        municipality=world.a2,
        notified_by="Wijkteam X9",
    )
    return {"pk": notification.pk}


def _notification_list(world):
    _notification(world)
    return {}


def _notification_snapshot(world, kwargs):
    from beschermdwonen.models import Notification

    return sorted(Notification.objects.unrestricted().values_list("pk", "notified_on", "kind", "notified_by"))


def _new_notification(world, kwargs):
    return {"client": "BW-MATRIX-A2", "notified_on": "2025-03-01", "kind": "intramural", "notified_by": "Huisarts"}


def _new_notification_form(world, kwargs):
    return {"client": "BW-MATRIX-A2", "notified_on": "01-03-2025", "kind": "intramural", "notified_by": "Huisarts"}


CASES += [
    Case(
        "bw-notification-list",
        _notification_list,
        lambda w, kw: "BW-MATRIX-A2",
        kind="list",
        insider=("a2", "bw"),
        outsiders=NO_RECORD,
    ),
    Case(
        "bw-notification-detail", _notification, lambda w, kw: "Wijkteam X9", insider=("a2", "bw"), outsiders=NO_RECORD
    ),
    Case(
        "bw-notification-create",
        _notification_list,
        lambda w, kw: "Nieuwe melding beschermd wonen",
        kind="role",
        insider=("a1", "bw"),
        outsiders=(("a2", "bw"), ("a2", "wethouder"), ("a1", "coordinator")),
        viewer=("a2", "bw"),
        writes=("POST",),
        write_payload=_new_notification_form,
        snapshot=_notification_snapshot,
    ),
    Case(
        "api:bw-notification-list",
        _notification_list,
        lambda w, kw: "Wijkteam X9",
        kind="list",
        insider=("a2", "bw"),
        outsiders=NO_RECORD,
        viewer=("a2", "bw"),
        writes=("POST",),
        write_payload=_new_notification,
        snapshot=_notification_snapshot,
    ),
    Case(
        "api:bw-notification-detail",
        _notification,
        lambda w, kw: "Wijkteam X9",
        insider=("a2", "bw"),
        outsiders=NO_RECORD,
    ),
]


def _assessment(world):
    from decimal import Decimal

    from django.core.files.base import ContentFile

    from beschermdwonen.models import Assessment, AssessmentHours, Notification

    notification = Notification.objects.unrestricted().get(pk=_notification(world)["pk"])
    assessment = Assessment.objects.create(notification=notification, advice_kind="ggd", advice_cost=Decimal("450"))
    AssessmentHours.objects.create(assessment=assessment, function="Allround consulent X7", scale=10, hours=7)
    assessment.report.save("verslag.pdf", ContentFile(b"%PDF-1.4 MATRIXVERSLAG"), save=True)
    return {"pk": assessment.pk}


def _assessment_list(world):
    _assessment(world)
    return {}


def _assessment_snapshot(world, kwargs):
    from beschermdwonen.models import Assessment, AssessmentHours

    return (
        sorted(Assessment.objects.unrestricted().values_list("pk", "advice_cost", "report")),
        sorted(AssessmentHours.objects.unrestricted().values_list("pk", "hours")),
    )


CASES += [
    Case(
        "bw-assessment-create",
        _notification,
        lambda w, kw: "Onderzoek bij de melding van 03-02-2025",
        insider=("a1", "bw"),
        viewer=("a2", "bw"),
        outsiders=(("a3", "bw"), ("a2", "wethouder")),
        writes=("POST",),
        write_payload={"advice_kind": "none"},
        snapshot=_assessment_snapshot,
    ),
    Case(
        "bw-assessment-detail",
        _assessment,
        lambda w, kw: "Allround consulent X7",
        insider=("a2", "bw"),
        outsiders=NO_RECORD,
        writes=("POST",),
        write_payload={"function": "Consulent", "scale": "10", "hours": "1"},
        snapshot=_assessment_snapshot,
    ),
    Case(
        "bw-assessment-report",
        _assessment,
        lambda w, kw: "MATRIXVERSLAG",
        insider=("a1", "bw"),
        viewer=("a2", "bw"),
        outsiders=(("a3", "bw"), ("a2", "wethouder")),
        writes=("POST",),
        snapshot=_assessment_snapshot,
    ),
    Case(
        "api:bw-assessment-list",
        _assessment_list,
        lambda w, kw: "Allround consulent X7",
        kind="list",
        insider=("a2", "bw"),
        outsiders=NO_RECORD,
    ),
    Case(
        "api:bw-assessment-detail",
        _assessment,
        lambda w, kw: "Allround consulent X7",
        insider=("a2", "bw"),
        outsiders=NO_RECORD,
    ),
]


# Issue 13 part A: indications, advice requests, disagreements, replacements, worklists, the member's own view and
# the objective model.


def _indication(world):
    from beschermdwonen.models import Indication

    _client(world)
    client = Client.objects.unrestricted().get(reference="BW-MATRIX-A2")
    indication = Indication.objects.create(
        client=client,
        product="begeleiding",
        decided_on=date(2024, 2, 1),
        care_start=date(2024, 3, 1),
        decided_by=world.a2,
        responsible_municipality=world.a2,
    )
    return {"pk": indication.pk}


def _indication_list(world):
    _indication(world)
    return {}


def _indication_snapshot(world, kwargs):
    from beschermdwonen.models import Indication

    return sorted(Indication.objects.unrestricted().values_list("pk", "product", "care_start", "ends_on"))


def _new_indication(world, kwargs):
    return {"client": "BW-MATRIX-A2", "product": "arrangement", "decided_on": "2025-01-10", "care_start": "2025-02-01"}


def _new_indication_form(world, kwargs):
    return {"product": "arrangement", "decided_on": "10-01-2025", "care_start": "01-02-2025", "delivery": "in_kind"}


def _advice(world):
    from beschermdwonen.models import AdviceRequest

    advice = AdviceRequest.objects.create(
        region=world.a,
        requested_by=world.a2,
        requested_on=date(2025, 3, 1),
        case_reference="BEEK-X7",
        question="Vraag Q8",
        situation="Situatie S8",
        advised_on=date(2025, 3, 10),
        advice_text="Advies A8",
    )
    return {"pk": advice.pk}


def _advice_list(world):
    _advice(world)
    return {}


def _advice_snapshot(world, kwargs):
    from beschermdwonen.models import AdviceRequest

    return sorted(AdviceRequest.objects.unrestricted().values_list("pk", "advised_on", "decision", "decided_on"))


def _disagreement(world):
    from beschermdwonen.models import Disagreement

    _client(world)
    client = Client.objects.unrestricted().get(reference="BW-MATRIX-A2")
    case = Disagreement.objects.create(client=client, opened_on=date(2025, 4, 1), subject="Geschil G9")
    return {"pk": case.pk}


def _disagreement_snapshot(world, kwargs):
    from beschermdwonen.models import Disagreement, DisagreementStep

    return (
        sorted(Disagreement.objects.unrestricted().values_list("pk", "closed_on", "outcome")),
        sorted(DisagreementStep.objects.unrestricted().values_list("pk", "step")),
    )


def _replacement(world):
    from beschermdwonen.models import Replacement

    _client(world)
    client = Client.objects.unrestricted().get(reference="BW-MATRIX-A2")
    rep = Replacement.objects.create(
        client=client, reported_on=date(2025, 5, 1), reason="Onhoudbaar", responsible_provider="Aanbieder R5"
    )
    return {"pk": rep.pk}


def _replacement_snapshot(world, kwargs):
    from beschermdwonen.models import Replacement

    return sorted(
        Replacement.objects.unrestricted().values_list("pk", "meeting_on", "receiving_provider", "handover_on")
    )


def _worklist(world):
    from beschermdwonen.models import Replacement

    _notification(world)
    client = Client.objects.unrestricted().get(reference="BW-MATRIX-A2")
    Replacement.objects.create(
        client=client, reported_on=date(2025, 5, 1), reason="Onhoudbaar", responsible_provider="Aanbieder R5"
    )
    return {}


TEAM_ONLY = (("a3", "bw"), ("a2", "wethouder"))

CASES += [
    Case(
        "bw-indication-create",
        _client,
        lambda w, kw: "Nieuwe indicatie voor BW-MATRIX-A2",
        insider=("a1", "bw"),
        viewer=("a2", "bw"),
        outsiders=TEAM_ONLY,
        writes=("POST",),
        write_payload=_new_indication_form,
        snapshot=_indication_snapshot,
    ),
    Case(
        "api:bw-indication-list",
        _indication_list,
        lambda w, kw: '"care_start":"2024-03-01"',
        kind="list",
        insider=("a2", "bw"),
        outsiders=NO_RECORD,
        viewer=("a2", "bw"),
        writes=("POST",),
        write_payload=_new_indication,
        snapshot=_indication_snapshot,
    ),
    Case(
        "api:bw-indication-detail",
        _indication,
        lambda w, kw: '"care_start":"2024-03-01"',
        insider=("a2", "bw"),
        outsiders=NO_RECORD,
    ),
    Case(
        "bw-advice-list",
        _advice_list,
        lambda w, kw: "BEEK-X7",
        kind="list",
        insider=("a2", "bw"),
        outsider=("b1", "bw"),
        outsiders=NO_RECORD,
    ),
    Case(
        "bw-advice-detail",
        _advice,
        lambda w, kw: "Situatie S8",
        insider=("a2", "bw"),
        outsider=("b1", "bw"),
        outsiders=NO_RECORD,
        viewer=None,  # who sees it acts on it: the team advises, the requester decides
        writes=("POST",),
        write_payload={"stap": "besluit", "besluit-decision": "followed", "besluit-decided_on": "12-03-2025"},
        snapshot=_advice_snapshot,
    ),
    Case(
        "bw-advice-create",
        _advice_list,
        lambda w, kw: "Nieuwe adviesvraag beschermd wonen",
        kind="role",
        insider=("a2", "bw"),
        outsiders=(("a1", "bw"), ("a2", "wethouder"), ("a1", "coordinator")),
        viewer=("a1", "bw"),
        writes=("POST",),
        write_payload={
            "case_reference": "X",
            "requested_on": "01-03-2025",
            "question": "Q",
            "situation": "S",
        },
        snapshot=_advice_snapshot,
    ),
    Case(
        "bw-disagreement-create",
        _client,
        lambda w, kw: "Nieuw geschil",
        insider=("a1", "bw"),
        viewer=("a2", "bw"),
        outsiders=TEAM_ONLY,
        writes=("POST",),
        write_payload={"opened_on": "01-04-2025", "subject": "Wie?"},
        snapshot=_disagreement_snapshot,
    ),
    Case(
        "bw-disagreement-detail",
        _disagreement,
        lambda w, kw: "Geschil G9",
        insider=("a2", "bw"),
        outsiders=NO_RECORD,
        writes=("POST",),
        write_payload={"stap": "stap", "stap-taken_on": "02-04-2025", "stap-step": "Overleg"},
        snapshot=_disagreement_snapshot,
    ),
    Case(
        "bw-replacement-create",
        _client,
        lambda w, kw: "Nieuwe herplaatsing",
        insider=("a1", "bw"),
        viewer=("a2", "bw"),
        outsiders=TEAM_ONLY,
        writes=("POST",),
        write_payload={"reported_on": "01-05-2025", "reason": "R", "responsible_provider": "P"},
        snapshot=_replacement_snapshot,
    ),
    Case(
        "bw-replacement-detail",
        _replacement,
        lambda w, kw: "Aanbieder R5",
        insider=("a2", "bw"),
        outsiders=NO_RECORD,
        writes=("POST",),
        write_payload={"stap": "overleg", "overleg-meeting_on": "06-05-2025", "overleg-invited_providers": "B"},
        snapshot=_replacement_snapshot,
    ),
    Case(
        "bw-worklists",
        _worklist,
        lambda w, kw: "Aanbieder R5",
        kind="role",
        insider=("a1", "bw"),
        outsiders=(("a2", "wethouder"), ("a1", "coordinator"), ("a2", "toezichthouder")),
    ),
    Case(
        "bw-member-view",
        _advice_list,
        lambda w, kw: "BEEK-X7",
        kind="list",
        insider=("a2", "bw"),
        outsider=("b1", "bw"),
        outsiders=(("a3", "bw"), ("a2", "wethouder"), ("a1", "coordinator")),
    ),
    Case(
        "bw-objective-model",
        _indication_list,
        lambda w, kw: "Objectief verdeelmodel beschermd wonen: Regio A",
        kind="list",
        insider=("a2", "wethouder"),
    ),
]
