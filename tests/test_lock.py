"""The hash-pinned locks say what pyproject.toml says, and pin every package with hashes."""

import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def pinned(requirements: list[str]) -> dict[str, str]:
    found = {}
    for line in requirements:
        name, _eq, version = line.split(";")[0].split("#")[0].strip().partition("==")
        found[normalise(re.sub(r"\[.*\]", "", name))] = version.strip()
    return found


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def lock(name: str) -> dict[str, list[str]]:
    """Each package of a lock file, with its hashes."""
    packages: dict[str, list[str]] = {}
    current = ""
    for line in (ROOT / name).read_text().splitlines():
        if match := re.match(r"^([A-Za-z0-9_.\-]+)==([^\s;\\]+)", line):
            current = f"{normalise(match[1])}=={match[2]}"
            packages[current] = []
        elif match := re.search(r"--hash=sha256:([0-9a-f]{64})", line):
            packages[current].append(match[1])
    return packages


@pytest.mark.parametrize(
    ("name", "wanted"),
    [
        ("requirements.lock", PROJECT["dependencies"]),
        (
            "requirements-test.lock",
            PROJECT["dependencies"] + PROJECT["optional-dependencies"]["test"],
        ),
    ],
)
def test_the_lock_pins_what_pyproject_asks_each_with_hashes(name: str, wanted: list[str]) -> None:
    packages = lock(name)
    missing = [
        f"{package}=={version}"
        for package, version in pinned(wanted).items()
        if f"{package}=={version}" not in packages
    ]
    assert missing == [], f"run `make lock`: {name} lacks {missing}"
    assert all(packages.values()), "every package is pinned with at least one hash"
