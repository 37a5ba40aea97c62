"""Backing up and restoring EchoHub: the database and the private files, with a manifest.

A backup is a folder holding the database (`pg_dump`'s custom format on
PostgreSQL, SQLite's own online copy otherwise), the private files (library
uploads, hub logos, update images) as one tar.gz when they are kept on disk,
and `manifest.json`: when, which engine, and how many rows the tables that
matter hold. A restore puts both back into an empty database and folder, then
counts again and refuses to call it done unless the counts are the manifest's.
Object storage (S3) is not copied: its bucket's versioning is its backup.
"""

import datetime as dt
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path
from typing import Any, cast

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection

# The tables whose counts a restore must find again.
COUNTED = (
    "accounts.User",
    "programs.Program",
    "programs.Session",
    "registration.Registration",
    "attendance.Attendance",
    "certificates.Certificate",
    "cases.Case",
    "cases.AuditRecord",
    "library.Resource",
    "outreach.OutboxMessage",
    "updates.Subscriber",
)
DATABASE_DUMP = "database.pgdump"
DATABASE_COPY = "database.sqlite3"
FILES = "private-files.tar.gz"
MANIFEST = "manifest.json"


class BackupError(Exception):
    pass


def counts() -> dict[str, int]:
    return {label: apps.get_model(label).objects.count() for label in COUNTED}


def _private_root() -> Path | None:
    private = cast(dict[str, Any], settings.STORAGES["private"])
    if private["BACKEND"] != "django.core.files.storage.FileSystemStorage":
        return None
    return Path(private.get("OPTIONS", {})["location"])


def _pg_env() -> tuple[list[str], dict[str, str]]:
    db = connection.settings_dict
    args = ["--host", str(db["HOST"] or "localhost"), "--port", str(db["PORT"] or 5432)]
    args += ["--username", str(db["USER"] or "postgres")]
    env = {**os.environ}
    if db["PASSWORD"]:
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def _run(command: list[str], env: dict[str, str]) -> None:
    # pg_dump and pg_restore, with this database's own settings: no outside input.
    result = subprocess.run(  # noqa: S603
        command, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[:2000]}")


def backup(folder: Path) -> dict[str, Any]:
    """Write a backup into `folder` (created; it must not exist yet); returns the manifest."""
    folder.mkdir(parents=True, exist_ok=False)
    vendor = connection.vendor
    if vendor == "postgresql":
        args, env = _pg_env()
        name = str(connection.settings_dict["NAME"])
        _run(
            [
                "pg_dump",
                *args,
                "--format=custom",
                "--no-owner",
                f"--file={folder / DATABASE_DUMP}",
                name,
            ],
            env,
        )
    elif vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(folder / DATABASE_COPY) as target:
            connection.connection.backup(target)
    else:
        raise BackupError(f"No backup for the {vendor} engine.")
    root = _private_root()
    files = 0
    if root is not None and root.exists():
        with tarfile.open(folder / FILES, "w:gz") as archive:
            for path in sorted(root.rglob("*")):
                if path.is_file():
                    archive.add(path, arcname=str(path.relative_to(root)))
                    files += 1
    manifest = {
        "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "engine": vendor,
        "counts": counts(),
        "private_files": files if root is not None else "object storage: not copied",
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2))
    return manifest


def restore(folder: Path) -> dict[str, int]:
    """Put a backup back into this (empty) database and private folder, then check the counts."""
    manifest = json.loads((folder / MANIFEST).read_text())
    vendor = connection.vendor
    if manifest["engine"] != vendor:
        raise BackupError(f"The backup is of {manifest['engine']}; this database is {vendor}.")
    if vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
            (tables,) = cursor.fetchone()
        if tables:
            raise BackupError("The database is not empty: restore into a new database.")
        args, env = _pg_env()
        name = str(connection.settings_dict["NAME"])
        _run(
            ["pg_restore", *args, "--no-owner", f"--dbname={name}", str(folder / DATABASE_DUMP)],
            env,
        )
    else:
        target = Path(str(connection.settings_dict["NAME"]))
        if target.exists() and target.stat().st_size > 0:
            raise BackupError(f"{target} exists: restore into a new file.")
        connection.close()
        shutil.copyfile(folder / DATABASE_COPY, target)
    root = _private_root()
    if root is not None and (folder / FILES).exists():
        root.mkdir(parents=True, exist_ok=True)
        with tarfile.open(folder / FILES, "r:gz") as archive:
            archive.extractall(root, filter="data")
    # The schema of this version of EchoHub, should the backup come from an older one.
    call_command("migrate", verbosity=0)
    found = counts()
    if found != manifest["counts"]:
        raise BackupError(f"The counts differ: backup {manifest['counts']}, restored {found}.")
    return found
