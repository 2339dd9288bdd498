"""Whatever a client sends, the suite's server side ends in a verdict, never an internal
error: seeded hostile clients against every kind of client row."""

from __future__ import annotations

import pytest

from tests.hostile_client import HostileClient
from tlsconform.certs import ensure_pki
from tlsconform.client.identity import ClientIdentity
from tlsconform.fixtures.catalogue import client_cases
from tlsconform.server.scenario import play_client_case

ROWS = [case for _, case in client_cases()]
SEEDS = 240


@pytest.mark.parametrize("chunk", range(4))
def test_hostile_clients_end_in_verdicts(chunk: int) -> None:
    pki = ensure_pki()
    problems = []
    for seed in range(chunk, SEEDS, 4):
        case = ROWS[seed % len(ROWS)]
        identity = ClientIdentity(pki.chain(case.server_cert), pki.key(case.server_cert))
        outcome, verdict, _ = play_client_case(
            case, identity, lambda host, port, s=seed: HostileClient(host, port, s), 0.3)
        if outcome.internal_error:
            problems.append(f"seed {seed} ({case.id}): {outcome.internal_error}")
        assert verdict.message
    assert not problems, "\n".join(problems)
