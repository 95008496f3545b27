"""Shared by the invoicing services: the errors, zero and the reminder term. Articles: WM-SO 6.9."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError

ZERO = Decimal("0.00")
REMINDER_TERM_DAYS = 14  # WM-SO 6.9: pay within 14 days of the letter's date


class InvoicingError(ValidationError):
    """A rule of invoicing refused the action; the message is for the person (Dutch)."""


class InvoiceIsIssued(InvoicingError):
    """The invoice was issued: it never changes again (Wet OB art. 35a). The API answers 409."""
