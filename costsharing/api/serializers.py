"""Serializers of the cost-sharing API. Amounts are strings with two decimals (STYLE.md rule 7)."""

from __future__ import annotations

from decimal import Decimal

from rest_framework import serializers

from costsharing.models import AllocationKey, CaoStep, KeyVersion, Reckoning, ReckoningLine
from regio.bounds import PlausibleDate
from regio.formatting import round_cents


def money(value: Decimal) -> str:
    """An amount as a string with two decimals, rounded half up (STYLE.md rule 7)."""
    return f"{round_cents(value)}"


class KeyVersionSerializer(serializers.ModelSerializer):
    shares = serializers.SerializerMethodField()

    class Meta:
        model = KeyVersion
        fields = ["id", "basis", "reference_date", "valid_from", "valid_until", "note", "shares"]

    def get_shares(self, obj) -> list[dict]:
        return [
            {"municipality": s.municipality.code, "name": s.municipality.name, "weight": str(s.weight.normalize())}
            for s in obj.shares.all()
        ]


class AllocationKeySerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    versions = KeyVersionSerializer(many=True, read_only=True)

    class Meta:
        model = AllocationKey
        fields = ["code", "name", "region", "source", "versions"]


def weight_text(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


def split_payload(*, key, version, amount: Decimal, parts) -> dict:
    return {
        "key": key.code,
        "version": {
            "id": version.pk,
            "basis": version.basis,
            "reference_date": version.reference_date.isoformat() if version.reference_date else None,
            "valid_from": version.valid_from.isoformat(),
            "valid_until": version.valid_until.isoformat() if version.valid_until else None,
            "note": version.note,
        },
        "amount": money(amount),
        "parts": [
            {
                "municipality": p.municipality.code,
                "name": p.municipality.name,
                "weight": weight_text(p.weight),
                "amount": money(p.amount),
            }
            for p in parts
        ],
    }


def tariffs_payload(tariffs) -> dict:
    return {
        "year": tariffs.year,
        "region": tariffs.norm_year.region.code,
        "revision": tariffs.norm_year.revision,
        "origin": tariffs.norm_year.origin,
        "productive_hours": str(tariffs.norm_year.productive_hours.normalize()),
        "overhead_per_hour": str(tariffs.norm_year.overhead_per_hour)
        if tariffs.norm_year.overhead_per_hour is not None
        else None,
        "hourly_rates": [
            {"scale": s.scale, "norm": money(s.norm), "rate": money(tariffs.rate(s.scale))} for s in tariffs.scales
        ],
        "activities": [
            {
                "code": activity.code,
                "name": activity.name,
                "price": money(price),
                "components": [
                    {"function": c.function, "scale": c.scale, "hours": str(c.hours.normalize())}
                    for c, _exact in parts
                ],
            }
            for activity, parts, price in tariffs.activities
        ],
    }


class ReckoningLineSerializer(serializers.ModelSerializer):
    municipality = serializers.SlugRelatedField(slug_field="code", read_only=True)
    name = serializers.CharField(source="municipality.name", read_only=True)
    correction = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True, allow_null=True)

    class Meta:
        model = ReckoningLine
        fields = ["municipality", "name", "share", "advances", "difference", "previous_share", "correction"]


class ReckoningSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    lines = serializers.SerializerMethodField()

    class Meta:
        model = Reckoning
        fields = [
            "id",
            "region",
            "year",
            "version",
            "status",
            "total",
            "run_state",
            "progress",
            "error",
            "computed_at",
            "approved_at",
            "settled_at",
            "previous",
            "lines",
        ]

    def get_lines(self, obj) -> list[dict]:
        # Only the lines the user may see: a member its own, the coordinating staff all (SPEC §1).
        visible = self.context.get("visible_line_ids")
        lines = [line for line in obj.lines.all() if visible is None or line.pk in visible]
        return ReckoningLineSerializer(lines, many=True).data


class ReckoningRequestSerializer(serializers.Serializer):
    region = serializers.CharField(help_text="regiocode, bijv. westelijke-mijnstreek")
    year = serializers.IntegerField(
        min_value=2000,
        max_value=2100,
        error_messages={
            "invalid": "Het jaar moet een getal zijn, bijvoorbeeld 2025.",
            "min_value": "Kies een jaar vanaf 2000.",
            "max_value": "Kies een jaar tot en met 2100.",
            "required": "Geef het jaar op.",
        },
    )


class CaoStepSerializer(serializers.ModelSerializer):
    """A CAO step (WM-SO 6.4, WM-DVO 5.3). Writing one is bounded as on the tariffs page (issue 10, finding 4): a
    plausible date, a percentage between CAO_STEP_MIN_PERCENTAGE and CAO_STEP_MAX_PERCENTAGE, and ``confirmed: true``
    for a step beyond ±CAO_STEP_CONFIRM_PERCENTAGE."""

    effective_date = serializers.DateField(
        validators=[PlausibleDate()], error_messages={"invalid": "Geef een datum als JJJJ-MM-DD."}
    )
    percentage = serializers.DecimalField(
        max_digits=7,
        decimal_places=4,
        required=False,
        allow_null=True,
        error_messages={
            "invalid": "Geef een percentage, zoals 1.25.",
            "max_digits": "Geef een percentage tussen -999 en 999, zoals 1.25.",
        },
    )
    scales = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=99), required=False, max_length=50, default=list
    )
    confirmed = serializers.BooleanField(
        write_only=True, default=False, help_text="Bevestiging van een ongebruikelijk grote stap (boven de drempel)."
    )

    class Meta:
        model = CaoStep
        fields = ["id", "effective_date", "percentage", "fixed_amount_per_month", "scales", "source", "confirmed"]
        read_only_fields = ["id"]


# --- BNO's annual report (BNO 10.5-10.6, issue 12) -----------------------------------------------------------------


def annual_report_payload(report, *, request=None) -> dict:
    """The report with its versions (each with its PDF) and the latest version's accounts and proposal."""
    from django.urls import reverse

    versions = sorted(report.versions.all(), key=lambda v: -v.number)
    latest = versions[0] if versions else None

    def pdf(version) -> str:
        url = reverse("costsharing-annual-report-version", args=[report.region.code, report.year, version.number])
        url += "?formaat=pdf"
        return request.build_absolute_uri(url) if request else url

    return {
        "region": report.region.code,
        "year": report.year,
        "status": "adopted" if report.is_adopted else "awaiting_adoption",
        "due_on": report.due_on.isoformat(),
        "adopted_on": report.adopted_on.isoformat() if report.adopted_on else None,
        "adopted_version": report.adopted_version.number if report.adopted_version_id else None,
        "adoption_decision": report.adoption_decision,
        "versions": [{"number": v.number, "created_at": v.created_at.isoformat(), "pdf": pdf(v)} for v in versions],
        "latest": (
            {
                "number": latest.number,
                "content": latest.content,
                "categories": latest.figures.get("categories", []),
                "total_budget": latest.figures.get("total_budget"),
                "total_actual": latest.figures.get("total_actual"),
                "proposal": latest.figures.get("proposal", []),
            }
            if latest
            else None
        ),
    }


class AnnualReportSerializer(serializers.Serializer):
    """Read-only: the shape of ``annual_report_payload`` for the schema."""

    region = serializers.CharField()
    year = serializers.IntegerField()
    status = serializers.ChoiceField(choices=["awaiting_adoption", "adopted"])
    due_on = serializers.DateField()
    adopted_on = serializers.DateField(allow_null=True)
    adopted_version = serializers.IntegerField(allow_null=True)
    adoption_decision = serializers.CharField()
    versions = serializers.ListField(child=serializers.DictField())
    latest = serializers.DictField(allow_null=True)

    def to_representation(self, instance):
        return annual_report_payload(instance, request=self.context.get("request"))


class AnnualReportAdoptionSerializer(serializers.Serializer):
    """The adoption of the settlement proposal (BNO 10.6): which version, on which date, by which decision."""

    version = serializers.IntegerField(
        min_value=1,
        max_value=10_000,
        error_messages={"invalid": "Geef het versienummer, bijvoorbeeld 1.", "required": "Dit veld is verplicht."},
    )
    adopted_on = serializers.DateField(
        validators=[PlausibleDate(not_in_future=True)],
        error_messages={"invalid": "Geef een datum als JJJJ-MM-DD.", "required": "Dit veld is verplicht."},
    )
    decision = serializers.CharField(
        max_length=300,
        required=False,
        allow_blank=True,
        default="",
        error_messages={"max_length": "Hoogstens 300 tekens."},
    )


class AnnualReportDrawUpSerializer(serializers.Serializer):
    """A new version of the annual report (BNO 10.5-10.6): the year and the content report; the figures are
    computed."""

    year = serializers.IntegerField(
        error_messages={"invalid": "Geef het jaar, bijvoorbeeld 2024.", "required": "Dit veld is verplicht."}
    )
    content = serializers.CharField(
        max_length=20_000,
        required=False,
        allow_blank=True,
        default="",
        trim_whitespace=False,
        error_messages={"max_length": "Hoogstens 20.000 tekens.", "invalid": "Geef het verslag als tekst."},
    )
