"""The updated cost overview (WM-SO 6.6) as a PDF and an in-app notice to every member, plus statement documents."""

from __future__ import annotations

import io

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone

from regio.models import User


def render_pdf(template: str, context: dict) -> bytes:
    from weasyprint import HTML

    html = render_to_string(template, context)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def cost_overview_context(*, region, year: int, municipality=None) -> dict:
    from costsharing import services

    tariffs = services.tariffs(region=region, year=year)
    budget = services.budget_totals(region=region, year=year)
    advances = []
    try:
        keys = services.category_keys(region=region)
        from datetime import date

        per_member: dict = {}
        for category, amount in budget.items():
            if category not in keys:
                continue
            version = services.version_on(key=keys[category], on=date(year, 1, 1))
            for part in services.split(amount=amount, version=version, year=year):
                per_member[part.municipality] = per_member.get(part.municipality, 0) + part.amount
        advances = sorted(per_member.items(), key=lambda mv: mv[0].name)
    except Exception:  # an incomplete budget still gives an overview of the rates
        advances = []
    from costsharing.models import Category

    return {
        "region": region,
        "year": year,
        "municipality": municipality,
        "tariffs": tariffs,
        "rates": [(s, tariffs.rate(s.scale)) for s in tariffs.scales],
        "budget": [(Category(c).label, a) for c, a in sorted(budget.items())],
        "budget_total": sum(budget.values()) if budget else 0,
        "shares": advances,
        "now": timezone.now(),
    }


def overview_years(years) -> list[int]:
    """The years one overview covers: the changed years, at most up to next year (issue 10, finding 4: a run once
    sent 2.250 overviews, one per norm year, to each member)."""
    last = timezone.localdate().year + 1
    return sorted({int(y) for y in years if int(y) <= last})


def send_cost_overview(*, region, years) -> list:
    """WM-SO 6.6: "Jaarlijks ontvangen de deelnemende gemeente een actueel overzicht van de kosten zodra het CAO
    akkoord verwerkt is in de normbedragen". One notice with one PDF per member per run, covering every year the run
    changed, and one e-mail to its people; bounded by construction whatever the years given."""
    from costsharing.models import Notice

    years = overview_years([years] if isinstance(years, int) else years)
    if not years:
        return []
    span = str(years[0]) if len(years) == 1 else f"{years[0]}-{years[-1]}"
    notices = []
    for municipality in region.members_on(timezone.localdate()):
        overviews = [cost_overview_context(region=region, year=y, municipality=municipality) for y in years]
        pdf = render_pdf(
            "costsharing/pdf/cost_overview.html",
            {"overviews": overviews, "region": region, "municipality": municipality, "span": span},
        )
        notice = Notice.objects.create(
            region=region,
            municipality=municipality,
            year=years[0],
            title=f"Actueel kostenoverzicht {span} {region.name}",
            body=(
                f"De normbedragen en tarieven voor {', '.join(map(str, years))} zijn bijgewerkt na verwerking van de "
                "CAO-verhoging (WM-SO 6.4 en 6.6). Het overzicht zit als PDF bij dit bericht."
            ),
            pdf=pdf,
        )
        notices.append(notice)
        recipients = list(
            User.objects.filter(municipality=municipality, is_active=True)
            .exclude(email="")
            .values_list("email", flat=True)
        )
        if recipients:
            message = EmailMessage(notice.title, notice.body, to=recipients)
            message.attach(f"kostenoverzicht-{region.code}-{span}.pdf", pdf, "application/pdf")
            message.send(fail_silently=True)
    return notices


def send_cost_overviews(*, region, years) -> None:
    """After commit: a failing PDF or mail server must not undo the indexation; it is logged and can be re-sent."""
    import logging

    try:
        send_cost_overview(region=region, years=years)
    except Exception:  # logged, the figures stay; the overview can be sent again from the tariffs page
        logging.getLogger(__name__).exception("kostenoverzicht %s %s niet verstuurd", region, years)


def statement_pdf(*, reckoning, line, secondments=None) -> bytes:
    items = list(
        reckoning.items.unrestricted()
        .filter(municipality=line.municipality)
        .select_related("part__key_version__key", "part__norm_year")
    )
    return render_pdf(
        "costsharing/pdf/statement.html",
        {"reckoning": reckoning, "line": line, "items": items, "secondments": secondments, "now": timezone.now()},
    )


def reckoning_workbook(*, reckoning, lines, parts) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Afrekening"
    sheet.append([f"Afrekening {reckoning.region.name} {reckoning.year} versie {reckoning.version}"])
    sheet.append(["CBS-code", "Gemeente", "Aandeel", "Voorschotten", "Verschil (+ bijbetalen, − terug)"])
    for line in lines:
        sheet.append([line.municipality.code, line.municipality.name, line.share, line.advances, line.difference])
    for row in sheet.iter_rows(min_row=3, min_col=3, max_col=5):
        for cell in row:
            cell.number_format = "#,##0.00"
    detail = book.create_sheet("Onderdelen")
    detail.append(["Kostensoort", "Sleutel", "Versie geldig vanaf", "Bedrag", "Aantal kostenregels"])
    for part in parts:
        detail.append(
            [
                part.get_category_display(),
                part.key_version.key.code,
                part.key_version.valid_from,
                part.amount,
                part.line_count,
            ]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
