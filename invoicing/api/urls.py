"""API routes of invoicing under /api/v1/. Every route here is in the cross-tenant matrix
(tests/tenancy/cases_invoicing.py)."""

from rest_framework.routers import SimpleRouter

from invoicing.api import cycle_documents, views

router = SimpleRouter()
router.register("invoices", views.InvoiceViewSet, basename="invoice")
router.register("interest/statutory", views.StatutoryInterestViewSet, basename="statutory-interest")

# Invoicing cost sharing's yearly documents, under their own resources' paths (issue 12).
router.register(
    r"regions/(?P<region_code>[^/.]+)/annual-reports/(?P<year>[0-9]{1,6})/invoice",
    cycle_documents.AnnualReportInvoiceViewSet,
    basename="annual-report-invoice",
)
router.register(
    r"exit-statements/(?P<statement_pk>[0-9]+)/invoice",
    cycle_documents.ExitStatementInvoiceViewSet,
    basename="exit-statement-invoice",
)

urlpatterns = [*router.urls]
