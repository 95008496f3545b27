"""Page routes of toezicht. Every route here is in the cross-tenant matrix (tests/tenancy/cases_toezicht.py)."""

from django.urls import path

from toezicht import views

urlpatterns = [
    path("toezicht/fte-verdeling/", views.FteSplitView.as_view(), name="toezicht-fte-split"),
]
