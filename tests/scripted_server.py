"""A loopback TCP "server" that plays a fixed script to one client, for the engine's own tests.

A script is a list of steps (``send``, ``send_slowly``, ``pause``, ``close``, ``reset``).
The server accepts one connection on 127.0.0.1 (ephemeral port), optionally reads the
client's first record (the ClientHello), plays the steps in order and then, unless a step
ended the connection, stays silent with the socket open until ``stop()``. Every wait is
bounded and interruptible by ``stop()``; ``stop()`` closes both sockets and joins the thread.
"""

from __future__ import annotations

import socket
import struct
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

LOOPBACK = "127.0.0.1"
ACCEPT_TIMEOUT = 5.0
"""How long the server waits for its one client before giving up."""
READ_TIMEOUT = 2.0
"""How long it waits for the client's first record."""
HOLD_LIMIT = 30.0
"""Longest a connection is held open (silent, or draining after FIN) before the server closes."""
POLL = 0.05
STOP_JOIN_TIMEOUT = 2.0

HTTP_400 = b"HTTP/1.1 400 Bad Request\r\n\r\n"


def record(content_type: int, body: bytes, version: int = 0x0303) -> bytes:
    """One TLS record: type, version, length, body."""
    return bytes([content_type]) + version.to_bytes(2, "big") + len(body).to_bytes(2, "big") + body


def alert_record(description: int, level: int = 2) -> bytes:
    """A plaintext alert record, e.g. ``15 03 03 00 02 02 28`` for fatal handshake_failure."""
    return record(21, bytes([level, description]))


@dataclass(frozen=True)
class Step:
    """One thing the server does: see the module-level constructors."""

    action: str  # "send", "pause", "close" or "reset"
    data: bytes = b""
    chunk: int = 0  # 0: one write; n: n-byte writes, ``delay`` apart
    delay: float = 0.0


def send(data: bytes) -> Step:
    """Write ``data`` in one call."""
    return Step("send", data)


def send_slowly(data: bytes, chunk: int = 1, delay: float = 0.01) -> Step:
    """Write ``data`` ``chunk`` bytes at a time, ``delay`` seconds apart (Nagle off)."""
    return Step("send", data, chunk=chunk, delay=delay)


def pause(seconds: float) -> Step:
    return Step("pause", delay=seconds)


def close() -> Step:
    """End the connection with a FIN (then drain what the client still sends)."""
    return Step("close")


def reset() -> Step:
    """End the connection with an RST (SO_LINGER 0, then close)."""
    return Step("reset")


class ScriptedServer:
    """One connection, one script, one thread; a context manager that stops on exit."""

    def __init__(self, *steps: Step, read_hello: bool = True) -> None:
        self.steps = steps
        self.read_hello = read_hello
        self.hello = b""
        """The client's first record as read (empty if ``read_hello`` is False)."""
        self.error: BaseException | None = None
        self.played = threading.Event()
        """Set once the script ran to its end, or broke (then ``error`` says why)."""
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._conn: socket.socket | None = None
        self._listener = socket.create_server((LOOPBACK, 0))
        self.host, self.port = self._listener.getsockname()[:2]
        self._thread = threading.Thread(target=self._run, name=f"scripted-{self.port}",
                                        daemon=True)
        self._thread.start()

    @property
    def address(self) -> tuple[str, int]:
        return (self.host, self.port)

    def wait_played(self, timeout: float = 5.0) -> None:
        """Block until the script ran to its end; raise what broke it, if anything."""
        if not self.played.wait(timeout):
            raise TimeoutError(f"script not played within {timeout:g} s (error: {self.error!r})")
        if self.error is not None:
            raise self.error

    def stop(self) -> None:
        """Stop the thread (it closes its sockets within ``POLL``); safe to call again."""
        self._stop.set()
        self._thread.join(STOP_JOIN_TIMEOUT)
        if self._thread.is_alive():  # stuck in a syscall: close under it as a last resort
            with self._lock:
                conn = self._conn
            for sock in (self._listener, conn):
                if sock is not None:
                    _close(sock)

    def __enter__(self) -> ScriptedServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- the server thread -------------------------------------------------------
    def _run(self) -> None:
        try:
            conn = self._accept()
            if conn is None:
                if not self._stop.is_set():
                    self.error = TimeoutError(f"no client within {ACCEPT_TIMEOUT:g} s")
                return
            _close(self._listener)  # one connection only: later attempts are refused
            with self._lock:
                self._conn = conn
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            if self.read_hello:
                self.hello = self._read_record(conn)
            ended = False
            for step in self.steps:
                if self._stop.is_set():
                    return
                ended = self._play(conn, step)
                if ended:
                    break
            if not ended:
                self.played.set()
                self._stop.wait(HOLD_LIMIT)  # silent: the socket stays open
        except OSError as exc:
            if not self._stop.is_set():
                self.error = exc
        finally:
            self.played.set()
            _close(self._listener)
            with self._lock:
                if self._conn is not None:
                    _close(self._conn)

    def _accept(self) -> socket.socket | None:
        self._listener.settimeout(POLL)
        deadline = time.monotonic() + ACCEPT_TIMEOUT
        while not self._stop.is_set() and time.monotonic() < deadline:
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            conn.settimeout(READ_TIMEOUT)  # bounds sends to a client that stopped reading
            return conn
        return None

    def _read_record(self, conn: socket.socket) -> bytes:
        """The 5-byte header then ``length`` bytes, or whatever arrived by the deadline."""
        data = b""
        deadline = time.monotonic() + READ_TIMEOUT
        while not self._stop.is_set():
            wanted = 5 if len(data) < 5 else 5 + int.from_bytes(data[3:5], "big")
            if len(data) >= wanted:
                return data
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return data
            conn.settimeout(min(remaining, POLL))
            try:
                chunk = conn.recv(wanted - len(data))
            except TimeoutError:
                continue
            if not chunk:
                return data
            data += chunk
        return data

    def _play(self, conn: socket.socket, step: Step) -> bool:
        """Run one step; True when it ended the connection."""
        if step.action == "send":
            conn.settimeout(READ_TIMEOUT)
            if not step.chunk:
                conn.sendall(step.data)
                return False
            for start in range(0, len(step.data), step.chunk):
                if start and self._stop.wait(step.delay):
                    return True
                conn.sendall(step.data[start:start + step.chunk])
            return False
        if step.action == "pause":
            return self._stop.wait(step.delay)
        if step.action == "reset":
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            _close(conn)
            return True
        if step.action == "close":
            conn.shutdown(socket.SHUT_WR)
            self.played.set()
            self._drain(conn)
            return True
        raise ValueError(f"unknown step {step.action!r}")

    def _drain(self, conn: socket.socket) -> None:
        """After our FIN, read until the client closes, so unread data never turns it into RST."""
        deadline = time.monotonic() + HOLD_LIMIT
        while not self._stop.is_set() and time.monotonic() < deadline:
            conn.settimeout(POLL)
            try:
                if not conn.recv(65536):
                    return
            except TimeoutError:
                continue
            except OSError:
                return


def _close(sock: socket.socket) -> None:
    try:
        sock.close()
    except OSError:
        pass


class ScriptedServers:
    """Starts scripted servers for one test and stops every one of them at its end."""

    def __init__(self) -> None:
        self.servers: list[ScriptedServer] = []

    def __call__(self, *steps: Step, read_hello: bool = True) -> ScriptedServer:
        server = ScriptedServer(*steps, read_hello=read_hello)
        self.servers.append(server)
        return server

    def stop_all(self) -> None:
        for server in self.servers:
            server.stop()


def scripted_servers() -> Iterator[ScriptedServers]:
    """Generator body of the ``scripted`` fixture (see tests/conftest.py)."""
    servers = ScriptedServers()
    try:
        yield servers
    finally:
        servers.stop_all()
