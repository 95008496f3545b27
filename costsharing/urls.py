"""Page routes of cost sharing. Every route here is in the cross-tenant matrix (tests/tenancy/cases_costsharing.py)."""

from django.urls import path

from costsharing import views

urlpatterns = [
    path("kostenverdeling/", views.CostsharingHomeView.as_view(), name="costsharing-home"),
    path("kostenverdeling/sleutels/<int:pk>/", views.KeyDetailView.as_view(), name="costsharing-key"),
    path("kostenverdeling/regio/<slug:code>/tarieven/", views.TariffsView.as_view(), name="costsharing-tariffs"),
    path("kostenverdeling/regio/<slug:code>/<int:year>/", views.BudgetView.as_view(), name="costsharing-budget"),
    path("kostenverdeling/afrekeningen/<int:pk>/", views.ReckoningView.as_view(), name="costsharing-reckoning"),
    path(
        "kostenverdeling/afrekeningen/<int:pk>/onderdelen/<int:part>/",
        views.ReckoningPartView.as_view(),
        name="costsharing-reckoning-part",
    ),
    path(
        "kostenverdeling/afrekeningen/<int:pk>/voortgang/",
        views.ReckoningProgressView.as_view(),
        name="costsharing-reckoning-progress",
    ),
    path("kostenverdeling/regio/<slug:code>/<int:year>/cyclus/", views.CycleView.as_view(), name="costsharing-cycle"),
    path("kostenverdeling/trend/", views.TrendView.as_view(), name="costsharing-trend"),
    path("kostenverdeling/berichten/", views.NoticeListView.as_view(), name="costsharing-notices"),
]
