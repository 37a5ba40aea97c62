from django.urls import path
from django.utils.translation import gettext_lazy as _

from echohub.api import manage_views

app_name = "api_tokens"

urlpatterns = [
    path(_("manage/api-tokens/"), manage_views.tokens, name="network"),
    path(_("manage/api-tokens/<int:pk>/revoke/"), manage_views.revoke, name="network_revoke"),
    path(_("manage/hubs/<slug:slug>/api-tokens/"), manage_views.tokens, name="hub"),
    path(
        _("manage/hubs/<slug:slug>/api-tokens/<int:pk>/revoke/"),
        manage_views.revoke,
        name="hub_revoke",
    ),
]
