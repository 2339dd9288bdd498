"""A run that tested nothing never passes, a target lost mid-run stops it once, and bad
input is refused once, before any worker starts: each with its own exit code."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tlsconform.certs import PKI, ensure_pki
from tlsconform.fixtures import exit_codes
from tlsconform.fixtures.servers import LocalServer, ServerConfig, launch

ROOT = Path(__file__).resolve().parent.parent
USAGE = 4


def run_suite(*args: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "suites", "-q", "-p", "no:cacheprovider", *args],
        cwd=ROOT, capture_output=True, text=True, timeout=timeout,
    )


@pytest.fixture(scope="module")
def pki() -> PKI:
    return ensure_pki()


@pytest.fixture(scope="module")
def plain(pki: PKI) -> Iterator[LocalServer]:
    with launch("embedded", pki, ServerConfig()) as server:
        yield server


class ShortLivedProxy:
    """Relays the first ``connections`` connections to ``upstream``, then refuses the
    rest: a target that stops answering in the middle of a run."""

    def __init__(self, upstream: tuple[str, int], connections: int) -> None:
        self.upstream, self.left = upstream, connections
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self) -> None:
        while self.left > 0:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            self.left -= 1
            threading.Thread(target=self.relay, args=(client,), daemon=True).start()
        self.listener.close()

    def relay(self, client: socket.socket) -> None:
        with client, socket.create_connection(self.upstream, timeout=5) as server:
            def pump(src: socket.socket, dst: socket.socket) -> None:
                try:
                    while data := src.recv(65536):
                        dst.sendall(data)
                    dst.shutdown(socket.SHUT_WR)
                except OSError:
                    pass

            other = threading.Thread(target=pump, args=(server, client), daemon=True)
            other.start()
            pump(client, server)
            other.join(5)

    def close(self) -> None:
        self.left = 0
        self.listener.close()


def out(result: subprocess.CompletedProcess[str]) -> str:
    return result.stdout + result.stderr


# -- no silent pass, no noisy stop --------------------------------------------------------
def test_a_target_that_completes_no_handshake_stops_the_run(pki: PKI) -> None:
    """It requires client certificates: no plain handshake completes in either version."""
    with launch("embedded", pki, ServerConfig(client_auth=True)) as server:
        result = run_suite("--target", f"{server.host}:{server.port}", "-n", "2")
    assert result.returncode == exit_codes.NO_VERSION, out(result)
    assert "completes no TLS 1.2 or TLS 1.3 handshake, so no row can run" in out(result)
    assert out(result).count("completes no TLS") == 1


@pytest.mark.parametrize("workers", [[], ["-n", "2"]], ids=["serial", "xdist"])
def test_a_target_lost_mid_run_stops_the_run_once(plain: LocalServer,
                                                  workers: list[str]) -> None:
    proxy = ShortLivedProxy(plain.address, connections=12)
    try:
        result = run_suite("--target", f"127.0.0.1:{proxy.port}", "--sni", "localhost",
                           "--deviations", "embedded", *workers)
    finally:
        proxy.close()
    assert result.returncode == exit_codes.TARGET_GONE, out(result)
    assert "stopped answering (Connection refused): the run stops here" in out(result)
    assert "Interrupted: the target stopped answering" in out(result)
    assert result.stdout.count(" FAILED ") + result.stdout.count("\nFAILED ") == 1, \
        result.stdout


def test_skips_caused_by_the_target_are_counted_on_the_last_line() -> None:
    result = run_suite("--server", "mbedtls", "-k", "tls13 and handshake", "-n", "2")
    last = result.stdout.strip().splitlines()[-1]
    assert "skipped because of the target -- MOST SELECTED ROWS DID NOT RUN" in last, last
    assert "does not complete a plain tls13 handshake" in out(result)


# -- bad input, before any worker starts -----------------------------------------------------
@pytest.fixture(scope="module")
def material(tmp_path_factory: pytest.TempPathFactory, pki: PKI) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("material")
    not_pem = folder / "not.pem"
    not_pem.write_text("hello\n")
    toml = {"missing-field": '[[deviation]]\ncase = "x"\nobserved = "y"\n',
            "bad-toml": "[[deviation]\n",
            "no-match": ('[[deviation]]\ncase = "test_nothing[*]"\nobserved = "y"\n'
                         'reason = "r"\nrfc = "8446 6"\n')}
    paths = {"not-pem": not_pem}
    for name, text in toml.items():
        paths[name] = folder / f"{name}.toml"
        paths[name].write_text(text)
    return paths


def usage_cases(pki: PKI, m: dict[str, Path]) -> list[tuple[list[str], str]]:
    target = ["--target", "127.0.0.1:9"]
    valid_cert, valid_key = str(pki.cert("client-valid")), str(pki.key("client-valid"))
    other_key = str(pki.key("client-valid-rsa"))
    return [
        ([*target, "--ca-file", str(m["not-pem"])], "--ca-file"),
        ([*target, "--client-cert", str(m["not-pem"]), "--client-key", valid_key],
         "not a PEM certificate"),
        ([*target, "--client-cert", valid_cert, "--client-key", str(m["not-pem"])],
         "not an unencrypted PEM private key"),
        ([*target, "--client-cert", valid_cert, "--client-key", other_key],
         "is not the key of --client-cert"),
        ([*target, "--client-ca-cert", str(pki.cert("client-ca")), "--client-ca-key",
          other_key], "is not the key of --client-ca-cert"),
        (["--mtls-target", "127.0.0.1:9"], "--mtls-target needs client credentials"),
        (["--deviations", "/nonexistent/deviations.toml"], "does not exist"),
        (["--deviations", str(m["bad-toml"])], "is not valid TOML"),
        (["--deviations", str(m["missing-field"])], "entry 1 (x): missing or empty reason, rfc"),
        (["--deviations", str(m["no-match"])], "'test_nothing[*]' matches no test"),
        ([*target, "--server-cert", "server-expired"], "--server-cert configures a local"),
        ([*target, "--fault", "silent-close"], "--fault configures a local server"),
        (["--client-cert", valid_cert, "--client-key", valid_key], "--client-cert is for a"),
    ]


@pytest.mark.parametrize("index", range(13))
def test_bad_input_is_one_usage_error_before_any_worker(index: int, pki: PKI,
                                                        material: dict[str, Path]) -> None:
    args, expected = usage_cases(pki, material)[index]
    result = run_suite(*args, "-n", "2", timeout=60)
    assert result.returncode == USAGE, out(result)
    assert expected in result.stderr, result.stderr
    assert "INTERNALERROR" not in out(result)
    assert result.stderr.count("ERROR:") == 1, result.stderr
