"""Bad input stops the run once, at the start, with one message naming the cause."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tlsconform.fixtures import exit_codes

ROOT = Path(__file__).resolve().parent.parent


def run_suite(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "suites", "-q", "-p", "no:cacheprovider", *args],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )


@pytest.fixture
def refused_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def http_port() -> Iterator[int]:
    """A plain-text service that answers anything with an HTTP error, then closes."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.2)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            with conn:
                conn.settimeout(2)
                try:
                    conn.recv(4096)
                    conn.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
                except OSError:
                    pass

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stop.set()
        thread.join(2)
        listener.close()


@pytest.mark.parametrize("workers", [[], ["-n", "2"]], ids=["serial", "xdist"])
def test_refused_port_stops_the_run_once(refused_port: int, workers: list[str]) -> None:
    result = run_suite("--target", f"127.0.0.1:{refused_port}", *workers)
    assert result.returncode == exit_codes.TARGET_UNUSABLE
    out = result.stdout + result.stderr
    assert f"target 127.0.0.1:{refused_port} cannot be reached: Connection refused" in out
    assert out.count("cannot be reached") == 1
    assert " passed" not in out and " failed" not in out


def test_non_tls_service_is_named(http_port: int) -> None:
    result = run_suite("--target", f"127.0.0.1:{http_port}")
    assert result.returncode == exit_codes.TARGET_UNUSABLE
    assert f"target 127.0.0.1:{http_port} does not speak TLS: it answered 'HTTP/1.1 400" in (
        result.stdout + result.stderr)


@pytest.mark.parametrize("option", [["--target", "no-port"], ["--target", "h:99999"],
                                    ["--tls-timeout", "0"], ["--server", "nginx"],
                                    ["--client-ca-cert", "/nonexistent.pem"]])
def test_wrong_option_value_is_a_usage_error(option: list[str]) -> None:
    result = run_suite(*option)
    assert result.returncode == 4
    assert "error:" in result.stderr


def test_missing_client_material_skips_with_the_option_named(refused_port: int) -> None:
    """Against a named target without client-CA material, the skip reason names it."""
    from tlsconform.fixtures.identities import Identities
    from tlsconform.fixtures.options import Options

    opts = Options(target=("127.0.0.1", refused_port), mtls_target=None, server="embedded",
                   sni=None, ca_file=None, client_ca_cert=None, client_ca_key=None,
                   client_cert=None, client_key=None, timeout=1.0, accept_conceptual=False)
    with pytest.raises(pytest.skip.Exception, match="--client-ca-cert and --client-ca-key"):
        Identities(opts, pki=None, minted=None).get("expired")  # type: ignore[arg-type]
