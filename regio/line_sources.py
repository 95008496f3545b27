"""Invoice-line sources: where a line on an invoice came from, and how to reach that record (STYLE.md rule 16).

An invoice line stores two plain columns, ``source_type`` (a code registered here) and ``source_id`` (the record's
id in the app that owns it, as text). Invoicing bills for every app, but imports none of them: each app registers the
sources it writes in its ``AppConfig.ready()``, with its label and how to link to the record::

    register_line_source(
        "reckoning_line",
        _("regel van de afrekening"),
        links=reckoning_line_links,   # (user, [source_id, ...]) -> {source_id: Link(url, text)}
    )

``links`` answers for many ids at once (the invoice page asks once per source type, not once per line) and leaves
out every id the user may not see: a line then shows its source's label and id without a link, so the page never
leaks a record of another municipality. ``manual=True`` marks a source a person may pick for a line on a draft
(a provider's pass-through cost, a beschermd-wonen fee, a hand-made line).

``billable`` (optional) lets invoicing collect the lines a source has to bill for a region and year, without
importing the app: ``billable(*, region, year) -> [Billable(recipient, description, quantity, unit_price,
source_id), ...]`` (beschermd wonen's access fees). ``invoicing.services.billables.invoice_billables`` turns them
into one draft per recipient, each line carrying its source; a line already billed is not billed twice.

``issued_source_ids(code, ids)`` answers which of a source's records are on an issued (non-draft) invoice, so the
app that owns them can freeze them (beschermd wonen's fees and execution-cost shares) without importing invoicing:
invoicing registers the lookup with ``register_issued_lookup`` in its ``ready()``.

The model field's choices are ``line_source_choices`` (a callable, so a new source needs no migration).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class Link:
    url: str
    text: str = ""  # what the user reads, e.g. "Afrekening Westelijke Mijnstreek 2025 versie 1"; default: the id


@dataclass(frozen=True)
class Billable:
    """A line a source wants billed: to whom, what, how many at what price, and the record it comes from."""

    recipient: object  # a regio Municipality
    description: str
    quantity: object  # Decimal
    unit_price: object  # Decimal
    source_id: str
    unit: str = "stuk"


@dataclass(frozen=True)
class LineSource:
    code: str
    label: str | Promise
    links: Callable[[object, list[str]], dict[str, Link]] | None = None
    manual: bool = False
    order: int = 100  # the place in choice lists (and so in the OpenAPI enum of InvoiceLine.source_type)
    billable: Callable[..., list[Billable]] | None = None


@dataclass(frozen=True)
class Reference:
    """What the invoice page shows of a line's source: its label, the record's text and, if the user may open it,
    its URL."""

    label: str | Promise
    text: str
    url: str | None = None


_SOURCES: dict[str, LineSource] = {}
_ISSUED_LOOKUP: list[Callable[[str, list[str]], set[str]]] = []


def register_line_source(
    code: str,
    label: str | Promise,
    *,
    links: Callable[[object, list[str]], dict[str, Link]] | None = None,
    manual: bool = False,
    order: int = 100,
    billable: Callable[..., list[Billable]] | None = None,
) -> None:
    """Register a source type (at most 20 characters: the column's width). Registering the same code twice with
    something else is a programming error between apps."""
    if len(code) > 20:
        raise ValueError(f"De code van een bron is hoogstens 20 tekens: '{code}'.")
    source = LineSource(code=code, label=label, links=links, manual=manual, order=order, billable=billable)
    current = _SOURCES.get(code)
    if current is not None and current != source:
        raise ValueError(f"De bron '{code}' is al geregistreerd.")
    _SOURCES[code] = source


def register_issued_lookup(lookup: Callable[[str, list[str]], set[str]]) -> None:
    """Invoicing says which source ids are on an issued invoice: ``lookup(code, [source_id, ...]) -> {source_id}``
    (one query). Registered once; a second, different lookup is a programming error."""
    if _ISSUED_LOOKUP and _ISSUED_LOOKUP[0] is not lookup:
        raise ValueError("Er is al een opzoeking van gefactureerde bronnen geregistreerd.")
    _ISSUED_LOOKUP[:] = [lookup]


def issued_source_ids(code: str, source_ids: Iterable) -> set[str]:
    """The ids (as text) among ``source_ids`` whose record is on an issued invoice: frozen (STYLE.md rule 8). Without
    invoicing installed nothing is issued."""
    ids = sorted({str(i) for i in source_ids})
    if not ids or not _ISSUED_LOOKUP:
        return set()
    return set(_ISSUED_LOOKUP[0](code, ids))


def line_sources(*, manual: bool | None = None) -> list[LineSource]:
    found = [s for s in _SOURCES.values() if manual is None or s.manual == manual]
    return sorted(found, key=lambda s: (s.order, s.code))


def billable_lines(code: str, *, region, year: int) -> list[Billable]:
    """What a source has to bill for a region and year (empty when it bills nothing by itself)."""
    source = _SOURCES.get(code)
    return list(source.billable(region=region, year=year)) if source and source.billable else []


def billable_sources() -> list[LineSource]:
    return [s for s in line_sources() if s.billable]


def line_source_choices() -> list[tuple[str, str | Promise]]:
    """The choices of ``InvoiceLine.source_type``: every registered source."""
    return [(s.code, s.label) for s in line_sources()]


def manual_line_source_choices() -> list[tuple[str, str | Promise]]:
    """What a person may pick for a line on a draft."""
    return [(s.code, s.label) for s in line_sources(manual=True)]


def is_line_source(code: str) -> bool:
    return code in _SOURCES


def line_source_label(code: str) -> str | Promise:
    source = _SOURCES.get(code)
    return source.label if source else code


def references(user, lines: Iterable) -> dict[int, Reference]:
    """``{line.pk: Reference}`` of every line, asking each source's ``links`` once for all its ids; a line without
    a source id gets its label only."""
    lines = list(lines)
    ids: dict[str, list[str]] = defaultdict(list)
    for line in lines:
        if line.source_id:
            ids[line.source_type].append(line.source_id)
    found: dict[str, dict[str, Link]] = {}
    for code, source_ids in ids.items():
        source = _SOURCES.get(code)
        found[code] = source.links(user, sorted(set(source_ids))) if source and source.links else {}
    out = {}
    for line in lines:
        if not line.source_id:
            out[line.pk] = Reference(label=line_source_label(line.source_type), text="")
            continue
        link = found.get(line.source_type, {}).get(line.source_id)
        out[line.pk] = Reference(
            label=line_source_label(line.source_type),
            text=(link.text if link and link.text else line.source_id),
            url=link.url if link else None,
        )
    return out


def attach_references(user, lines: Iterable) -> None:
    """Set ``line.source_reference`` (a ``Reference`` or None) on each line, for templates."""
    lines = list(lines)
    found = references(user, lines)
    for line in lines:
        line.source_reference = found.get(line.pk)
