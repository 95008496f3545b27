"""API routes of this app under /api/v1/. Every route must be in the cross-tenant matrix
(tests/tenancy/cases_agreements.py)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from agreements.api import governance, views

router = SimpleRouter()
router.register("agreements", views.AgreementViewSet, basename="agreement")
router.register("mandates", views.MandateViewSet, basename="mandate")
router.register("disputes", governance.DisputeViewSet, basename="dispute")
router.register("processing-agreements", governance.ProcessingAgreementViewSet, basename="processing-agreement")

urlpatterns = [
    path("deadlines/", views.DeadlineListView.as_view(), name="deadline-list"),
    path("regions/<slug:code>/weighted-vote/", views.WeightedVoteView.as_view(), name="region-weighted-vote"),
    *router.urls,
]
