from django.urls import path
from django.utils.translation import gettext_lazy as _

from echohub.certificates import views

app_name = "certificates"
urlpatterns = [
    path(_("manage/programs/<slug:slug>/certificates/"), views.manage, name="manage"),
    path(_("manage/programs/<slug:slug>/certificates/issue/"), views.issue, name="issue"),
    path(_("manage/certificates/<int:pk>/revoke/"), views.revoke, name="revoke"),
    path(_("my-certificates/"), views.mine, name="transcript"),
    path(_("certificates/<str:code>/pdf/"), views.pdf, name="pdf"),
    path(_("verify/"), views.verify, name="verify_form"),
    path(_("verify/<str:code>/"), views.verify, name="verify"),
]
