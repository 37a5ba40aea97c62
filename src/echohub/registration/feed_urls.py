"""Calendar files and feeds, included inside i18n_patterns (/en/…, /fr/…).

The paths are not translated: calendar apps keep these addresses for years.
"""

from django.urls import path

from echohub.registration import feeds

app_name = "calendars"
urlpatterns = [
    path("sessions/<int:pk>/calendar.ics", feeds.session_ics, name="session_ics"),
    path("programs/<slug:slug>/calendar.ics", feeds.program_feed, name="program_feed"),
    path("feeds/<str:token>.ics", feeds.personal_feed, name="personal_feed"),
]
