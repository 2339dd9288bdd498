"""What one conversation came to, in terms a verdict can quote."""

from __future__ import annotations

from dataclasses import dataclass, field

from tlsconform.crypto.suites import suite_name
from tlsconform.messages.extensions import Extension
from tlsconform.wire.connection import RecordInfo, Wire
from tlsconform.wire.events import Alert, Closed, Event, Reset, Timeout, Unparsed

VERSION_NAMES = {0x0300: "SSL 3.0", 0x0301: "TLS 1.0", 0x0302: "TLS 1.1", 0x0303: "TLS 1.2",
                 0x0304: "TLS 1.3"}


def version_name(version: int | None) -> str:
    if version is None:
        return "no version"
    return VERSION_NAMES.get(version, f"0x{version:04x}")


@dataclass(frozen=True)
class ServerMessage:
    """A handshake message the peer sent, with the extensions it carried."""

    name: str
    encrypted: bool
    extensions: list[Extension]


@dataclass
class Outcome:
    """How the peer answered: a completed conversation, or the event that ended it.

    ``completed``: the handshake verified and the request was answered with data.
    ``handshake_done``: the peer's Finished verified (whatever came after).
    ``after``: what followed the peer's alert (a close, a reset, silence, more records).
    ``violation``: a rule the peer broke that our side detected.
    ``closure``: what arrived after the last reply, up to the end of the connection.
    """

    completed: bool = False
    peer: str = "server"  # who we talked to: "client" when the suite played the server
    handshake_done: bool = False
    event: Event | None = None
    after: Event | None = None
    phase: str = "before anything was sent"
    version: int | None = None
    cipher: int | None = None
    server_messages: list[str] = field(default_factory=list)
    messages: list[ServerMessage] = field(default_factory=list)
    violation: str | None = None
    server_random: bytes = b""
    server_certificates: list[bytes] = field(default_factory=list)  # DER, as sent
    server_signature_scheme: int | None = None  # of ServerKeyExchange / CertificateVerify
    dh_prime: int | None = None  # a TLS 1.2 DHE ServerKeyExchange's p
    reply: Event | None = None  # the application data that answered the (last) request
    replies: int = 0  # requests answered
    closure: list[Event] = field(default_factory=list)
    hellos: list[bytes] = field(default_factory=list)  # each ClientHello a client sent, raw
    finding: str | None = None  # what a passive check found wrong (its verdict's essence)
    records: list[RecordInfo] = field(default_factory=list)
    sent_alert: Alert | None = None  # the alert our side sent when it stopped
    internal_error: str | None = None
    unmet: str | None = None  # a row's condition this target does not let us create
    notes: list[str] = field(default_factory=list)
    resumed: bool = False  # the server took back the session or PSK offered
    first: Outcome | None = None  # the conversation that made the session offered back
    renegotiation: Outcome | None = None  # the second handshake inside this connection
    ticket_lifetimes: list[int] = field(default_factory=list)  # TLS 1.3 NewSessionTickets
    key_updates: list[int] = field(default_factory=list)  # request_update of the server's
    # Evidence (``--evidence``): the bytes in each direction in order, the log of what was
    # sent and read, and SSLKEYLOGFILE lines, so a failure can be opened in Wireshark.
    chunks: list[tuple[str, bytes]] = field(default_factory=list)
    wire: list[Wire] = field(default_factory=list)
    key_secrets: list[tuple[str, bytes, bytes]] = field(default_factory=list)

    @property
    def key_log(self) -> list[str]:
        """SSLKEYLOGFILE lines (label, client random, secret), formatted only when asked."""
        return [f"{label} {random.hex()} {secret.hex()}"
                for label, random, secret in self.key_secrets]

    @property
    def alert(self) -> Alert | None:
        return self.event if isinstance(self.event, Alert) else None

    @property
    def closed_cleanly(self) -> bool:
        """The peer answered with close_notify instead of data or an error alert."""
        return self.alert is not None and self.alert.close_notify

    def essence(self) -> str:
        """What the peer did, without when and without what followed (a close or a reset,
        which depend on timing), and for a completed handshake without the suite (which
        depends on the server's certificates): what a known deviation records."""
        if self.finding:
            return self.finding
        if self.renegotiation is not None:
            return f"renegotiation: {self.renegotiation.essence()}{self._after_declined()}"
        if self.completed:
            resumed = " resumed" if self.resumed else ""
            text = f"{self.peer} completed the{resumed} handshake ({version_name(self.version)}"
            if self.peer == "client" and self.closure:
                text += f"), {self._after_response()}"
            return text
        if isinstance(self.event, Unparsed) and not self.violation and not self.internal_error:
            return self.event.essence()
        if self.peer == "client" and isinstance(self.event, Closed | Reset) \
                and not self.violation and not self.internal_error:
            # a client's FIN or RST depends on whether our bytes were still unread
            return "client closed the connection without an alert"
        return self.describe(phase=False).split(", then ", 1)[0]

    def _after_response(self) -> str:
        """What a client did after the response, without the timing of a close."""
        first = self.closure[0]
        if isinstance(first, Alert):
            return f"then {first.describe()}"
        return "then no alert" if isinstance(first, Closed | Reset | Timeout) else \
            f"then {first.describe()}"

    def _after_declined(self) -> str:
        """What the first keys carried after a declined renegotiation."""
        if self.renegotiation is not None and self.renegotiation.completed:
            return ""
        if self.completed:
            return "; the request was then answered under the first keys"
        if self.event is not None:
            return f"; then {self.event.describe()}"
        return ""

    def describe(self, phase: bool = True) -> str:
        """One line: what the peer did and (``phase``) after which of our messages."""
        when = f" {self.phase}" if phase else ""
        if self.internal_error:
            return f"internal error of the engine{when}: {self.internal_error}"
        if self.violation:
            return f"{self.peer} broke a rule{when}: {self.violation}"
        if self.renegotiation is not None:
            return (f"first handshake completed; renegotiation: "
                    f"{self.renegotiation.describe(phase)}{self._after_declined()}")
        if self.completed:
            resumed = " resumed" if self.resumed else ""
            sent = " and sent its request" if self.peer == "client" else ""
            if self.peer == "client" and self.closure:  # what it did with the response
                sent += "; after the response: " + ", then ".join(
                    event.describe() for event in self.closure)
            return (f"{self.peer} completed the{resumed} handshake ({version_name(self.version)}, "
                    f"{suite_name(self.cipher) if self.cipher is not None else 'no suite'}){sent}")
        if self.event is None:
            return f"nothing observed{when}"
        text = f"{self.event.describe()}{when}"
        if isinstance(self.event, Alert) and self.after is not None:
            text += f", then {self.after.describe()}"
        if self.closed_cleanly:
            text += f": the {self.peer} closed cleanly without answering"
        elif not self.handshake_done and self.server_messages and not isinstance(
                self.event, Alert) and self.notes:
            text += f" ({'; '.join(self.notes)})"
        return text
