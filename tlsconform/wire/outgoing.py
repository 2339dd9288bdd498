"""What a driver sends, as an editable list: each item is one message (or a raw record)
and how it travels, so mutation words can reshape any flight."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tlsconform.wire.sealing import Sealer

CHANGE_CIPHER_SPEC, ALERT, HANDSHAKE, APPLICATION_DATA = 20, 21, 22, 23


@dataclass(frozen=True)
class Outgoing:
    """One message and how it travels.

    ``build`` runs at send time, in order, because keys and transcript hashes depend on
    what was sent before it. It returns the encoded message (bytes) or a scapy packet,
    which is encoded with ``bytes()``.

    - ``content_type``: the record's type; None infers it from a scapy packet (handshake
      for bytes).
    - ``protected``: None seals under the current write keys (TLS 1.3 keeps a CCS in
      plaintext); True or False forces it.
    - ``version``: the record's legacy_record_version (None: the driver's default).
    - ``fragments``: cut the message after these offsets, one record per piece;
      ``pieces``: cut it into that many records of about equal size.
    - ``join``: this message shares a record with the next one (coalescing).
    - ``interleave``: a record sealed between the first two fragments (another type
      inside a fragmented handshake message).
    - ``encode``: rewrite the encoded message (odd lengths, stray bytes).
    - ``complete``: the sender's last step on the bytes as they will go, after ``encode``
      (a ClientHello's PSK binder covers the hello as sent, RFC 8446 4.2.11.2).
    - ``records``: rewrite the list of record bytes (interleave others, drop one).
    - ``tamper``: rewrite the sealed bytes at the end (a flipped bit under protection).
    - ``record``: a raw record instead of a message: called with the sealer.
    - ``transcript``: whether a handshake message enters the transcript.
    - ``inner_type``, ``padding``, ``length``: TLS 1.3 inner plaintext and header fields
      (``padding`` is extra CBC padding in TLS 1.2); ``bad_padding`` breaks CBC padding.
    - ``after``: what sending it changes (a key switch), called with the driver.
    - ``label``: what a mutation did to it, for verdicts (empty: unchanged).
    """

    name: str
    build: Callable[[], Any]
    content_type: int | None = None
    protected: bool | None = None
    version: int | None = None
    fragments: tuple[int, ...] = ()
    pieces: int = 0
    join: bool = False
    interleave: Callable[[Sealer], bytes] | None = None
    encode: Callable[[bytes], bytes] | None = None
    complete: Callable[[bytes], bytes] | None = None
    records: Callable[[list[bytes], Sealer], list[bytes]] | None = None
    tamper: Callable[[bytes], bytes] | None = None
    record: Callable[[Sealer], bytes] | None = None
    transcript: bool = True
    inner_type: int | None = None
    padding: int = 0
    length: int | None = None
    bad_padding: bool = False
    after: Callable[[Any], None] | None = None
    label: str = ""

    def with_(self, **changes: object) -> Outgoing:
        return replace(self, **changes)

    @property
    def shown(self) -> str:
        """The name a verdict gives it: the mutation's label when there is one."""
        return self.label or self.name


Flight = list[Outgoing]


def names(flight: Flight) -> list[str]:
    return [item.name for item in flight]
