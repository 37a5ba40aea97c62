"""How django-allauth fits EchoHub: a person lands in their own language after signing in,
and account emails name the site by SITE_NAME rather than by the request's host
(`site_identity`, which outreach.account_mail gives allauth's templates)."""

from dataclasses import dataclass
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url


@dataclass(frozen=True)
class SiteIdentity:
    """What allauth's email templates read as `current_site` (name and domain).

    Without django.contrib.sites, allauth names the site after the request's
    host ("Hello from 127.0.0.1!"); one setting is simpler than a Site row.
    """

    name: str
    domain: str


def site_identity() -> SiteIdentity:
    return SiteIdentity(settings.SITE_NAME, urlsplit(settings.SITE_URL).netloc)


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request: HttpRequest) -> str:
        url = super().get_login_redirect_url(request)
        language = getattr(request.user, "preferred_language", "")
        return translate_url(url, language) if language else url
