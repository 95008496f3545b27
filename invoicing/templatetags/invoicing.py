"""Template filters of invoicing: a credit note shows its amounts as a positive credit (as its e-invoice does)."""

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def as_presented(value, invoice):
    """``{{ line.total_excl|as_presented:invoice }}``: the amount as the document presents it. A credit note is
    stored with negative quantities and totals (so the sums over an invoice and its credits add up); on paper and
    screen it shows positive amounts under the title "Creditfactuur"."""
    if value is None or value == "":
        return value
    if getattr(invoice, "is_credit_note", False):
        return abs(Decimal(value))
    return value
