from django.contrib import admin

from echohub.reference.models import PracticeSetting, Profession, Province


@admin.register(Province, Profession, PracticeSetting)
class ReferenceAdmin(admin.ModelAdmin):
    list_display = ["code", "name_en", "name_fr", "position"]
