from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from echohub import metrics, views

# The admin has no login of its own: its login page sends to the site's, which
# has the rate limits and the second factor (a guess at the admin's password
# meets the same limits as any other).
admin.site.login = views.admin_login  # type: ignore[method-assign]

urlpatterns: list[URLPattern | URLResolver] = [
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("metrics", metrics.metrics, name="metrics"),
    path("timezone/", views.set_timezone, name="set_timezone"),
    path("api/v1/", include("echohub.api.urls")),
    path("video/", include("echohub.video.hook_urls")),
]
urlpatterns += i18n_patterns(
    path("", include("echohub.programs.urls")),
    path("", include("echohub.network.urls")),
    path("", include("echohub.accounts.urls")),
    path("", include("echohub.registration.urls")),
    path("", include("echohub.registration.feed_urls")),
    path("", include("echohub.attendance.urls")),
    path("", include("echohub.evaluations.urls")),
    path("", include("echohub.certificates.urls")),
    path("", include("echohub.cases.urls")),
    path("", include("echohub.library.urls")),
    path("", include("echohub.sitepages.urls")),
    path("", include("echohub.reports.urls")),
    path("", include("echohub.outreach.urls")),
    path("", include("echohub.updates.urls")),
    path("", include("echohub.community.urls")),
    path("", include("echohub.privacy.urls")),
    path("", include("echohub.api.manage_urls")),
    path("", include("echohub.webhooks.urls")),
    path("", include("echohub.video.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=True,
)
