"""TEMPORARY stand-ins until the helper branches land."""

from dataclasses import dataclass
from typing import Any

from django.utils.safestring import SafeString, mark_safe


@dataclass
class MooreSummary:
    satisfaction_responses: int = 0
    satisfied: float | None = None
    satisfaction_mean: float | None = None
    knowledge: Any = None
    competence: Any = None
    follow_up_responses: int = 0
    practice_change: float | None = None


def moore_summary(programs: Any, start: Any = None, end: Any = None) -> MooreSummary:
    return MooreSummary()


def views_by_kind(resources: Any, start: Any, end: Any) -> dict[str, int]:
    return {}


def canada_map(values: Any, *, names: Any, title: str, summary_id: Any = None) -> SafeString:
    return mark_safe('<svg><path class="map-shade-1"></path></svg>')


def map_legend(values: Any) -> list[tuple[str, str]]:
    return []


def canada_drawing(values: Any, width: float) -> Any:
    return None
