"""Dashboards (issue 18): figures that the apps register, shown per audience.

Each app registers panels in its ``AppConfig.ready()`` with :func:`register_panel`. A panel is a function
``(context) -> Figure | None`` that reads through the app's own selectors (the same ones its detail pages use, so a
dashboard figure always equals the figure on the page it links to) and returns ``None`` when it has nothing the user
may see. The dashboard page, its JSON endpoint (``/api/v1/dashboard/``) and its one-page PDF all call
:func:`figures_for`: one rule, three outputs. Amounts stay ``Decimal`` and travel to the browser as strings.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from regio.roles import Role
from regio.tenancy import Scope, acting_region_ids, scope_of


class Audience(models.TextChoices):
    PORTFOLIO = "wethouder", _("Portefeuillehouder")
    MEMBER = "gemeente", _("Ambtenaar van de gemeente")
    COORDINATOR = "coordinatie", _("Coördinerend team")
    PLATFORM = "platform", _("Platformbeheer")


class Kind(models.TextChoices):
    """How a column's values are shown: the template and the PDF format them, the JSON gives them as strings."""

    TEXT = "text", "text"
    MONEY = "money", "money"
    COUNT = "count", "count"
    PERCENT = "percent", "percent"
    DATE = "date", "date"


@dataclass(frozen=True)
class Column:
    label: str
    kind: str = Kind.TEXT

    @property
    def numeric(self) -> bool:
        return self.kind in (Kind.MONEY, Kind.COUNT, Kind.PERCENT)


@dataclass
class Figure:
    """One panel's figures: a table (always: it is the text alternative of the chart) and how to chart it."""

    key: str
    title: str
    columns: list[Column]
    rows: list[list]
    url: str = ""  # the page the figures come from, only when the user may open it
    chart: str = ""  # "bar" or "line": the numeric columns become the data sets, the first column the labels
    series: list[int] = field(default_factory=list)  # which columns to chart when not all numeric ones share a scale
    note: str = ""
    action: bool = False  # "what needs my action" rather than a figure
    total: list | None = None  # an optional totals row

    def as_json(self) -> dict:
        return {
            "key": self.key,
            "title": str(self.title),
            "columns": [{"label": str(c.label), "kind": str(c.kind)} for c in self.columns],
            "rows": [[_plain(v) for v in row] for row in self.rows],
            "total": [_plain(v) for v in self.total] if self.total else None,
            "url": self.url,
            "chart": self.chart,
            "series": self.series,
            "note": str(self.note),
            "action": self.action,
        }


def _plain(value):
    """A cell for JSON: Decimals as strings (no float ever), dates ISO, the rest as text or int."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if value is None or isinstance(value, (int, bool)):
        return value
    return str(value)


@dataclass(frozen=True)
class DashboardContext:
    user: object
    scope: Scope
    audience: str
    today: date
    region_ids: frozenset[int] = field(default_factory=frozenset)  # the regions the user acts for (coordinating)

    @property
    def year(self) -> int:
        return self.today.year


Panel = Callable[[DashboardContext], "Figure | None"]


@dataclass(frozen=True)
class _Registered:
    key: str
    order: int
    audiences: frozenset[str]
    build: Panel


_PANELS: dict[str, _Registered] = {}


def register_panel(key: str, build: Panel, *, audiences, order: int) -> None:
    """Apps add their panels here (idempotent: a second registration of a key replaces the first)."""
    _PANELS[key] = _Registered(key, order, frozenset(str(a) for a in audiences), build)


def audiences_for(user) -> list[str]:
    """The dashboards a person may open, the first one being the default for their roles."""
    scope = scope_of(user)
    if not scope.authenticated:
        return []
    found = []
    if scope.has_role(Role.PORTFOLIO_HOLDER):
        found.append(Audience.PORTFOLIO)
    if acting_region_ids(user):
        found.append(Audience.COORDINATOR)
    if scope.municipality_id and scope.has_role(
        Role.CIVIL_SERVANT, Role.COORDINATOR, Role.PROTECTED_HOUSING, Role.FUNCTIONAL_ADMIN
    ):
        found.append(Audience.MEMBER)
    if scope.is_platform_admin:
        found.append(Audience.PLATFORM)
    return [str(a) for a in found]


def context_for(user, audience: str, today: date | None = None) -> DashboardContext:
    return DashboardContext(
        user=user,
        scope=scope_of(user),
        audience=audience,
        today=today or timezone.localdate(),
        region_ids=acting_region_ids(user),
    )


def figures_for(user, audience: str, today: date | None = None) -> list[Figure]:
    """The figures of one dashboard for the user, in the registered order. An audience the user may not open gives
    nothing (the views answer 404 before they get here)."""
    if audience not in audiences_for(user):
        return []
    context = context_for(user, audience, today)
    figures = []
    for panel in sorted(_PANELS.values(), key=lambda p: (p.order, p.key)):
        if audience in panel.audiences:
            figure = panel.build(context)
            if figure is not None:
                figures.append(figure)
    return figures
