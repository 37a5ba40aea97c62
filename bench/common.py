"""What every benchmark script shares: progress on stderr, and the percentile it reports.

The scripts run as `python bench/<name>.py`, so this folder is on their path.
"""

import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit


def log(message: str) -> None:
    """Progress and details go to stderr; stdout's last line is the benchmark's JSON."""
    print(message, file=sys.stderr, flush=True)


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0–100): the ceil(n·p/100)-th smallest; 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * p // 100))
    return ordered[int(rank) - 1]


TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def workers(master: int) -> list[int]:
    """gunicorn's worker processes: the master's children (Linux: /proc)."""
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [int(pid) for pid in children]


def cpu_by_process(pids: list[int]) -> dict[int, float]:
    """User and system CPU seconds each process has used so far (gone ones are left out)."""
    found = {}
    for pid in pids:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except FileNotFoundError:
            continue
        # utime and stime are fields 14 and 15; the command name (field 2) may hold spaces.
        fields = stat.rsplit(")", 1)[1].split()
        found[pid] = (int(fields[11]) + int(fields[12])) / TICKS
    return found


def cpu_seconds(pids: list[int]) -> float:
    return sum(cpu_by_process(pids).values())


def cpu_since(before: dict[int, float], pids: list[int]) -> float:
    """CPU seconds used since `before` by `pids`; a process started since counts whole."""
    now = cpu_by_process(pids)
    return sum(seconds - before.get(pid, 0.0) for pid, seconds in now.items())


def postgres_processes() -> list[int]:
    """Every PostgreSQL server process on this machine (backends, writers), if it is local."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() in ("postgres", "postmaster"):
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def use_own_database(name: str, tmp: Path) -> str:
    """Point DATABASE_URL at a database of the benchmark's own, and Django at `tmp`.

    With a PostgreSQL DATABASE_URL, the database `name` on that server (which the
    caller creates and drops with `pg_admin`, never touching the one named there);
    otherwise a SQLite file in `tmp`. Returns the URL given, "" without PostgreSQL.
    """
    given = os.environ.get("DATABASE_URL", "")
    if given.startswith(("postgres://", "postgresql://")):
        parts = urlsplit(given)
        if parts.path.strip("/") == name:
            sys.exit(f"Give the URL of another database on that server, not {name}.")
        os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{name}"))
    else:
        given = ""
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
    os.environ.update(ECHOHUB_DATA_DIR=str(tmp), DJANGO_SETTINGS_MODULE="echohub.settings")
    os.environ.pop("DEBUG", None)
    return given


def pg_admin(url: str, name: str, statement: str) -> None:
    """Run a CREATE/DROP DATABASE statement about database `name` on url's server."""
    import psycopg
    from psycopg import sql
    from psycopg.conninfo import make_conninfo

    with psycopg.connect(make_conninfo(url, dbname="postgres"), autocommit=True) as conn:
        conn.execute(sql.SQL(statement).format(sql.Identifier(name)))


@contextmanager
def own_database(name: str, prefix: str, *, keep: bool = False) -> Iterator[Path]:
    """For the block: a database of the benchmark's own (see `use_own_database`), made
    afresh on PostgreSQL, Django set up and migrated; the data folder is yielded.

    Afterwards the database is dropped and the folder removed, unless `keep`.
    """
    import django
    from django.core.management import call_command
    from django.db import connection, connections

    tmp = Path(tempfile.mkdtemp(prefix=prefix))
    given = use_own_database(name, tmp)
    created = False
    try:
        if given:
            pg_admin(given, name, "DROP DATABASE IF EXISTS {}")
            pg_admin(given, name, "CREATE DATABASE {}")
            created = True
        django.setup()
        log(f"Database: {connection.vendor} (throwaway); load average {os.getloadavg()[0]:.2f}")
        call_command("migrate", verbosity=0, skip_checks=True)
        yield tmp
    finally:
        connections.close_all()
        if keep:
            log(f"Kept: DATABASE_URL={os.environ['DATABASE_URL']}")
        else:
            if created:
                pg_admin(given, name, "DROP DATABASE IF EXISTS {}")
            shutil.rmtree(tmp, ignore_errors=True)
