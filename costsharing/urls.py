"""Page routes of cost sharing. Every route here is in the cross-tenant matrix (tests/tenancy/cases_costsharing.py)."""

from django.urls import path

from costsharing import views
from costsharing.views import exits as exit_views

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
    # BNO's yearly cycle (issue 12; BNO 10.5-10.6, 11.1).
    path(
        "kostenverdeling/regio/<slug:code>/jaarverslagen/",
        views.AnnualReportListView.as_view(),
        name="costsharing-annual-reports",
    ),
    path(
        "kostenverdeling/regio/<slug:code>/jaarverslagen/<int:year>/",
        views.AnnualReportView.as_view(),
        name="costsharing-annual-report",
    ),
    path(
        "kostenverdeling/regio/<slug:code>/jaarverslagen/<int:year>/versies/<int:number>/",
        views.AnnualReportVersionView.as_view(),
        name="costsharing-annual-report-version",
    ),
    path(
        "kostenverdeling/regio/<slug:code>/jaarverslagen/<int:year>/vaststellen/",
        views.AnnualReportAdoptView.as_view(),
        name="costsharing-annual-report-adopt",
    ),
    path(
        "kostenverdeling/regio/<slug:code>/inkoopplannen/<int:first_year>/",
        views.CostPlanView.as_view(),
        name="costsharing-cost-plan",
    ),
    path("kostenverdeling/trend/", views.TrendView.as_view(), name="costsharing-trend"),
    path("kostenverdeling/berichten/", views.NoticeListView.as_view(), name="costsharing-notices"),
    # The leaver's bill (WM-SO 16.3-16.6, WM-2015 6.7, BNO 15.4) and secondment (WM-SO 4.10).
    path("kostenverdeling/uittreding/", exit_views.ExitListView.as_view(), name="costsharing-exits"),
    path("kostenverdeling/uittreding/<int:pk>/", exit_views.ExitStatementView.as_view(), name="costsharing-exit"),
    path(
        "kostenverdeling/uittreding/opzegging/<int:pk>/",
        exit_views.ExitNoticeView.as_view(),
        name="costsharing-exit-notice",
    ),
    path(
        "kostenverdeling/regio/<slug:code>/detachering/",
        exit_views.SecondmentView.as_view(),
        name="costsharing-secondments",
    ),
]
