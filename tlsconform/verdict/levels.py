"""Requirement levels (RFC 2119): what a grade means for a row, given how strongly the RFC
asks for the behaviour and for the exact alert.

A row's ``level`` is that of the behaviour it checks (abort, complete, close with
close_notify ...); ``alert_level`` that of the exact alert when another one came;
``silent_level`` that of sending an alert at all when the server only closed. Unless a row
says otherwise (``ALERT_DEFAULT``): in TLS 1.2 both are MUSTs (RFC 5246 7.2.2: "MUST send
the appropriate alert"); in TLS 1.3 both are SHOULDs (RFC 8446 6.2: "SHOULD send an
appropriate fatal alert"), except that "abort the handshake with an X alert" makes X a
MUST "if it sends any alert": such rows set ``alert_level`` MUST.

- strict: passed;
- conceptual: the behaviour was right but the verdict's ``part`` was not: "alert" (another
  description) by ``alert_level``, "silent" (no error alert) by ``silent_level``, "close"
  (no close after the alert, RFC 8446 6.2 MUST close) and "level" (an error alert below
  fatal, RFC 8446 6 and RFC 5246 7.2.2: always fatal) fail;
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


def result(grade: str, part: str, level: Level, alert_level: Level, silent_level: Level
           ) -> Result:
    """The row's result for a verdict's grade and, when conceptual, the part it missed."""
    if grade == "strict":
        return Result.passed
    if grade == "conceptual":
        if part == "alert":
            return BY_LEVEL[alert_level]
        if part == "silent":
            return BY_LEVEL[silent_level]
        return Result.failed
    return BY_LEVEL[level]
