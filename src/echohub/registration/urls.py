from django.urls import path
from django.utils.translation import gettext_lazy as _

from echohub.registration import views

app_name = "registration"
urlpatterns = [
    path(_("sessions/<int:pk>/register/"), views.register, name="register"),
    path(_("sessions/<int:pk>/cancel/"), views.cancel, name="cancel"),
    path(_("programs/<slug:slug>/enrol/"), views.enrol, name="enrol"),
    path(_("programs/<slug:slug>/leave/"), views.leave, name="leave"),
    path(_("registrations/cancel/<str:token>/"), views.cancel_link, name="cancel_link"),
]
