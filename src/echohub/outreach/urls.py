from django.urls import path
from django.utils.translation import gettext_lazy as _

from echohub.outreach import views

app_name = "outreach"
urlpatterns = [
    path(_("unsubscribe/<str:token>/"), views.unsubscribe, name="unsubscribe"),
]
