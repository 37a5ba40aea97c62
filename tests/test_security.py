"""Deploy-time security settings: what `check --deploy` and the headers promise."""

import os
import subprocess
import sys

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


def test_check_deploy_passes_with_production_settings(tmp_path: object) -> None:
    env = {
        **os.environ,
        "SECRET_KEY": "x7Tq-" + "k" * 20 + "-production-like-key-" + "Z9" * 10,
        "SECURE_SSL_REDIRECT": "1",
        "SECURE_HSTS_SECONDS": "31536000",
        "ALLOWED_HOSTS": "echo.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path}/deploy.sqlite3",
    }
    env.pop("DEBUG", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # a developer shell may set it; deploys must not
    result = check_deploy(env)
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
