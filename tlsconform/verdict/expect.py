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
from tlsconform.wire.events import Alert, ApplicationData, Closed, Reset, Timeout, Unparsed


class Grade(Enum):
    strict = "strict"
    conceptual = "conceptual"
    fail = "fail"


@dataclass(frozen=True)
class Verdict:
    """``part`` is what a conceptual grade missed: "alert" (another description than the
    one expected), "silent" (no error alert at all), "level" (the alert was not fatal) or
    "close" (no close after the alert); ``verdict.levels`` says what each weighs."""

    grade: Grade
    expected: str
    observed: str
    why: str = ""
    part: str = "alert"

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
                           "closed without an alert", part="silent")
        if outcome.closed_cleanly:
            return Verdict(Grade.conceptual, self.text, outcome.describe(),
                           "closed with close_notify, not an error alert", part="silent")
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
        if not alert.fatal:  # checked first: a MUST whatever the alert (RFC 8446 6)
            return Verdict(Grade.conceptual, self.text, observed, "the alert was not fatal",
                           part="level")
        if alert.description not in self.allowed:
            return Verdict(Grade.conceptual, self.text, observed,
                           f"aborted with {alert_name(alert.description)}")
        if not isinstance(outcome.after, (Closed, Reset)):
            return Verdict(Grade.conceptual, self.text, observed, "did not close after the alert",
                           part="close")
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
        return Verdict(verdict.grade, self.text, verdict.observed, verdict.why, verdict.part)


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
                           "user_canceled is a closure alert, not an error alert",
                           part="silent")
        if not alert.fatal:
            return Verdict(Grade.fail, self.text, observed,
                           f"error alert {alert_name(alert.description)} sent at level "
                           f"{alert.level}, not fatal(2)")
        if not isinstance(outcome.after, (Closed, Reset)):
            return Verdict(Grade.fail, self.text, observed,
                           "the connection stayed open after the fatal alert")
        return Verdict(Grade.strict, self.text, observed)


def _aborted(outcome: Outcome) -> str | None:
    """Why the outcome is not an abort at all, or None when the peer did abort."""
    peer = outcome.peer
    if outcome.internal_error:
        return "the engine failed"
    if outcome.completed and peer == "client" and outcome.closure:
        return "the client sent no alert about the response"
    if outcome.completed:
        return f"the {peer} carried on to the end"
    if outcome.violation:
        return f"the {peer} carried on"
    event = outcome.event
    if isinstance(event, Alert):
        if outcome.after is not None and not isinstance(outcome.after, (Closed, Reset, Timeout)):
            return f"the {peer} kept sending after its alert"
        return None
    if isinstance(event, (Closed, Reset)):
        return None
    if isinstance(event, Timeout):
        return f"the {peer} neither alerted nor closed"
    if isinstance(event, Unparsed):
        return f"the {peer} answered with bytes that do not parse"
    return f"the {peer} carried on"


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


# -- how the server ends a connection (RFC 8446 6.1, 6.2; RFC 5246 7.2.1, 7.2.2) -------------
def _closure_text(events: list) -> str:
    return ", then ".join(e.describe() for e in events) or "nothing"


class ClosesWithCloseNotify(Expectation):
    """After answering, the server sends close_notify before it closes its side.

    Strict: a close_notify arrives (before any FIN or RST). Fail: the handshake or the
    request failed, the connection closed without close_notify, nothing arrived within the
    read bound, or the server sent data after its close_notify.
    """

    def __init__(self, peer: str = "server") -> None:
        self.peer = peer
        self.text = f"a completed handshake, then close_notify before the {peer} closes"

    def judge(self, outcome: Outcome) -> Verdict:
        if not outcome.completed or outcome.violation or outcome.internal_error:
            return Verdict(Grade.fail, self.text, outcome.describe(),
                           "the conversation did not get as far as the closure")
        observed = outcome.describe()
        if outcome.peer != "client":  # a client outcome says what followed the response
            observed += f"; after the reply: {_closure_text(outcome.closure)}"
        seen_close_notify = False
        for event in outcome.closure:
            if isinstance(event, Alert) and event.close_notify:
                seen_close_notify = True
            elif isinstance(event, Closed | Reset):
                break
            elif isinstance(event, Timeout):
                if seen_close_notify and self.peer == "client":
                    break  # a client may keep its socket open after its close_notify
                return Verdict(Grade.fail, self.text, observed,
                               "no close_notify and no close within the read bound")
            elif seen_close_notify:
                return Verdict(Grade.fail, self.text, observed,
                               f"the {self.peer} sent more after its close_notify")
        if not seen_close_notify:
            return Verdict(Grade.fail, self.text, observed, "closed without close_notify")
        return Verdict(Grade.strict, self.text, observed)


class AnswersCloseNotify(Expectation):
    """After our close_notify the server sends its own and closes, acting on nothing we sent
    after ours.

    TLS 1.2 (RFC 5246 7.2.1): "The other party MUST respond with a close_notify alert of its
    own and close down the connection immediately, discarding any pending writes", so any
    data before its close_notify fails. TLS 1.3 (RFC 8446 6.1): closing our write side does
    not affect its read side; it "MUST send a close_notify alert before closing its write
    side" and may send data first (``data_allowed``).

    Strict: close_notify (data first only in TLS 1.3). Conceptual: a bare close, or an
    alert that is no reaction to data after our close_notify. Fail: an error alert about
    what followed our close_notify (``ignores`` names it), data where not allowed, silence.
    """

    def __init__(self, data_allowed: bool = False, ignores: str | None = None) -> None:
        self.data_allowed = data_allowed
        self.ignores = ignores
        self.text = ("close_notify in answer (data before it allowed), then close"
                     if data_allowed else "close_notify in answer, then close")
        if ignores:
            self.text += f", {ignores} ignored"

    def judge(self, outcome: Outcome) -> Verdict:
        if outcome.completed:
            events = [outcome.reply, *outcome.closure]
            observed = f"{outcome.describe()}; then: {_closure_text(outcome.closure)}"
        else:
            events = [e for e in (outcome.event, outcome.after) if e is not None]
            observed = outcome.describe()
        if outcome.violation or outcome.internal_error:
            return Verdict(Grade.fail, self.text, observed, _aborted(outcome) or "")
        for event in events:
            if isinstance(event, Alert) and event.close_notify:
                return Verdict(Grade.strict, self.text, observed)
            if isinstance(event, Alert):
                if self.ignores:
                    return Verdict(Grade.fail, self.text, observed,
                                   f"answered {alert_name(event.description)}: it acted on "
                                   f"{self.ignores} after our close_notify")
                return Verdict(Grade.conceptual, self.text, observed,
                               f"answered with {alert_name(event.description)}, not "
                               "close_notify")
            if isinstance(event, ApplicationData) and not self.data_allowed:
                return Verdict(Grade.fail, self.text, observed,
                               "sent application data after our close_notify instead of "
                               "answering it and closing")
            if isinstance(event, Closed | Reset):
                return Verdict(Grade.conceptual, self.text, observed,
                               "closed without close_notify", part="silent")
            if isinstance(event, Timeout):
                return Verdict(Grade.fail, self.text, observed,
                               "no close_notify within the read bound")
            if isinstance(event, Unparsed):
                return Verdict(Grade.fail, self.text, observed,
                               "answered with bytes that do not parse")
        return Verdict(Grade.fail, self.text, observed, "the server carried on")


class ClosesWithoutAnswering(Expectation):
    """The server ends the connection and answers nothing more: for alerts it must treat
    as fatal (RFC 8446 6, 6.2). Strict: a close or reset, with or without an alert before
    it. Fail: it answered the request, carried on or stayed open."""

    text = "the connection closed, nothing answered"

    def judge(self, outcome: Outcome) -> Verdict:
        observed = outcome.describe()
        aborted = _aborted(outcome)
        if aborted is not None:
            return Verdict(Grade.fail, self.text, observed, aborted)
        if isinstance(outcome.event, Alert) and not isinstance(outcome.after, (Closed, Reset)):
            return Verdict(Grade.fail, self.text, observed, "did not close after its alert")
        return Verdict(Grade.strict, self.text, observed)


class ClosesSilently(Expectation):
    """After our fatal alert the server closes at once, sending nothing (RFC 8446 6.2,
    RFC 5246 7.2.2: upon receipt of a fatal alert both parties close the connection).

    Strict: a close or reset. Conceptual: an alert of its own, then a close. Fail: it
    answered or carried on, or stayed open.
    """

    text = "the connection closed at once, nothing sent"

    def judge(self, outcome: Outcome) -> Verdict:
        verdict = ClosesWithoutAnswering().judge(outcome)
        if verdict.grade is not Grade.strict:
            return Verdict(verdict.grade, self.text, verdict.observed, verdict.why, verdict.part)
        if isinstance(outcome.event, Alert):
            return Verdict(Grade.conceptual, self.text, verdict.observed,
                           "answered our fatal alert with an alert of its own")
        return Verdict(Grade.strict, self.text, verdict.observed)


class CompletesOrAborts(Expectation):
    """What the RFC leaves to the server: it carries on and completes, or it decides not to
    and sends a fatal alert (RFC 5246 7.2: "the receiving party ... SHOULD send a fatal alert
    to terminate the connection"). Strict: either; conceptual: a close without an alert;
    fail: silence or a broken rule."""

    def __init__(self, check: Check | None = None) -> None:
        self.completes = CompletesWith(check) if check else Completes()
        self.text = f"{self.completes.text}, or a fatal alert then close"

    def judge(self, outcome: Outcome) -> Verdict:
        verdict = (self.completes if outcome.completed else AbortsCleanly()).judge(outcome)
        return Verdict(verdict.grade, self.text, verdict.observed, verdict.why, verdict.part)


def closes_with_close_notify(peer: str = "server") -> Expectation:
    return ClosesWithCloseNotify(peer)


def answers_close_notify(data_allowed: bool = False, ignores: str | None = None
                         ) -> Expectation:
    return AnswersCloseNotify(data_allowed, ignores)


def closes_without_answering() -> Expectation:
    return ClosesWithoutAnswering()


def closes_silently() -> Expectation:
    return ClosesSilently()


def completes_or_aborts(check: Check | None = None) -> Expectation:
    return CompletesOrAborts(check)


def server_record_versions(version: int) -> Check:
    """Every record the server sent carries this legacy_record_version (RFC 8446 5.1: 0x0303
    for all TLS 1.3 records; RFC 5246 6.2.1 and E.1: the negotiated version in TLS 1.2)."""

    def problem(outcome: Outcome) -> str | None:
        others = sorted({r.version for r in outcome.records if r.version != version})
        if others:
            shown = ", ".join(f"0x{v:04x}" for v in others)
            return f"the server sent records of version {shown}"
        return None

    return Check(f"every server record of version 0x{version:04x}", problem)
