"""Deviation files layer (later entries win) and an entry may name the implementation
versions it applies to (issue 12, item 7)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tlsconform.fixtures.deviations import Deviation, load

ROOT = Path(__file__).resolve().parent.parent
CASE = "test_alert_protocol[tls12-close-notify-instead-of-finished]"  # in embedded.toml


def entry(observed: str, versions: list[str] | None = None) -> str:
    lines = ["[[deviation]]", f'case = "{CASE}"', f'observed = "{observed}"',
             'reason = "a test entry"', 'rfc = "5246 7.2.1"']
    if versions is not None:
        lines.append(f"versions = {versions!r}".replace("'", '"'))
    return "\n".join(lines) + "\n"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "suites/test_alert_protocol.py", "-q",
         "-p", "no:cacheprovider", "-k", "tls12-close-notify-instead-of-finished", *args],
        cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_versions_are_globs_and_absent_ones_match_anything() -> None:
    stated = Deviation("c", "o", "r", "1", versions=("3.7.*",))
    assert stated.applies_to("3.7.9") and not stated.applies_to("3.8.0")
    assert stated.applies_to(None)  # the run did not say which version it tests
    assert Deviation("c", "o", "r", "1").applies_to("anything")


def test_versions_must_be_a_list_of_strings(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(entry("x").replace('rfc = "5246 7.2.1"', 'rfc = "5246 7.2.1"\nversions = 3'))
    with pytest.raises(pytest.UsageError, match="versions must be a list"):
        load(path)


def test_a_later_file_overrides_an_earlier_one(tmp_path: Path) -> None:
    mine = tmp_path / "mine.toml"
    mine.write_text(entry("something else entirely"))
    result = run("--deviations", "embedded", "--deviations", str(mine))
    assert result.returncode == 1, result.stdout
    assert "the deviation recorded in mine.toml changed" in result.stdout, result.stdout
    alone = run("--deviations", "embedded")
    assert alone.returncode == 0 and "1 xfailed" in alone.stdout, alone.stdout


def test_an_entry_for_other_versions_does_not_apply(tmp_path: Path) -> None:
    mine = tmp_path / "mine.toml"
    mine.write_text(entry("something else entirely", versions=["9.*"]))
    result = run("--deviations", "embedded", "--deviations", str(mine),
                 "--implementation-version", "3.11")
    assert result.returncode == 0 and "1 xfailed" in result.stdout, result.stdout
    applies = run("--deviations", "embedded", "--deviations", str(mine),
                  "--implementation-version", "9.1")
    assert applies.returncode == 1, applies.stdout
