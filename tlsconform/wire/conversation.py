"""What both drivers do the same way: send a flight through the row's words, send an
alert, and end the conversation with what the peer did.

``ClientDriver`` and ``ServerDriver`` differ in the messages they build and check; the
phases a verdict names ("after client Finished", "after ServerHello"), the early read of
an alert that came before our next flight, and the stop with the alert we owe are the
same code for both.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Sequence
from typing import NoReturn

from tlsconform.messages.alerts import AlertDescription as AD
from tlsconform.mutation import Mutation
from tlsconform.verdict.outcome import Outcome
from tlsconform.wire.connection import Connection
from tlsconform.wire.events import (
    Alert,
    ApplicationData,
    ChangeCipherSpec,
    Closed,
    Event,
    HandshakeMessage,
    Reset,
    Timeout,
    Unparsed,
)
from tlsconform.wire.outgoing import ALERT, Flight, Outgoing
from tlsconform.wire.sealing import Sealer


class Stop(Exception):
    """Raised inside a step to end the conversation with what ``stop`` recorded."""


class Conversation:
    """One side of a conversation on ``conn``, reshaped by ``mutations``.

    Subclasses set ``outcome``, ``sealer`` and ``phases`` (the phase after each of our
    sends), and say how our messages are named in a phase (``phrase``).
    """

    conn: Connection
    mutations: Sequence[Mutation]
    outcome: Outcome
    sealer: Sealer
    phases: list[str]
    watch_after_alert = True
    """After the peer's alert, read what it does next (the verdict judges it); a client
    under test that is the driver itself closes at once instead (RFC 8446 6.2)."""

    def play(self, steps: Sequence[Callable[[], bool]]) -> None:
        """Run the steps in order until one says the conversation is over or ``stop``
        ends it; an exception of the engine becomes the outcome's internal error, never a
        traceback. Then the outcome keeps the connection's records, bytes and log."""
        try:
            for step in steps:
                if not step():
                    break
        except Stop:
            pass
        except Exception as exc:  # an engine bug must still end in a verdict
            where = traceback.extract_tb(exc.__traceback__)[-1]
            self.outcome.internal_error = (f"{type(exc).__name__}: {exc} "
                                           f"({where.filename.rsplit('/', 1)[-1]}:{where.lineno})")
        self.outcome.records = list(self.conn.records)
        self.outcome.chunks, self.outcome.wire = list(self.conn.chunks), list(self.conn.wire)

    def phrase(self, name: str) -> str:
        """A message of ours as a phase says it ("client Finished", "ServerHello")."""
        return name

    def flight_phrase(self, flight: Flight) -> str:
        """A flight as a phase names it: its last changed message, else its last one."""
        return self.phrase(next((item.shown for item in reversed(flight) if item.label),
                                flight[-1].name))

    def answered_early(self, event: Event) -> bool:
        """Whether ``event``, arrived before our next flight, ends the conversation there:
        an alert, a close, or bytes that do not parse."""
        return isinstance(event, Alert | Closed | Reset | Unparsed)

    @property
    def declined(self) -> bool:
        """A warning alert that does not end the conversation (a declined renegotiation)."""
        return False

    @property
    def ended_by_us(self) -> bool:
        """We sent a fatal alert or a close_notify: nothing may follow either."""
        return any(level == 2 or description == 0 for level, description in self.sealer.alerts)

    def send_flight(self, stage: str, flight: Flight) -> None:
        for mutation in self.mutations:
            flight = mutation.flight(stage, flight, self)
        if not flight or self.ended_by_us:
            return
        early = self.conn.arrived() if self.phases[1:] else None
        if early is not None and self.answered_early(early):
            # The peer already answered what we sent: read that first.
            self.stop(self.conn.next_event(), alert=self.alert_for(early))
        data = self.sealer.seal_flight(flight, self)
        wire = self.conn.wire
        unanswered = bool(wire) and wire[-1].direction == "sent"
        self.conn.send_bytes(data, ", ".join(item.shown for item in flight))
        shown = self.flight_phrase(flight)
        # The peer may answer a flight only after the next one left (TLS 1.3 Finished,
        # then the request): name both, so the verdict does not blame the wrong message.
        if unanswered:
            self.outcome.phase += f" and {shown}"
        else:
            self.outcome.phase = "after " + shown
        self.phases.append(self.outcome.phase)

    def send_alert(self, description: int, level: int = 2) -> None:
        """An alert under our current write keys (plaintext before there are any)."""
        item = Outgoing("Alert", lambda: bytes([level, description]), content_type=ALERT)
        try:
            self.conn.send_bytes(self.sealer.seal_flight([item], self), "Alert")
        except OSError:
            return
        self.outcome.sent_alert = Alert(level, description, self.conn.write.protected)

    def stop(self, event: Event | None, violation: str | None = None,
             alert: int | None = None) -> NoReturn:
        """Record why the conversation ended, send the alert we owe for it, and after the
        peer's alert note what followed it; then end the run (``Stop``), from wherever it
        is called: a step, a message handler or a message builder."""
        self.outcome.event = event
        self.outcome.violation = violation
        if event is not None:  # what the peer answered, not what we sent after it arrived
            self.outcome.phase = self.phases[min(self.conn.last_sends, len(self.phases) - 1)]
        if alert is not None:
            self.send_alert(alert)
        if isinstance(event, Alert) and not self.declined and self.watch_after_alert:
            self.outcome.after = self.conn.next_event()
        raise Stop

    def unmet(self, reason: str) -> NoReturn:
        """The row's condition cannot be created against this peer (a word found so): the
        conversation ends, and the row skips saying why instead of grading it."""
        self.outcome.unmet = reason
        raise Stop

    @staticmethod
    def alert_for(event: Event) -> int | None:
        """The alert we send for what the peer did instead of the next message."""
        if isinstance(event, Alert | Closed | Reset | Timeout):
            return None
        if isinstance(event, HandshakeMessage | ChangeCipherSpec | ApplicationData):
            return AD.unexpected_message
        if isinstance(event, Unparsed) and event.alert is not None:
            return event.alert  # the record layer named it
        reason = getattr(event, "reason", "")
        if "authentication" in reason or "MAC" in reason or "padding" in reason:
            return AD.bad_record_mac
        if "above the" in reason:
            return AD.record_overflow
        return AD.decode_error
