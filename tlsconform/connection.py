"""One TCP connection to the target, one tracked scapy session, and typed events out.

Everything sent goes through ``raw_stateful`` exactly once and everything received is
parsed exactly once, in order (notes, traps 1 and 3): the transcript depends on it.
"""

from __future__ import annotations

import errno
import socket
from collections import deque
from dataclasses import dataclass

from scapy.layers.tls.record import TLS, TLSAlert, TLSApplicationData, TLSChangeCipherSpec
from scapy.layers.tls.record_tls13 import TLS13, TLSInnerPlaintext
from scapy.layers.tls.session import tlsSession
from scapy.packet import NoPayload, Packet, Raw

from tlsconform import scapy_patches
from tlsconform.events import (
    Alert,
    ApplicationData,
    ChangeCipherSpec,
    Event,
    HandshakeMessage,
    Unparsed,
)
from tlsconform.records import RecordReader

scapy_patches.apply()

DEFAULT_TIMEOUT = 5.0
CHANGE_CIPHER_SPEC, ALERT, HANDSHAKE, HEARTBEAT = 20, 21, 22, 24


class TargetError(Exception):
    """The target cannot be reached at all: the run cannot say anything about it."""

    def __init__(self, address: str, reason: str) -> None:
        super().__init__(f"{address}: {reason}")
        self.reason = reason


@dataclass
class Wire:
    """A log line of the conversation, for verdicts that say when something happened."""

    direction: str  # "sent" or "received"
    what: str


class Connection:
    """A client-side TLS conversation with bounded reads and tolerant writes."""

    def __init__(self, host: str, port: int, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.host, self.port, self.timeout = host, port, timeout
        try:
            self.sock = socket.create_connection((host, port), timeout=timeout)
        except TimeoutError as exc:
            raise TargetError(f"{host}:{port}", f"connect timed out after {timeout:g} s") from exc
        except OSError as exc:
            raise TargetError(f"{host}:{port}", str(exc.strerror or exc)) from exc
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.session = tlsSession(connection_end="client")
        self.reader = RecordReader(self.sock)
        self.pending: deque[Event] = deque()
        self.wire: list[Wire] = []
        self.peer_closed_on_send = False
        self._tls12_peer_ccs = False

    # -- sending -------------------------------------------------------------
    def seal_plaintext(self, *msgs: Packet, version: int | None = None) -> bytes:
        """One record's bytes; the session records the messages (and, under TLS 1.2 keys,
        scapy encrypts the record itself)."""
        record = TLS(msg=list(msgs), tls_session=self.session)
        if version is not None:
            record.version = version
        return record.raw_stateful()

    def seal_encrypted(self, *msgs: Packet) -> bytes:
        """One TLS 1.3 protected record under the current write keys."""
        record = TLS13(inner=TLSInnerPlaintext(msg=list(msgs)), tls_session=self.session)
        return record.raw_stateful()

    def send_bytes(self, data: bytes, what: str = "raw bytes") -> None:
        """Write records; a peer that already closed is noted, not raised."""
        self.wire.append(Wire("sent", what))
        try:
            self.sock.sendall(data)
        except OSError as exc:
            # The server may already have alerted and closed; its alert is still readable.
            if exc.errno not in (errno.EPIPE, errno.ECONNRESET, errno.ECONNABORTED):
                raise
            self.peer_closed_on_send = True

    def close(self) -> None:
        try:
            self.sock.close()
        except OSError:
            pass

    def __enter__(self) -> Connection:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- receiving -----------------------------------------------------------
    def next_event(self, timeout: float | None = None) -> Event:
        """The next thing the server did, waiting at most ``timeout`` seconds."""
        if not self.pending:
            got = self.reader.read(self.timeout if timeout is None else timeout)
            if isinstance(got, Event):
                self.pending.append(got)
            else:
                self.pending.extend(self._parse(got))
        event = self.pending.popleft()
        self.wire.append(Wire("received", event.describe()))
        return event

    def _parse(self, record: bytes) -> list[Event]:
        content_type, body = record[0], record[5:]
        plaintext = self._is_tls13() or not self._tls12_peer_ccs
        if not body and content_type in (CHANGE_CIPHER_SPEC, ALERT, HANDSHAKE):
            return [Unparsed(data=record, reason="empty record (RFC 5246 6.2.1)")]
        if content_type == HEARTBEAT:
            return [Unparsed(data=record, reason="heartbeat record (content type 24)")]
        if content_type == ALERT and (plaintext or len(body) == 2):
            # Alerts change no state, so read them here: scapy hides trailing bytes and
            # raises on a plaintext alert inside a TLS 1.3 session (notes, trap 12).
            if len(body) % 2:
                return [Unparsed(data=record, reason="alert record of odd length")]
            return [Alert(level=body[i], description=body[i + 1], encrypted=False)
                    for i in range(0, len(body), 2)]
        if content_type == CHANGE_CIPHER_SPEC and body != b"\x01":
            return [Unparsed(data=record, reason="ChangeCipherSpec body is not 0x01")]
        try:
            packet = TLS(record, tls_session=self.session, strict_integrity=True)
        except Exception as exc:  # scapy raises many types; the bytes are what matters
            return [Unparsed(data=record, reason=f"{type(exc).__name__}: {exc}")]
        if isinstance(packet, TLS13):
            inner = packet.getfieldval("inner")
            msgs = list(inner.msg) if inner is not None else []
            encrypted = True
        else:
            msgs = list(packet.msg)
            encrypted = self._tls12_peer_ccs and content_type != CHANGE_CIPHER_SPEC
        if not msgs:
            return [Unparsed(data=record, reason="record without readable content")]
        if any(_trailing(m) for m in msgs):
            return [Unparsed(data=record, reason="trailing bytes after a message")]
        events = [self._event(m, encrypted=encrypted, record=record) for m in msgs]
        if any(isinstance(e, ChangeCipherSpec) for e in events) and not self._is_tls13():
            self._tls12_peer_ccs = True
        return events

    def _is_tls13(self) -> bool:
        return (self.session.tls_version or 0) >= 0x0304

    @staticmethod
    def _event(msg: Packet, encrypted: bool, record: bytes) -> Event:
        if isinstance(msg, TLSAlert):
            return Alert(level=msg.level, description=msg.descr, encrypted=encrypted)
        if isinstance(msg, TLSChangeCipherSpec):
            return ChangeCipherSpec()
        if isinstance(msg, TLSApplicationData):
            return ApplicationData(data=bytes(msg.data))
        if isinstance(msg, Raw) or type(msg).__name__ in ("TLSEncryptedContent", "Padding"):
            return Unparsed(data=record, reason=f"scapy could not parse it ({type(msg).__name__})")
        return HandshakeMessage(msg=msg, encrypted=encrypted)


def _trailing(msg: Packet) -> bool:
    """scapy hangs bytes it could not place on ``.payload``; they must not go unseen."""
    payload = msg.payload
    return bool(payload) and not isinstance(payload, NoPayload) and len(bytes(payload)) > 0
