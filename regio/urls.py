from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from regio import dashboard_views, views
from regio.forms import LoginForm
from regio.login import oidc
from regio.login import views as login_views
from regio.sessions import logout_everywhere

api_v1 = [
    path("", include("regio.api.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
]
for app in ("agreements", "costsharing", "invoicing", "beschermdwonen", "toezicht", "inkoop"):
    api_v1.append(path("", include(f"{app}.api.urls")))

account = [
    path("inloggen/", oidc.LoginView.as_view(authentication_form=LoginForm), name="login"),
    path("tweestaps/", login_views.VerifyView.as_view(), name="two-factor-verify"),
    path("tweestaps/herstelcode/", login_views.RecoveryView.as_view(), name="two-factor-recovery"),
    path("tweestaps/instellen/", login_views.SetupView.as_view(), name="two-factor-setup"),
    path("tweestaps/beheren/", login_views.ManageView.as_view(), name="two-factor-manage"),
    path("tweestaps/verwijderen/<int:pk>/", login_views.RemoveDeviceView.as_view(), name="two-factor-remove"),
    path("tweestaps/herstelcodes/", login_views.RecoveryCodesView.as_view(), name="two-factor-recovery-codes"),
    path("inlogdienst/<str:code>/", oidc.StartView.as_view(), name="oidc-start"),
    path("inlogdienst-terug/", oidc.CallbackView.as_view(), name="oidc-callback"),
    path("uitloggen/", auth_views.LogoutView.as_view(), name="logout"),
    path("overal-uitloggen/", logout_everywhere, name="logout-everywhere"),
    path("wachtwoord-vergeten/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path("wachtwoord-vergeten/verstuurd/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "wachtwoord-instellen/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "wachtwoord-instellen/klaar/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"
    ),
]

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("dashboard/", dashboard_views.DashboardView.as_view(), name="dashboard"),
    path("dashboard/pdf/", dashboard_views.DashboardPdfView.as_view(), name="dashboard-pdf"),
    path("account/", include(account)),
    path("taal/", set_language, name="set_language"),
    path("health/", views.health, name="health"),
    path(".well-known/security.txt", views.security_txt, name="security-txt"),
    path("regios/", views.RegionListView.as_view(), name="region-list"),
    path("regios/<slug:code>/", views.RegionDetailView.as_view(), name="region-detail"),
    path("gemeenten/", views.MunicipalityListView.as_view(), name="municipality-list"),
    path("gemeenten/<str:code>/", views.MunicipalityDetailView.as_view(), name="municipality-detail"),
    path("beheer/regiobestand/", views.RegionFileUploadView.as_view(), name="regionfile-upload"),
    path("beheer/historie/", views.AuditLogView.as_view(), name="audit-log"),
    path("beheer/verzonden-emails/", include("regio.mailbox")),
    path("beheer/inzagelog/", views.AccessLogView.as_view(), name="access-log"),
    path("beheer/inlogdienst/", login_views.IdentityProviderView.as_view(), name="identity-provider"),
    path("beheer/mensen/", views.PeopleListView.as_view(), name="people-list"),
    path("beheer/mensen/<str:username>/", views.PersonUpdateView.as_view(), name="person-update"),
    path("api/v1/", include((api_v1, "api"))),
    path("", include("agreements.urls")),
    path("", include("costsharing.urls")),
    path("", include("invoicing.urls")),
    path("", include("beschermdwonen.urls")),
    path("", include("toezicht.urls")),
    path("", include("inkoop.urls")),
    # The Django admin is for technical administrators (superusers) only; see regio/admin.py.
    path("django-admin/", admin.site.urls),
]

handler400 = "regio.views.bad_request"
handler403 = "regio.views.permission_denied"
handler404 = "regio.views.page_not_found"
handler500 = "regio.views.server_error"
