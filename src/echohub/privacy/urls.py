from django.urls import path
from django.utils.translation import gettext_lazy as _

from echohub.privacy import views

app_name = "privacy"
urlpatterns = [
    path(_("profile/my-data/"), views.download, name="download"),
    path(_("profile/erase/"), views.erase, name="erase"),
]
