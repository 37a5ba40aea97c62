"""Outreach tests run each task at once, in the test's own process and transaction."""

from collections.abc import Callable
from contextlib import AbstractContextManager
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


@pytest.fixture
def committed(
    django_capture_on_commit_callbacks: Callable[..., AbstractContextManager[Any]],
) -> Callable[[], AbstractContextManager[Any]]:
    """`with committed(): …` runs what waits for the commit (emails) as the block ends."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
