"""Questions as starters write them: both languages in the code, since a questionnaire's
labels are its owner's own text (stored in English and French), not interface strings."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Question:
    key: str
    type: str
    en: str
    fr: str
    help_en: str = ""
    help_fr: str = ""
    required: bool = False
    choices: list[dict[str, str]] = field(default_factory=list)
    low_en: str = ""
    low_fr: str = ""
    high_en: str = ""
    high_fr: str = ""
    # Anything else the owning app's question model has (a Moore level, "paired").
    extra: dict[str, object] = field(default_factory=dict)


def choices(*pairs: tuple[str, str, str]) -> list[dict[str, str]]:
    return [{"value": value, "en": en, "fr": fr} for value, en, fr in pairs]
