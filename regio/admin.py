"""The Django admin: for technical administrators (superusers) only, with the read-only audit history.

Functional administrators work in the app itself (region files, history page); the admin is not tenant-aware, so it
is closed to everyone who is not a superuser.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from regio.models import Membership, Municipality, PopulationFigure, Region, User


def _superuser_only(request) -> bool:
    return request.user.is_active and request.user.is_superuser


admin.site.has_permission = _superuser_only
admin.site.site_header = "Regio Wmo – technisch beheer"
admin.site.site_title = "Regio Wmo"


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0


@admin.register(Municipality)
class MunicipalityAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "active_from", "active_until", "successor"]
    search_fields = ["code", "name"]


@admin.register(PopulationFigure)
class PopulationFigureAdmin(SimpleHistoryAdmin):
    list_display = ["municipality", "reference_date", "inhabitants", "source"]
    list_filter = ["reference_date"]


@admin.register(Region)
class RegionAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name"]
    inlines = [MembershipInline]


@admin.register(User)
class UserAdmin(BaseUserAdmin, SimpleHistoryAdmin):
    list_display = ["username", "full_name", "municipality", "is_active"]
    list_filter = ["municipality", "groups"]
    fieldsets = [*BaseUserAdmin.fieldsets, ("Regio Wmo", {"fields": ["municipality", "full_name"]})]


from regio.login import admin as login_admin  # noqa: E402, F401  (identity providers, security log)
