"""Django admin (superusers only, see regio/admin.py): administrators add new half-years of statutory interest
(SPEC §6.6) and keep the municipalities' invoicing details. Invoices are read-only here once issued."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from invoicing.models import (
    BankStatement,
    BankStatementLine,
    Invoice,
    InvoiceLine,
    InvoicingProfile,
    Overpayment,
    Payment,
    StatutoryInterestRate,
)


@admin.register(StatutoryInterestRate)
class StatutoryInterestRateAdmin(SimpleHistoryAdmin):
    list_display = ["kind", "valid_from", "rate", "verified", "source"]
    list_filter = ["kind", "verified"]
    ordering = ["kind", "-valid_from"]


@admin.register(InvoicingProfile)
class InvoicingProfileAdmin(SimpleHistoryAdmin):
    list_display = [
        "municipality",
        "legal_name",
        "city",
        "oin",
        "kvk",
        "vat_number",
        "payment_term_days",
        "interest_kind",
    ]
    search_fields = ["legal_name", "municipality__code", "municipality__name"]


class InvoiceLineInline(admin.TabularInline):
    model = InvoiceLine
    extra = 0
    readonly_fields = ["total_excl"]

    def has_change_permission(self, request, obj=None):
        return obj is None or obj.is_draft

    has_add_permission = has_change_permission
    has_delete_permission = has_change_permission


@admin.register(Invoice)
class InvoiceAdmin(SimpleHistoryAdmin):
    """Issued invoices cannot be changed or deleted here either (Wet OB art. 35a): corrections are credit invoices."""

    list_display = ["number", "issuer", "recipient", "status", "invoice_date", "total_incl"]
    list_filter = ["status", "year"]
    search_fields = ["number", "recipient__name", "issuer__name"]
    inlines = [InvoiceLineInline]
    readonly_fields = ["number", "year", "sequence", "invoice_date", "due_on", "issued_at", "issued_by", "status"]

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or obj.is_draft)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or obj.is_draft)


@admin.register(Payment)
class PaymentAdmin(SimpleHistoryAdmin):
    list_display = ["invoice", "amount", "paid_on", "reference"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # written once (issue 10, a settled statement; the model refuses it too)


@admin.register(Overpayment)
class OverpaymentAdmin(SimpleHistoryAdmin):
    """Read-only: an overpayment and its refund are registered through the invoice's pages or the API (services)."""

    list_display = ["invoice", "amount", "received_on", "reason", "refunded_on"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(BankStatement)
class BankStatementAdmin(SimpleHistoryAdmin):
    list_display = ["filename", "municipality", "format", "imported_at"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # written once (issue 10, a settled statement; the model refuses it too)


@admin.register(BankStatementLine)
class BankStatementLineAdmin(SimpleHistoryAdmin):
    list_display = ["statement", "booked_on", "amount", "status"]
    list_filter = ["status"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # written once (issue 10, a settled statement; the model refuses it too)
