"""The engine's path and the scapy path give the same verdicts (issue 14): the whole server
catalogue is played against the embedded server twice, once as the engine builds its
messages (bytes) and once with every handshake message the client sends handed to the
sealer as the scapy packet a word would build (dissected by scapy's class for it and
encoded by scapy), and each row's grade and result must agree."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest

from tlsconform.certs import ensure_pki
from tlsconform.client.identity import ClientIdentity
from tlsconform.fixtures.catalogue import all_cases
from tlsconform.fixtures.servers import LocalServer, ServerConfig, launch
from tlsconform.mutation import Mutation
from tlsconform.scenario import Case, run_case
from tlsconform.target import Target
from tlsconform.wire.outgoing import HANDSHAKE, Flight, Outgoing

READ_BOUND = 1.0
ROWS = [case for _, case in all_cases() if case.resume is None]


class ThroughScapy(Mutation):
    """Every handshake message of ours as a scapy packet instead of bytes."""

    label = "every handshake message as a scapy packet"

    def flight(self, stage: str, flight: Flight, hs: object) -> Flight:
        return [self._packet(item, hs) for item in flight]

    @staticmethod
    def _packet(item: Outgoing, hs: object) -> Outgoing:
        if item.record is not None or item.content_type not in (None, HANDSHAKE):
            return item
        build = item.build

        def as_scapy() -> object:
            from scapy.packet import Raw

            from tlsconform.scapy.dissect import as_packet

            message = build()
            if not isinstance(message, bytes | bytearray):
                return message
            packet = as_packet(bytes(message), getattr(hs, "speaks_tls13", False))
            return message if isinstance(packet, Raw) else packet

        return item.with_(build=as_scapy, content_type=HANDSHAKE)


@pytest.fixture(scope="module")
def servers() -> Iterator[dict[bool, Target]]:
    pki = ensure_pki()
    started: list[LocalServer] = []
    targets = {}
    for client_auth in (False, True):
        server = launch("embedded", pki, ServerConfig(client_auth=client_auth))
        started.append(server)
        targets[client_auth] = Target("embedded", server.host, server.port, "localhost",
                                      client_auth)
    try:
        yield targets
    finally:
        for server in started:
            server.stop()


def identity(case: Case) -> ClientIdentity | None:
    if case.client_cert is None:
        return None
    pki = ensure_pki()
    return ClientIdentity(pki.cert(f"client-{case.client_cert}"),
                          pki.key(f"client-{case.client_cert}"))


@pytest.mark.parametrize("chunk", range(8))
def test_both_paths_give_the_same_verdicts(chunk: int, servers: dict[bool, Target]) -> None:
    differ = []
    for case in ROWS[chunk::8]:
        target, ident = servers[case.client_auth], identity(case)
        _, engine = run_case(case, target, ident, timeout=READ_BOUND)
        scapy_case = replace(case, mutations=[*case.mutations, ThroughScapy()])
        _, through_scapy = run_case(scapy_case, target, ident, timeout=READ_BOUND)
        if (engine.grade, case.result(engine)) != (through_scapy.grade,
                                                   case.result(through_scapy)):
            differ.append(f"{case.id}: engine {engine.message} | scapy {through_scapy.message}")
    assert not differ, "\n".join(differ)
