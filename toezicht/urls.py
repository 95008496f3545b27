"""Page routes of toezicht. Every route here is in the cross-tenant matrix (tests/tenancy/cases_toezicht.py), the
public Meldpunt on the public list (tests/tenancy/public.py) with its reason."""

from django.urls import path

from toezicht import views
from toezicht.urls_casework import urlpatterns as casework_urlpatterns

urlpatterns = [
    path("toezicht/fte-verdeling/", views.FteSplitView.as_view(), name="toezicht-fte-split"),
    path("toezicht/toezichthouders/", views.SupervisorListView.as_view(), name="toezicht-supervisors"),
    path("toezicht/uren/", views.HoursView.as_view(), name="toezicht-hours"),
    path("toezicht/signalen/", views.SignalListView.as_view(), name="toezicht-signals"),
    path("toezicht/signalen/<str:reference>/", views.SignalDetailView.as_view(), name="toezicht-signal-detail"),
    path("meldpunt-toezicht/", views.MeldpuntView.as_view(), name="toezicht-meldpunt"),
]
urlpatterns += casework_urlpatterns
