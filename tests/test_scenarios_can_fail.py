"""Every scenario can fail: each one fails under a named fault of the fault server.

The proofs live in ``suites/proofs.toml``; ``python -m tools.prove_scenarios`` drafts
them. That the fault-free server passes the whole catalogue is shown by the suite run
against it (``pytest suites --server faulty``, part of tox).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tlsconform.certs import PKI, ensure_pki
from tlsconform.client.identity import ClientIdentity
from tlsconform.fixtures import proofs
from tlsconform.fixtures.catalogue import all_cases, all_test_ids
from tlsconform.fixtures.servers import LocalServer, ServerConfig, launch
from tlsconform.scenario import Case, run_case, unmet_need
from tlsconform.target import Target
from tlsconform.verdict.levels import Result

PROOFS, JUSTIFIED = proofs.load()
READ_BOUND = 1.0


def proven_rows() -> list[object]:
    rows = []
    for func, case in all_cases():
        test_id = f"{func}[{case.id}]"
        for proof in proofs.proofs_for(test_id, PROOFS):
            rows.append(pytest.param(case, proof, id=f"{test_id}-{proof.fault}"))
    return rows


class FaultyServers:
    """One fault server per (fault, client_auth), started on first use."""

    def __init__(self, pki: PKI) -> None:
        self.pki = pki
        self.started: dict[tuple[str, bool], LocalServer] = {}

    def target(self, fault: str, client_auth: bool) -> Target:
        key = (fault, client_auth)
        if key not in self.started:
            self.started[key] = launch("faulty", self.pki,
                                       ServerConfig(client_auth=client_auth, fault=fault))
        server = self.started[key]
        return Target(f"faulty[{fault}]", server.host, server.port, "localhost", client_auth)


@pytest.fixture(scope="module")
def faulty() -> Iterator[FaultyServers]:
    servers = FaultyServers(ensure_pki())
    try:
        yield servers
    finally:
        for server in servers.started.values():
            server.stop()


def identity(pki: PKI, case: Case) -> ClientIdentity | None:
    if case.client_cert is None:
        return None
    name = f"client-{case.client_cert}"
    return ClientIdentity(pki.cert(name), pki.key(name))


def test_every_scenario_is_proven_or_justified() -> None:
    ids = all_test_ids()
    missing = [t for t in ids
               if not proofs.proofs_for(t, PROOFS) and not proofs.justified(t, JUSTIFIED)]
    assert not missing, f"scenarios with no proving fault and no justification: {missing}"


def test_no_stale_proofs() -> None:
    ids = all_test_ids()
    stale = [p.case for p in PROOFS if not any(proofs.proofs_for(t, [p]) for t in ids)]
    stale += [j.case for j in JUSTIFIED if not any(proofs.justified(t, [j]) for t in ids)]
    assert not stale, f"proof entries that match no scenario: {stale}"


@pytest.mark.parametrize(("case", "proof"), proven_rows())
def test_scenario_fails_under_its_fault(case: Case, proof: proofs.Proof,
                                        faulty: FaultyServers) -> None:
    target = faulty.target(proof.fault, case.client_auth)
    for need in case.needs:  # a row that would skip under its fault proves nothing
        unmet = unmet_need(need, case, target, identity(faulty.pki, case), READ_BOUND)
        assert unmet is None, f"{proof.fault} does not meet {need.what}: {unmet}"
    _, verdict = run_case(case, target, identity(faulty.pki, case), timeout=READ_BOUND)
    # Failed where the row's level is a MUST; advisory where it is only a SHOULD.
    assert case.result(verdict) is not Result.passed, verdict.message
    assert proof.expect in verdict.message, verdict.message
