from django.contrib import admin
from django.http import HttpRequest

from echohub.certificates.models import Accreditation, Certificate


@admin.register(Accreditation)
class AccreditationAdmin(admin.ModelAdmin):
    list_display = ["program", "body", "credit_type", "credits_per_hour", "valid_from", "valid_to"]
    list_filter = ["credit_type"]
    raw_id_fields = ["program"]
    filter_horizontal = ["professions"]


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    """Read-only: certificates change only by revoking or re-issuing, on the hub's page."""

    list_display = ["code", "person_name", "program", "session", "issued_at", "revoked_at"]
    search_fields = ["code", "person_name", "person__email"]
    list_filter = ["program__hub"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Certificate | None = None) -> bool:
        return False
