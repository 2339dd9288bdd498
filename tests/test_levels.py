"""Grades become results by the RFC's own levels: a broken MUST fails, a missed SHOULD is
advisory (failing only under --strict), a MAY never fails."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tlsconform.client.offer import TLS12, TLS13
from tlsconform.scenario import Case
from tlsconform.verdict.expect import alert, completes, completes_or_aborts, negotiated
from tlsconform.verdict.levels import Level, Result, result
from tlsconform.verdict.outcome import Outcome
from tlsconform.wire.events import Alert, Closed, Timeout

ROOT = Path(__file__).resolve().parent.parent
EXPIRED_BUT_BAD_CERTIFICATE = Outcome(event=Alert(2, 42), after=Closed(), phase="after x")
BARE_CLOSE = Outcome(event=Closed(), phase="after x")
WARNING_ALERT = Outcome(event=Alert(1, 40), after=Closed(), phase="after x")
DONE13 = Outcome(completed=True, version=TLS13, cipher=0x1301)
DONE12 = Outcome(completed=True, version=TLS12, cipher=0xC02F)


def row(version: str, expect: object, **levels: object) -> Case:
    return Case(id=f"{version}-x", rfc=("8446", "6.2"), requirement="r", version=version,
                expect=expect, **levels)


@pytest.mark.parametrize(("grade", "part", "levels", "expected"), [
    ("strict", "", (Level.MUST, Level.MUST, Level.MUST), Result.passed),
    ("fail", "", (Level.MUST, Level.MUST, Level.MUST), Result.failed),
    ("fail", "", (Level.SHOULD, Level.MUST, Level.MUST), Result.advisory),
    ("fail", "", (Level.MAY, Level.MUST, Level.MUST), Result.passed),
    ("conceptual", "alert", (Level.MUST, Level.SHOULD, Level.MUST), Result.advisory),
    ("conceptual", "alert", (Level.MUST, Level.MUST, Level.SHOULD), Result.failed),
    ("conceptual", "silent", (Level.MUST, Level.MUST, Level.SHOULD), Result.advisory),
    ("conceptual", "silent", (Level.MUST, Level.MUST, Level.MAY), Result.passed),
    ("conceptual", "close", (Level.MUST, Level.MAY, Level.MAY), Result.failed),
    ("conceptual", "level", (Level.MUST, Level.MAY, Level.MAY), Result.failed),
])
def test_result_by_grade_part_and_level(grade: str, part: str, levels: tuple, expected: Result
                                        ) -> None:
    assert result(grade, part, *levels) is expected


def test_the_default_alert_levels_follow_each_rfc() -> None:
    """RFC 5246 7.2.2: MUST send the appropriate alert; RFC 8446 6.2: SHOULD."""
    expired = alert("certificate_expired")
    tls13, tls12 = row("tls13", expired), row("tls12", expired)
    verdict = expired.judge(EXPIRED_BUT_BAD_CERTIFICATE)
    assert tls13.result(verdict) is Result.advisory
    assert tls12.result(verdict) is Result.failed
    assert tls13.result(expired.judge(BARE_CLOSE)) is Result.advisory
    assert row("tls13", expired, alert_level=Level.MUST).result(verdict) is Result.failed
    assert tls13.result(expired.judge(WARNING_ALERT)) is Result.failed  # not fatal: a MUST


def test_a_should_row_is_advisory_when_broken() -> None:
    """RFC 9325 4.1: SHOULD NOT negotiate 3DES; a server that does is advisory."""
    refuses = row("tls12", alert("handshake_failure"), level=Level.SHOULD)
    assert refuses.result(refuses.expect.judge(DONE12)) is Result.advisory


def test_may_abort_rows_fail_only_on_a_third_behaviour() -> None:
    """RFC 8446 4.2.1: negotiate TLS 1.2 or abort as the server likes."""
    expect = completes_or_aborts(negotiated(TLS12))
    case = row("tls12", expect, alert_level=Level.MAY, silent_level=Level.MAY)
    assert case.result(expect.judge(DONE12)) is Result.passed
    assert case.result(expect.judge(BARE_CLOSE)) is Result.passed
    assert case.result(expect.judge(DONE13)) is Result.failed
    assert case.result(expect.judge(Outcome(event=Timeout(1.0)))) is Result.failed
    assert case.result(expect.judge(WARNING_ALERT)) is Result.failed
    assert case.result(completes().judge(BARE_CLOSE)) is Result.failed


def run_suite(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pytest", "suites", "-q", "-p",
                           "no:cacheprovider", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)


def test_advisory_results_pass_and_are_listed_and_strict_fails_them() -> None:
    """NSS negotiates 3DES offered alone: a SHOULD NOT of RFC 9325 4.1."""
    selection = ["--server", "nss", "-k", "tls12-only-3des-suites"]
    relaxed = run_suite(*selection)
    assert relaxed.returncode == 0, relaxed.stdout
    assert "advisory: a SHOULD of the RFC not met" in relaxed.stdout
    assert "tlsconform: 0 passed, 1 advisory, 0 failed" in relaxed.stdout
    strict = run_suite(*selection, "--strict")
    assert strict.returncode == 1, strict.stdout
    assert "advisory: a SHOULD is not met (fails with --strict)" in strict.stdout
    assert "Implementations SHOULD NOT negotiate cipher suites" in strict.stdout
