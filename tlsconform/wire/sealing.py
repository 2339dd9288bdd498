"""Turning outgoing items into record bytes, whichever way a mutation asks.

Handshake messages enter the transcript exactly as sent (after any ``encode``), so a
conversation can go on past a re-encoded or injected message. Records are sealed under
the connection's current write protection unless an item says otherwise.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise
from typing import Any

from tlsconform.wire.connection import Connection
from tlsconform.wire.outgoing import (
    ALERT,
    CHANGE_CIPHER_SPEC,
    HANDSHAKE,
    Flight,
    Outgoing,
)
from tlsconform.wire.protection import Protection

TLS12 = 0x0303
PLAINTEXT = Protection()


def content_type_of(msg: Any) -> int:
    """Bytes are a handshake message (the engine's own); anything else is a scapy packet a
    word built, and only then is scapy imported."""
    if isinstance(msg, bytes | bytearray):
        return HANDSHAKE
    from tlsconform.scapy.packets import content_type

    return content_type(msg)


def encode(msg: Any) -> bytes:
    """A message's bytes: as given, or a scapy packet's encoding (no session involved)."""
    return bytes(msg)


class Sealer:
    """Seals one side's outgoing items on a connection."""

    def __init__(self, conn: Connection, transcript: Callable[[bytes], None],
                 default_version: Callable[[Outgoing], int]) -> None:
        self.conn = conn
        self.transcript = transcript
        self.default_version = default_version
        self.alerts: list[tuple[int, int]] = []  # (level, description) of every alert sealed

    def protection(self, item: Outgoing, content_type: int) -> Protection:
        if item.protected is False:
            return PLAINTEXT
        write = self.conn.write
        if item.protected is None and self.conn.tls13 and content_type == CHANGE_CIPHER_SPEC:
            return PLAINTEXT
        if item.protected and not write.protected:
            raise ValueError(f"{item.shown}: no keys to protect it with yet")
        return write

    def record(self, content_type: int, body: bytes, version: int = TLS12,
               protected: bool = True, **fields: Any) -> bytes:
        """One record of any type, under the current write keys or in plaintext: for
        raw-record words."""
        protection = self.conn.write if protected else PLAINTEXT
        return protection.seal(content_type, body, version, **fields)

    def seal_flight(self, flight: Flight, driver: object) -> bytes:
        """The bytes of a whole flight, in order; each item's effect runs right after the
        record carrying it is sealed. Items marked ``join`` share a record with the next
        item of the same content type."""
        out = b""
        group: list[tuple[Outgoing, int, bytes]] = []

        def flush() -> bytes:
            if not group:
                return b""
            last, content_type, _ = group[-1]
            version = next((i.version for i, _, _ in group if i.version), None)
            data = b"".join(d for _, _, d in group)
            records = self._records(last.with_(version=version), content_type, data)
            sealed = self._finish(last, records)
            for item, _, _ in group:
                if item.after is not None:
                    item.after(driver)
            group.clear()
            return sealed

        for item in flight:
            if item.record is not None:
                out += flush() + self._finish(item, [item.record(self)])
                if item.after is not None:
                    item.after(driver)
                continue
            msg = item.build()
            content_type = item.content_type or content_type_of(msg)
            data = encode(msg)
            if item.encode is not None:
                data = item.encode(data)
            if item.complete is not None:
                data = item.complete(data)
            if group and group[-1][1] != content_type:
                out += flush()
            if content_type == HANDSHAKE and item.transcript:
                self.transcript(data)
            if content_type == ALERT and len(data) >= 2:
                self.alerts.append((data[0], data[1]))
            group.append((item, content_type, data))
            if not item.join:
                out += flush()
        return out + flush()

    def _records(self, item: Outgoing, content_type: int, data: bytes) -> list[bytes]:
        protection = self.protection(item, content_type)
        version = item.version or self.default_version(item)
        cuts = item.fragments
        if item.pieces > 1:
            cuts = tuple(len(data) * n // item.pieces for n in range(1, item.pieces))
        bounds = [0, *sorted({c for c in cuts if 0 < c < len(data)}), len(data)]
        pieces = [data[a:b] for a, b in pairwise(bounds)] or [b""]
        records = []
        for n, piece in enumerate(pieces):
            records.append(protection.seal(content_type, piece, version,
                                           inner_type=item.inner_type, padding=item.padding,
                                           length=item.length, bad_padding=item.bad_padding))
            if n == 0 and item.interleave is not None:
                records.append(item.interleave(self))  # sealed in order: sequence numbers
        return records

    def _finish(self, item: Outgoing, records: list[bytes]) -> bytes:
        if item.records is not None:
            records = item.records(records, self)
        data = b"".join(records)
        return item.tamper(data) if item.tamper is not None else data
