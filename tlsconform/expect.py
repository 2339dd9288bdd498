"""Expectations a scenario states, and graded verdicts that say what happened instead.

Grades follow TLS-Anvil: *strict* is the exact behaviour the RFC names, *conceptual*
is an abort by other means (another alert, a bare close or reset), *fail* is a server
that carried on, went silent, or answered with something unreadable.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from tlsconform.alerts import AlertDescription, alert_name, to_description
from tlsconform.events import Alert, Closed, Reset
from tlsconform.outcome import Outcome


class Grade(Enum):
    strict = "strict"
    conceptual = "conceptual"
    fail = "fail"


@dataclass(frozen=True)
class Verdict:
    grade: Grade
    expected: str
    observed: str
    why: str = ""

    def passed(self, accept_conceptual: bool = False) -> bool:
        return self.grade is Grade.strict or (
            accept_conceptual and self.grade is Grade.conceptual)

    @property
    def message(self) -> str:
        text = f"expected {self.expected}; observed {self.observed}"
        return f"{text} [{self.grade.value}{': ' + self.why if self.why else ''}]"


class Expectation:
    """What a scenario accepts; ``judge`` grades one outcome against it."""

    text = ""

    def judge(self, outcome: Outcome) -> Verdict:
        raise NotImplementedError

    def __str__(self) -> str:
        return self.text


class Completes(Expectation):
    """The handshake completes and one request gets an answer."""

    text = "a completed handshake"

    def judge(self, outcome: Outcome) -> Verdict:
        grade = Grade.strict if outcome.completed and not outcome.violation else Grade.fail
        return Verdict(grade, self.text, outcome.describe())


class AlertThenClose(Expectation):
    """A fatal alert from an allowed set, then the server closes (RFC 8446 6.2)."""

    def __init__(self, *alerts: str | int) -> None:
        self.allowed = frozenset(to_description(a) for a in alerts)
        names = sorted(alert_name(a) for a in self.allowed)
        self.text = (f"fatal alert {names[0]}" if len(names) == 1
                     else f"a fatal alert from {{{', '.join(names)}}}") + " then close"

    def judge(self, outcome: Outcome) -> Verdict:
        observed = outcome.describe()
        aborted = _aborted(outcome)
        if aborted is not None:
            return Verdict(Grade.fail, self.text, observed, aborted)
        alert = outcome.alert
        if alert is None:
            return Verdict(Grade.conceptual, self.text, observed, "closed without an alert")
        if alert.description not in self.allowed:
            return Verdict(Grade.conceptual, self.text, observed,
                           f"aborted with {alert_name(alert.description)}")
        if not alert.fatal:
            return Verdict(Grade.conceptual, self.text, observed, "the alert was not fatal")
        if not isinstance(outcome.after, (Closed, Reset)):
            return Verdict(Grade.conceptual, self.text, observed, "did not close after the alert")
        return Verdict(Grade.strict, self.text, observed)


class Aborts(Expectation):
    """Any fatal alert or a close: for conditions where the RFC names no alert."""

    text = "an abort (any fatal alert or a close)"

    def judge(self, outcome: Outcome) -> Verdict:
        observed = outcome.describe()
        aborted = _aborted(outcome)
        if aborted is not None:
            return Verdict(Grade.fail, self.text, observed, aborted)
        return Verdict(Grade.strict, self.text, observed)


def _aborted(outcome: Outcome) -> str | None:
    """Why the outcome is not an abort at all, or None when the server did abort."""
    if outcome.completed:
        return "the server carried on to the end"
    if outcome.violation:
        return "the server carried on"
    if isinstance(outcome.event, Alert):
        if outcome.event.description == AlertDescription.close_notify:
            return "close_notify is not an error alert"
        if outcome.after is not None and not isinstance(outcome.after, (Closed, Reset)) and \
                type(outcome.after).__name__ != "Timeout":
            return "the server kept sending after its fatal alert"
        return None
    if isinstance(outcome.event, (Closed, Reset)):
        return None
    return "the server neither alerted nor closed"


def completes() -> Expectation:
    return Completes()


def alert(*alerts: str | int) -> Expectation:
    return AlertThenClose(*alerts)


def aborts() -> Expectation:
    return Aborts()
