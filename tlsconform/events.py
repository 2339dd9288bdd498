"""What a TLS server can do next, as typed events a verdict can name precisely."""

from __future__ import annotations

from dataclasses import dataclass, field

from scapy.packet import Packet

from tlsconform.alerts import AlertLevel, alert_name


@dataclass(frozen=True)
class Event:
    """Base class: something observed on the wire (or its absence)."""

    def describe(self) -> str:
        raise NotImplementedError


@dataclass(frozen=True)
class HandshakeMessage(Event):
    msg: Packet = field(repr=False)
    encrypted: bool = False

    @property
    def name(self) -> str:
        return message_name(self.msg)

    def describe(self) -> str:
        return f"{self.name}{' (encrypted)' if self.encrypted else ''}"


@dataclass(frozen=True)
class ChangeCipherSpec(Event):
    def describe(self) -> str:
        return "ChangeCipherSpec"


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

    @property
    def fatal(self) -> bool:
        return self.level == AlertLevel.fatal

    def describe(self) -> str:
        level = {1: "warning", 2: "fatal"}.get(self.level, f"level {self.level}")
        where = "encrypted" if self.encrypted else "plaintext"
        return f"{level} alert {alert_name(self.description)} ({where})"


@dataclass(frozen=True)
class Closed(Event):
    """The server closed the connection cleanly (FIN)."""

    def describe(self) -> str:
        return "connection closed (FIN)"


@dataclass(frozen=True)
class Reset(Event):
    """The server reset the connection (RST)."""

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
    """Bytes that scapy could not turn into a message: never a silent pass."""

    data: bytes = b""
    reason: str = ""

    def describe(self) -> str:
        shown = self.data[:32].hex()
        more = "..." if len(self.data) > 32 else ""
        return f"unparseable data ({self.reason}): {shown}{more}"


TERMINAL = (Closed, Reset, Timeout)


def message_name(msg: Packet) -> str:
    """A stable, human name for a scapy handshake message class."""
    name = type(msg).__name__
    for prefix in ("TLS13", "TLS"):
        if name.startswith(prefix):
            return name[len(prefix):]
    return name
