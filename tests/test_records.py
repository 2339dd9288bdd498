"""Record framing: split_records, header_problem and RecordReader against scripted peers."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import cast

import pytest

from tests.scripted_server import (
    HTTP_400,
    ScriptedServer,
    ScriptedServers,
    alert_record,
    close,
    pause,
    record,
    reset,
    send,
    send_slowly,
)
from tlsconform.wire.events import Closed, Reset, Timeout, Unparsed
from tlsconform.wire.records import (
    MAX_CIPHERTEXT_TLS12,
    RecordReader,
    header_problem,
    split_records,
)

ALERT = alert_record(40)  # 15 03 03 00 02 02 28
CCS = record(20, b"\x01")
APPDATA = record(23, bytes(range(40)))
BOUND = 0.3
SLACK = 0.5


# -- split_records ---------------------------------------------------------------------
@pytest.mark.parametrize(
    ("buffer", "records", "rest"),
    [
        pytest.param(b"", [], b"", id="empty"),
        pytest.param(ALERT[:3], [], ALERT[:3], id="partial-header"),
        pytest.param(ALERT[:5], [], ALERT[:5], id="header-only"),
        pytest.param(ALERT[:6], [], ALERT[:6], id="partial-body"),
        pytest.param(ALERT, [ALERT], b"", id="one"),
        pytest.param(record(23, b""), [record(23, b"")], b"", id="zero-length"),
        pytest.param(ALERT + CCS + APPDATA, [ALERT, CCS, APPDATA], b"", id="glued"),
        pytest.param(ALERT + CCS + APPDATA[:9], [ALERT, CCS], APPDATA[:9], id="glued-partial"),
    ],
)
def test_split_records(buffer: bytes, records: list[bytes], rest: bytes) -> None:
    assert split_records(buffer) == (records, rest)


# -- header_problem --------------------------------------------------------------------
@pytest.mark.parametrize("content_type", [20, 21, 22, 23, 24, 25, 0, 255])
def test_header_of_any_content_type_is_a_record(content_type: int) -> None:
    """Undefined types are framed too: the connection reports them as what they are."""
    assert header_problem(record(content_type, b"x")[:5]) is None


@pytest.mark.parametrize(
    "header",
    [
        pytest.param(HTTP_400[:5], id="http"),
        pytest.param(b"\x80\x2e\x01\x03\x01", id="sslv2-hello"),
        pytest.param(b"\x16\x02\x00\x00\x02", id="major-version-2"),
        pytest.param(b"\x16\x04\x00\x00\x02", id="major-version-4"),
        pytest.param(b"\x00\x00\x00\x00\x00", id="zeros"),
    ],
)
def test_header_problem_for_non_tls_bytes(header: bytes) -> None:
    assert header_problem(header) == "not a TLS record"


def test_header_problem_for_oversize_length() -> None:
    """Above 2^14+2048 no version allows (RFC 5246 6.2.3); the TLS 1.3 limit (2^14+256,
    RFC 8446 5.2) is the connection's to apply, on whole records."""
    limit = MAX_CIPHERTEXT_TLS12
    assert limit == 2**14 + 2048
    assert header_problem(b"\x17\x03\x03" + limit.to_bytes(2, "big")) is None
    too_long = "record of 18433 bytes, longer than any TLS version allows (18432)"
    assert header_problem(b"\x17\x03\x03" + (limit + 1).to_bytes(2, "big")) == too_long


# -- RecordReader ----------------------------------------------------------------------
class CountingSocket:
    """A socket proxy that counts recv calls, to prove a record arrived in pieces."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.recv_calls = 0

    def settimeout(self, value: float | None) -> None:
        self.sock.settimeout(value)

    def recv(self, size: int) -> bytes:
        self.recv_calls += 1
        return self.sock.recv(size)


@contextmanager
def client(server: ScriptedServer) -> Iterator[socket.socket]:
    with socket.create_connection(server.address, timeout=2.0) as sock:
        yield sock


@contextmanager
def reader(server: ScriptedServer) -> Iterator[RecordReader]:
    with client(server) as sock:
        yield RecordReader(sock)


def test_reassembles_records_delivered_byte_by_byte(scripted: ScriptedServers) -> None:
    server = scripted(send_slowly(ALERT + APPDATA, chunk=1, delay=0.005), close(),
                      read_hello=False)
    with client(server) as sock:
        counting = CountingSocket(sock)
        records = RecordReader(cast(socket.socket, counting))
        assert records.read(5.0) == ALERT
        assert records.read(5.0) == APPDATA
        assert records.read(5.0) == Closed()
    assert counting.recv_calls > len(ALERT)  # it really was fed in pieces


def test_glued_records_come_out_one_at_a_time(scripted: ScriptedServers) -> None:
    server = scripted(send(ALERT + CCS + APPDATA), close(), read_hello=False)
    with reader(server) as records:
        assert [records.read(2.0) for _ in range(4)] == [ALERT, CCS, APPDATA, Closed()]


def test_timeout_within_the_bound_when_the_peer_is_silent(scripted: ScriptedServers) -> None:
    server = scripted(read_hello=False)
    with reader(server) as records:
        start = time.monotonic()
        got = records.read(BOUND)
        elapsed = time.monotonic() - start
    assert got == Timeout(seconds=BOUND)
    assert BOUND - 0.05 <= elapsed < BOUND + SLACK


def test_timeout_bound_holds_against_a_trickling_peer(scripted: ScriptedServers) -> None:
    """One byte every 20 ms would take 4 s for this record: the bound is overall, not per read."""
    server = scripted(send_slowly(record(23, bytes(200)), chunk=1, delay=0.02), read_hello=False)
    with reader(server) as records:
        start = time.monotonic()
        got = records.read(BOUND)
        elapsed = time.monotonic() - start
    assert got == Timeout(seconds=BOUND)
    assert elapsed < BOUND + SLACK


def test_partial_record_then_silence_is_a_timeout(scripted: ScriptedServers) -> None:
    server = scripted(send(ALERT[:4]), read_hello=False)
    with reader(server) as records:
        assert records.read(BOUND) == Timeout(seconds=BOUND)


def test_closed_on_fin(scripted: ScriptedServers) -> None:
    server = scripted(close(), read_hello=False)
    with reader(server) as records:
        assert records.read(2.0) == Closed()


def test_record_then_fin(scripted: ScriptedServers) -> None:
    server = scripted(send(ALERT), close(), read_hello=False)
    with reader(server) as records:
        assert records.read(2.0) == ALERT
        assert records.read(2.0) == Closed()


def test_reset_on_rst(scripted: ScriptedServers) -> None:
    # The pause lets connect() return first: an RST racing the TCP handshake makes
    # create_connection itself raise (seen on a loaded machine), which is no reader matter.
    server = scripted(pause(0.1), reset(), read_hello=False)
    with reader(server) as records:
        assert records.read(2.0) == Reset()


@pytest.mark.parametrize("cut", [1, 4, 5, 6], ids=lambda n: f"{n}-bytes")
def test_partial_record_then_close_is_unparsed(scripted: ScriptedServers, cut: int) -> None:
    server = scripted(send(ALERT[:cut]), close(), read_hello=False)
    with reader(server) as records:
        got = records.read(2.0)
    assert got == Unparsed(data=ALERT[:cut], reason="connection closed inside a record")


def test_http_reply_is_unparsed_without_waiting(scripted: ScriptedServers) -> None:
    """The header decides: no waiting for 0x502f (20527) "record" bytes that never come."""
    server = scripted(send(HTTP_400), read_hello=False)
    with reader(server) as records:
        start = time.monotonic()
        got = records.read(2.0)
        elapsed = time.monotonic() - start
    assert isinstance(got, Unparsed)
    assert got.reason == "not a TLS record"
    assert got.data.startswith(b"HTTP/1.1 ")
    assert elapsed < 1.0


def test_oversize_record_header_is_unparsed_without_waiting(scripted: ScriptedServers) -> None:
    server = scripted(send(b"\x17\x03\x03\xff\xff" + bytes(10)), read_hello=False)
    with reader(server) as records:
        got = records.read(2.0)
    assert isinstance(got, Unparsed)
    assert got.reason == ("record of 65535 bytes, longer than any TLS version allows "
                          "(18432)")
    assert got.data.startswith(b"\x17\x03\x03\xff\xff")
