"""A backup restores into an empty database with the same counts and the same files.

The drill runs the `echohub` command as an operator would, in processes of its
own, on SQLite files in a temporary folder (.ci/run runs the same drill on
PostgreSQL).
"""

import json
import os
import subprocess
import sys
from pathlib import Path


def echohub(tmp_path: Path, database: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / database}.sqlite3",
        "ECHOHUB_DATA_DIR": str(tmp_path / database),
        "TASKS_BACKEND": "immediate",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return subprocess.run(  # noqa: S603 - our own command, our own arguments
        [sys.executable, "-m", "echohub", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def test_backup_and_restore_drill(tmp_path: Path) -> None:
    assert echohub(tmp_path, "live", "migrate", "-v0").returncode == 0
    assert echohub(tmp_path, "live", "demo").returncode == 0
    logo = tmp_path / "live" / "private" / "hubs" / "ab12" / "logo.png"
    logo.parent.mkdir(parents=True)
    logo.write_bytes(b"\x89PNG fake")
    made = echohub(tmp_path, "live", "backup", str(tmp_path / "backup"))
    assert made.returncode == 0, made.stderr
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert manifest["counts"]["accounts.User"] > 0
    assert manifest["private_files"] == 1

    restored = echohub(tmp_path, "spare", "restore", str(tmp_path / "backup"))
    assert restored.returncode == 0, restored.stderr
    assert "the counts match" in restored.stdout
    assert (tmp_path / "spare" / "private" / "hubs" / "ab12" / "logo.png").read_bytes() == (
        b"\x89PNG fake"
    )
    assert echohub(tmp_path, "spare", "check").returncode == 0
    # A second restore over it is refused: restores go into an empty database.
    again = echohub(tmp_path, "spare", "restore", str(tmp_path / "backup"))
    assert again.returncode != 0
    assert "exists: restore into a new file" in again.stderr
