"""VAT per agreement (issue 12): the treatments an agreement can give its invoices, their EN 16931 category codes and
which of them must say why. WM-SO 6.8: "Over de dienstverlening van de gemeente Sittard-Geleen is BTW verschuldigd";
the BNO centrumregeling says nothing about VAT."""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class VatTreatment(models.TextChoices):
    """How VAT applies to the invoices made under an agreement (issue 12). WM-SO 6.8: "Over de dienstverlening van de
    gemeente Sittard-Geleen is BTW verschuldigd"; BNO says nothing. The values are invoicing's ``VatRate`` values."""

    STANDARD = "21", _("21 % btw")
    REDUCED = "9", _("9 % btw")
    ZERO = "0", _("0 % btw")
    EXEMPT = "exempt", _("vrijgesteld van btw")
    OUTSIDE = "outside", _("buiten de reikwijdte van de btw")


# EN 16931 VAT category codes (UNCL5305): S standard, Z zero rated, E exempt, O outside the scope.
VAT_CATEGORY = {"21": "S", "9": "S", "0": "Z", "exempt": "E", "outside": "O"}
# EN 16931 BR-E-10 / BR-O-10: an exempt or outside-scope invoice says why.
VAT_NEEDS_REASON = frozenset({VatTreatment.EXEMPT.value, VatTreatment.OUTSIDE.value})
vatex_validator = RegexValidator(
    r"^VATEX-[A-Z0-9-]{1,24}$",
    _("Een code uit de VATEX-lijst, bijvoorbeeld VATEX-EU-O (buiten de reikwijdte)."),
    code="invalid_vatex",
)
