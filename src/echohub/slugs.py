"""Readable, unique slugs for the addresses of hubs and programs."""

from django.db.models import Model, QuerySet
from django.utils.text import slugify

# Words that are also pages beside the slugs (/manage/programs/new/, …/nouveau/).
RESERVED = frozenset({"new", "nouveau"})


def unique_slug(taken: QuerySet[Model], text: str, *, fallback: str, max_length: int) -> str:
    """`text` as a slug not yet in `taken` (a queryset with a `slug` field): "pain", "pain-2"…"""
    base = (slugify(text) or fallback)[: max_length - 4]
    slug, n = base, 2
    while slug in RESERVED or taken.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug
