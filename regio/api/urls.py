from django.urls import path
from rest_framework.routers import SimpleRouter

from regio.api import views

router = SimpleRouter()
router.register("municipalities", views.MunicipalityViewSet, basename="municipality")
router.register("regions", views.RegionViewSet, basename="region")

urlpatterns = [path("health/", views.health, name="health"), *router.urls]
