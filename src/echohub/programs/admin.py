from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from echohub.programs.models import Program, ProgramStaff, Session, Speaker


class SpeakerInline(admin.StackedInline):
    model = Speaker
    extra = 0


class ProgramStaffInline(admin.TabularInline):
    model = ProgramStaff
    autocomplete_fields = ["person"]
    extra = 0


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ["title_en", "title_fr", "hub", "status", "enrolment", "languages"]
    list_filter = ["status", "access", "hub", "languages", "enrolment"]
    search_fields = ["title_en", "title_fr", "slug"]
    filter_horizontal = ["audience_professions", "audience_settings", "provinces"]
    inlines = [ProgramStaffInline]


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    # "Ended" for a session whose end is past, not "Scheduled".
    list_display = ["title_en", "program", "starts_at", "shown_status"]
    list_filter = ["status", "program__hub"]
    search_fields = ["title_en", "title_fr"]
    date_hierarchy = "starts_at"
    inlines = [SpeakerInline]

    @admin.display(description=_("status"), ordering="status")
    def shown_status(self, session: Session) -> str:
        return session.display_status
