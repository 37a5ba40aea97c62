from django.urls import path
from django.utils.translation import gettext_lazy as _

from echohub.attendance import views

app_name = "attendance"
urlpatterns = [
    path(_("manage/sessions/<int:pk>/attendance/"), views.session_attendance, name="session"),
    path(_("manage/sessions/<int:pk>/attendance/import/"), views.upload, name="upload"),
    path(_("manage/sessions/<int:pk>/attendance/mark/"), views.mark, name="mark"),
    path(
        _("manage/sessions/<int:pk>/attendance/check-in-code/"),
        views.new_check_in_code,
        name="new_code",
    ),
    path(_("manage/attendance/imports/<int:pk>/"), views.preview, name="preview"),
    path(_("manage/programs/<slug:slug>/attendance/"), views.program_attendance, name="program"),
    path(_("check-in/"), views.check_in, name="check_in"),
]
