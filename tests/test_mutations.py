"""Mutation words change exactly what they name, on real engine objects."""

from __future__ import annotations

import socket

from scapy.layers.tls.handshake import TLSClientHello

from tlsconform.client.hello import client_hello
from tlsconform.client.hello_bytes import parse_client_hello
from tlsconform.client.offer import TLS10, tls12, tls13
from tlsconform.client.words import (
    add_ciphers,
    ciphers,
    extend,
    extension,
    flip_bit,
    flip_middle_bit,
    legacy_version,
    move,
    omit,
    omit_extension,
    supported_versions,
    truncate,
)
from tlsconform.messages.extensions import SIGNATURE_ALGORITHMS as EXT_SIGNATURE_ALGORITHMS
from tlsconform.wire.connection import Connection
from tlsconform.wire.outgoing import Outgoing
from tlsconform.wire.sealing import Sealer

VERIFY = bytes(range(12))


def test_bytes_edits() -> None:
    assert flip_bit(-1)(VERIFY) == VERIFY[:-1] + bytes([VERIFY[-1] ^ 1])
    assert flip_bit(0, 7)(VERIFY)[0] == 0x80
    middle = flip_middle_bit()(VERIFY)
    assert [i for i in range(12) if middle[i] != VERIFY[i]] == [6]
    assert truncate(11)(VERIFY) == VERIFY[:11]
    assert truncate(0)(VERIFY) == b""
    assert extend(b"\x00")(VERIFY) == VERIFY + b"\x00"


def test_offer_words_compose_in_order() -> None:
    offer = tls12()
    for word in (ciphers(0xC02F), add_ciphers(0x5600), legacy_version(TLS10),
                 supported_versions(), omit_extension(EXT_SIGNATURE_ALGORITHMS),
                 extension(0xFFFE, b"\x01\x02")):
        offer = word.offer(offer)
    assert offer.ciphers == [0x5600, 0xC02F]
    assert offer.legacy_version == TLS10
    assert offer.supported_versions is None
    parts = parse_client_hello(bytes(client_hello(offer)))
    types = [t for t, _ in parts.extensions]
    assert EXT_SIGNATURE_ALGORITHMS not in types
    assert (0xFFFE, b"\x01\x02") in parts.extensions
    assert parts.cipher_suites == b"\x56\x00\xc0\x2f"
    assert parts.head[:2] == b"\x03\x01"


def test_hello_bytes_round_trip() -> None:
    raw = bytes(client_hello(tls13()))
    parts = parse_client_hello(raw)
    assert parts.encode() == raw
    assert len(parts.session_id) == 32
    parts.skew["cipher_suites"] = 1
    odd = parts.encode()
    assert odd != raw and len(odd) == len(raw)
    assert int.from_bytes(odd[4 + 35 + 32:4 + 35 + 32 + 2], "big") == len(parts.cipher_suites) + 1
    parts.skew.clear()
    parts.extension_skew[43] = -1
    parts.trailing = b"\x00"
    bent = parse_client_hello(parts.encode())
    assert len(parts.encode()) == len(raw) + 1 and bent.extensions != parts.extensions
    assert isinstance(TLSClientHello(raw), TLSClientHello)


def test_flight_words() -> None:
    flight = [Outgoing(n, lambda: None) for n in
              ("ClientKeyExchange", "ChangeCipherSpec", "Finished")]
    moved = move("Finished", before="ChangeCipherSpec").flight("second", flight, None)
    assert [i.name for i in moved] == ["ClientKeyExchange", "Finished", "ChangeCipherSpec"]
    assert move("Finished", before="ChangeCipherSpec").flight("hello", flight, None) == flight
    assert [i.name for i in omit("ChangeCipherSpec").flight("second", flight, None)] == [
        "ClientKeyExchange", "Finished"]


def test_fragment_cuts_one_message_into_records_with_their_own_headers() -> None:
    left, right = socket.socketpair()
    with left, right:
        seen: list[bytes] = []
        sealer = Sealer(Connection(left), seen.append, lambda item: 0x0303)
        item = Outgoing("Finished", lambda: b"abcdef", fragments=(2, 4))
        out = sealer.seal_flight([item], None)
    assert out == (b"\x16\x03\x03\x00\x02ab" + b"\x16\x03\x03\x00\x02cd"
                   + b"\x16\x03\x03\x00\x02ef")
    assert seen == [b"abcdef"]  # the transcript holds the message once, whole
