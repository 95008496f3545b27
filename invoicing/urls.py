"""Page routes of invoicing. Every route here is in the cross-tenant matrix (tests/tenancy/cases_invoicing.py)."""

from django.urls import path

from invoicing import views
from invoicing.views import exit_bill as exit_views

urlpatterns = [
    path("facturen/", views.InvoiceListView.as_view(), name="invoice-list"),
    path("facturen/cyclus/<slug:code>/<int:year>/", views.InvoiceCycleView.as_view(), name="invoice-cycle"),
    path("facturen/export/", views.InvoiceExportView.as_view(), name="invoice-export"),
    path("facturen/nieuw/", views.InvoiceCreateView.as_view(), name="invoice-create"),
    path("facturen/<int:pk>/", views.InvoiceDetailView.as_view(), name="invoice-detail"),
    path("facturen/<int:pk>/verzenden/", views.InvoiceIssueView.as_view(), name="invoice-issue"),
    path("facturen/<int:pk>/crediteren/", views.InvoiceCreditView.as_view(), name="invoice-credit"),
    path("facturen/<int:pk>/betaling/", views.PaymentCreateView.as_view(), name="invoice-payment"),
    path("facturen/<int:pk>/rente/", views.InterestClaimView.as_view(), name="invoice-interest"),
    path("facturen/<int:pk>/pdf/", views.InvoiceDocumentView.as_view(), name="invoice-pdf"),
    path("facturen/<int:pk>/e-factuur/", views.InvoiceUblView.as_view(), name="invoice-ubl"),
    path("facturen/<int:pk>/verwijderen/", views.InvoiceDeleteView.as_view(), name="invoice-delete"),
    path("facturen/<int:pk>/regels/nieuw/", views.InvoiceLineCreateView.as_view(), name="invoice-line-add"),
    path("facturen/<int:pk>/regels/<int:line_pk>/", views.InvoiceLineUpdateView.as_view(), name="invoice-line-edit"),
    path(
        "facturen/<int:pk>/regels/<int:line_pk>/verwijderen/",
        views.InvoiceLineDeleteView.as_view(),
        name="invoice-line-delete",
    ),
    path("facturen/<int:pk>/uitbetaling/", views.PayoutCreateView.as_view(), name="invoice-payout"),
    path("facturen/<int:pk>/verrekenen/", views.OffsetView.as_view(), name="invoice-offset"),
    path("facturen/<int:pk>/overbetaling/", views.OverpaymentCreateView.as_view(), name="invoice-overpayment"),
    path(
        "facturen/<int:pk>/overbetaling/<int:opk>/terugbetaald/",
        views.OverpaymentRefundView.as_view(),
        name="invoice-overpayment-refund",
    ),
    path("facturen/<int:pk>/incassokosten/", views.CollectionCostView.as_view(), name="invoice-collection-costs"),
    path("facturen/afrekening/<int:pk>/", views.ReckoningInvoiceView.as_view(), name="reckoning-invoice"),
    path("facturen/eindafrekening/<int:pk>/", exit_views.ExitBillView.as_view(), name="exit-bill"),
    path(
        "facturen/detachering/<slug:code>/<int:year>/", exit_views.SecondmentBillView.as_view(), name="secondment-bill"
    ),
    path(
        "facturen/jaarverslag/<slug:code>/<int:year>/",
        views.AnnualReportInvoiceView.as_view(),
        name="invoicing-annual-report",
    ),
    path("bankafschriften/", views.StatementListView.as_view(), name="statement-list"),
    path("bankafschriften/<int:pk>/", views.StatementDetailView.as_view(), name="statement-detail"),
]
