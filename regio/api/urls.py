from django.urls import path
from rest_framework.routers import SimpleRouter

from regio.api import views
from regio.api.dashboard import DashboardViewSet

router = SimpleRouter()
router.register("municipalities", views.MunicipalityViewSet, basename="municipality")
router.register("regions", views.RegionViewSet, basename="region")
router.register("dashboard", DashboardViewSet, basename="dashboard")

urlpatterns = [path("health/", views.health, name="health"), *router.urls]
