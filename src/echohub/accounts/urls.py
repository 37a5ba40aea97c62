from django.urls import path
from django.utils.translation import gettext_lazy as _

from echohub.accounts import views

app_name = "accounts"
urlpatterns = [path(_("profile/"), views.profile, name="profile")]
