"""Page routes of toezicht. Every route here is in the cross-tenant matrix (tests/tenancy/cases_toezicht.py), the
public Meldpunt on the public list (tests/tenancy/public.py) with its reason."""

from django.urls import path

from toezicht import views, views_plans
from toezicht.urls_casework import urlpatterns as casework_urlpatterns

urlpatterns = [
    path("toezicht/fte-verdeling/", views.FteSplitView.as_view(), name="toezicht-fte-split"),
    path("toezicht/toezichthouders/", views.SupervisorListView.as_view(), name="toezicht-supervisors"),
    path("toezicht/uren/", views.HoursView.as_view(), name="toezicht-hours"),
    path("toezicht/signalen/", views.SignalListView.as_view(), name="toezicht-signals"),
    path("toezicht/signalen/<str:reference>/", views.SignalDetailView.as_view(), name="toezicht-signal-detail"),
    path("toezicht/plannen/", views_plans.PlanListView.as_view(), name="toezicht-plans"),
    path("toezicht/plannen/<int:pk>/", views_plans.PlanDetailView.as_view(), name="toezicht-plan-detail"),
    path("toezicht/verslagen/", views_plans.ReportsView.as_view(), name="toezicht-reports"),
    path("toezicht/verslagen/<int:pk>/pdf/", views_plans.AnnualReportPdfView.as_view(), name="toezicht-report-pdf"),
    path("meldpunt-toezicht/", views.MeldpuntView.as_view(), name="toezicht-meldpunt"),
]
urlpatterns += casework_urlpatterns
