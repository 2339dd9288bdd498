"""What rows about sessions and life after the handshake ask of a completed conversation:
whether it resumed, the tickets' lifetimes, the server's answer to KeyUpdate, and how a
renegotiation inside it went.

The rules every resumption must keep (the resumed session's version, suite and extended
master secret, the PSK's hash, the binder-validated identity) are the driver's
(``tlsconform.client.resumption``); these are what one row asks for.
"""

from __future__ import annotations

from tlsconform.messages.alerts import AlertDescription as AD
from tlsconform.verdict.expect import AlertThenClose, Check, Expectation, Grade, Verdict
from tlsconform.verdict.outcome import Outcome

MAX_TICKET_LIFETIME = 604800  # seconds, RFC 8446 4.6.1: seven days


def resumed() -> Check:
    def problem(outcome: Outcome) -> str | None:
        return None if outcome.resumed else "the server made a new session instead of resuming"

    return Check("the session resumed", problem)


def not_resumed() -> Check:
    def problem(outcome: Outcome) -> str | None:
        return "the server resumed the session" if outcome.resumed else None

    return Check("a new session, not the one offered", problem)


def ticket_lifetimes() -> Check:
    """RFC 8446 4.6.1: no NewSessionTicket lifetime beyond seven days (and there is one,
    else the row has nothing to judge)."""

    def problem(outcome: Outcome) -> str | None:
        lifetimes = (outcome.first.ticket_lifetimes if outcome.first else []) + \
            outcome.ticket_lifetimes
        if not lifetimes:
            return "the server sent no NewSessionTicket"
        over = [life for life in lifetimes if life > MAX_TICKET_LIFETIME]
        if over:
            return f"ticket_lifetime {max(over)} s is above {MAX_TICKET_LIFETIME} s (7 days)"
        return None

    return Check(f"ticket lifetimes of at most {MAX_TICKET_LIFETIME} s", problem)


def key_update_answered() -> Check:
    """RFC 8446 4.6.3: update_requested gets the server's KeyUpdate (update_not_requested)
    before its next application data."""

    def problem(outcome: Outcome) -> str | None:
        if not outcome.key_updates:
            return "the server answered with application data without its own KeyUpdate first"
        if outcome.key_updates[0] != 0:
            return (f"the server's KeyUpdate has request_update={outcome.key_updates[0]}, "
                    "not update_not_requested(0)")
        return None

    return Check("the server's own KeyUpdate before its reply", problem)


class OfRenegotiation(Expectation):
    """``inner`` judges the renegotiation, not the first handshake: a first handshake that
    did not complete fails the row, with what happened there."""

    def __init__(self, inner: Expectation) -> None:
        self.inner = inner
        self.text = f"in the renegotiation, {inner.text}"

    def judge(self, outcome: Outcome) -> Verdict:
        if outcome.renegotiation is None or outcome.violation or outcome.internal_error:
            return Verdict(Grade.fail, self.text, outcome.describe(),
                           "the first handshake did not complete")
        verdict = self.inner.judge(outcome.renegotiation)
        return Verdict(verdict.grade, self.text, outcome.describe(), verdict.why, verdict.part)


class CompletesOrDeclines(Expectation):
    """RFC 5746 leaves renegotiation to the server: it completes it (the driver checks its
    renegotiation_info), declines with the no_renegotiation warning (RFC 5246 7.2.2) and
    goes on, or refuses with a fatal handshake_failure. Other aborts are conceptual."""

    text = ("a completed renegotiation, a no_renegotiation warning, or fatal "
            "handshake_failure then close")

    def judge(self, outcome: Outcome) -> Verdict:
        observed = outcome.describe()
        if outcome.completed and not outcome.violation and not outcome.internal_error:
            return Verdict(Grade.strict, self.text, observed)
        alert = outcome.alert
        if alert is not None and not alert.fatal and alert.description == AD.no_renegotiation:
            return Verdict(Grade.strict, self.text, observed)
        verdict = AlertThenClose(AD.handshake_failure).judge(outcome)
        return Verdict(verdict.grade, self.text, observed, verdict.why, verdict.part)


def renegotiates_or_declines() -> Expectation:
    return OfRenegotiation(CompletesOrDeclines())


def renegotiation_refused(*alerts: str | int) -> Expectation:
    """The renegotiation is aborted with a fatal alert from ``alerts``; a no_renegotiation
    warning declines it instead (conceptual: the RFC asks for an abort)."""
    return OfRenegotiation(AlertThenClose(*alerts))


def renegotiated() -> Check:
    """The renegotiation inside the connection completed (for a row's precondition)."""

    def problem(outcome: Outcome) -> str | None:
        inner = outcome.renegotiation
        if inner is None:
            return "no renegotiation was attempted"
        return None if inner.completed else f"renegotiation: {inner.describe()}"

    return Check("a completed renegotiation", problem)
