from django.urls import path
from django.utils.translation import gettext_lazy as _

from echohub.cases import manage_views, views

app_name = "cases"
urlpatterns = [
    path(_("my-cases/"), views.mine, name="mine"),
    path(_("programs/<slug:slug>/cases/new/"), views.new, name="new"),
    path(_("programs/<slug:slug>/case-library/"), views.library, name="library"),
    path(_("cases/<str:public_id>/"), views.detail, name="detail"),
    path(_("cases/<str:public_id>/edit/"), views.edit, name="edit"),
    path(_("cases/<str:public_id>/withdraw/"), views.withdraw, name="withdraw"),
    path(
        _("cases/<str:public_id>/recommendations/"),
        views.write_recommendations,
        name="recommendations",
    ),
    path(_("manage/programs/<slug:slug>/cases/"), manage_views.manage, name="manage"),
    path(_("manage/programs/<slug:slug>/cases/invite/"), manage_views.invite, name="invite"),
    path(_("manage/programs/<slug:slug>/case-form/"), manage_views.form_design, name="form_design"),
    path(
        _("manage/programs/<slug:slug>/case-form/<slug:key>/"),
        manage_views.field_edit,
        name="field_edit",
    ),
    path(
        _("manage/programs/<slug:slug>/case-settings/"),
        manage_views.case_settings,
        name="settings",
    ),
    path(_("manage/cases/<str:public_id>/review/"), manage_views.review, name="review"),
    path(_("manage/cases/<str:public_id>/schedule/"), manage_views.schedule, name="schedule"),
    path(_("manage/cases/<str:public_id>/export/"), manage_views.export, name="export"),
    path(_("manage/hubs/<slug:slug>/case-audit/"), manage_views.audit_trail, name="audit"),
]
