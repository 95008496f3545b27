"""Technical admin (superusers only, see regio/admin.py). Workflow states are read-only here: they change only
through the transitions in agreements/services.py."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from agreements.models import (
    Accession,
    Agreement,
    Amendment,
    Document,
    Mandate,
    Meeting,
    MeetingRequirement,
    Notice,
    Party,
    PlanObligation,
)


class PartyInline(admin.TabularInline):
    model = Party
    extra = 0


class MeetingRequirementInline(admin.TabularInline):
    model = MeetingRequirement
    extra = 0


@admin.register(Agreement)
class AgreementAdmin(SimpleHistoryAdmin):
    list_display = ["code", "kind", "region", "effective_from", "effective_until"]
    list_filter = ["kind", "region"]
    search_fields = ["code", "title"]
    inlines = [PartyInline, MeetingRequirementInline]


@admin.register(Mandate)
class MandateAdmin(SimpleHistoryAdmin):
    list_display = ["mandating", "mandated", "mandated_body", "agreement", "valid_from", "valid_until"]
    list_filter = ["agreement"]


@admin.register(Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    list_display = ["region", "kind", "date", "agreement"]
    list_filter = ["region", "kind"]


@admin.register(PlanObligation)
class PlanObligationAdmin(SimpleHistoryAdmin):
    list_display = ["agreement", "title", "recurrence", "due_month", "due_day", "article"]


class WorkflowAdmin(SimpleHistoryAdmin):
    readonly_fields = ["status"]


admin.site.register(Notice, WorkflowAdmin)
admin.site.register(Accession, WorkflowAdmin)
admin.site.register(Amendment, WorkflowAdmin)


@admin.register(Document)
class DocumentAdmin(SimpleHistoryAdmin):
    list_display = ["title", "version", "agreement", "meeting", "uploaded_at"]
    readonly_fields = ["file", "size", "sha256", "version", "uploaded_by"]
