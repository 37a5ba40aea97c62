"""Equality lookups on one table, with their SQL built once: for the busiest requests.

Django's ORM builds and compiles every query anew. For a one-row lookup that is 0.35
to 0.8 ms of CPU on the machine of `docs/benchmarks.md`, against under 0.1 ms for the
same statement sent as SQL: on a registration POST, which is a dozen such statements,
compiling was most of the request. These helpers keep the statement text per model,
fields and database, and convert what comes back exactly as a queryset would (each
field's and the backend's converters: SQLite's datetimes made aware, its booleans,
JSON). They are for the few places `docs/benchmarks.md` names; everywhere else the
ORM's readability is worth its cost.

Conditions are equalities on fields (a foreign key by its object or its id), ANDed.
"""

from collections.abc import Callable, Sequence
from functools import cache
from typing import Any, TypeVar

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Field, Model

M = TypeVar("M", bound=Model)

Converter = Callable[[Any, Any, BaseDatabaseWrapper], Any]
Converters = tuple[tuple[Converter, ...], Any]  # a column's converters, and the column


def _db_field(model: type[Model], name: str) -> Field[Any, Any]:
    if name == "pk":
        return model._meta.pk
    field = model._meta.get_field(name)
    if not isinstance(field, Field) or not field.concrete:
        raise TypeError(f"{model.__name__}.{name} has no column")
    return field


@cache
def _statement(
    model: type[Model], alias: str, fields: tuple[str, ...], where: tuple[str, ...], tail: str
) -> tuple[str, tuple[Converters, ...]]:
    """The SQL of one lookup (COUNT(*) without `fields`) and how to convert each column."""
    connection = connections[alias]
    quote = connection.ops.quote_name
    table = model._meta.db_table
    columns, converters = [], []
    for name in fields:
        field = _db_field(model, name)
        columns.append(quote(field.column))
        column = field.get_col(table)
        own = field.get_db_converters(connection)  # type: ignore[attr-defined]
        converters.append((tuple(connection.ops.get_db_converters(column) + own), column))
    conditions = " AND ".join(f"{quote(_db_field(model, name).column)} = %s" for name in where)
    select = ", ".join(columns) or "COUNT(*)"
    # Only quoted names of the model's own table and columns go in: values are parameters.
    sql = f"SELECT {select} FROM {quote(table)} WHERE {conditions} {tail}"  # noqa: S608
    return sql.strip(), tuple(converters)


def _params(model: type[Model], alias: str, equal: dict[str, Any]) -> list[Any]:
    connection = connections[alias]
    params = []
    for name, value in equal.items():
        field = _db_field(model, name)
        if isinstance(value, Model):
            value = value.pk
        target = field.target_field if field.is_relation else field  # type: ignore[attr-defined]
        params.append(target.get_db_prep_value(value, connection, prepared=False))
    return params


def first(
    model: type[Model],
    fields: Sequence[str],
    *,
    lock: bool = False,
    using: str = "default",
    **equal: Any,
) -> dict[str, Any] | None:
    """`fields` of the row of `model` where each of `equal` holds, or None.

    With `lock`, the row is locked for the transaction (`SELECT … FOR UPDATE` where the
    database has it; SQLite's transaction holds its write lock already).
    """
    connection = connections[using]
    tail = "LIMIT 1"
    if lock and connection.features.has_select_for_update:
        tail += " FOR UPDATE"
    sql, converters = _statement(model, using, tuple(fields), tuple(equal), tail)
    with connection.cursor() as cursor:
        cursor.execute(sql, _params(model, using, equal))
        row = cursor.fetchone()
    if row is None:
        return None
    values = {}
    for name, value, (convert, column) in zip(fields, row, converters, strict=True):
        for converter in convert:
            value = converter(value, column, connection)
        values[name] = value
    return values


def get(model: type[M], *, using: str = "default", **equal: Any) -> M | None:
    """The whole instance of `model` where each of `equal` holds, or None."""
    names = tuple(field.attname for field in model._meta.concrete_fields)
    values = first(model, names, using=using, **equal)
    if values is None:
        return None
    return model.from_db(using, list(names), list(values.values()))


def count(model: type[Model], *, using: str = "default", **equal: Any) -> int:
    """How many rows of `model` match each of `equal`."""
    connection = connections[using]
    sql, _ = _statement(model, using, (), tuple(equal), "")
    with connection.cursor() as cursor:
        cursor.execute(sql, _params(model, using, equal))
        (found,) = cursor.fetchone()
    return int(found)
