"""The record-layer and insertion words produce exactly the records they name, sealed in
order under the current keys, with the transcript kept as sent."""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Iterator

import pytest
from scapy.layers.tls.handshake import TLSClientHello

from tlsconform.client.offer import tls12
from tlsconform.client.words import (
    after_hello,
    application_data,
    before_hello,
    cbc_padding,
    change_cipher_spec,
    coalesce,
    edit_message,
    fragment_evenly,
    hello_padded_to,
    in_flight,
    interleaved,
    length_field,
    raw_record,
)
from tlsconform.crypto.suites import SUITES
from tlsconform.wire.connection import Connection
from tlsconform.wire.outgoing import Outgoing
from tlsconform.wire.protection import RecordError, Tls13Protection, tls12_protections
from tlsconform.wire.records import split_records
from tlsconform.wire.sealing import Sealer

TLS13_SUITE = SUITES[0x1301]
CBC_SUITE = SUITES[0xC013]


class FakeDriver:
    """What words ask of a driver, and a real connection over a socket pair."""

    tls13 = False
    speaks_tls13 = False

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.transcript: list[bytes] = []
        self.sealer = Sealer(conn, self.transcript.append, lambda item: 0x0303)
        self.offer = tls12()
        self.effects: list[str] = []

    def seal(self, flight: list[Outgoing], stage: str = "second", words: tuple = ()) -> bytes:
        for word in words:
            flight = word.flight(stage, flight, self)
        return self.sealer.seal_flight(flight, self)


@pytest.fixture
def driver() -> Iterator[FakeDriver]:
    left, right = socket.socketpair()
    with left, right:
        yield FakeDriver(Connection(left))


def keyed(driver: FakeDriver) -> Tls13Protection:
    """Give the driver TLS 1.3 write keys; return the matching read side."""
    key, iv = os.urandom(16), os.urandom(12)
    driver.conn.write = Tls13Protection(TLS13_SUITE, key, iv)
    driver.conn.tls13 = True
    return Tls13Protection(TLS13_SUITE, key, iv)


def message(name: str, body: bytes = b"body", **fields: object) -> Outgoing:
    code = {"ClientHello": 1, "ClientKeyExchange": 16, "Finished": 20}[name]
    return Outgoing(name, lambda: bytes([code]) + len(body).to_bytes(3, "big") + body,
                    **fields)


def test_raw_record_is_exactly_as_described(driver: FakeDriver) -> None:
    out = driver.seal([raw_record(25, b"\x01\x02", version=0x0300, length=9)(driver)])
    assert out == b"\x19\x03\x00\x00\x09\x01\x02"
    assert driver.transcript == []


def test_protected_raw_record_carries_inner_type_and_padding(driver: FakeDriver) -> None:
    reader = keyed(driver)
    out = driver.seal([raw_record(23, b"data", protected=True, inner_type=25, padding=7)(driver)])
    assert out[0] == 23 and len(out) == 5 + 4 + 1 + 7 + 16
    assert reader.open(out) == (25, b"data")


def test_all_zero_inner_plaintext_has_no_content_type(driver: FakeDriver) -> None:
    reader = keyed(driver)
    out = driver.seal([raw_record(23, b"", protected=True, inner_type=0, padding=16)(driver)])
    with pytest.raises(RecordError, match="all zeros"):
        reader.open(out)


def test_interleaved_record_is_sealed_between_the_fragments_in_order(
        driver: FakeDriver) -> None:
    reader = keyed(driver)
    word = interleaved("Finished", 4, application_data(b"x"), "an ApplicationData record")
    out = driver.seal([message("Finished", b"v" * 32)], words=(word,))
    records, rest = split_records(out)
    assert rest == b"" and len(records) == 3
    opened = [reader.open(r) for r in records]  # fails unless sealed in this order
    assert opened[1] == (23, b"x")
    assert opened[0][1] + opened[2][1] == b"\x14\x00\x00\x20" + b"v" * 32
    assert driver.transcript == [b"\x14\x00\x00\x20" + b"v" * 32]  # once, whole


def test_coalesce_joins_runs_of_one_content_type(driver: FakeDriver) -> None:
    flight = [message("ClientKeyExchange", b"a", after=lambda d: d.effects.append("cke")),
              message("Finished", b"b"),
              Outgoing("ChangeCipherSpec", lambda: b"\x01", content_type=20)]
    records, _ = split_records(driver.seal(flight, words=(coalesce("second"),)))
    assert [r[0] for r in records] == [22, 20]
    assert records[0][5:] == b"\x10\x00\x00\x01a\x14\x00\x00\x01b"
    assert driver.effects == ["cke"]


def test_length_field_states_a_length_off_the_body(driver: FakeDriver) -> None:
    out = driver.seal([message("Finished", b"12345678")], words=(length_field("Finished", -1),))
    assert int.from_bytes(out[3:5], "big") == len(out) - 5 - 1


def test_cbc_padding_extra_and_bad() -> None:
    block = os.urandom(2 * (20 + 16))
    plain_len = {}
    for extra in (0, 64):
        write, _ = tls12_protections(CBC_SUITE, block)
        read, _ = tls12_protections(CBC_SUITE, block)
        record = write.seal(22, b"finished", padding=extra)
        plain_len[extra] = len(record)
        assert read.open(record) == (22, b"finished")
    assert plain_len[64] == plain_len[0] + 64
    write, _ = tls12_protections(CBC_SUITE, block)
    read, _ = tls12_protections(CBC_SUITE, block)
    with pytest.raises(RecordError, match="padding"):
        read.open(write.seal(22, b"finished", bad_padding=True))
    assert cbc_padding("Finished", bad=True).label == "client Finished with wrong CBC padding"


def test_fragment_evenly_and_hello_padded_to(driver: FakeDriver) -> None:
    hello = Outgoing("ClientHello", lambda: b"\x01" + (400).to_bytes(3, "big") + bytes(400))
    records, _ = split_records(driver.seal([hello], "hello", (fragment_evenly("ClientHello",
                                                                              8),)))
    assert len(records) == 8 and b"".join(r[5:] for r in records) == hello.build()
    from tlsconform.client.hello import client_hello

    real = Outgoing("ClientHello", lambda: client_hello(tls12()))
    records, _ = split_records(driver.seal([real], "hello", (hello_padded_to(2**14),)))
    assert sum(len(r) - 5 for r in records) == 2**14


def test_insertions_land_where_named_and_stay_out_of_the_transcript(
        driver: FakeDriver) -> None:
    hello = message("ClientHello")
    out = driver.seal([hello], "hello", (before_hello(change_cipher_spec(), "ChangeCipherSpec"),
                                         after_hello(application_data(b"z"), "ApplicationData")))
    records, _ = split_records(out)
    assert [r[0] for r in records] == [20, 22, 23]
    flight = [message("ClientKeyExchange"), message("Finished")]
    word = in_flight(change_cipher_spec(), "ChangeCipherSpec", before="Finished")
    driver.transcript.clear()
    records, _ = split_records(driver.seal(flight, words=(word,)))
    assert [r[0] for r in records] == [22, 20, 22]
    assert len(driver.transcript) == 2


def test_edit_message_works_on_scapy_packets(driver: FakeDriver) -> None:
    from tlsconform.client.hello import client_hello

    def one_suite(packet: TLSClientHello) -> TLSClientHello:
        packet.ciphers = [0xC02F]
        packet.cipherslen = None
        return packet

    hello = Outgoing("ClientHello", lambda: client_hello(tls12()))
    out = driver.seal([hello], "hello", (edit_message("ClientHello", one_suite, "one suite"),))
    sent = TLSClientHello(out[5:])
    assert sent.ciphers == [0xC02F]
    assert driver.transcript == [out[5:]]


def test_events_are_told_apart_by_the_send_they_arrived_after() -> None:
    left, right = socket.socketpair()
    with left, right:
        conn = Connection(left)
        right.sendall(b"\x15\x03\x03\x00\x02\x01\x00")  # arrives before our first send
        conn.send_bytes(b"ours")
        right.sendall(b"\x15\x03\x03\x00\x02\x02\x28")
        first = conn.next_event(1.0)
        before_our_send = conn.last_sends
        second = conn.next_event(1.0)
    assert (first.description, before_our_send) == (0, 0)
    assert (second.description, conn.last_sends) == (40, 1)


def test_arrived_peeks_without_consuming() -> None:
    left, right = socket.socketpair()
    with left, right:
        conn = Connection(left)
        assert conn.arrived() is None
        right.sendall(b"\x15\x03\x03\x00\x02\x02\x28")
        right.shutdown(socket.SHUT_WR)
        time.sleep(0.05)
        peeked = conn.arrived()
        assert peeked is not None and peeked == conn.next_event(1.0)
        assert type(conn.next_event(1.0)).__name__ == "Closed"
