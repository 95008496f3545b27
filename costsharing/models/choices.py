"""Column sizes, bases, cost categories and task areas shared by the cost-sharing models (SPEC §6)."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

AMOUNT = {"max_digits": 14, "decimal_places": 2}
# Exact weights: inhabitants, FTE and percentages as given (never rounded ratios, SPEC §6.1).
WEIGHT = {"max_digits": 20, "decimal_places": 6}
# An annual norm derived by indexation is an average of twelve monthly levels; kept to a millionth of a euro.
NORM = {"max_digits": 20, "decimal_places": 6}


class Basis(models.TextChoices):
    FIXED = "fixed", _("vaste percentages")
    POPULATION = "population", _("inwoners op peildatum")
    FTE = "fte", _("fte (toezichtcapaciteit)")
    CLIENTS = "clients", _("cliënten op peildatum")


class Category(models.TextChoices):
    """The cost categories of WM-SO 6.1 a-h; staff (a) is split by task area because each has its own key."""

    STAFF = "staff", _("a. personeel inkoop, contract- en leveranciersmanagement")
    STAFF_SUPERVISION = "staff_supervision", _("a. personeel toezicht Wmo")
    STAFF_PROTECTED_HOUSING = "staff_bw", _("a. personeel beschermd wonen")
    HIRED = "hired", _("b. inhuur van capaciteit")
    LEGAL = "legal", _("c. juridische kosten")
    TRAINING = "training", _("d. opleiding toezichthouders")
    PGAX = "pgax", _("e. PGAX (systeem toezichthouders)")
    PRICE_BOOK = "price_book", _("f. update prijzenboek woningaanpassingen")
    DISPUTE_ADVICE = "dispute_advice", _("g. extern advies bij geschillen")
    ANNUAL_INSIGHT = "annual_insight", _("h. Annual Insight (50 %)")


STAFF_CATEGORIES = {Category.STAFF, Category.STAFF_SUPERVISION, Category.STAFF_PROTECTED_HOUSING}
# WM-DVO 6.1: "Facturatie voor de taken (exclusief beschermd wonen) geschiedt éénmaal per jaar (uiterlijk in december
# van het desbetreffende jaar)". The fee of the year, the settlement of the past year and a leaver's share of its exit
# year leave the beschermd-wonen staff out: beschermd wonen is charged through its own route (the beschermdwonen app:
# its access fees, ``bw_fee`` lines, and its execution costs, WM-DVO annex 3 §4).
NOT_IN_FEE = frozenset({Category.STAFF_PROTECTED_HOUSING})
# WM-SO 6.1 h: only 50 % of the yearly cost of Annual Insight is charged to the cooperation.
CATEGORY_CHARGE = {Category.ANNUAL_INSIGHT: Decimal("0.5")}


class TaskArea(models.TextChoices):
    PURCHASING = "purchasing", _("inkoop")
    CONTRACT_MANAGEMENT = "contract_management", _("contractmanagement")
    SUPPLIER_MANAGEMENT = "supplier_management", _("leveranciersmanagement")
    SUPERVISION = "supervision", _("toezicht Wmo")
    PROTECTED_HOUSING = "protected_housing", _("beschermd wonen")


TASK_AREA_CATEGORY = {
    TaskArea.PURCHASING: Category.STAFF,
    TaskArea.CONTRACT_MANAGEMENT: Category.STAFF,
    TaskArea.SUPPLIER_MANAGEMENT: Category.STAFF,
    TaskArea.SUPERVISION: Category.STAFF_SUPERVISION,  # split by the FTE key, WM-DVO annex 4
    TaskArea.PROTECTED_HOUSING: Category.STAFF_PROTECTED_HOUSING,  # split by clients, WM-DVO annex 3.4
}
