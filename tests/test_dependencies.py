"""Dependencies (issue 13 item 14): bounded majors, floors at fixed releases, no unused extras,
and hashed lock files that agree with pyproject.toml (regenerate them with ./scripts/lock)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+) \\$", re.MULTILINE)


def requirements(test: bool) -> list[Requirement]:
    listed = PYPROJECT["dependencies"] + (
        PYPROJECT["optional-dependencies"]["test"] if test else []
    )
    return [Requirement(line) for line in listed]


def pins(lock: str) -> dict[str, Version]:
    text = (ROOT / "requirements" / lock).read_text()
    found = {canonicalize_name(name): Version(version) for name, version in _PIN.findall(text)}
    # Every pinned requirement carries its hashes: pip installs in hash-checking mode.
    entries = [e for e in re.split(r"\n(?=\S)", text) if "==" in e]
    assert len(entries) == len(found)
    assert all("--hash=sha256:" in entry for entry in entries)
    return found


def test_every_dependency_has_a_floor_and_a_bounded_major() -> None:
    for requirement in requirements(test=True):
        operators = {spec.operator for spec in requirement.specifier}
        assert ">=" in operators and "<" in operators, requirement
    assert not any(r.extras for r in requirements(test=False) if r.name == "python-telegram-bot")
    floors = {r.name: r for r in requirements(test=False)}
    # Releases with fixes for the server-side advisories (smuggling, decompression, pipelining).
    assert not floors["aiohttp"].specifier.contains("3.14.2")


def test_lock_files_pin_what_pyproject_asks_for() -> None:
    for lock, test in (("run.lock", False), ("test.lock", True)):
        pinned = pins(lock)
        for requirement in requirements(test):
            name = canonicalize_name(requirement.name)
            assert name in pinned, (lock, name)
            assert requirement.specifier.contains(pinned[name]), (lock, requirement, pinned[name])
        assert "tornado" not in pinned, "the [webhooks] extra is not used"
    assert pins("run.lock").items() <= pins("test.lock").items()


def test_both_commands_install_from_the_locks() -> None:
    setup = (ROOT / "scripts" / "venv.sh").read_text()
    assert "--require-hashes" in setup and "requirements/" in setup
    assert "--no-deps -e ." in setup
