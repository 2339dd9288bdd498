"""The engine end to end: full handshakes against the embedded server, alerts it sends, and
bytes scapy cannot parse (from a scripted peer or a proxy that tampers with server records)."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator, Sequence

import pytest

from tests.scripted_server import ScriptedServers, close, record, send
from tests.tamper_proxy import TamperProxy, flip_last_byte_of
from tlsconform.certs import PKI, ensure_pki
from tlsconform.client import server_flight as server_flight_module
from tlsconform.client.driver import HTTP_GET, ClientDriver
from tlsconform.client.identity import ClientIdentity
from tlsconform.client.offer import TLS12, TLS13, Offer, tls12, tls13
from tlsconform.client.words import ciphers as only_ciphers
from tlsconform.client.words import (
    empty_certificate,
    extended_master_secret,
    finished,
    flip_bit,
    groups,
    key_shares,
)
from tlsconform.crypto import suites as cs
from tlsconform.fixtures.servers import LocalServer, ServerConfig, launch
from tlsconform.messages import extensions as ext
from tlsconform.mutation import MessageEdit, Mutation
from tlsconform.verdict.expect import Grade, aborts, alert, completes
from tlsconform.verdict.outcome import Outcome
from tlsconform.wire.connection import Connection, Wire
from tlsconform.wire.events import (
    TERMINAL,
    Alert,
    ChangeCipherSpec,
    Closed,
    Event,
    HandshakeMessage,
    Reset,
    Unparsed,
)

TIMEOUT = 3.0
OfferFactory = Callable[[], Offer]
TLS12_FLIGHT = ["ServerHello", "Certificate", "ServerKeyExchange", "ServerHelloDone",
                "ChangeCipherSpec", "Finished"]
TLS13_FLIGHT = ["ServerHello", "EncryptedExtensions", "Certificate", "CertificateVerify",
                "Finished"]
GROUP_CODES = {"x25519": 29, "secp256r1": 23}
EXT_EXTENDED_MASTER_SECRET = 23
HANDSHAKE_FAILURE, BAD_RECORD_MAC, DECRYPT_ERROR, CERTIFICATE_REQUIRED = 40, 20, 51, 116


@pytest.fixture(scope="session")
def pki() -> PKI:
    return ensure_pki()


@pytest.fixture(scope="session")
def plain_server(pki: PKI) -> Iterator[LocalServer]:
    with launch("embedded", pki, ServerConfig()) as server:
        yield server


@pytest.fixture(scope="session")
def auth_server(pki: PKI) -> Iterator[LocalServer]:
    with launch("embedded", pki, ServerConfig(client_auth=True)) as server:
        yield server


def run(address: tuple[str, int], offer: Offer, mutations: Sequence[Mutation] = (),
        identity: ClientIdentity | None = None,
        request: bytes = HTTP_GET) -> tuple[Outcome, ClientDriver]:
    """One conversation; the driver is returned too, for its session and server messages."""
    with Connection.connect(*address, timeout=TIMEOUT) as conn:
        hs = ClientDriver(conn, offer, identity=identity, mutations=mutations, request=request)
        return hs.run(), hs


def assert_completed(outcome: Outcome, version: int) -> None:
    assert outcome.completed, outcome.describe()
    assert outcome.version == version
    assert completes().judge(outcome).grade is Grade.strict
    assert alert("handshake_failure").judge(outcome).grade is Grade.fail


def sent(hs: ClientDriver) -> list[Wire]:
    """What the client sent, one entry per flight (message names joined by commas)."""
    return [w for w in hs.conn.wire if w.direction == "sent"]


def server_share_group(hs: ClientDriver) -> int:
    return ext.read_key_share_server(hs.server["ServerHello"].ext(ext.KEY_SHARE))[0]


# -- full handshakes -----------------------------------------------------------------------
@pytest.mark.parametrize("suite", [
    pytest.param(cs.ECDHE_RSA_AES128_GCM_SHA256, id="aes128-gcm"),
    pytest.param(cs.ECDHE_RSA_AES128_CBC_SHA, id="aes128-cbc-sha"),
    pytest.param(cs.ECDHE_RSA_AES128_CBC_SHA256, id="aes128-cbc-sha256"),
    pytest.param(cs.ECDHE_RSA_CHACHA20_POLY1305, id="chacha20-poly1305"),
])
def test_tls12_handshake_completes(plain_server: LocalServer, suite: int) -> None:
    outcome, _ = run(plain_server.address, tls12(), [only_ciphers(suite)])
    assert_completed(outcome, TLS12)
    assert outcome.cipher == suite
    assert outcome.server_messages == TLS12_FLIGHT
    assert len(outcome.server_random) == 32


@pytest.mark.parametrize("ems", [True, False], ids=["ems", "no-ems"])
def test_tls12_extended_master_secret(plain_server: LocalServer, ems: bool) -> None:
    outcome, hs = run(plain_server.address, tls12(), [extended_master_secret(ems)])
    assert_completed(outcome, TLS12)
    echoed = hs.server["ServerHello"].ext(EXT_EXTENDED_MASTER_SECRET) is not None
    assert echoed is ems
    assert hs.ems is ems  # the keys really were derived that way


@pytest.mark.parametrize("suite", cs.TLS13_SUITES, ids=["aes128-gcm", "aes256-gcm", "chacha20"])
def test_tls13_handshake_completes(plain_server: LocalServer, suite: int) -> None:
    outcome, _ = run(plain_server.address, tls13(), [only_ciphers(suite)])
    assert_completed(outcome, TLS13)
    assert outcome.cipher == suite
    assert outcome.server_messages == TLS13_FLIGHT


@pytest.mark.parametrize("group", list(GROUP_CODES))
def test_tls13_key_share(plain_server: LocalServer, group: str) -> None:
    outcome, hs = run(plain_server.address, tls13(), [key_shares(group)])
    assert_completed(outcome, TLS13)
    assert outcome.server_messages == TLS13_FLIGHT  # no HelloRetryRequest needed
    assert server_share_group(hs) == GROUP_CODES[group]


def test_tls13_hello_retry_request(plain_server: LocalServer) -> None:
    """No key share at all: the server must ask for one (RFC 8446 4.1.4) and the engine retry."""
    outcome, hs = run(plain_server.address, tls13(), [groups(*GROUP_CODES), key_shares()])
    assert_completed(outcome, TLS13)
    assert outcome.server_messages == ["HelloRetryRequest", *TLS13_FLIGHT]
    assert [w.what for w in sent(hs)][:2] == ["ClientHello", "ClientHello"]
    selected = ext.read_key_share_retry(hs.server["HelloRetryRequest"].ext(ext.KEY_SHARE))
    assert selected in GROUP_CODES.values()
    assert server_share_group(hs) == selected


# -- alerts from a real server ----------------------------------------------------------------
def test_tls13_bad_finished_gets_an_encrypted_decrypt_error(plain_server: LocalServer) -> None:
    outcome, _ = run(plain_server.address, tls13(), [finished(flip_bit(-1))])
    assert outcome.event == Alert(level=2, description=DECRYPT_ERROR, encrypted=True)
    assert isinstance(outcome.after, (Closed, Reset))
    assert alert("decrypt_error").judge(outcome).grade is Grade.strict
    assert completes().judge(outcome).grade is Grade.fail


def test_tls12_bad_finished_gets_a_plaintext_decrypt_error(plain_server: LocalServer) -> None:
    """The server has not sent its ChangeCipherSpec yet, so its alert is not encrypted."""
    outcome, _ = run(plain_server.address, tls12(), [finished(flip_bit(-1))])
    assert outcome.event == Alert(level=2, description=DECRYPT_ERROR, encrypted=False)
    assert outcome.phase == "after client Finished with verify_data bit 0 of byte -1 flipped"
    assert alert("decrypt_error").judge(outcome).grade is Grade.strict


def test_tls12_alert_after_server_ccs_is_encrypted(plain_server: LocalServer) -> None:
    """Application data sent unencrypted after the handshake: the server's bad_record_mac
    travels under its write keys."""
    unencrypted = MessageEdit("ApplicationData unencrypted", "ApplicationData",
                              lambda item, hs: [item.with_(protected=False)])
    request = b"GET / HTTP/1.0\r\n" + b"X-Padding: 0123456789\r\n" * 4 + b"\r\n"
    outcome, _ = run(plain_server.address, tls12(), [unencrypted], request=request)
    assert outcome.server_messages == TLS12_FLIGHT
    assert outcome.event == Alert(level=2, description=BAD_RECORD_MAC, encrypted=True)
    assert alert("bad_record_mac").judge(outcome).grade is Grade.strict


# -- client certificates ----------------------------------------------------------------------
@pytest.mark.parametrize("offer", [tls12, tls13], ids=["tls12", "tls13"])
@pytest.mark.parametrize("name", ["client-valid", "client-valid-rsa"])
def test_client_certificate_handshake(auth_server: LocalServer, pki: PKI, name: str,
                                      offer: OfferFactory) -> None:
    identity = ClientIdentity(pki.cert(name), pki.key(name))
    outcome, _ = run(auth_server.address, offer(), identity=identity)
    assert_completed(outcome, TLS13 if offer is tls13 else TLS12)
    assert "CertificateRequest" in outcome.server_messages
    assert outcome.notes == []  # the server offered a scheme for this key


@pytest.mark.parametrize(("offer", "expected"), [
    pytest.param(tls12, Alert(level=2, description=HANDSHAKE_FAILURE, encrypted=False),
                 id="tls12"),
    pytest.param(tls13, Alert(level=2, description=CERTIFICATE_REQUIRED, encrypted=True),
                 id="tls13"),
])
def test_empty_client_certificate_gets_an_alert(auth_server: LocalServer, pki: PKI,
                                                offer: OfferFactory, expected: Alert) -> None:
    identity = ClientIdentity(pki.cert("client-valid"), pki.key("client-valid"))
    outcome, hs = run(auth_server.address, offer(), [empty_certificate()], identity=identity)
    assert outcome.event == expected
    assert not any("CertificateVerify" in w.what for w in sent(hs))
    assert alert(expected.description).judge(outcome).grade is Grade.strict


# -- the Unparsed path: nothing scapy turns into Raw passes silently ----------------------------
def events_until_end(conn: Connection, limit: int = 6) -> list[Event]:
    events: list[Event] = []
    while len(events) < limit:
        events.append(conn.next_event(2.0))
        if isinstance(events[-1], TERMINAL):
            break
    return events


def scripted_events(scripted: ScriptedServers, data: bytes) -> list[Event]:
    server = scripted(send(data), close(), read_hello=False)
    with Connection.connect(server.host, server.port, timeout=TIMEOUT) as conn:
        return events_until_end(conn)


def test_unknown_handshake_message_is_out_of_place(scripted: ScriptedServers) -> None:
    data = record(22, b"\xff\x00\x00\x00")
    outcome, _ = run(scripted(send(data), close()).address, tls12())
    assert outcome.violation == ("sent handshake type 255 where ServerHello or "
                                 "HelloRetryRequest was due (RFC 5246 7.3)")
    assert outcome.sent_alert == Alert(2, 10)  # unexpected_message, as a client must
    for expectation in (completes(), alert("handshake_failure"), aborts()):
        assert expectation.judge(outcome).grade is Grade.fail, expectation


@pytest.mark.parametrize("data", [
    pytest.param(record(22, b"\x0e\x00\x00\x00\xff\xff\xff\xff"), id="trailing-bytes"),
    pytest.param(record(22, b"\x0e\x00\x00\x00\x0e\x00"), id="truncated-second-message"),
])
def test_handshake_record_with_garbage_after_a_message(scripted: ScriptedServers,
                                                       data: bytes) -> None:
    events = scripted_events(scripted, data)
    assert isinstance(events[0], HandshakeMessage) and events[0].name == "ServerHelloDone"
    assert isinstance(events[1], Unparsed), events


@pytest.mark.parametrize("content_type", [21, 22], ids=["alert", "handshake"])
def test_empty_record_is_unparsed(scripted: ScriptedServers, content_type: int) -> None:
    events = scripted_events(scripted, record(content_type, b""))
    assert isinstance(events[0], Unparsed), events


@pytest.mark.parametrize("data", [
    pytest.param(record(21, b"\x02\x28\xff"), id="alert-plus-byte"),
    pytest.param(record(20, b"\x01\x01"), id="ccs-two-bytes"),
    pytest.param(record(20, b""), id="ccs-empty"),
])
def test_trailing_or_missing_bytes_in_alert_and_ccs_are_reported(scripted: ScriptedServers,
                                                                data: bytes) -> None:
    events = scripted_events(scripted, data)
    assert any(isinstance(e, Unparsed) for e in events), events
    assert ChangeCipherSpec() not in events


def test_coalesced_alerts_are_both_reported(scripted: ScriptedServers) -> None:
    events = scripted_events(scripted, record(21, b"\x02\x28\x01\x14"))
    assert events[:2] == [Alert(2, HANDSHAKE_FAILURE), Alert(1, BAD_RECORD_MAC)] or any(
        isinstance(e, Unparsed) for e in events), events


TAG = ("the record's authentication tag does not verify",)
MAC_OR_PADDING = ("the record's MAC does not verify", "the record's CBC padding is wrong")


@pytest.mark.parametrize(("offer", "content_type", "nth", "error"), [
    pytest.param(tls13(), 23, 0, TAG, id="tls13-encrypted-extensions"),
    pytest.param(tls13(), 23, 3, TAG, id="tls13-finished"),
    pytest.param(tls12().with_(ciphers=[cs.ECDHE_RSA_AES128_GCM_SHA256]), 22, 4, TAG,
                 id="tls12-gcm-finished"),
    pytest.param(tls12().with_(ciphers=[cs.ECDHE_RSA_AES128_CBC_SHA]), 22, 4, MAC_OR_PADDING,
                 id="tls12-cbc-finished"),
    pytest.param(tls12(), 23, 0, TAG, id="tls12-application-data"),
])
def test_tampered_server_record_is_unparsed(plain_server: LocalServer, offer: Offer,
                                            content_type: int, nth: int,
                                            error: tuple[str, ...]) -> None:
    """A server record that fails its integrity check is never read as a message."""
    with TamperProxy(plain_server.address, flip_last_byte_of(content_type, nth)) as proxy:
        outcome, _ = run(proxy.address, offer)
    assert proxy.error is None
    assert isinstance(outcome.event, Unparsed), outcome.describe()
    assert outcome.event.reason in error
    assert outcome.sent_alert == Alert(2, BAD_RECORD_MAC, encrypted=True)
    assert not outcome.completed
    for expectation in (completes(), aborts()):
        assert expectation.judge(outcome).grade is Grade.fail, expectation


def test_tls12_bad_server_key_exchange_signature_is_a_violation(plain_server: LocalServer) -> None:
    with TamperProxy(plain_server.address, flip_last_byte_of(22, 2)) as proxy:
        outcome, hs = run(proxy.address, tls12())
    assert outcome.violation is not None and "ServerKeyExchange" in outcome.violation
    assert not any("ClientKeyExchange" in w.what for w in sent(hs))


# -- the server's signatures are checked ----------------------------------------------------
@pytest.mark.parametrize("server_cert", ["server-rsa", "server-ecdsa"])
def test_tls13_certificate_verify_is_checked(pki: PKI, server_cert: str,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """The same server passes, then fails once the content it signs is not what we check."""
    with launch("embedded", pki, ServerConfig(server_cert=server_cert)) as server:
        outcome, _ = run(server.address, tls13())
        assert_completed(outcome, TLS13)
        signed = server_flight_module.tls13_signed_content
        monkeypatch.setattr(server_flight_module, "tls13_signed_content",
                            lambda side, digest: signed(side, bytes(len(digest))))
        outcome, hs = run(server.address, tls13())
    assert outcome.violation is not None
    assert outcome.violation.startswith("server CertificateVerify signature does not verify")
    assert not any("Finished" in w.what for w in sent(hs))
    assert outcome.sent_alert == Alert(2, DECRYPT_ERROR, encrypted=True)


# -- several round trips, then the end of the connection ----------------------------------------
class EchoServer:
    """A Python ssl server that echoes every record until the client closes: for requests
    after the first one, which the HTTP targets do not answer."""

    def __init__(self, pki: PKI) -> None:
        import ssl
        import threading

        self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.context.load_cert_chain(pki.chain("server-rsa"), pki.key("server-rsa"))
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.address = self.listener.getsockname()[:2]
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self) -> None:
        conn, _ = self.listener.accept()
        conn.settimeout(TIMEOUT)
        with self.context.wrap_socket(conn, server_side=True) as tls:
            try:
                while data := tls.recv(4096):
                    tls.sendall(data)
                tls.unwrap()
            except OSError:
                pass

    def close(self) -> None:
        self.listener.close()
        self.thread.join(TIMEOUT)


@pytest.mark.parametrize("offer", [tls12, tls13], ids=["tls12", "tls13"])
def test_several_round_trips_then_the_closure(pki: PKI, offer: OfferFactory) -> None:
    from tlsconform.client.words import close_notify_after_reply

    echo = EchoServer(pki)
    try:
        with Connection.connect(*echo.address, timeout=TIMEOUT) as conn:
            hs = ClientDriver(conn, offer(), mutations=[close_notify_after_reply()],
                              request=b"ping", round_trips=3, closure=True)
            outcome = hs.run()
    finally:
        echo.close()
    assert outcome.completed and outcome.replies == 3, outcome.describe()
    assert [w.what for w in sent(hs)][-4:] == ["ApplicationData"] * 3 + [
        "warning alert close_notify(0) after the reply"]
    assert outcome.closure[0] == Alert(1, 0, encrypted=True)  # its answer to ours
    assert isinstance(outcome.closure[-1], Closed | Reset)


def test_a_key_that_cannot_sign_the_rows_scheme_is_an_unmet_condition(
        auth_server: LocalServer, pki: PKI) -> None:
    """An RSA client key (a user's --client-cert) for a row that signs with ECDSA: the row
    cannot create its condition, which is neither an engine error nor the server's fault."""
    from tlsconform.client.words import signature_scheme_not_offered

    rsa_identity = ClientIdentity(pki.cert("client-valid-rsa"), pki.key("client-valid-rsa"))
    outcome, _ = run(auth_server.address, tls12(), [signature_scheme_not_offered(0x0203)],
                     identity=rsa_identity)
    assert outcome.internal_error is None
    assert outcome.unmet is not None and "ecdsa_sha1" in outcome.unmet
