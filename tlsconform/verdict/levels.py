"""Requirement levels (RFC 2119): what a grade means for a row, given how strongly the RFC
asks for the behaviour and for the exact alert.

A row's ``level`` is that of the behaviour it checks (abort, complete, close with
close_notify ...); its ``alert_level`` that of the exact alert. Unless a row's own sentence
says otherwise, the alert is a MUST in TLS 1.2 and a SHOULD in TLS 1.3 (``ALERT_DEFAULT``).

- strict: passed;
- conceptual (the behaviour was right, the alert was not): by ``alert_level``; a server
  that did not close after its alert broke RFC 8446 6.2's MUST close, which fails;
- fail (the behaviour was wrong): by ``level``.

A MUST that is broken fails; a SHOULD is advisory (``--strict`` makes it fail); a MAY
never fails.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Level(StrEnum):
    MUST = "MUST"
    SHOULD = "SHOULD"
    MAY = "MAY"


class Result(StrEnum):
    passed = "passed"
    advisory = "advisory"
    failed = "failed"


@dataclass(frozen=True)
class AlertRule:
    level: Level
    clause: str
    sentence: str


ALERT_DEFAULT = {
    "tls12": AlertRule(Level.MUST, "RFC 5246 7.2.2",
                       "Whenever an implementation encounters a condition which is defined as "
                       "a fatal alert, it MUST send the appropriate alert prior to closing the "
                       "connection."),
    "tls13": AlertRule(Level.SHOULD, "RFC 8446 6.2",
                       "Whenever an implementation encounters a fatal error condition, it "
                       "SHOULD send an appropriate fatal alert and MUST close the connection "
                       "without sending or receiving any additional data."),
}

BY_LEVEL = {Level.MUST: Result.failed, Level.SHOULD: Result.advisory, Level.MAY: Result.passed}


def result(grade: str, part: str, level: Level, alert_level: Level) -> Result:
    """The row's result for a verdict's grade and, when conceptual, the part it missed."""
    if grade == "strict":
        return Result.passed
    if grade == "conceptual":
        return Result.failed if part == "close" else BY_LEVEL[alert_level]
    return BY_LEVEL[level]
