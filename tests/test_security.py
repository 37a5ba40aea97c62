"""Deploy-time security settings: what `check --deploy` and the headers promise."""

import os
import subprocess
import sys

from django.http import HttpResponse
from django.test import Client
from django.urls import reverse


def check_deploy(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "echohub", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def production_env(tmp_path: object, **extra: str) -> dict[str, str]:
    """The settings docs/deploy.md documents for production."""
    env = {
        **os.environ,
        "SECRET_KEY": "x7Tq-" + "k" * 20 + "-production-like-key-" + "Z9" * 10,
        "SECURE_SSL_REDIRECT": "1",
        "SECURE_HSTS_SECONDS": "31536000",
        "ALLOWED_HOSTS": "echo.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path}/deploy.sqlite3",
        "SECRETS_KEYS": "Xb8Zq2sE4wV1mN7pL0kJ3hG6fD9sA5qW8eR2tY4uI0o=",
        **extra,
    }
    env.pop("DEBUG", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # a developer shell may set it; deploys must not
    return env


def test_check_deploy_passes_with_production_settings(tmp_path: object) -> None:
    result = check_deploy(production_env(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_without_a_secret_key_check_deploy_fails(tmp_path: object) -> None:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path}/deploy.sqlite3"}
    env.pop("SECRET_KEY", None)
    env.pop("DEBUG", None)
    result = check_deploy(env)
    assert result.returncode != 0
    assert "security.W009" in result.stderr + result.stdout


def test_pages_forbid_inline_scripts_and_framing(db: None) -> None:
    response = Client().get(reverse("programs:home"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert "<script>" not in response.content.decode()


def test_hsts_preload_is_its_own_choice(tmp_path: object) -> None:
    assert check_deploy(production_env(tmp_path, SECURE_HSTS_PRELOAD="1")).returncode == 0


def test_hsts_says_preload_only_when_asked(settings) -> None:
    from django.middleware.security import SecurityMiddleware
    from django.test import RequestFactory

    settings.SECURE_HSTS_SECONDS = 31536000
    request = RequestFactory().get("/", secure=True)
    for preload, expected in ((False, False), (True, True)):
        settings.SECURE_HSTS_PRELOAD = preload
        response = SecurityMiddleware(lambda r: HttpResponse())(request)
        assert ("preload" in response["Strict-Transport-Security"]) is expected


def test_every_answer_has_a_permissions_policy(db: None) -> None:
    policy = Client().get(reverse("programs:home"))["Permissions-Policy"]
    assert "camera=()" in policy
    assert "publickey-credentials-get=(self)" in policy


def test_pages_for_signed_in_people_are_never_stored(network) -> None:
    from tests.conftest import client_for

    session = network.session
    pages = [
        reverse("registration:registrants", kwargs={"pk": session.pk}),
        reverse("accounts:profile"),
        reverse("programs:manage"),
        reverse("certificates:transcript") + "?format=csv",
        reverse("programs:home"),
    ]
    for path in pages:
        response = client_for(network.coordinator).get(path)
        assert response.status_code == 200, path
        assert "no-store" in response["Cache-Control"], path
        assert "private" in response["Cache-Control"], path
    # A visitor's public page may be kept (issue 18 caches them).
    assert "no-store" not in Client().get(reverse("programs:home")).get("Cache-Control", "")
