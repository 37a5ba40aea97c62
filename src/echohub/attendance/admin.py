from django.contrib import admin

from echohub.attendance.models import Attendance, AttendanceImport


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ["session", "person", "walk_in_name", "present", "minutes", "source"]
    list_filter = ["source", "present", "session__program__hub"]
    search_fields = ["person__email", "person__name", "walk_in_name"]
    raw_id_fields = ["session", "person", "adjusted_by"]


@admin.register(AttendanceImport)
class AttendanceImportAdmin(admin.ModelAdmin):
    list_display = ["created_at", "session", "filename", "platform", "status"]
    list_filter = ["platform", "status"]
    raw_id_fields = ["session", "uploaded_by"]
