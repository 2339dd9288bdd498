"""The local TLS servers behave as the suite assumes: they serve TLS 1.2 and 1.3, enforce
client certificates when asked, start and stop cleanly, and (embedded) survive garbage."""

from __future__ import annotations

import os
import shutil
import socket
import ssl
import struct
from collections.abc import Iterator
from contextlib import ExitStack

import pytest

from tlsconform.certs import PKI, ensure_pki
from tlsconform.fixtures.servers import (
    IMPLEMENTATIONS,
    LocalServer,
    ServerConfig,
    ServerStartError,
    available_implementations,
    launch,
)
from tlsconform.fixtures.servers.base import Unsupported
from tlsconform.fixtures.servers.probe import client_context, https_get

AVAILABLE = available_implementations()
IMPLEMENTATION_PARAMS = [
    pytest.param(
        name, marks=pytest.mark.skipif(not ok, reason=f"{name} server program not installed")
    )
    for name, ok in AVAILABLE.items()
]
PROCESS_IMPLEMENTATION_PARAMS = [p for p in IMPLEMENTATION_PARAMS if p.values[0] != "embedded"]
VERSIONS = [
    pytest.param(ssl.TLSVersion.TLSv1_2, id="tls12"),
    pytest.param(ssl.TLSVersion.TLSv1_3, id="tls13"),
]
VERSION_NAMES = {ssl.TLSVersion.TLSv1_2: "TLSv1.2", ssl.TLSVersion.TLSv1_3: "TLSv1.3"}
NO_TLS13 = {"mbedtls": "Mbed TLS 2.28 has no TLS 1.3"}


def skip_unsupported(server: LocalServer, version: ssl.TLSVersion) -> None:
    """Skip a TLS 1.3 test for a server whose library does not implement TLS 1.3."""
    if version is ssl.TLSVersion.TLSv1_3 and server.implementation in NO_TLS13:
        pytest.skip(NO_TLS13[server.implementation])


@pytest.fixture(scope="session")
def pki() -> PKI:
    return ensure_pki()


@pytest.fixture(scope="module", params=IMPLEMENTATION_PARAMS)
def implementation(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture(scope="module")
def plain_server(implementation: str, pki: PKI) -> Iterator[LocalServer]:
    with launch(implementation, pki, ServerConfig()) as server:
        yield server


@pytest.fixture(scope="module")
def client_auth_server(implementation: str, pki: PKI) -> Iterator[LocalServer]:
    try:
        server = launch(implementation, pki, ServerConfig(client_auth=True))
    except Unsupported as exc:
        pytest.skip(str(exc))
    with server:
        yield server


def rejected(
    server: LocalServer, pki: PKI, client_cert: str | None, version: ssl.TLSVersion
) -> str:
    """Why the server refused the client ("" if it served it): an alert, a reset or no reply."""
    context = client_context(pki, client_cert, version)
    try:
        exchange = https_get(server.host, server.port, context, timeout=3.0)
    except OSError as exc:
        return f"{type(exc).__name__}: {exc}"
    return "" if exchange.reply.startswith(b"HTTP/") else f"no HTTP reply: {exchange.reply!r}"


@pytest.mark.parametrize("version", VERSIONS)
def test_serves_http_over_tls(plain_server: LocalServer, pki: PKI, version: ssl.TLSVersion):
    skip_unsupported(plain_server, version)
    exchange = https_get(plain_server.host, plain_server.port, client_context(pki, None, version))
    assert exchange.version == VERSION_NAMES[version]
    assert exchange.reply.startswith(b"HTTP/1.0 200"), plain_server.log_excerpt()


@pytest.mark.parametrize("version", VERSIONS)
def test_client_auth_accepts_valid_certificate(
    client_auth_server: LocalServer, pki: PKI, version: ssl.TLSVersion
):
    skip_unsupported(client_auth_server, version)
    reason = rejected(client_auth_server, pki, "client-valid", version)
    assert not reason, f"{reason}\n{client_auth_server.log_excerpt()}"


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("client_cert", [None, "client-expired", "client-untrusted"])
def test_client_auth_rejects_missing_or_bad_certificate(
    client_auth_server: LocalServer, pki: PKI, client_cert: str | None, version: ssl.TLSVersion
):
    skip_unsupported(client_auth_server, version)
    assert rejected(client_auth_server, pki, client_cert, version)


@pytest.mark.parametrize("version", VERSIONS)
def test_client_auth_rejects_wrong_key_usage(
    client_auth_server: LocalServer,
    pki: PKI,
    version: ssl.TLSVersion,
    request: pytest.FixtureRequest,
):
    skip_unsupported(client_auth_server, version)
    if client_auth_server.implementation == "gnutls":
        reason = "gnutls-serv --verify-client-cert does not check the clientAuth EKU"
        request.applymarker(pytest.mark.xfail(reason=reason, strict=True))
    assert rejected(client_auth_server, pki, "client-no-clientauth", version)


@pytest.mark.parametrize("implementation", IMPLEMENTATION_PARAMS)
def test_stop_ends_server_and_is_idempotent(implementation: str, pki: PKI):
    with launch(implementation, pki) as server:
        pid = server.pid
        assert server.running()
        server.stop()
        server.stop()
        assert not server.running()
    assert server.stopped
    if pid is not None:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)  # stopped and reaped: the PID is gone
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(server.address, timeout=1.0).close()


@pytest.mark.parametrize("implementation", IMPLEMENTATION_PARAMS)
def test_two_instances_get_different_ports(implementation: str, pki: PKI):
    with ExitStack() as stack:
        first = stack.enter_context(launch(implementation, pki))
        second = stack.enter_context(launch(implementation, pki))
        assert first.port != second.port
        for server in (first, second):
            assert https_get(server.host, server.port, client_context(pki)).reply


@pytest.mark.parametrize("implementation", PROCESS_IMPLEMENTATION_PARAMS)
def test_start_failure_reports_server_output(implementation: str, pki: PKI):
    with pytest.raises(ServerStartError, match=implementation):
        launch(implementation, pki, ServerConfig(server_cert="no-such-cert"), timeout=3.0)


def test_embedded_survives_garbage(pki: PKI, capfd: pytest.CaptureFixture[str]):
    with launch("embedded", pki) as server:
        _send_and_close(server, b"GET / HTTP/1.0\r\nHost: x\r\n\r\n")
        _send_and_close(server, struct.pack("!BHH", 22, 0x0301, 512) + b"\x01\x00\x01")
        _send_and_close(server, b"\x16\x03\x01", reset=True)
        with socket.create_connection(server.address):  # a silent peer blocks nobody else
            exchange = https_get(server.host, server.port, client_context(pki), timeout=3.0)
        assert exchange.reply.startswith(b"HTTP/1.0 200 OK")
        assert server.running()
        assert "error" in server.log()
    assert "Traceback" not in capfd.readouterr().err


def _send_and_close(server: LocalServer, data: bytes, reset: bool = False) -> None:
    with socket.create_connection(server.address, timeout=2.0) as sock:
        sock.sendall(data)
        if reset:  # close with RST instead of FIN
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        else:
            # The server may already have dropped us after the garbage: ENOTCONN is fine.
            try:
                sock.shutdown(socket.SHUT_WR)
                sock.recv(4096)
            except OSError:
                pass


def test_available_implementations_matches_machine():
    assert set(AVAILABLE) == set(IMPLEMENTATIONS) >= {"embedded", "openssl", "gnutls"}
    assert AVAILABLE["embedded"] is True
    assert AVAILABLE["gnutls"] == (shutil.which("gnutls-serv") is not None)


def test_unknown_implementation_is_refused(pki: PKI):
    with pytest.raises(ValueError, match="unknown server implementation"):
        launch("no-such-server", pki)
