"""The suite's server side against a real client (Python ``ssl`` in a thread): complete
handshakes in both versions, with either key and with client certificates; what a row
cannot create with this client skips, saying why."""

from __future__ import annotations

import ssl
from pathlib import Path

import pytest

from tlsconform.certs import ensure_pki
from tlsconform.client.identity import ClientIdentity
from tlsconform.fixtures.clients import ClientJob, launcher
from tlsconform.server.scenario import ClientCase, play_client_case
from tlsconform.server.words import choose_suite, retry
from tlsconform.verdict.expect import Grade, completes

PKI = ensure_pki()


def play(case: ClientCase, client: str = "embedded", cert: bool = False):
    identity = ClientIdentity(PKI.chain(case.server_cert), PKI.key(case.server_cert))
    chosen = launcher(client)
    key = (PKI.cert("client-valid"), PKI.key("client-valid")) if cert else (None, None)

    def start(host: str, port: int) -> object:
        return chosen.start(ClientJob(host, port, Path(PKI.cert("root-ca")), "localhost",
                                      *key, timeout=3.0))

    return play_client_case(case, identity, start, 3.0)


@pytest.mark.parametrize("version", ["tls12", "tls13"])
@pytest.mark.parametrize("server_cert", ["server-rsa", "server-ecdsa"])
@pytest.mark.parametrize("client_auth", [False, True])
def test_completes_with_a_real_client(version: str, server_cert: str, client_auth: bool
                                      ) -> None:
    case = ClientCase(id="plain", rfc=("8446", "2"), requirement="completes", version=version,
                      server_cert=server_cert, client_auth=client_auth,
                      client_cert="valid" if client_auth else None, expect=completes())
    outcome, verdict, _ = play(case, cert=client_auth)
    assert verdict.grade is Grade.strict, verdict.message
    assert outcome.version == (0x0304 if version == "tls13" else 0x0303)
    assert (outcome.server_certificates != []) is client_auth  # the client's chain
    labels = {label for label, _, _ in outcome.key_secrets}
    assert labels == ({"CLIENT_RANDOM"} if version == "tls12" else {
        "CLIENT_HANDSHAKE_TRAFFIC_SECRET", "SERVER_HANDSHAKE_TRAFFIC_SECRET",
        "CLIENT_TRAFFIC_SECRET_0", "SERVER_TRAFFIC_SECRET_0"})
    assert outcome.reply is not None and outcome.reply.data.startswith(b"GET / HTTP/1.0")


def test_a_retry_is_answered_and_completes() -> None:
    case = ClientCase(id="retry", rfc=("8446", "4.1.4"), requirement="r", version="tls13",
                      mutations=[retry()], expect=completes())
    outcome, verdict, _ = play(case)
    assert verdict.grade is Grade.strict, verdict.message
    assert len(outcome.hellos) == 2


def test_a_version_the_client_does_not_offer_is_unmet(monkeypatch: pytest.MonkeyPatch) -> None:
    """A client that offers only TLS 1.2 cannot be played a TLS 1.3 row: it skips."""
    real = ssl.create_default_context

    def tls12_only(*args: object, **kwargs: object) -> ssl.SSLContext:
        context = real(*args, **kwargs)
        context.maximum_version = ssl.TLSVersion.TLSv1_2
        return context

    monkeypatch.setattr(ssl, "create_default_context", tls12_only)
    case = ClientCase(id="x", rfc=("8446", "2"), requirement="r", version="tls13",
                      expect=completes())
    outcome, _, _ = play(case)
    assert outcome.unmet == "the client does not offer TLS 1.3"


def test_an_unoffered_suite_is_refused_with_the_alert_quoted() -> None:
    case = ClientCase(id="x", rfc=("8446", "4.1.3"), requirement="r", version="tls13",
                      mutations=[choose_suite(0x1305)], expect=completes())
    outcome, verdict, _ = play(case)
    assert verdict.grade is Grade.fail
    assert "fatal alert illegal_parameter(47)" in verdict.observed
    assert outcome.phase.startswith("after ServerHello .. server Finished")
