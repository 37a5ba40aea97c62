"""Outreach tests run each task at once, in the test's own process and transaction."""

from typing import Any

import pytest

IMMEDIATE_TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "QUEUES": ["default"],
    }
}


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings: Any) -> None:
    settings.TASKS = IMMEDIATE_TASKS
