"""Short lists kept in a process's memory for as long as the public pages stay the same.

Professions, settings, provinces, topics and hubs are on nearly every public page
(filters, footers, the "Stay informed" box) and change a few times a year. Every
change to them starts a new page-cache generation (`bump_on_change`), so their rows
can be read once per process and generation: a renamed profession is on every
server's forms as soon as it is on their pages. The generation is read once per
request, and on a public page not again after the middleware's own read
(`cache.generation`).
"""

from collections.abc import Sequence
from typing import Any, TypeVar

from django.db.models import Model

from echohub.pagecache.cache import generation

M = TypeVar("M", bound=Model)

# Model label -> (the generation it was read in, its rows in their own order).
_kept: dict[str, tuple[str, tuple[Any, ...]]] = {}


def kept_rows(model: type[M]) -> Sequence[M]:
    """Every row of a short list, in its default order, as of the current generation.

    Only for lists whose every change bumps the page cache (reference lists, hubs).
    The rows are shared by every request of this process: read them, never change them.
    """
    current = generation()
    label = model._meta.label
    found = _kept.get(label)
    if found is None or found[0] != current:
        found = (current, tuple(model._default_manager.all()))
        _kept[label] = found
    return found[1]


def forget_kept_rows() -> None:
    """Drop every kept list (tests: a rolled-back transaction takes its generation along)."""
    _kept.clear()
