from django.contrib import admin

from echohub.sitepages.models import SitePage


@admin.register(SitePage)
class SitePageAdmin(admin.ModelAdmin):
    list_display = ["key", "title_en", "title_fr", "updated_at"]
    readonly_fields = ["key", "updated_at", "updated_by"]

    def has_add_permission(self, request: object) -> bool:
        return False  # the four pages exist from the start; only their text changes

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False
