"""A loopback TCP proxy that rewrites the server's records on their way to the client.

It accepts one client, connects to the upstream server, relays the client's bytes as they
are and hands every whole server record to ``tamper(index, record)`` before forwarding it.
One thread, every wait bounded; ``stop()`` joins it and closes all sockets.
"""

from __future__ import annotations

import selectors
import socket
import threading
import time
from collections.abc import Callable

from tlsconform.wire.records import split_records

LOOPBACK = "127.0.0.1"
ACCEPT_TIMEOUT = 5.0
RELAY_LIMIT = 30.0
POLL = 0.05
STOP_JOIN_TIMEOUT = 2.0

Tamper = Callable[[int, bytes], bytes]


def flip_last_byte_of(content_type: int, nth: int = 0) -> Tamper:
    """Flip the low bit of the last byte of the ``nth`` server record of ``content_type``."""
    seen = 0

    def tamper(index: int, record: bytes) -> bytes:
        nonlocal seen
        if record[0] != content_type:
            return record
        seen += 1
        if seen - 1 != nth:
            return record
        return record[:-1] + bytes([record[-1] ^ 1])

    return tamper


class TamperProxy:
    """Relays one connection to ``upstream``; a context manager that stops on exit."""

    def __init__(self, upstream: tuple[str, int], tamper: Tamper) -> None:
        self.upstream = upstream
        self.tamper = tamper
        self.server_records: list[bytes] = []
        """Every server record as received, before tampering."""
        self.error: BaseException | None = None
        self._stop = threading.Event()
        self._listener = socket.create_server((LOOPBACK, 0))
        self.host, self.port = self._listener.getsockname()[:2]
        self._sockets: list[socket.socket] = [self._listener]
        self._thread = threading.Thread(target=self._run, name=f"tamper-{self.port}",
                                        daemon=True)
        self._thread.start()

    @property
    def address(self) -> tuple[str, int]:
        return (self.host, self.port)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(STOP_JOIN_TIMEOUT)
        for sock in self._sockets:  # normally already closed by the thread
            try:
                sock.close()
            except OSError:
                pass

    def __enter__(self) -> TamperProxy:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _run(self) -> None:
        try:
            client = self._accept()
            if client is not None:
                self._listener.close()
                server = socket.create_connection(self.upstream, timeout=ACCEPT_TIMEOUT)
                self._sockets += [client, server]
                self._relay(client, server)
        except OSError as exc:
            if not self._stop.is_set():
                self.error = exc
        finally:
            for sock in self._sockets:
                try:
                    sock.close()
                except OSError:
                    pass

    def _accept(self) -> socket.socket | None:
        self._listener.settimeout(POLL)
        deadline = time.monotonic() + ACCEPT_TIMEOUT
        while not self._stop.is_set() and time.monotonic() < deadline:
            try:
                return self._listener.accept()[0]
            except TimeoutError:
                continue
        return None

    def _relay(self, client: socket.socket, server: socket.socket) -> None:
        for sock in (client, server):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            sock.settimeout(ACCEPT_TIMEOUT)  # bounds sendall
        buffer = b""
        count = 0
        open_from = {client, server}
        deadline = time.monotonic() + RELAY_LIMIT
        with selectors.DefaultSelector() as selector:
            for sock in open_from:
                selector.register(sock, selectors.EVENT_READ)
            while open_from and not self._stop.is_set() and time.monotonic() < deadline:
                for key, _ in selector.select(POLL):
                    source = key.fileobj
                    assert isinstance(source, socket.socket)
                    target = server if source is client else client
                    try:
                        data = source.recv(65536)
                    except OSError:  # a reset: pass it on as one
                        data = b""
                    if not data:
                        selector.unregister(source)
                        open_from.discard(source)
                        if source is server and buffer:
                            client.sendall(buffer)
                        _shutdown_write(target)
                        continue
                    if source is client:
                        server.sendall(data)
                        continue
                    records, buffer = split_records(buffer + data)
                    out = b""
                    for record in records:
                        self.server_records.append(record)
                        out += self.tamper(count, record)
                        count += 1
                    if out:
                        client.sendall(out)


def _shutdown_write(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_WR)
    except OSError:
        pass
