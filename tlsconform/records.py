"""Record framing on our side of the socket, so scapy only ever sees whole records.

scapy raises on a partial record and chains glued records as payloads (notes, traps 4
and 5); framing here keeps both problems out of the engine.
"""

from __future__ import annotations

import socket
import time
from dataclasses import dataclass, field

from tlsconform.events import Closed, Event, Reset, Timeout, Unparsed

HEADER_LEN = 5
MAX_CIPHERTEXT = 2**14 + 2048  # RFC 5246 6.2.3; TLS 1.3 allows less
CONTENT_TYPES = {20, 21, 22, 23, 24}


def header_problem(header: bytes) -> str | None:
    """Why a 5-byte header cannot start a TLS record, or None when it can."""
    content_type, major = header[0], header[1]
    if content_type not in CONTENT_TYPES or major != 3:
        return "not a TLS record"
    if int.from_bytes(header[3:5], "big") > MAX_CIPHERTEXT:
        return "record longer than the protocol allows"
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

    def read(self, timeout: float) -> bytes | Event:
        """The next whole record, or the event that stopped it from arriving."""
        deadline = time.monotonic() + timeout
        while True:
            if len(self.buffer) >= HEADER_LEN:
                problem = header_problem(self.buffer[:HEADER_LEN])
                if problem:
                    data, self.buffer = self.buffer, b""
                    return Unparsed(data=data, reason=problem)
            records, _ = split_records(self.buffer)
            if records:
                record = records[0]
                self.buffer = self.buffer[len(record):]
                return record
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return Timeout(seconds=timeout)
            event = self._fill(remaining, timeout)
            if event is not None:
                return event

    def _fill(self, remaining: float, timeout: float) -> Event | None:
        self.sock.settimeout(remaining)
        try:
            chunk = self.sock.recv(65536)
        except TimeoutError:
            return Timeout(seconds=timeout)
        except (ConnectionResetError, ConnectionAbortedError):
            return Reset()
        except OSError as exc:  # e.g. EPIPE surfaced on read after our failed send
            return Reset() if exc.errno else Closed()
        if not chunk:
            if self.buffer:
                data, self.buffer = self.buffer, b""
                return Unparsed(data=data, reason="connection closed inside a record")
            return Closed()
        self.buffer += chunk
        return None
