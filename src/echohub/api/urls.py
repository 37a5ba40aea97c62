"""/api/v1/: the partner API, outside the language prefixes (its texts carry both)."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerSplitView

from echohub.api.views import base, imports, partner, public, writes

app_name = "api"

urlpatterns = [
    path("openapi.json", SpectacularJSONAPIView.as_view(), name="schema"),
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api:schema", template_name="api/reference.html"
        ),
        name="docs",
    ),
    path("token/", partner.TokenView.as_view(), name="token"),
    path("hubs/", public.HubList.as_view(), name="hubs"),
    path("hubs/<slug:slug>/", public.HubDetail.as_view(), name="hub"),
    path("programs/", public.ProgramList.as_view(), name="programs"),
    path("programs/<slug:slug>/", public.ProgramDetail.as_view(), name="program"),
    path("programs/<slug:slug>/reach/", partner.ProgramReach.as_view(), name="reach"),
    path(
        "programs/<slug:slug>/evaluation/", partner.ProgramEvaluation.as_view(), name="evaluation"
    ),
    path("sessions/", public.SessionList.as_view(), name="sessions"),
    path("sessions/<int:pk>/", public.SessionDetail.as_view(), name="session"),
    path("sessions/<int:pk>/registrations/", writes.Register.as_view(), name="register"),
    path("sessions/<int:pk>/cancellations/", writes.Cancel.as_view(), name="cancel"),
    path("sessions/<int:pk>/certificates/", writes.IssueCertificates.as_view(), name="issue"),
    path("sessions/<int:pk>/attendance-imports/", imports.SendReport.as_view(), name="send_report"),
    path("attendance-imports/<int:pk>/", imports.ImportDetail.as_view(), name="attendance_import"),
    path(
        "attendance-imports/<int:pk>/apply/",
        imports.ApplyImport.as_view(),
        name="apply_import",
    ),
    path("library/", public.ResourceList.as_view(), name="resources"),
    path("library/<str:key>/", public.ResourceDetail.as_view(), name="resource"),
    path("updates/", public.UpdateList.as_view(), name="updates"),
    path("updates/<int:pk>/", public.UpdateDetail.as_view(), name="update"),
    path(
        "certificates/verify/<str:code>/",
        public.CertificateVerify.as_view(),
        name="certificate_verify",
    ),
    path("certificates/", partner.CertificateList.as_view(), name="certificates"),
    path("registrations/", partner.RegistrationList.as_view(), name="registrations"),
    path("attendance/", partner.AttendanceList.as_view(), name="attendance"),
    re_path(r"^[\s\S]*$", base.not_found, name="not_found"),
]
