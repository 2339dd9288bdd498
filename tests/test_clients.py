"""The clients under test start, talk TLS to the suite's side and stop as the client mode
assumes: each installed launcher fetches ``/`` from a loopback Python ``ssl`` server with
the name checked, presents a client certificate only when asked, and ends; a template
fills its placeholders; the preflight says why a client cannot be tested; and stop()
ends a hanging client by its PID, within a bound."""

from __future__ import annotations

import os
import socket
import ssl
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tlsconform.certs import PKI, ensure_pki
from tlsconform.fixtures.clients import (
    CLIENT_NAMES,
    ClientExit,
    ClientJob,
    ClientStartError,
    RunningClient,
    command_launcher,
    launcher,
)
from tlsconform.fixtures.clients.preflight import check_client

ROOT = Path(__file__).resolve().parent.parent
BODY = b"tlsconform client test\n"
REPLY = b"HTTP/1.0 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(BODY), BODY)
PROCESS_CLIENTS = ("openssl", "gnutls", "curl", "wget", "nss")
PYTHON_CLIENTS = ("embedded", "python-ssl-noverify", "python-ssl-nohostname")
LAUNCHER_PARAMS = [
    pytest.param(name, marks=pytest.mark.skipif(
        (why := launcher(name).available()) is not None, reason=f"{name}: {why}"))
    for name in CLIENT_NAMES
]


@pytest.fixture(scope="module")
def pki() -> PKI:
    return ensure_pki()


@dataclass
class Seen:
    """What the loopback server saw of one client."""

    request: bytes = b""
    version: str | None = None
    client_cert: bool = False
    error: str | None = None
    done: threading.Event = field(default_factory=threading.Event)


class OneShotServer:
    """Serves one TLS connection on 127.0.0.1 (Python ``ssl``, TLS 1.2 and 1.3): reads the
    request, replies with a Content-Length (wget complains without), sends close_notify.
    It asks for a client certificate but does not require one."""

    def __init__(self, pki: PKI, cert: str = "server-rsa") -> None:
        self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.context.load_cert_chain(pki.chain(cert), pki.key(cert))
        self.context.verify_mode = ssl.CERT_OPTIONAL
        self.context.load_verify_locations(pki.cert("client-ca"))
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.seen = Seen()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        try:
            self.listener.settimeout(5)
            conn, _ = self.listener.accept()
            conn.settimeout(5)
            with self.context.wrap_socket(conn, server_side=True) as tls:
                self.seen.version = tls.version()
                self.seen.client_cert = tls.getpeercert(binary_form=True) is not None
                while b"\r\n\r\n" not in self.seen.request:
                    data = tls.recv(4096)
                    if not data:
                        break
                    self.seen.request += data
                tls.sendall(REPLY)
                try:
                    tls.unwrap()
                except OSError:
                    pass  # wget closes without close_notify
        except Exception as exc:
            self.seen.error = f"{type(exc).__name__}: {exc}"
        finally:
            self.listener.close()
            self.seen.done.set()

    def close(self) -> None:
        self.listener.close()
        self._thread.join(2)


@pytest.fixture
def server(pki: PKI) -> Iterator[OneShotServer]:
    one = OneShotServer(pki)
    yield one
    one.close()


def job_for(port: int, pki: PKI, cert: bool = False, timeout: float = 5.0) -> ClientJob:
    return ClientJob("127.0.0.1", port, pki.cert("root-ca"), "localhost",
                     pki.cert("client-valid") if cert else None,
                     pki.key("client-valid") if cert else None, timeout)


def finish(client: RunningClient, within: float = 5.0) -> ClientExit:
    """Wait (bounded) for the client to end by itself, then collect its exit."""
    deadline = time.monotonic() + within
    while not client.done() and time.monotonic() < deadline:
        time.sleep(0.01)
    return client.stop(grace=0)


def gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


@pytest.mark.parametrize("name", LAUNCHER_PARAMS)
@pytest.mark.parametrize("cert", [False, True], ids=["no-cert", "client-cert"])
def test_client_fetches_the_page_and_exits(name: str, cert: bool, server: OneShotServer,
                                           pki: PKI) -> None:
    client = launcher(name).start(job_for(server.port, pki, cert))
    assert server.seen.done.wait(5), "the server saw no complete conversation"
    ended = finish(client)
    assert server.seen.error is None, (server.seen.error, ended.output)
    assert server.seen.request.startswith(b"GET / HTTP/1."), server.seen.request
    assert server.seen.version in ("TLSv1.2", "TLSv1.3")
    # tstclnt presents a database's certificate even without -n: each job has its own
    assert server.seen.client_cert is cert
    assert not ended.killed, ended.output
    assert BODY.decode() in ended.output
    if name in PROCESS_CLIENTS:
        assert ended.returncode == 0, ended.output
        assert gone(client.pid)
    else:
        assert ended.returncode is None and client.pid is None


@pytest.mark.parametrize("name", LAUNCHER_PARAMS)
def test_client_offers_tls12(name: str, pki: PKI) -> None:
    """No client is pinned to a version: the suite's server picks it per row."""
    one = OneShotServer(pki)
    one.context.maximum_version = ssl.TLSVersion.TLSv1_2
    try:
        client = launcher(name).start(job_for(one.port, pki))
        assert one.seen.done.wait(5)
        finish(client)
        assert one.seen.version == "TLSv1.2", one.seen.error
    finally:
        one.close()


@pytest.mark.parametrize(("name", "cert", "accepted"), [
    ("embedded", "server-wrong-name", False),
    ("embedded", "server-untrusted", False),
    ("python-ssl-nohostname", "server-wrong-name", True),
    ("python-ssl-nohostname", "server-untrusted", False),
    ("python-ssl-noverify", "server-untrusted", True),
    ("python-ssl-noverify", "server-expired", True),
])
def test_faulty_python_clients_accept_what_the_embedded_one_refuses(
        name: str, cert: str, accepted: bool, pki: PKI) -> None:
    one = OneShotServer(pki, cert)
    try:
        ended = finish(launcher(name).start(job_for(one.port, pki)))
        assert one.seen.done.wait(5)
        assert (one.seen.request != b"") is accepted, ended.output
        if not accepted:
            assert "SSLCertVerificationError" in ended.output
    finally:
        one.close()


def test_unknown_launcher_names_the_known_ones() -> None:
    with pytest.raises(KeyError, match="curl"):
        launcher("lynx")


SPEAK = ("import socket, sys; s = socket.create_connection((sys.argv[1], int(sys.argv[2]))); "
         "s.sendall(repr(sys.argv[3:]).encode() + b'|' + sys.stdin.buffer.read()); s.close()")


def test_template_fills_placeholders_one_argument_each(tmp_path: Path, pki: PKI) -> None:
    """Split first, then format: a CA path with a space stays one argument, and {cert}
    is empty when the row gives no client certificate; stdin holds the request."""
    spaced = tmp_path / "a folder" / "ca.pem"
    spaced.parent.mkdir()
    spaced.write_bytes(pki.cert("root-ca").read_bytes())
    with socket.create_server(("127.0.0.1", 0)) as listener:
        listener.settimeout(5)
        port = listener.getsockname()[1]
        template = f'{sys.executable} -c "{SPEAK}" {{host}} {{port}} {{name}} {{ca}} [{{cert}}]'
        client = command_launcher(template).start(
            ClientJob("127.0.0.1", port, spaced, "localhost"))
        conn, _ = listener.accept()
        with conn:
            conn.settimeout(5)
            got = b""
            while data := conn.recv(4096):
                got += data
    ended = finish(client)
    assert ended.returncode == 0, ended.output
    assert got == repr(["localhost", str(spaced), "[]"]).encode() + b"|GET / HTTP/1.0\r\n\r\n"


@pytest.mark.parametrize("template", ["curl {url}", "curl {0}", "curl {}", "x {host.real}x",
                                      "curl {port", "curl 'unclosed", ""])
def test_a_template_it_cannot_run_is_a_value_error(template: str) -> None:
    with pytest.raises(ValueError, match="client command"):
        command_launcher(template)


def test_a_client_runs_in_its_own_home_without_proxies(monkeypatch: pytest.MonkeyPatch,
                                                       tmp_path: Path) -> None:
    monkeypatch.setenv("https_proxy", "http://proxy.invalid:3128")
    monkeypatch.setenv("ALL_PROXY", "http://proxy.invalid:3128")
    job = ClientJob("127.0.0.1", 1, tmp_path / "ca.pem", "localhost")
    client = command_launcher("sh -c 'echo \"$HOME|$PWD|$https_proxy$ALL_PROXY|\"'").start(job)
    ended = finish(client)
    home, cwd, proxies, _ = ended.output.strip().split("|")
    assert home == cwd and Path(home).name.startswith("tlsconform-client-command-")
    assert proxies == ""
    assert not Path(home).exists(), "the private folder is removed on stop"


def test_preflight_passes_a_client_that_connects(pki: PKI) -> None:
    check_client(launcher("embedded"), pki, 2.0)


def test_preflight_reports_a_client_that_never_connects(pki: PKI) -> None:
    started = time.monotonic()
    never = r"never connected to 127\.0\.0\.1:\d+ within 0\.5 s"
    with pytest.raises(ClientStartError, match=never):
        check_client(command_launcher("sleep 30"), pki, 0.5)
    assert time.monotonic() - started < 2.5


def test_preflight_reports_a_client_that_exits_at_once(pki: PKI) -> None:
    with pytest.raises(ClientStartError, match=r"exited with rc 3 before connecting "
                                               r"\(output 'no route / giving up'\)"):
        check_client(command_launcher("sh -c 'echo no route; echo giving up >&2; exit 3'"),
                     pki, 2.0)
    with pytest.raises(ClientStartError, match="rc 1"):
        check_client(command_launcher("false"), pki, 2.0)


def test_preflight_reports_a_missing_program_and_a_non_tls_client(pki: PKI) -> None:
    with pytest.raises(ClientStartError, match="not available: no-such-client-x not found"):
        check_client(command_launcher("no-such-client-x {port}"), pki, 1.0)
    speaks_http = f'{sys.executable} -c "{SPEAK}" {{host}} {{port}}'
    with pytest.raises(ClientStartError, match="no TLS handshake record"):
        check_client(command_launcher(speaks_http), pki, 2.0)


def test_stop_kills_a_hanging_client_by_its_pid(tmp_path: Path) -> None:
    job = ClientJob("127.0.0.1", 1, tmp_path / "ca.pem", "localhost")
    client = command_launcher("sleep 30").start(job)
    started = time.monotonic()
    ended = client.stop(grace=0.1)
    assert ended.killed and ended.returncode == -15
    assert gone(client.pid)
    assert time.monotonic() - started < 1.0
    assert client.stop() is ended, "stop is idempotent"


def test_stop_escalates_to_sigkill(tmp_path: Path) -> None:
    deaf = (f"{sys.executable} -c \"import signal, time; "
            "signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(30)\"")
    client = command_launcher(deaf).start(ClientJob("127.0.0.1", 1, tmp_path / "c", "x"))
    deadline = time.monotonic() + 5
    while not _ignores_sigterm(client.pid) and time.monotonic() < deadline:
        time.sleep(0.01)
    ended = client.stop(grace=0)
    assert ended.killed and ended.returncode == -9
    assert gone(client.pid)


def _ignores_sigterm(pid: int) -> bool:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("SigIgn:"):
            return bool(int(line.split()[1], 16) & (1 << 14))  # bit 14: signal 15
    return False


def test_watchdog_stops_a_client_past_its_timeout(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("tlsconform.fixtures.clients.base.WATCHDOG_SLACK", 0.0)
    job = ClientJob("127.0.0.1", 1, tmp_path / "ca.pem", "localhost", timeout=0.1)
    client = command_launcher("sleep 30").start(job)
    deadline = time.monotonic() + 3
    while not client.done() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert client.done() and client.stop().killed


def test_stop_unblocks_a_hanging_embedded_client(pki: PKI) -> None:
    """A server that accepts and says nothing: the thread waits in the handshake until
    stop shuts its socket down."""
    with socket.create_server(("127.0.0.1", 0)) as listener:
        client = launcher("embedded").start(job_for(listener.getsockname()[1], pki))
        conn, _ = listener.accept()
        with conn:
            started = time.monotonic()
            ended = client.stop(grace=0.1)
    assert ended.killed and client.done()
    assert time.monotonic() - started < 1.5


def test_client_options_are_checked_before_the_run() -> None:
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "pytest", "suites", "-q",
                               "-p", "no:cacheprovider", *args],
                              cwd=ROOT, capture_output=True, text=True, timeout=60)

    both = run("--client", "curl", "--client-cmd", "curl {port}")
    assert both.returncode == 4 and "give one of them" in both.stderr
    unknown = run("--client-cmd", "curl {url}")
    assert unknown.returncode == 4 and "unknown placeholder {url}" in unknown.stderr
    silent = run("--client-cmd", "false")
    assert silent.returncode == 10, silent.stderr
    assert "client command 'false' exited with rc 1 before connecting" in silent.stderr
