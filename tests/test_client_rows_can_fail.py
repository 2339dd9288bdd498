"""Every client row can fail: each one fails a client that breaks its rule.

The proofs live in ``suites/clients/proofs.toml`` (``python -m tools.prove_client_rows``
drafts them): the faulty client (``fixtures/clients/faulty``) with one fault, or a
misconfigured Python ``ssl`` client for the certificate rows. The fault-free faulty client
passes every row a fault of it proves, so each failure is the fault's, not the client's.
Every client runs in this process, each conversation bounded by READ_BOUND.
"""

from __future__ import annotations

import pytest

from tlsconform.certs import PKI, ensure_pki
from tlsconform.fixtures import proofs
from tlsconform.fixtures.catalogue import client_cases
from tlsconform.fixtures.clients import ClientLauncher, launcher
from tlsconform.fixtures.clients.faulty import FAULTS, FaultyClient
from tlsconform.fixtures.clients.faulty.check_faults import CHECK_FAULTS
from tlsconform.fixtures.clients.faulty.flight_faults import FLIGHT_FAULTS
from tlsconform.fixtures.clients.faulty.hello_faults import HELLO_FAULTS
from tlsconform.fixtures.clients.playing import play
from tlsconform.server.scenario import ClientCase
from tlsconform.verdict.levels import Result

PROOFS, JUSTIFIED = proofs.load(proofs.CLIENT_PROOFS_FILE)
READ_BOUND = 1.0
CASES = [(f"{func}[{case.id}]", case) for func, case in client_cases()]


def proven_rows() -> list[object]:
    return [pytest.param(case, proof, id=f"{test_id}-{proof.fault or proof.client}")
            for test_id, case in CASES for proof in proofs.proofs_for(test_id, PROOFS)]


def faulty_rows() -> list[object]:
    """The rows a fault of the faulty client proves, once each."""
    return [pytest.param(case, id=test_id) for test_id, case in CASES
            if any(p.client == "faulty" for p in proofs.proofs_for(test_id, PROOFS))]


def client_for(proof: proofs.Proof) -> ClientLauncher:
    if proof.client == "faulty":
        return FaultyClient(proof.fault)
    assert not proof.fault, f"{proof.client} has no faults (only the faulty client has)"
    return launcher(proof.client)


@pytest.fixture(scope="module")
def pki() -> PKI:
    return ensure_pki()


def test_every_client_row_is_proven_or_justified() -> None:
    missing = [t for t, _ in CASES
               if not proofs.proofs_for(t, PROOFS) and not proofs.justified(t, JUSTIFIED)]
    assert not missing, f"client rows with no proving client and no justification: {missing}"


def test_no_stale_client_proofs() -> None:
    ids = [t for t, _ in CASES]
    stale = [p.case for p in PROOFS if not any(proofs.proofs_for(t, [p]) for t in ids)]
    stale += [j.case for j in JUSTIFIED if not any(proofs.justified(t, [j]) for t in ids)]
    assert not stale, f"client proof entries that match no row: {stale}"


def test_every_fault_has_one_name_and_proves_a_row() -> None:
    assert len(FAULTS) == len(HELLO_FAULTS) + len(CHECK_FAULTS) + len(FLIGHT_FAULTS), \
        "two fault modules define the same fault name"
    unused = sorted(set(FAULTS) - {p.fault for p in PROOFS if p.client == "faulty"})
    assert not unused, f"faults of the faulty client that prove no row: {unused}"


@pytest.mark.parametrize(("case", "proof"), proven_rows())
def test_client_row_fails_under_its_fault(case: ClientCase, proof: proofs.Proof,
                                          pki: PKI) -> None:
    outcome, verdict, ended = play(case, client_for(proof), pki, READ_BOUND)
    # a row that would skip under its fault proves nothing
    assert not outcome.unmet, f"{proof.fault or proof.client}: {outcome.unmet}"
    # failed where the row's level is a MUST; advisory where it is only a SHOULD
    assert case.result(verdict) is not Result.passed, verdict.message
    assert proof.expect in verdict.message, (verdict.message, ended)


@pytest.mark.parametrize("case", faulty_rows())
def test_the_fault_free_client_passes_the_row(case: ClientCase, pki: PKI) -> None:
    outcome, verdict, ended = play(case, FaultyClient(), pki, READ_BOUND)
    assert not outcome.unmet, outcome.unmet
    assert case.result(verdict) is Result.passed, (verdict.message, ended)
