"""Cases are not in the admin: every look at a case goes through the audited pages.

What the admin shows is the audit trail (read-only, never deleted) and the
per-program settings.
"""

from django.contrib import admin
from django.http import HttpRequest

from echohub.cases.models import AuditRecord, CaseSettings


@admin.register(CaseSettings)
class CaseSettingsAdmin(admin.ModelAdmin):
    list_display = ["program", "slots_per_session", "second_review", "retention_days"]
    raw_id_fields = ["program"]


@admin.register(AuditRecord)
class AuditRecordAdmin(admin.ModelAdmin):
    list_display = ["at", "actor_name", "action", "case_label", "ip", "hub"]
    list_filter = ["action", "hub"]
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AuditRecord | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AuditRecord | None = None) -> bool:
        return False
