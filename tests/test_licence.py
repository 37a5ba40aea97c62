"""The licence the README and pyproject name is shipped, unchanged, as LICENSE."""

import hashlib
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# SHA-256 of the GNU Affero General Public License, version 3, as the Free Software
# Foundation publishes it (agpl-3.0.txt, 34,523 bytes): any edit changes it.
AGPL_3_SHA256 = "0d96a4ff68ad6d4b6f1f30f713b18d5184912ba8dd389f86aa7710db079abcb0"


def test_the_licence_file_is_the_agpl_verbatim() -> None:
    text = (ROOT / "LICENSE").read_bytes()
    assert text.startswith(b"                    GNU AFFERO GENERAL PUBLIC LICENSE\n")
    assert b"Version 3, 19 November 2007" in text
    assert hashlib.sha256(text).hexdigest() == AGPL_3_SHA256


def test_the_package_and_the_readme_name_the_same_licence() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == "AGPL-3.0-or-later"
    assert project["license-files"] == ["LICENSE"]
    assert "AGPL-3.0-or-later" in (ROOT / "README.md").read_text(encoding="utf-8")
