"""One TCP connection to a peer: bounded reads, tolerant writes, record protection in
both directions, and typed events out.

The driver owns the handshake and tells the connection when keys change
(``read``/``write``) and how to decode what arrives (``context``). Every record the
peer sends is logged with its header, so verdicts can speak about the record layer.
"""

from __future__ import annotations

import errno
import socket
import struct
from collections import deque
from dataclasses import dataclass
from typing import ClassVar

from tlsconform.messages import server_messages
from tlsconform.messages.alerts import AlertDescription as AD
from tlsconform.messages.codec import DecodeError
from tlsconform.messages.handshake import HandshakeBuffer, RawMessage
from tlsconform.wire.bounds import DEFAULT_TIMEOUT
from tlsconform.wire.events import (
    Alert,
    ApplicationData,
    ChangeCipherSpec,
    Closed,
    Event,
    HandshakeMessage,
    Malformed,
    Reset,
    Timeout,
    Unparsed,
)
from tlsconform.wire.protection import NoContentType, Protection, RecordError
from tlsconform.wire.records import (
    MAX_CIPHERTEXT_TLS12,
    MAX_CIPHERTEXT_TLS13,
    MAX_PLAINTEXT,
    RecordReader,
)

CHANGE_CIPHER_SPEC, ALERT, HANDSHAKE, APPLICATION_DATA = 20, 21, 22, 23
CONTENT_TYPE_NAMES = {20: "change_cipher_spec", 21: "alert", 22: "handshake",
                      23: "application_data", 24: "heartbeat"}


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


@dataclass(frozen=True)
class RecordInfo:
    """The header of a record the peer sent, and what it held once opened."""

    content_type: int
    version: int
    length: int
    protected: bool
    inner_type: int | None = None
    plaintext_length: int | None = None


class _KeptSocket:
    """The reader's view of the socket: every chunk received is kept (a reference, not a
    copy) for evidence (a pcap of the conversation)."""

    __slots__ = ("chunks", "sock")

    def __init__(self, sock: socket.socket, chunks: list[tuple[str, bytes]]) -> None:
        self.sock, self.chunks = sock, chunks

    def recv(self, size: int) -> bytes:
        data = self.sock.recv(size)
        if data:
            self.chunks.append(("received", data))
        return data

    def fileno(self) -> int:
        return self.sock.fileno()

    def settimeout(self, timeout: float | None) -> None:
        self.sock.settimeout(timeout)

    def setsockopt(self, level: int, option: int, value: int) -> None:
        self.sock.setsockopt(level, option, value)


class Connection:
    """A TLS conversation's transport, for either end of it.

    ``chunks``: the bytes in each direction, in the order they were sent and received; the
    received ones only with ``keep_bytes`` (the evidence plugin turns it on), so a run
    without evidence reads the socket directly.
    """

    keep_bytes: ClassVar[bool] = False

    def __init__(self, sock: socket.socket, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.sock, self.timeout = sock, timeout
        self.chunks: list[tuple[str, bytes]] = []
        source = _KeptSocket(sock, self.chunks) if self.keep_bytes else sock
        self.reader = RecordReader(source)  # type: ignore[arg-type]
        self.pending: deque[tuple[Event | tuple[RawMessage, bool], int]] = deque()
        self.marks: list[int] = []  # bytes received before each of our sends
        self.last_sends = 0  # how many of our sends came before the last event arrived
        self._ended_at: int | None = None  # our sends before a close seen while draining
        self.handshake = HandshakeBuffer()
        self.wire: list[Wire] = []
        self.records: list[RecordInfo] = []
        self.peer_closed_on_send = False
        self.read: Protection = Protection()
        # TLS 1.3: the read keys before the last switch (the server's handshake keys after
        # its Finished), tried on a record the current ones cannot open: a peer that sends
        # its alert under stale keys is reported with that alert, not as noise.
        self.superseded: tuple[Protection, str] | None = None
        self.write: Protection = Protection()
        self.timed_out = False  # the last read found the peer silent
        self.tls13 = False  # record-layer rules: TLS 1.3 (CCS stays plaintext) or not
        self.context = server_messages.Context()
        self.decoder = server_messages.decode
        # Record-layer checks a fault-injectable client switches off (client.leniency's
        # RECORD_RULES); the suite's own conversations keep them all.
        self.lenient: frozenset[str] = frozenset()

    @classmethod
    def connect(cls, host: str, port: int, timeout: float = DEFAULT_TIMEOUT) -> Connection:
        try:
            sock = socket.create_connection((host, port), timeout=timeout)
        except TimeoutError as exc:
            raise TargetError(f"{host}:{port}", f"connect timed out after {timeout:g} s") from exc
        except OSError as exc:
            raise TargetError(f"{host}:{port}", str(exc.strerror or exc)) from exc
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return cls(sock, timeout)

    # -- sending -------------------------------------------------------------
    def send_bytes(self, data: bytes, what: str = "raw bytes") -> None:
        """Write records; a peer that already closed is noted, not raised."""
        self.wire.append(Wire("sent", what))
        try:
            self.reader.drain()
        except OSError:
            pass
        if self.reader.ended is not None and self._ended_at is None:
            self._ended_at = len(self.marks)
        self.marks.append(self.reader.received)
        self.chunks.append(("sent", data))
        try:
            self.sock.sendall(data)
        except OSError as exc:
            # The peer may already have alerted and closed; its alert is still readable.
            if exc.errno not in (errno.EPIPE, errno.ECONNRESET, errno.ECONNABORTED):
                raise
            self.peer_closed_on_send = True

    def close(self) -> None:
        """Close; after a peer went silent, with a reset: a server still working through
        what we sent (s_server takes a second per pipelined KeyUpdate) then drops it at
        once instead of keeping the next conversation waiting."""
        try:
            if self.timed_out:
                self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                     struct.pack("ii", 1, 0))
            self.sock.close()
        except OSError:
            pass

    def __enter__(self) -> Connection:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- receiving -----------------------------------------------------------
    def next_event(self, timeout: float | None = None) -> Event:
        """The next thing the peer did, waiting at most ``timeout`` seconds."""
        while not self.pending:
            got = self.reader.read(self.timeout if timeout is None else timeout)
            items = self._end_of_input(got) if isinstance(got, Event) else self._record(got)
            sends = self._sends_before(got)
            self.pending.extend((item, sends) for item in items)
        item, self.last_sends = self.pending.popleft()
        event = item if isinstance(item, Event) else self._decode(*item)
        self.timed_out = isinstance(event, Timeout)
        self.wire.append(Wire("received", event.describe()))
        return event

    def arrived(self) -> Event | None:
        """The next event if it is already here, without waiting and without consuming it:
        so a driver can see an alert that came before it sends its next flight."""
        if not self.pending:
            try:
                self.reader.drain()
            except OSError:
                pass
            if not self.reader.has_record() and self.reader.ended is None:
                return None
            event = self.next_event(timeout=0.001)
            self.wire.pop()  # it is logged again when it is really read
            self.pending.appendleft((event, self.last_sends))
            return event
        item, _ = self.pending[0]
        if isinstance(item, Event):
            return item
        event = self._decode(*item)
        self.pending[0] = (event, self.pending[0][1])
        return event

    def _sends_before(self, got: bytes | Event) -> int:
        """How many of our sends preceded the arrival of what was just read: a record
        complete in what was drained before send k arrived before it."""
        if isinstance(got, Closed | Reset):
            return self._ended_at if self._ended_at is not None else len(self.marks)
        if isinstance(got, Timeout):
            return len(self.marks)
        end = self.reader.consumed
        return sum(1 for mark in self.marks if mark < end)

    def _end_of_input(self, event: Event) -> list[Event]:
        """A close, reset or silence; a handshake message left half-received is reported
        first, so its bytes are never dropped."""
        if not self.handshake.pending or isinstance(event, Unparsed):
            return [event]
        data = self.handshake.data
        self.handshake = HandshakeBuffer()
        length = int.from_bytes(data[1:4], "big") + 4 if len(data) >= 4 else None
        of = f" of {length}" if length is not None else ""
        return [Unparsed(data=data, reason=f"incomplete handshake message ({len(data)}{of} "
                         f"bytes) before {event.describe()}"), event]

    def _decode(self, msg: RawMessage, encrypted: bool) -> Event:
        """Decode on the way out, so the driver can change the context in between."""
        try:
            decoded = self.decoder(msg.type, msg.body, self.context)
        except DecodeError as exc:
            return Malformed(data=msg.raw, reason=str(exc), name=msg.name, encrypted=encrypted)
        return HandshakeMessage(msg, decoded, encrypted)

    def _limit(self) -> int:
        return MAX_CIPHERTEXT_TLS13 if self.tls13 else MAX_CIPHERTEXT_TLS12

    def _record(self, record: bytes) -> list[Event | tuple[RawMessage, bool]]:
        content_type, version, length = record[0], int.from_bytes(record[1:3], "big"), \
            len(record) - 5
        opened = self.read.protected and not self._plaintext_exception(content_type, length)
        oversized = "record-size" not in self.lenient
        if opened and length > self._limit() and oversized:
            self.records.append(RecordInfo(content_type, version, length, True))
            return [Unparsed(data=record, reason=f"protected record of {length} bytes, above "
                             f"the {self._limit()} the protocol allows",
                             alert=AD.record_overflow)]
        if opened:
            try:
                inner_type, body = self.read.open(record)
            except RecordError as exc:
                self.records.append(RecordInfo(content_type, version, length, True))
                rule = "inner-content-type" if isinstance(exc, NoContentType) else "record-mac"
                if rule in self.lenient:
                    return []
                stale = self._stale_alert(record)
                return stale or [Unparsed(data=record, reason=str(exc), alert=exc.alert)]
        else:
            inner_type, body = content_type, record[5:]
        self.records.append(RecordInfo(content_type, version, length, opened, inner_type,
                                       len(body)))
        if len(body) > MAX_PLAINTEXT and oversized:
            return [Unparsed(data=record, reason=f"record of {len(body)} plaintext bytes, above "
                             f"the {MAX_PLAINTEXT} the protocol allows",
                             alert=AD.record_overflow)]
        return self._content(inner_type, body, opened, record)

    def _stale_alert(self, record: bytes) -> list[Event] | None:
        """The alerts in a record that opens only under the superseded read keys."""
        if self.superseded is None:
            return None
        protection, keys = self.superseded
        try:
            inner_type, body = protection.open(record)
        except RecordError:
            return None
        if inner_type != ALERT or not body or len(body) % 2:
            return None
        return [Alert(level=body[i], description=body[i + 1], encrypted=True, keys=keys)
                for i in range(0, len(body), 2)]

    def _plaintext_exception(self, content_type: int, length: int) -> bool:
        """Records read as plaintext although read keys are active: TLS 1.3's unprotected
        CCS, and any other non-application_data record in TLS 1.3 (an alert a peer sent
        before switching, a handshake record it should have protected); in TLS 1.2 a
        2-byte alert record, which no protected record can be."""
        if self.tls13:
            return content_type != APPLICATION_DATA
        return content_type == ALERT and length == 2

    def _content(self, content_type: int, body: bytes, encrypted: bool, record: bytes
                 ) -> list[Event | tuple[RawMessage, bool]]:
        if content_type == HANDSHAKE:
            if not body:
                if "empty-handshake-record" in self.lenient:
                    return []
                return [Unparsed(data=record, reason="zero-length handshake record "
                                 "(RFC 8446 5.1)")]
            return [(msg, encrypted) for msg in self.handshake.feed(body)]
        if self.handshake.pending and "interleaved-record" in self.lenient:
            return []
        if self.handshake.pending:
            pending = self.handshake.pending
            self.handshake = HandshakeBuffer()
            kind = CONTENT_TYPE_NAMES.get(content_type, str(content_type))
            return [Unparsed(data=record, reason=f"{kind} record inside a fragmented handshake "
                             f"message ({pending} bytes of it received)",
                             alert=AD.unexpected_message)]  # RFC 8446 5.1
        if content_type == ALERT:
            if not body or len(body) % 2:
                return [Unparsed(data=record, reason=f"alert record of {len(body)} bytes")]
            return [Alert(level=body[i], description=body[i + 1], encrypted=encrypted)
                    for i in range(0, len(body), 2)]
        if content_type == CHANGE_CIPHER_SPEC:
            if body != b"\x01":
                return [Unparsed(data=record, reason="ChangeCipherSpec body is not 0x01")]
            return [ChangeCipherSpec(encrypted=encrypted)]
        if content_type == APPLICATION_DATA:
            return [ApplicationData(data=body)]
        if "record-type" in self.lenient:
            return []
        name = CONTENT_TYPE_NAMES.get(content_type, "undefined")
        return [Unparsed(data=record, reason=f"record of {name} content type {content_type}",
                         alert=AD.unexpected_message)]
