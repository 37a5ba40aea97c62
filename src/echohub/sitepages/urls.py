from django.urls import path
from django.utils.translation import gettext_lazy as _

from echohub.sitepages import views

app_name = "sitepages"
urlpatterns = [
    path(_("site/<slug:key>/"), views.page, name="page"),
    path(_("manage/site-pages/"), views.manage, name="manage"),
    path(_("manage/site-pages/<slug:key>/edit/"), views.edit, name="edit"),
]
