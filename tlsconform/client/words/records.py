"""Words about the record layer: raw records of any type, version and length; messages
split, coalesced or interleaved with other records; TLS 1.3 inner content type and
padding; oversized records; CBC padding."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tlsconform.client.words.messages import Maker, _phrase
from tlsconform.mutation import FlightEdit, MessageEdit, Mutation
from tlsconform.wire.outgoing import APPLICATION_DATA, Flight, Outgoing
from tlsconform.wire.records import MAX_PLAINTEXT

if TYPE_CHECKING:
    from tlsconform.client.driver import ClientDriver
    from tlsconform.wire.sealing import Sealer

TLS12 = 0x0303


def raw_record(content_type: int, body: bytes = b"", version: int = TLS12,
               protected: bool = False, inner_type: int | None = None, padding: int = 0,
               length: int | None = None, name: str | None = None) -> Maker:
    """One record exactly as described: any content type (undefined ones too), any
    version, any length field, in plaintext or sealed under the current write keys (for
    TLS 1.3, ``inner_type`` and ``padding`` shape the inner plaintext)."""
    shown = name or f"record of content type {content_type}"

    def seal(sealer: Sealer) -> bytes:
        fields = {"inner_type": inner_type, "padding": padding, "length": length}
        return sealer.record(content_type, body, version, protected=protected, **fields)

    return lambda hs: Outgoing(shown, lambda: b"", record=seal)


def application_data_of(size: int, fill: bytes = b"A") -> Maker:
    """Application data of ``size`` bytes in one record (above 2^14: an oversized record)."""
    return lambda hs: Outgoing("ApplicationData", lambda: (fill * size)[:size],
                               content_type=APPLICATION_DATA)


def _edit(name: str, label: str, **changes: object) -> Mutation:
    return MessageEdit(label, name, lambda item, hs: [item.with_(label=label, **changes)])


def record_version_of(name: str, version: int) -> Mutation:
    """The legacy_record_version of the record(s) carrying ``name``."""
    return _edit(name, f"{_phrase(name)} in a record of version 0x{version:04x}",
                 version=version)


def inner_padding(name: str, padding: int) -> Mutation:
    """TLS 1.3: ``padding`` zero bytes after the inner content type (RFC 8446 5.4)."""
    return _edit(name, f"{_phrase(name)} with {padding} bytes of padding", padding=padding)


def cbc_padding(name: str, extra: int = 0, bad: bool = False) -> Mutation:
    """TLS 1.2 CBC: ``extra`` bytes of padding beyond what fills the block (RFC 5246
    6.2.3.2 allows up to 255), or padding bytes that contradict the padding length."""
    label = (f"{_phrase(name)} with wrong CBC padding" if bad
             else f"{_phrase(name)} with {extra} extra bytes of CBC padding")
    return _edit(name, label, padding=extra, bad_padding=bad)


def length_field(name: str, delta: int) -> Mutation:
    """The header of the (last) record carrying ``name`` states a length ``delta`` bytes
    off its body: under protection the record no longer authenticates."""

    def rewrite(records: list[bytes], sealer: Sealer) -> list[bytes]:
        last = records[-1]
        length = (int.from_bytes(last[3:5], "big") + delta) & 0xFFFF
        return [*records[:-1], last[:3] + length.to_bytes(2, "big") + last[5:]]

    sign = "+" if delta > 0 else ""
    return _edit(name, f"{_phrase(name)} with its record length field {sign}{delta}",
                 records=rewrite)


def interleaved(name: str, cut: int, make: Maker, what: str) -> Mutation:
    """Split ``name`` at ``cut`` and send ``make``'s record between the two fragments
    (RFC 8446 5.1: handshake messages MUST NOT be interleaved with other record types)."""

    def edit(item: Outgoing, hs: ClientDriver) -> list[Outgoing]:
        other = make(hs)

        def seal(sealer: Sealer) -> bytes:
            if other.record is not None:
                return other.record(sealer)
            return sealer.seal_flight([other.with_(transcript=False)], hs)

        label = f"{_phrase(name)} split by {what}"
        return [item.with_(fragments=(cut,), interleave=seal, label=label)]

    return MessageEdit(f"{name} split by {what}", name, edit)


def coalesce(stage: str) -> Mutation:
    """Every run of same-type messages in ``stage``'s flight in one record (RFC 8446 5.1,
    RFC 5246 6.2.1 allow coalescing)."""

    def edit(flight: Flight, hs: ClientDriver) -> Flight:
        joined = [item.with_(join=True) for item in flight[:-1]] + flight[-1:]
        if len(joined) > 1:  # the first message's label names the coalesced record
            joined[0] = joined[0].with_(label=f"{_phrase(joined[0].name)} coalesced with the "
                                              "messages after it")
        return joined

    return FlightEdit(f"{stage} flight coalesced", stage, edit)


def fragment_evenly(name: str, pieces: int) -> Mutation:
    """Split ``name`` into ``pieces`` records of about equal size."""

    return _edit(name, f"{_phrase(name)} in {pieces} records", pieces=pieces)


def hello_padded_to(size: int) -> Mutation:
    """A padding extension (RFC 7685) that makes the ClientHello message exactly ``size``
    bytes: above 2^14 its record is oversized."""
    from tlsconform.client.hello_bytes import parse_client_hello

    def encode(raw: bytes) -> bytes:
        parts = parse_client_hello(raw)
        plain = len(parts.encode())
        # adding an extension costs 4 bytes of header; the body fills the rest
        parts.extensions.append((21, bytes(max(0, size - plain - 4))))
        return parts.encode()

    label = f"ClientHello padded to {size} bytes"
    return MessageEdit(label, "ClientHello",
                       lambda item, hs: [item.with_(encode=encode, label=label)])


__all__ = ["MAX_PLAINTEXT", "application_data_of", "cbc_padding", "coalesce", "fragment_evenly",
           "hello_padded_to", "inner_padding", "interleaved", "length_field", "raw_record",
           "record_version_of"]
