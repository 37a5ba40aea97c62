from django.contrib import admin

from echohub.reference.models import PracticeSetting, Profession, Province, Topic


@admin.register(Province, Profession, PracticeSetting, Topic)
class ReferenceAdmin(admin.ModelAdmin):
    list_display = ["code", "name_en", "name_fr", "position"]
