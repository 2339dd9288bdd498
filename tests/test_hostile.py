"""Whatever a hostile server sends, the engine ends in a verdict, never an internal error.

A fixed set of seeds runs here; ``python -m tools.hostile --seeds N`` runs any number.
"""

from __future__ import annotations

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from tests.hostile_server import HostileServer
from tlsconform.certs import ensure_pki
from tlsconform.crypto.certificates import CertificateError, public_key
from tools.hostile import converse, run

SEEDS = 240


def test_no_internal_error_over_fixed_seeds() -> None:
    tally = run(ensure_pki(), start=0, seeds=SEEDS, threads=8, timeout=0.3)
    assert tally.errors == []
    assert sum(tally.counts.values()) == SEEDS
    # the replies reach every depth: refusals, broken rules, and whole handshakes
    for kind in ("completed", "server broke a rule", "unparsed"):
        assert tally.counts[kind] > 0, tally.counts


def test_a_leaf_with_an_unknown_key_type_is_the_servers_fault() -> None:
    """Found by the hostile server: cryptography raises UnsupportedAlgorithm, not
    ValueError, for a key OID it does not know."""
    pem = ensure_pki().cert("server-rsa").read_bytes()
    der = x509.load_pem_x509_certificate(pem).public_bytes(serialization.Encoding.DER)
    rsa_oid = bytes.fromhex("06092a864886f70d010101")  # 1.2.840.113549.1.1.1
    unknown = der.replace(rsa_oid, bytes.fromhex("06092a864886f70d010163"))
    with pytest.raises(CertificateError, match="Unknown key type"):
        public_key(unknown)


def test_the_same_seed_gives_the_same_reply() -> None:
    pki = ensure_pki()
    seen = []
    for _ in range(2):
        with HostileServer(pki, 20) as server:
            seen.append(converse(server.address, 20, 1.0, None)[0])
    assert seen[0] == seen[1]
