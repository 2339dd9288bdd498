"""Record framing on our side of the socket, so scapy only ever sees whole records.

scapy raises on a partial record and chains glued records as payloads (notes, traps 4
and 5); framing here keeps both problems out of the engine.
"""

from __future__ import annotations

import select
import socket
import time
from dataclasses import dataclass, field

from tlsconform.wire.events import Closed, Event, Reset, Timeout, Unparsed

HEADER_LEN = 5
MAX_PLAINTEXT = 2**14  # RFC 8446 5.1, RFC 5246 6.2.1
MAX_CIPHERTEXT_TLS13 = 2**14 + 256  # RFC 8446 5.2
MAX_CIPHERTEXT_TLS12 = 2**14 + 2048  # RFC 5246 6.2.3
TCP_QUICKACK = getattr(socket, "TCP_QUICKACK", 12)  # Linux


def header_problem(header: bytes) -> str | None:
    """Why a 5-byte header cannot start a TLS record, or None when it can.

    An undefined content type is still a record, which the connection reports as what it
    is. A length above what any version allows is refused here, so the reader does not
    wait for up to 64 KiB that no valid record has; the connection applies each
    version's own limit to whole records.
    """
    if header[1] != 3:
        return "not a TLS record"
    length = int.from_bytes(header[3:5], "big")
    if length > MAX_CIPHERTEXT_TLS12:
        return (f"record of {length} bytes, longer than any TLS version allows "
                f"({MAX_CIPHERTEXT_TLS12})")
    return None


def split_records(buffer: bytes) -> tuple[list[bytes], bytes]:
    """Cut every complete record off the front of buffer; return them and the rest."""
    records = []
    while len(buffer) >= HEADER_LEN:
        length = int.from_bytes(buffer[3:5], "big")
        end = HEADER_LEN + length
        if len(buffer) < end:
            break
        records.append(buffer[:end])
        buffer = buffer[end:]
    return records, buffer


@dataclass
class RecordReader:
    """Reads one record at a time from a socket; every wait is bounded by a deadline."""

    sock: socket.socket
    buffer: bytes = field(default=b"", repr=False)
    received: int = 0  # bytes received so far, in total
    consumed: int = 0  # bytes handed out so far (records and unparsed data)
    ended: Event | None = None  # a close or reset seen while draining, not yet reported
    quickack: bool = False  # acknowledge every segment at once (``_quickack``)

    def read(self, timeout: float) -> bytes | Event:
        """The next whole record, or the event that stopped it from arriving."""
        deadline = time.monotonic() + timeout
        while True:
            if len(self.buffer) >= HEADER_LEN:
                problem = header_problem(self.buffer[:HEADER_LEN])
                if problem:
                    return self._unparsed(problem)
                end = HEADER_LEN + int.from_bytes(self.buffer[3:5], "big")
                if len(self.buffer) >= end:
                    record, self.buffer = self.buffer[:end], self.buffer[end:]
                    self.consumed += end
                    return record
            if self.ended is not None:
                return self._unparsed("connection closed inside a record") if self.buffer \
                    else self.ended
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return Timeout(seconds=timeout)
            self.sock.settimeout(remaining)
            try:
                self._receive()
            except TimeoutError:
                return Timeout(seconds=timeout)

    def has_record(self) -> bool:
        """A whole record (or bytes that cannot start one) is buffered."""
        if len(self.buffer) < HEADER_LEN:
            return False
        if header_problem(self.buffer[:HEADER_LEN]):
            return True
        return len(self.buffer) >= HEADER_LEN + int.from_bytes(self.buffer[3:5], "big")

    def drain(self) -> None:
        """Take in whatever has already arrived, without waiting: so the driver can tell
        what the peer sent before our next flight from what it sent after."""
        while self.ended is None and select.select([self.sock], [], [], 0)[0]:
            self._receive()

    def _unparsed(self, reason: str) -> Unparsed:
        data, self.buffer = self.buffer, b""
        self.consumed += len(data)
        return Unparsed(data=data, reason=reason)

    def _receive(self) -> None:
        """One recv: new bytes go to the buffer, the end of the stream to ``ended``."""
        try:
            chunk = self.sock.recv(65536)
        except (ConnectionResetError, ConnectionAbortedError):
            self.ended = Reset()
            return
        except TimeoutError:
            raise
        except OSError as exc:  # e.g. EPIPE surfaced on read after our failed send
            self.ended = Reset() if exc.errno else Closed()
            return
        if not chunk:
            self.ended = Closed()
            return
        if self.quickack:
            self._quickack()
        self.buffer += chunk
        self.received += len(chunk)

    def _quickack(self) -> None:
        """Acknowledge at once (Linux turns quick ACKs off again after a while): a peer
        that writes its Finished and its request separately, with Nagle on, waits for our
        ACK of the first before the second leaves, and a delayed ACK costs it 40 ms."""
        try:
            self.sock.setsockopt(socket.IPPROTO_TCP, TCP_QUICKACK, 1)
        except (OSError, AttributeError):
            self.quickack = False
