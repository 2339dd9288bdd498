"""Each server-certificate check fails on the PKI certificate made to break it, and only it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from cryptography import x509

from tlsconform.certs import PKI, ensure_pki
from tlsconform.client.driver import ClientDriver
from tlsconform.client.offer import tls12, tls13
from tlsconform.fixtures.servers import ServerConfig, launch
from tlsconform.verdict import server_certificate as sc
from tlsconform.wire.connection import Connection

CHECKS = {
    "chain": sc.chain_validates, "validity": sc.within_validity,
    "days-left": sc.enough_days_left, "name": sc.covers_server_name,
    "usage": sc.serves_server_auth, "order": sc.leaf_first, "scheme": sc.scheme_was_offered,
}
BROKEN_BY = {
    "server-rsa": {},
    "server-ecdsa": {},
    "server-expired": {"validity": "expired on", "days-left": "expired"},
    "server-untrusted": {"chain": "a root the client does not trust"},
    "server-wrong-name": {"name": "does not cover localhost"},
}


@pytest.fixture(scope="module")
def pki() -> PKI:
    return ensure_pki()


def chain_from(pki: PKI, server_cert: str, offer_factory) -> sc.ServerChain:
    with launch("embedded", pki, ServerConfig(server_cert=server_cert)) as server:
        offer = offer_factory("localhost")
        with Connection.connect(server.host, server.port, timeout=3) as conn:
            outcome = ClientDriver(conn, offer).run()
    assert outcome.completed, outcome.describe()
    root = x509.load_pem_x509_certificate(pki.cert("root-ca").read_bytes())
    return sc.ServerChain.from_der(
        outcome.server_certificates, server_name="localhost", trusted=[root],
        now=datetime.now(UTC), offered_schemes=tuple(offer.sig_algs),
        scheme=outcome.server_signature_scheme)


@pytest.mark.parametrize("offer_factory", [tls12, tls13], ids=["tls12", "tls13"])
@pytest.mark.parametrize("server_cert", sorted(BROKEN_BY))
def test_only_the_matching_check_fails(pki: PKI, server_cert: str, offer_factory) -> None:
    chain = chain_from(pki, server_cert, offer_factory)
    expected = BROKEN_BY[server_cert]
    for name, check in CHECKS.items():
        problem = check(chain)
        if name in expected:
            assert problem is not None and expected[name] in problem, (name, problem)
        else:
            assert problem is None, (name, problem)


def test_min_days_left_and_unoffered_scheme(pki: PKI) -> None:
    chain = chain_from(pki, "server-rsa", tls13)
    assert "fewer than the 400 required" in sc.enough_days_left(
        sc.ServerChain(**{**chain.__dict__, "min_days_left": 400}))
    other = 0x0804 if chain.scheme == 0x0403 else 0x0403  # not the one it signed with
    assert "did not offer" in sc.scheme_was_offered(
        sc.ServerChain(**{**chain.__dict__, "offered_schemes": (other,)}))


def test_reversed_chain_is_not_leaf_first(pki: PKI) -> None:
    chain = chain_from(pki, "server-rsa", tls12)
    reversed_chain = sc.ServerChain(**{**chain.__dict__, "chain": chain.chain[::-1]})
    assert "is a CA certificate" in sc.leaf_first(reversed_chain)


def test_leaf_without_server_auth_usage_fails(pki: PKI) -> None:
    """No PKI server certificate lacks serverAuth, so mint one for this check alone."""
    from datetime import timedelta

    from cryptography.hazmat.primitives import serialization
    from cryptography.x509.oid import ExtendedKeyUsageOID

    from tlsconform.certs import mint_certificate

    root = x509.load_pem_x509_certificate(pki.cert("root-ca").read_bytes())
    root_key = serialization.load_pem_private_key(pki.key("root-ca").read_bytes(), None)
    now = datetime.now(UTC)
    leaf, _ = mint_certificate(subject_cn="client only", issuer_cert=root, issuer_key=root_key,
                               not_before=now - timedelta(days=1),
                               not_after=now + timedelta(days=30),
                               eku=[ExtendedKeyUsageOID.CLIENT_AUTH], san_dns=["localhost"])
    chain = sc.ServerChain(chain=[leaf, root], server_name="localhost", trusted=[root], now=now)
    assert sc.serves_server_auth(chain) == "the leaf's extendedKeyUsage lacks serverAuth"
    assert sc.chain_validates(chain) is None and sc.covers_server_name(chain) is None
