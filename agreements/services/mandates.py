"""Mandates (SPEC §5): may a municipality act on behalf of another, with which mandate. Articles: SPEC §5, WM-SO 4.12,
BNO 5, WM-SO 15.3.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from agreements.models import (
    Mandate,
    Power,
)
from agreements.services._common import d
from regio.models import Municipality

# --- mandates (SPEC §5) -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MayAct:
    allowed: bool
    mandate: Mandate | None
    reason: str


def _as_municipality(value) -> Municipality | None:
    if isinstance(value, Municipality):
        return value
    return Municipality.objects.unrestricted().filter(code=str(value)).first()


def may_act(*, acting_municipality, on_behalf_of, power: str, on_date: date) -> MayAct:
    """Whether ``acting_municipality`` may use ``power`` for ``on_behalf_of`` on ``on_date``, and the mandate it rests
    on (SPEC §5; WM-SO 4.12, 15.3; BNO 5). A municipality acting for itself needs no mandate.

    Accepts Municipality objects or CBS codes. Called by invoicing, contracts and beschermd wonen.
    """
    acting, principal = _as_municipality(acting_municipality), _as_municipality(on_behalf_of)
    if acting is None or principal is None:
        missing = acting_municipality if acting is None else on_behalf_of
        return MayAct(False, None, f"Onbekende gemeente: {missing}.")
    if acting.pk == principal.pk:
        return MayAct(True, None, f"{acting.name} handelt voor zichzelf; daarvoor is geen mandaat nodig.")
    if power not in Power.values:
        return MayAct(False, None, f"Onbekende bevoegdheid '{power}' (kies uit: {', '.join(Power.values)}).")
    label = Power(power).label
    candidates = list(
        Mandate.objects.unrestricted()
        .filter(mandating=principal, mandated=acting)
        .select_related("agreement")
        .order_by("valid_from", "pk")
    )
    covering = [m for m in candidates if power in m.powers]
    for mandate in covering:
        if mandate.is_valid_on(on_date) and mandate.agreement.is_in_force_on(on_date):
            return MayAct(
                True,
                mandate,
                f"{acting.name} handelt voor {principal.name} onder mandaat {mandate.pk} ({mandate.agreement.code}, "
                f"{label.lower()}, geldig {d(mandate.valid_from)} – {d(mandate.valid_until) or 'onbepaald'}).",
            )
    if covering:
        return MayAct(
            False,
            None,
            f"Het mandaat van {principal.name} aan {acting.name} voor {label.lower()} geldt niet op {d(on_date)} "
            "(buiten de geldigheid van het mandaat of van zijn overeenkomst, WM-SO 15.3).",
        )
    if candidates:
        return MayAct(
            False, None, f"{principal.name} heeft {acting.name} wel mandaat gegeven, maar niet voor {label.lower()}."
        )
    return MayAct(False, None, f"{principal.name} heeft {acting.name} geen mandaat gegeven.")
