"""What one conversation came to, in terms a verdict can quote."""

from __future__ import annotations

from dataclasses import dataclass, field

from tlsconform.ciphersuites import suite_name
from tlsconform.events import Alert, Event

VERSION_NAMES = {0x0300: "SSL 3.0", 0x0301: "TLS 1.0", 0x0302: "TLS 1.1", 0x0303: "TLS 1.2",
                 0x0304: "TLS 1.3"}


def version_name(version: int | None) -> str:
    if version is None:
        return "no version"
    return VERSION_NAMES.get(version, f"0x{version:04x}")


@dataclass
class Outcome:
    """How the server answered: a completed handshake, or the event that ended it.

    ``after`` is what followed an alert (a close, a reset, silence, or more records);
    ``violation`` is a rule the server broke that our client side detected.
    """

    completed: bool = False
    event: Event | None = None
    after: Event | None = None
    phase: str = "before anything was sent"
    version: int | None = None
    cipher: int | None = None
    server_messages: list[str] = field(default_factory=list)
    violation: str | None = None
    server_random: bytes = b""
    server_certificates: list[bytes] = field(default_factory=list)  # DER, as sent
    server_signature_scheme: int | None = None  # of ServerKeyExchange / CertificateVerify
    reply: Event | None = None  # what answered the request: application data or close_notify
    notes: list[str] = field(default_factory=list)

    @property
    def alert(self) -> Alert | None:
        return self.event if isinstance(self.event, Alert) else None

    def describe(self) -> str:
        """One line: what the server did and when."""
        if self.violation:
            return f"server broke a rule {self.phase}: {self.violation}"
        if self.completed:
            text = (f"server completed the handshake ({version_name(self.version)}, "
                    f"{suite_name(self.cipher) if self.cipher is not None else 'no suite'})")
            if isinstance(self.reply, Alert):
                # A close_notify is an accepted answer, but it may hide an abort: say so.
                text += f" and answered the request with {self.reply.describe()}"
            return text
        assert self.event is not None
        text = f"{self.event.describe()} {self.phase}"
        if isinstance(self.event, Alert) and self.after is not None:
            text += f", then {self.after.describe()}"
        return text
