from django.contrib import admin
from django.http import HttpRequest

from echohub.sitepages.models import SitePage


@admin.register(SitePage)
class SitePageAdmin(admin.ModelAdmin):
    list_display = ["key", "title_en", "title_fr", "updated_at"]
    readonly_fields = ["key", "updated_at", "updated_by"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # the four pages exist from the start; only their text changes

    def has_delete_permission(self, request: HttpRequest, obj: SitePage | None = None) -> bool:
        return False
