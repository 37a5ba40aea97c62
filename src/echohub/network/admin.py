from django.contrib import admin

from echohub.network.models import Hub, Spoke, StaffRole


class StaffRoleInline(admin.TabularInline):
    model = StaffRole
    autocomplete_fields = ["person"]
    extra = 0


@admin.register(Hub)
class HubAdmin(admin.ModelAdmin):
    list_display = ["name_en", "name_fr", "scope", "is_lead"]
    prepopulated_fields = {"slug": ["name_en"]}
    filter_horizontal = ["provinces"]
    inlines = [StaffRoleInline]


@admin.register(Spoke)
class SpokeAdmin(admin.ModelAdmin):
    list_display = ["name", "setting", "province", "place", "rurality"]
    list_filter = ["province", "setting", "rurality"]
    search_fields = ["name", "place"]
