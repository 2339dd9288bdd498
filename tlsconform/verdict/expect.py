"""Expectations a scenario states, and graded verdicts that say what happened instead.

Grades follow TLS-Anvil: *strict* is the exact behaviour the RFC names, *conceptual*
is an abort by other means (another alert, a bare close or reset), *fail* is a server
that carried on, went silent, or answered with something unreadable.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

from tlsconform.crypto.suites import suite_name
from tlsconform.messages.alerts import AlertDescription, alert_name, to_description
from tlsconform.verdict.outcome import Outcome, version_name
from tlsconform.wire.events import Alert, Closed, Reset, Timeout, Unparsed


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

    def abort_without_alert(self, outcome: Outcome) -> Verdict | None:
        """The verdict when the server did not abort (fail) or closed without an alert
        (conceptual); None when it sent an alert that the caller grades further."""
        aborted = _aborted(outcome)
        if aborted is not None:
            return Verdict(Grade.fail, self.text, outcome.describe(), aborted)
        if outcome.alert is None:
            return Verdict(Grade.conceptual, self.text, outcome.describe(),
                           "closed without an alert")
        if outcome.closed_cleanly:
            return Verdict(Grade.conceptual, self.text, outcome.describe(),
                           "closed with close_notify, not an error alert")
        return None


class Completes(Expectation):
    """The handshake completes and one request gets an answer."""

    text = "a completed handshake"

    def judge(self, outcome: Outcome) -> Verdict:
        if outcome.completed and not outcome.violation and not outcome.internal_error:
            return Verdict(Grade.strict, self.text, outcome.describe())
        why = "closed cleanly without answering the request" if outcome.closed_cleanly else ""
        return Verdict(Grade.fail, self.text, outcome.describe(), why)


class AlertThenClose(Expectation):
    """A fatal alert from an allowed set, then the server closes (RFC 8446 6.2).

    Any other abort (another alert, a bare close or reset, a warning-level alert, no
    close after the alert) grades *conceptual*: for certificate faults that is how
    bad_certificate, certificate_unknown or access_denied are graded where the RFC
    names a more specific alert.
    """

    def __init__(self, *alerts: str | int) -> None:
        self.allowed = frozenset(to_description(a) for a in alerts)
        names = sorted(alert_name(a) for a in self.allowed)
        self.text = (f"fatal alert {names[0]}" if len(names) == 1
                     else f"a fatal alert from {{{', '.join(names)}}}") + " then close"

    def judge(self, outcome: Outcome) -> Verdict:
        observed = outcome.describe()
        early = self.abort_without_alert(outcome)
        if early is not None:
            return early
        alert = outcome.alert
        assert alert is not None
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


@dataclass(frozen=True)
class Check:
    """A property of a completed handshake; ``problem`` says what is wrong, or None."""

    text: str
    problem: Callable[[Outcome], str | None]


class CompletesWith(Expectation):
    """The handshake completes and ``check`` finds nothing wrong with what was negotiated."""

    def __init__(self, check: Check) -> None:
        self.check = check
        self.text = f"a completed handshake with {check.text}"

    def judge(self, outcome: Outcome) -> Verdict:
        observed = outcome.describe()
        if outcome.violation or outcome.internal_error:
            return Verdict(Grade.fail, self.text, observed)
        if not outcome.completed:
            return Verdict(Grade.fail, self.text, observed, "the handshake did not complete")
        problem = self.check.problem(outcome)
        if problem:
            return Verdict(Grade.fail, self.text, observed, problem)
        return Verdict(Grade.strict, self.text, observed)


class CompletesOrRefuses(Expectation):
    """Either outcome the RFC leaves to the server: it completes, or refuses with an alert.

    For parameters a server may legitimately not support (an optional cipher suite, a
    ClientHello.legacy_version it MAY refuse): completing (with ``check`` satisfied) and a
    fatal alert from the set followed by a close are both strict; another abort is
    conceptual; a completed handshake that breaks ``check`` fails.
    """

    def __init__(self, *alerts: str | int, check: Check | None = None) -> None:
        self.completes = CompletesWith(check) if check else Completes()
        self.refuses = AlertThenClose(*alerts)
        self.text = f"{self.completes.text}, or {self.refuses.text}"

    def judge(self, outcome: Outcome) -> Verdict:
        judged = self.completes if outcome.completed else self.refuses
        verdict = judged.judge(outcome)
        return Verdict(verdict.grade, self.text, verdict.observed, verdict.why)


class AbortsCleanly(Expectation):
    """RFC 8446 6 and 6.2, RFC 5246 7.2.2: an error alert is sent at the fatal level, and
    then the server sends nothing more and closes the connection.

    Strict: a fatal error alert (any description), then a close or reset. Conceptual: a
    close or reset without an error alert (the alert is a SHOULD; user_canceled is a
    closure alert; so is close_notify). Fail: a warning-level error alert, anything sent
    after the alert, no close within the read bound, or a server that
    carried on.
    """

    text = "a fatal error alert, then nothing but a close"

    def judge(self, outcome: Outcome) -> Verdict:
        observed = outcome.describe()
        early = self.abort_without_alert(outcome)
        if early is not None:
            return early
        alert = outcome.alert
        assert alert is not None
        if alert.description == AlertDescription.user_canceled:
            return Verdict(Grade.conceptual, self.text, observed,
                           "user_canceled is a closure alert, not an error alert")
        if not alert.fatal:
            return Verdict(Grade.fail, self.text, observed,
                           f"error alert {alert_name(alert.description)} sent at level "
                           f"{alert.level}, not fatal(2)")
        if not isinstance(outcome.after, (Closed, Reset)):
            return Verdict(Grade.fail, self.text, observed,
                           "the connection stayed open after the fatal alert")
        return Verdict(Grade.strict, self.text, observed)


def _aborted(outcome: Outcome) -> str | None:
    """Why the outcome is not an abort at all, or None when the server did abort."""
    if outcome.internal_error:
        return "the engine failed"
    if outcome.completed:
        return "the server carried on to the end"
    if outcome.violation:
        return "the server carried on"
    event = outcome.event
    if isinstance(event, Alert):
        if outcome.after is not None and not isinstance(outcome.after, (Closed, Reset, Timeout)):
            return "the server kept sending after its alert"
        return None
    if isinstance(event, (Closed, Reset)):
        return None
    if isinstance(event, Timeout):
        return "the server neither alerted nor closed"
    if isinstance(event, Unparsed):
        return "the server answered with bytes that do not parse"
    return "the server carried on"


def completes() -> Expectation:
    return Completes()


def alert(*alerts: str | int) -> Expectation:
    return AlertThenClose(*alerts)


def aborts() -> Expectation:
    return Aborts()


def completes_with(check: Check) -> Expectation:
    return CompletesWith(check)


def completes_or_refuses(*alerts: str | int, check: Check | None = None) -> Expectation:
    return CompletesOrRefuses(*alerts, check=check)


def aborts_cleanly() -> Expectation:
    return AbortsCleanly()


# -- checks on a completed handshake ------------------------------------------------------
DOWNGRADE_TLS12 = b"DOWNGRD\x01"  # RFC 8446 4.1.3
DOWNGRADE_TLS11 = b"DOWNGRD\x00"


def negotiated(version: int) -> Check:
    """The server selected exactly this protocol version."""

    def problem(outcome: Outcome) -> str | None:
        if outcome.version != version:
            return f"negotiated {version_name(outcome.version)}, not {version_name(version)}"
        return None

    return Check(version_name(version), problem)


def suite_from(codes: list[int], label: str) -> Check:
    """The server selected one of these cipher suites."""

    def problem(outcome: Outcome) -> str | None:
        if outcome.cipher not in codes:
            name = suite_name(outcome.cipher) if outcome.cipher is not None else "no suite"
            return f"selected {name}, which is not {label}"
        return None

    return Check(label, problem)


def downgrade_sentinel(present: bool) -> Check:
    """TLS 1.2 from a TLS 1.3-capable server ends ServerHello.random with DOWNGRD\\x01;
    a TLS 1.3 ServerHello.random carries neither sentinel (RFC 8446 4.1.3)."""

    def problem(outcome: Outcome) -> str | None:
        tail = outcome.server_random[-8:]
        if present and tail != DOWNGRADE_TLS12:
            return f"ServerHello.random ends in {tail!r}, not {DOWNGRADE_TLS12!r}"
        if not present and tail in (DOWNGRADE_TLS12, DOWNGRADE_TLS11):
            return f"ServerHello.random ends in the downgrade sentinel {tail!r}"
        return None

    text = (f"ServerHello.random ending in {DOWNGRADE_TLS12!r}" if present
            else "no downgrade sentinel in ServerHello.random")
    return Check(text, problem)
