from django.urls import path
from django.utils.translation import gettext_lazy as _

from echohub.programs.views import manage, public

app_name = "programs"
urlpatterns = [
    path("", public.home, name="home"),
    path(_("programs/"), public.catalogue, name="catalogue"),
    path(_("programs/<slug:slug>/"), public.program_detail, name="program"),
    path(_("sessions/<int:pk>/"), public.session_detail, name="session"),
    path(_("hubs/"), public.hub_list, name="hub_list"),
    path(_("hubs/<slug:slug>/"), public.hub_detail, name="hub"),
    path(_("manage/"), manage.dashboard, name="manage"),
    path(_("manage/programs/new/"), manage.program_create, name="program_create"),
    path(_("manage/programs/<slug:slug>/"), manage.program_manage, name="manage_program"),
    path(_("manage/programs/<slug:slug>/edit/"), manage.program_edit, name="program_edit"),
    path(_("manage/programs/<slug:slug>/publish/"), manage.program_publish, name="program_publish"),
    path(_("manage/programs/<slug:slug>/cancel/"), manage.program_cancel, name="program_cancel"),
    path(
        _("manage/programs/<slug:slug>/sessions/new/"), manage.session_create, name="session_create"
    ),
    path(_("manage/programs/<slug:slug>/series/"), manage.series_create, name="series_create"),
    path(_("manage/programs/<slug:slug>/panel/"), manage.panel_add, name="panel_add"),
    path(
        _("manage/programs/<slug:slug>/panel/<int:member_id>/remove/"),
        manage.panel_remove,
        name="panel_remove",
    ),
    path(_("manage/programs/<slug:slug>/groups/"), manage.groups, name="groups"),
    path(_("manage/programs/<slug:slug>/groups/<int:pk>/"), manage.group_edit, name="group_edit"),
    path(_("manage/sessions/<int:pk>/edit/"), manage.session_edit, name="session_edit"),
    path(_("manage/sessions/<int:pk>/cancel/"), manage.session_cancel, name="session_cancel"),
]
