"""API routes of invoicing under /api/v1/. Every route here is in the cross-tenant matrix
(tests/tenancy/cases_invoicing.py)."""

from rest_framework.routers import SimpleRouter

from invoicing.api import views

router = SimpleRouter()
router.register("invoices", views.InvoiceViewSet, basename="invoice")
router.register("interest/statutory", views.StatutoryInterestViewSet, basename="statutory-interest")

urlpatterns = [*router.urls]
