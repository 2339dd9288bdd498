"""The fault-injectable reference server: real TLS 1.2 / 1.3 without a fault, one named
fault at a time, and scenarios from ``suites/`` that fail under their fault and pass
without it."""

from __future__ import annotations

import ssl
import time
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from cryptography import x509

from tlsconform.certs import PKI, ensure_pki
from tlsconform.client.driver import ClientDriver
from tlsconform.client.identity import ClientIdentity
from tlsconform.client.offer import TLS12, TLS13, tls12, tls13
from tlsconform.client.resume import Resume
from tlsconform.client.words import key_shares
from tlsconform.fixtures.servers import LocalServer, ServerConfig, ServerStartError, launch
from tlsconform.fixtures.servers.faulty import FAULTS, available
from tlsconform.fixtures.servers.probe import client_context, https_get
from tlsconform.scenario import OFFERS, Case, run_case
from tlsconform.suites.test_alerts import ALERTS
from tlsconform.suites.test_cipher_suites import CIPHER_SUITES
from tlsconform.suites.test_client_auth import CLIENT_AUTH
from tlsconform.suites.test_finished import FINISHED
from tlsconform.suites.test_handshake import HANDSHAKES
from tlsconform.suites.test_versions import VERSIONS
from tlsconform.target import Target
from tlsconform.verdict.expect import Grade
from tlsconform.verdict.levels import Result
from tlsconform.verdict.server_certificate import ServerChain, leaf_first
from tlsconform.wire.connection import Connection

pytestmark = pytest.mark.skipif(not available(), reason="tlslite-ng is not installed")

READ_BOUND = 1.0
VERSIONS_SSL = [pytest.param(ssl.TLSVersion.TLSv1_2, "TLSv1.2", id="tls12"),
                pytest.param(ssl.TLSVersion.TLSv1_3, "TLSv1.3", id="tls13")]
ENGINE_VERSIONS = [pytest.param(tls12, TLS12, id="tls12"),
                   pytest.param(tls13, TLS13, id="tls13")]


def row(rows: list[Case], case_id: str) -> Case:
    return next(case for case in rows if case.id == case_id)


# (fault, scenario, what the failure must say): each fault breaks its scenario precisely.
FAULT_CASES = [
    ("skip-finished-check-tls12", row(FINISHED, "tls12-bitflip-last-byte"),
     "server completed the handshake (TLS 1.2"),
    ("skip-finished-check-tls13", row(FINISHED, "tls13-bitflip-middle-byte"),
     "server completed the handshake (TLS 1.3"),
    ("finished-length-as-illegal-parameter", row(FINISHED, "tls12-truncated-verify-data"),
     "fatal alert illegal_parameter(47)"),
    ("accept-expired-client-cert", row(CLIENT_AUTH, "tls13-expired-certificate"),
     "server completed the handshake"),
    ("accept-untrusted-client-cert", row(CLIENT_AUTH, "tls12-self-signed-certificate"),
     "server completed the handshake"),
    ("accept-missing-client-cert", row(CLIENT_AUTH, "tls13-empty-certificate"),
     "server completed the handshake"),
    ("skip-certificate-verify-check",
     row(CLIENT_AUTH, "tls12-certificate-verify-bad-signature"), "server completed"),
    ("accept-unoffered-cv-scheme", row(CLIENT_AUTH, "tls13-certificate-verify-rsa-pkcs1"),
     "server completed the handshake"),
    ("ignore-fallback-scsv", row(VERSIONS, "tls12-fallback-scsv"),
     "server completed the handshake"),
    ("no-downgrade-sentinel", row(VERSIONS, "tls12-downgrade-sentinel"),
     "not b'DOWNGRD\\x01'"),
    ("accept-old-version", row(VERSIONS, "tls12-legacy-tls10-only"),
     "negotiated TLS 1.0"),
    ("accept-no-common-suite", row(CIPHER_SUITES, "tls13-only-unsupported-suites"),
     "which the client did not offer"),
    ("select-unoffered-suite", row(CIPHER_SUITES, "tls12-only-ecdhe-rsa-aes128-cbc-sha"),
     "which the client did not offer"),
    ("accept-out-of-order", row(FINISHED, "tls13-finished-sent-twice"),
     "server completed the handshake"),
    ("silent-close", row(CIPHER_SUITES, "tls12-only-unsupported-suites"),
     "connection closed (FIN) after ClientHello"),
    ("wrong-alert", row(FINISHED, "tls13-bitflip-first-byte"),
     "fatal alert internal_error(80)"),
    ("warning-level-alerts", row(ALERTS, "tls12-wrong-finished-aborts-cleanly"),
     "warning alert decrypt_error(51)"),
    ("data-after-fatal-alert", row(ALERTS, "tls13-corrupted-record-aborts-cleanly"),
     "then fatal alert bad_record_mac(20)"),
    ("reject-fragmented-handshake", row(FINISHED, "tls12-finished-split-across-records"),
     "fatal alert unexpected_message(10)"),
    ("bad-server-finished-tls12", row(HANDSHAKES, "tls12-client-certificate"),
     "server Finished verify_data is wrong"),
    ("wrong-legacy-version-tls13", row(HANDSHAKES, "tls13-full-handshake"),
     "TLS 1.3 ServerHello with legacy_version 0x0301"),
]


class Servers:
    """Faulty servers keyed by configuration, started on first use and all stopped at the
    end, whatever the tests did."""

    def __init__(self, pki: PKI) -> None:
        self.pki = pki
        self.started: dict[ServerConfig, LocalServer] = {}

    def get(self, fault: str | None = None, client_auth: bool = False,
            server_cert: str = "server-rsa") -> LocalServer:
        config = ServerConfig(client_auth=client_auth, server_cert=server_cert, fault=fault)
        if config not in self.started:
            self.started[config] = launch("faulty", self.pki, config)
        return self.started[config]

    def target(self, fault: str | None = None, client_auth: bool = False) -> Target:
        server = self.get(fault, client_auth)
        return Target(f"faulty[{fault}]", server.host, server.port, "localhost", client_auth)


@pytest.fixture(scope="module")
def pki() -> PKI:
    return ensure_pki()


@pytest.fixture(scope="module")
def servers(pki: PKI) -> Iterator[Servers]:
    started = Servers(pki)
    try:
        yield started
    finally:
        for server in started.started.values():
            server.stop()


def identity(pki: PKI, profile: str | None) -> ClientIdentity | None:
    if profile is None:
        return None
    return ClientIdentity(pki.cert(f"client-{profile}"), pki.key(f"client-{profile}"))


# -- fault-free ------------------------------------------------------------------------
@pytest.mark.parametrize(("version", "name"), VERSIONS_SSL)
def test_python_ssl_client_completes(servers: Servers, pki: PKI, version: ssl.TLSVersion,
                                     name: str):
    server = servers.get()
    exchange = https_get(server.host, server.port, client_context(pki, None, version))
    assert exchange.version == name
    assert exchange.reply.startswith(b"HTTP/1.0 200 OK\r\n"), server.log_excerpt()


@pytest.mark.parametrize(("version", "name"), VERSIONS_SSL)
def test_python_ssl_client_authenticates(servers: Servers, pki: PKI, version: ssl.TLSVersion,
                                         name: str):
    server = servers.get(client_auth=True)
    exchange = https_get(server.host, server.port,
                         client_context(pki, "client-valid", version))
    assert exchange.version == name
    assert exchange.reply.startswith(b"HTTP/1.0 200 OK\r\n"), server.log_excerpt()
    with pytest.raises(ssl.SSLError, match=r"CERTIFICATE_REQUIRED|HANDSHAKE_FAILURE"):
        https_get(server.host, server.port, client_context(pki, None, version))


@pytest.mark.parametrize(("offer", "version"), ENGINE_VERSIONS)
@pytest.mark.parametrize("client_auth", [False, True], ids=["plain", "client-auth"])
def test_engine_completes(servers: Servers, pki: PKI, offer: object, version: int,
                          client_auth: bool):
    server = servers.get(client_auth=client_auth)
    with Connection.connect(server.host, server.port, timeout=READ_BOUND) as conn:
        outcome = ClientDriver(conn, offer("localhost"),
                            identity=identity(pki, "valid" if client_auth else None)).run()
    assert outcome.completed, f"{outcome.describe()}\n{server.log_excerpt()}"
    assert outcome.version == version
    assert ("CertificateRequest" in outcome.server_messages) == client_auth


def test_hello_retry_request_when_no_usable_key_share(servers: Servers):
    """secp384r1 is offered but not served: the server asks again for x25519 (and checks
    that the second ClientHello keeps the first one's random, RFC 8446 4.1.2)."""
    server = servers.get()
    mutations = [key_shares("secp384r1")]
    with Connection.connect(server.host, server.port, timeout=READ_BOUND) as conn:
        outcome = ClientDriver(conn, tls13("localhost"), mutations=mutations).run()
    assert outcome.completed, f"{outcome.describe()}\n{server.log_excerpt()}"
    assert outcome.server_messages[:2] == ["HelloRetryRequest", "ServerHello"]


@pytest.mark.parametrize("case", [*HANDSHAKES, *FINISHED[:2]], ids=lambda case: case.id)
def test_scenarios_pass_without_a_fault(servers: Servers, pki: PKI, case: Case):
    _, verdict = run_case(case, servers.target(None, case.client_auth),
                          identity(pki, case.client_cert), timeout=READ_BOUND)
    assert verdict.grade is Grade.strict, verdict.message


@pytest.mark.parametrize(("kind", "version"), [("session_id", "tls12"), ("ticket", "tls12"),
                                               ("psk", "tls13")])
def test_resumes_without_a_fault(servers: Servers, kind: str, version: str):
    """One session cache and one ticket key per server: a second connection resumes what
    the first one made, by TLS 1.2 session id, RFC 5077 ticket or TLS 1.3 PSK."""
    case = Case(id=f"{version}-{kind}-resumed", rfc=("5246", "7.4.1.2"), version=version,
                requirement="a session offered back", resume=Resume(kind, required=True))
    outcome, verdict = run_case(case, servers.target(), timeout=READ_BOUND)
    assert outcome.completed, verdict.message
    assert outcome.resumed, verdict.message


# -- faults --------------------------------------------------------------------------------
def test_fault_table_names_and_describes_every_fault():
    assert len(FAULTS) >= 20
    for name, description in FAULTS.items():
        assert name == name.lower() and " " not in name
        assert description and "\n" not in description


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_every_fault_starts(servers: Servers, fault: str):
    """Even a fault that breaks many scenarios leaves a usual client (the readiness probe,
    OpenSSL underneath) a working server."""
    assert servers.get(fault).running()


def test_unknown_fault_is_refused(pki: PKI):
    with pytest.raises(ServerStartError, match=r"unknown fault 'no-such-fault'.*wrong-alert"):
        launch("faulty", pki, ServerConfig(fault="no-such-fault"))


@pytest.mark.parametrize(("fault", "case", "observed"),
                         [pytest.param(*entry, id=entry[0]) for entry in FAULT_CASES])
def test_fault_makes_its_scenario_fail(servers: Servers, pki: PKI, fault: str, case: Case,
                                       observed: str):
    target_without, target_with = (servers.target(f, case.client_auth) for f in (None, fault))
    _, clean = run_case(case, target_without, identity(pki, case.client_cert),
                        timeout=READ_BOUND)
    assert case.result(clean) is Result.passed, clean.message
    _, faulty = run_case(case, target_with, identity(pki, case.client_cert),
                         timeout=READ_BOUND)
    assert case.result(faulty) is not Result.passed
    assert observed in faulty.message


def test_hang_fails_within_the_read_bound_and_the_run_goes_on(servers: Servers, pki: PKI):
    target = servers.target("hang-after-bad-message")
    started = time.monotonic()
    _, verdict = run_case(row(FINISHED, "tls13-bitflip-last-byte"), target,
                          timeout=READ_BOUND)
    elapsed = time.monotonic() - started
    assert verdict.grade is Grade.fail
    assert f"no answer within {READ_BOUND:g} s" in verdict.message
    assert elapsed < READ_BOUND + 1.5
    _, verdict = run_case(row(HANDSHAKES, "tls13-full-handshake"), target, timeout=READ_BOUND)
    assert verdict.passed(), verdict.message


@pytest.mark.parametrize("version", ["tls12", "tls13"])
def test_a_signature_with_an_unoffered_scheme_stops_the_handshake(servers: Servers,
                                                                   version: str) -> None:
    """Every handshake checks the scheme (RFC 8446 4.4.3, RFC 5246 7.4.3), not only the
    server-certificate rows."""
    case = Case(id=f"{version}-plain", rfc=("8446", "4.4.3"), version=version,
                requirement="a plain handshake")
    outcome, verdict = run_case(case, servers.target("sign-with-unoffered-scheme"),
                                timeout=READ_BOUND)
    assert not outcome.completed
    assert outcome.violation is not None and "did not offer" in outcome.violation, verdict.message
    assert outcome.sent_alert is not None and outcome.sent_alert.description == 47


@pytest.mark.parametrize(("fault", "check"), [("unrelated-certificate-in-chain", leaf_first)])
@pytest.mark.parametrize("version", ["tls12", "tls13"])
def test_server_certificate_faults(servers: Servers, pki: PKI, fault: str, check: object,
                                   version: str):
    """The server-certificate checks see the fault, and only it."""
    root = x509.load_pem_x509_certificate(pki.cert("root-ca").read_bytes())
    problems = {}
    for name in (None, fault):
        case = Case(id=f"{version}-chain", rfc=("8446", "4.4.2"), version=version,
                    requirement="a completed handshake to inspect")
        outcome, verdict = run_case(case, servers.target(name), timeout=READ_BOUND)
        assert outcome.completed, verdict.message
        chain = ServerChain.from_der(
            outcome.server_certificates, server_name="localhost", trusted=[root],
            now=datetime.now(UTC), offered_schemes=tuple(OFFERS[version](None).sig_algs),
            scheme=outcome.server_signature_scheme)
        problems[name] = check(chain)  # type: ignore[operator]
    assert problems[None] is None
    assert problems[fault]
