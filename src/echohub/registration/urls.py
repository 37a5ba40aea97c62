from django.urls import path
from django.utils.translation import gettext_lazy as _

from echohub.registration import manage, manage_invitations, views

app_name = "registration"
urlpatterns = [
    path(_("sessions/<int:pk>/register/"), views.register, name="register"),
    path(_("sessions/<int:pk>/cancel/"), views.cancel, name="cancel"),
    path(_("programs/<slug:slug>/enrol/"), views.enrol, name="enrol"),
    path(_("programs/<slug:slug>/leave/"), views.leave, name="leave"),
    path(_("registrations/cancel/<str:token>/"), views.cancel_link, name="cancel_link"),
    path(_("invitations/<str:token>/"), views.invitation, name="invitation"),
    path(_("programs/<slug:slug>/join/"), views.join, name="join"),
    path(
        _("manage/programs/<slug:slug>/invitations/"),
        manage_invitations.invitations_page,
        name="invitations",
    ),
    path(
        _("manage/programs/<slug:slug>/invitations/<int:pk>/resend/"),
        manage_invitations.resend,
        name="invitation_resend",
    ),
    path(
        _("manage/programs/<slug:slug>/invitations/<int:pk>/withdraw/"),
        manage_invitations.withdraw,
        name="invitation_withdraw",
    ),
    path(_("my-sessions/"), views.mine, name="mine"),
    path(_("my-sessions/calendar/reset/"), views.reset_feed, name="reset_feed"),
    path(_("manage/sessions/<int:pk>/registrants/"), manage.registrants, name="registrants"),
    path(
        _("manage/programs/<slug:slug>/groups/<int:pk>/members/"),
        manage.group_members,
        name="group_members",
    ),
    path(_("manage/sessions/<int:pk>/registrants/add/"), manage.add, name="add"),
    path(
        _("manage/sessions/<int:pk>/registrants/<int:registration_id>/remove/"),
        manage.remove,
        name="remove",
    ),
    path(
        _("manage/sessions/<int:pk>/registrants/<int:registration_id>/decide/"),
        manage.decide,
        name="decide",
    ),
    path(_("manage/sessions/<int:pk>/capacity/"), manage.capacity, name="capacity"),
    path(_("manage/sessions/<int:pk>/message/"), manage.message, name="message"),
    path(_("manage/sessions/<int:pk>/registration/toggle/"), manage.toggle_open, name="toggle"),
]
