"""The client's messages as an editable list, so mutation words can reshape any flight."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from itertools import pairwise

from scapy.packet import Packet


@dataclass(frozen=True)
class Outgoing:
    """One client message and how it travels.

    ``build`` runs at send time, in order, because scapy derives keys and transcript
    hashes from what was sent before it.
    """

    name: str
    build: Callable[[], Packet]
    encrypted: bool = False  # TLS 1.3 protected record; TLS 1.2 encrypts after CCS by itself
    fragments: tuple[int, ...] = ()  # cut the record body after these offsets (plaintext only)
    encode: Callable[[bytes], bytes] | None = None  # rewrite the message bytes; session unaware
    tamper: Callable[[bytes], bytes] | None = None  # rewrite the sealed record bytes at the end

    def with_(self, **changes: object) -> Outgoing:
        return replace(self, **changes)


Flight = list[Outgoing]


def names(flight: Flight) -> list[str]:
    return [item.name for item in flight]


def fragment_record(record: bytes, cuts: tuple[int, ...]) -> bytes:
    """Re-frame one plaintext record's body as several records cut at ``cuts``."""
    header, body = record[:3], record[5:]
    bounds = [0, *sorted(c for c in cuts if 0 < c < len(body)), len(body)]
    out = b""
    for start, end in pairwise(bounds):
        chunk = body[start:end]
        out += header + len(chunk).to_bytes(2, "big") + chunk
    return out
