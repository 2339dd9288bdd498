"""What a TLS peer can do next, as typed events a verdict can name precisely."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tlsconform.messages.alerts import AlertLevel, alert_name
from tlsconform.messages.handshake import RawMessage


@dataclass(frozen=True)
class Event:
    """Base class: something observed on the wire (or its absence)."""

    def describe(self) -> str:
        raise NotImplementedError


@dataclass(frozen=True)
class HandshakeMessage(Event):
    message: RawMessage = field(repr=False)
    decoded: Any = field(default=None, repr=False)
    encrypted: bool = False

    @property
    def name(self) -> str:
        return self.message.name

    def describe(self) -> str:
        return f"{self.name}{' (encrypted)' if self.encrypted else ''}"


@dataclass(frozen=True)
class ChangeCipherSpec(Event):
    encrypted: bool = False

    def describe(self) -> str:
        return f"ChangeCipherSpec{' (encrypted)' if self.encrypted else ''}"


@dataclass(frozen=True)
class ApplicationData(Event):
    data: bytes = b""

    def describe(self) -> str:
        return f"application data ({len(self.data)} bytes)"


@dataclass(frozen=True)
class Alert(Event):
    level: int
    description: int
    encrypted: bool = False
    keys: str = ""  # keys it came under, when not the current ones ("handshake keys")

    @property
    def fatal(self) -> bool:
        return self.level == AlertLevel.fatal

    @property
    def close_notify(self) -> bool:
        return self.description == 0

    def describe(self) -> str:
        level = {1: "warning", 2: "fatal"}.get(self.level, f"level-{self.level}")
        where = "encrypted" if self.encrypted else "plaintext"
        if self.keys:
            where += f" under the sender's {self.keys}, not its current ones"
        return f"{level} alert {alert_name(self.description)} ({where})"


@dataclass(frozen=True)
class Closed(Event):
    """The peer closed the connection cleanly (FIN)."""

    def describe(self) -> str:
        return "connection closed (FIN)"


@dataclass(frozen=True)
class Reset(Event):
    """The peer reset the connection (RST)."""

    def describe(self) -> str:
        return "connection reset (RST)"


@dataclass(frozen=True)
class Timeout(Event):
    """Nothing arrived within the read bound."""

    seconds: float = 0.0

    def describe(self) -> str:
        return f"no answer within {self.seconds:g} s"


@dataclass(frozen=True)
class Unparsed(Event):
    """Bytes that do not make a record or message: never a silent pass."""

    data: bytes = b""
    reason: str = ""
    alert: int | None = field(default=None, compare=False, repr=False)
    """The alert the record layer names for it (RecordError's), when it names one."""

    def describe(self) -> str:
        shown = self.data[:32].hex()
        more = "..." if len(self.data) > 32 else ""
        return f"unparseable data ({self.reason}): {shown}{more}"

    def essence(self) -> str:
        """The description without the bytes, which may be random (a server random)."""
        return f"unparseable data ({self.reason})"


@dataclass(frozen=True)
class Malformed(Unparsed):
    """A handshake message of a known type whose body does not decode."""

    name: str = ""
    encrypted: bool = False

    def describe(self) -> str:
        shown = self.data[:32].hex()
        more = "..." if len(self.data) > 32 else ""
        return f"malformed {self.name} ({self.reason}): {shown}{more}"

    def essence(self) -> str:
        return f"malformed {self.name} ({self.reason})"


TERMINAL = (Closed, Reset, Timeout)
