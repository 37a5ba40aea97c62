from django.contrib import admin

from echohub.registration.models import Enrolment, Registration, SessionMessage


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["person", "session", "status", "queued_at"]
    list_filter = ["status", "session__program__hub"]
    search_fields = ["person__email", "person__name", "session__title_en"]
    raw_id_fields = ["person", "session"]


@admin.register(Enrolment)
class EnrolmentAdmin(admin.ModelAdmin):
    list_display = ["person", "program", "status", "created_at"]
    list_filter = ["status", "program__hub"]
    search_fields = ["person__email", "person__name", "program__title_en"]
    raw_id_fields = ["person", "program"]


@admin.register(SessionMessage)
class SessionMessageAdmin(admin.ModelAdmin):
    list_display = ["created_at", "session", "author", "audience", "recipients"]
    search_fields = ["subject_en", "subject_fr"]
    raw_id_fields = ["session", "author"]
