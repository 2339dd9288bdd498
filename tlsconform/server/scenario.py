"""A client row: what the suite, as the server, sends a client, the RFC clause, and the
client behaviour that is acceptable.

``ClientCase`` is a ``Case`` (the same levels, grades, markers, deviations and reports),
plus what the server presents; ``play_client_case`` listens on loopback, has the client
under test connect, plays the server's side and grades what the client did.
"""

from __future__ import annotations

import socket
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import pytest

from tlsconform.client.identity import ClientIdentity
from tlsconform.scenario import Case
from tlsconform.scenario import each_version as rows_of_each_version
from tlsconform.verdict.expect import Verdict
from tlsconform.verdict.outcome import Outcome
from tlsconform.wire.connection import Connection
from tlsconform.wire.events import Timeout

LOOPBACK = "127.0.0.1"
STOP_GRACE = 0.3  # seconds a client may take to exit by itself after the conversation


class Stoppable(Protocol):
    """A started client: ``stop`` ends it (bounded) and says how it ended."""

    def stop(self, grace: float = ...) -> object: ...


@dataclass(frozen=True)
class ClientCase(Case):
    """One client conformance row.

    ``server_cert``: the PKI certificate the server presents; ``client_auth``: the server
    asks for a client certificate; ``client_cert``: the client is given one ("valid").
    ``closure``: after the response, watch how the client ends the connection.
    ``negotiate`` "any" plays whichever version the client offers (``version`` then only
    labels the row): for rules about the ClientHello itself.
    """

    server_cert: str = "server-rsa"
    negotiate: str = ""  # "any": TLS 1.3 if the client offers it, else 1.2 (passive rows)

    def param(self) -> object:
        marks = [pytest.mark.rfc(*self.rfc), getattr(pytest.mark, self.version),
                 pytest.mark.clients]
        marks += [getattr(pytest.mark, topic) for topic in self.topics]
        return pytest.param(self, id=self.id, marks=marks)


def play_client_case(case: ClientCase, identity: ClientIdentity,
                     start_client: Callable[[str, int], Stoppable],
                     timeout: float) -> tuple[Outcome, Verdict, object]:
    """Listen on an ephemeral loopback port, start the client, play the row; return the
    outcome, its grade and how the client process ended (evidence, not the verdict)."""
    from tlsconform.server.driver import ServerDriver  # collecting rows needs no driver

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.bind((LOOPBACK, 0))
        listener.listen(1)
        listener.settimeout(timeout)
        client = start_client(LOOPBACK, listener.getsockname()[1])
        try:
            try:
                sock, _ = listener.accept()
            except TimeoutError:
                outcome = Outcome(peer="client", event=Timeout(seconds=timeout),
                                  phase="before the client connected")
                return outcome, case.expect.judge(outcome), client.stop()
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            with Connection(sock, timeout) as conn:
                conn.reader.quickack = True  # clients that write Finished and request apart
                outcome = ServerDriver(conn, case.negotiate or case.version, identity,
                                       case.mutations,
                                       request_certificate=case.client_auth,
                                       closure=case.closure).run()
        except BaseException:
            client.stop()
            raise
    # The conversation is over and judged; how the client ends is evidence only, so it
    # gets a short grace (gnutls-cli lingers 2 s after stdin's end) before it is stopped.
    ended = client.stop(STOP_GRACE)
    return outcome, case.expect.judge(outcome), ended


def each_version(name: str, versions: tuple[str, ...] = ("tls12", "tls13"),
                 **row: object) -> list[ClientCase]:
    """``scenario.each_version`` for client rows."""
    return rows_of_each_version(name, versions, row_type=ClientCase, **row)  # type: ignore[return-value]
