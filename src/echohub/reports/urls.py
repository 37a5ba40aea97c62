from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from echohub.reports import views

app_name = "reports"

# The funder report comes before the tables: "funder-report.pdf" would match <table>.<fmt>.
urlpatterns: list[URLPattern] = [
    path(_("manage/reach/"), views.national, name="national"),
    path(
        _("manage/reach/funder-report.pdf"),
        views.funder_report,
        {"level": "national"},
        name="national_pdf",
    ),
    path(
        _("manage/reach/<str:table>.<str:fmt>"),
        views.table,
        {"level": "national"},
        name="national_table",
    ),
    path(_("manage/hubs/<slug:slug>/reach/"), views.hub, name="hub"),
    path(
        _("manage/hubs/<slug:slug>/reach/funder-report.pdf"),
        views.funder_report,
        {"level": "hub"},
        name="hub_pdf",
    ),
    path(
        _("manage/hubs/<slug:slug>/reach/<str:table>.<str:fmt>"),
        views.table,
        {"level": "hub"},
        name="hub_table",
    ),
    path(_("manage/hubs/<slug:slug>/records.xlsx"), views.records, name="records"),
    path(_("manage/programs/<slug:slug>/reach/"), views.program, name="program"),
    path(
        _("manage/programs/<slug:slug>/reach/funder-report.pdf"),
        views.funder_report,
        {"level": "program"},
        name="program_pdf",
    ),
    path(
        _("manage/programs/<slug:slug>/reach/<str:table>.<str:fmt>"),
        views.table,
        {"level": "program"},
        name="program_table",
    ),
]
