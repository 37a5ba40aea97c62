from django.urls import path
from django.utils.translation import gettext_lazy as _

from echohub.webhooks import views

app_name = "webhooks"

urlpatterns = [
    path(_("manage/hubs/<slug:slug>/webhooks/"), views.hooks, name="hooks"),
    path(_("manage/programs/<slug:slug>/learning-records/"), views.store, name="store"),
    path(_("manage/hubs/<slug:slug>/webhooks/<int:pk>/"), views.hook, name="hook"),
    path(_("manage/hubs/<slug:slug>/webhooks/<int:pk>/pause/"), views.toggle, name="toggle"),
    path(_("manage/hubs/<slug:slug>/webhooks/<int:pk>/delete/"), views.delete, name="delete"),
    path(
        _("manage/hubs/<slug:slug>/webhooks/<int:pk>/deliveries/<int:delivery>/resend/"),
        views.resend,
        name="resend",
    ),
]
