from django.urls import path
from django.utils.translation import gettext_lazy as _

from echohub.network import views

app_name = "network"
urlpatterns = [
    path(_("manage/hubs/new/"), views.hub_create, name="hub_create"),
    path(_("manage/hubs/<slug:slug>/edit/"), views.hub_edit, name="hub_edit"),
    path(_("manage/hubs/<slug:slug>/staff/"), views.hub_staff, name="hub_staff"),
    path(_("hubs/<slug:slug>/logo/<str:name>"), views.hub_logo, name="hub_logo"),
    path(_("hubs/<slug:slug>/colours.css"), views.hub_css, name="hub_css"),
    path(_("manage/spokes/"), views.spoke_list, name="spoke_list"),
    path(_("manage/spokes/<int:pk>/edit/"), views.spoke_edit, name="spoke_edit"),
    path(
        _("manage/hubs/<slug:slug>/staff/<int:role_id>/remove/"),
        views.hub_staff_remove,
        name="hub_staff_remove",
    ),
]
