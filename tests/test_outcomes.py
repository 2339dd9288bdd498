"""Outcome classification through Connection and Handshake, and the verdicts graded from it."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable

import pytest

from tests.scripted_server import (
    HTTP_400,
    ScriptedServer,
    ScriptedServers,
    Step,
    alert_record,
    close,
    record,
    reset,
    send,
)
from tlsconform.client.driver import ClientDriver
from tlsconform.client.offer import TLS12, Offer, tls12, tls13
from tlsconform.verdict.expect import Grade, aborts, alert, completes
from tlsconform.verdict.outcome import Outcome
from tlsconform.wire.connection import Connection, TargetError
from tlsconform.wire.events import Alert, Closed, Reset, Timeout, Unparsed

BOUND = 0.3
SLACK = 0.5
HANDSHAKE_FAILURE, BAD_RECORD_MAC = 40, 20
OfferFactory = Callable[[], Offer]
OFFERS = [pytest.param(tls12, id="tls12"), pytest.param(tls13, id="tls13")]


def handshake(server: ScriptedServer, offer: Offer | None = None, timeout: float = 2.0
              ) -> Outcome:
    """Run the engine's handshake against a scripted server and return its outcome (every
    read, the one after an alert included, is bounded by ``timeout``)."""
    with Connection.connect(server.host, server.port, timeout=timeout) as conn:
        return ClientDriver(conn, offer or tls12()).run()


def assert_client_hello(server: ScriptedServer) -> None:
    """The scripted server really read a handshake record carrying a ClientHello."""
    assert server.hello[:1] == b"\x16" and server.hello[5:6] == b"\x01", server.hello[:8].hex()


# -- what the server did, as events ------------------------------------------------------
@pytest.mark.parametrize("offer", OFFERS)
def test_plaintext_fatal_alert_then_close(scripted: ScriptedServers, offer: OfferFactory) -> None:
    server = scripted(send(alert_record(HANDSHAKE_FAILURE)), close())
    outcome = handshake(server, offer())
    assert_client_hello(server)
    assert outcome.event == Alert(level=2, description=HANDSHAKE_FAILURE, encrypted=False)
    assert outcome.after == Closed()
    assert not outcome.completed
    assert outcome.describe() == ("fatal alert handshake_failure(40) (plaintext) after "
                                  "ClientHello, then connection closed (FIN)")


def test_events_one_by_one(scripted: ScriptedServers) -> None:
    server = scripted(send(alert_record(BAD_RECORD_MAC)), close(), read_hello=False)
    with Connection.connect(server.host, server.port, timeout=2.0) as conn:
        assert conn.next_event() == Alert(level=2, description=BAD_RECORD_MAC)
        assert conn.next_event() == Closed()
        assert [w.direction for w in conn.wire] == ["received", "received"]


def test_alert_then_reset(scripted: ScriptedServers) -> None:
    server = scripted(send(alert_record(HANDSHAKE_FAILURE)), reset())
    outcome = handshake(server)
    assert outcome.event == Alert(level=2, description=HANDSHAKE_FAILURE)
    assert outcome.after == Reset()
    assert alert("handshake_failure").judge(outcome).grade is Grade.strict


def test_alert_then_silence(scripted: ScriptedServers) -> None:
    server = scripted(send(alert_record(HANDSHAKE_FAILURE)))
    start = time.monotonic()
    outcome = handshake(server, timeout=BOUND)
    assert time.monotonic() - start < BOUND + SLACK
    assert outcome.after == Timeout(seconds=BOUND)
    verdict = alert("handshake_failure").judge(outcome)
    assert verdict.grade is Grade.conceptual
    assert verdict.why == "did not close after the alert"


def test_alert_then_more_records_is_not_an_abort(scripted: ScriptedServers) -> None:
    server = scripted(send(alert_record(HANDSHAKE_FAILURE) + alert_record(0, level=1)), close())
    outcome = handshake(server)
    assert outcome.after == Alert(level=1, description=0)
    for expectation in (alert("handshake_failure"), aborts()):
        verdict = expectation.judge(outcome)
        assert verdict.grade is Grade.fail
        assert verdict.why == "the server kept sending after its alert"


def test_fin_without_anything_is_closed(scripted: ScriptedServers) -> None:
    server = scripted(close())
    outcome = handshake(server)
    assert_client_hello(server)
    assert outcome.event == Closed()
    assert outcome.alert is None
    assert outcome.describe() == "connection closed (FIN) after ClientHello"


def test_rst_is_reset(scripted: ScriptedServers) -> None:
    outcome = handshake(scripted(reset()))
    assert outcome.event == Reset()
    assert outcome.describe() == "connection reset (RST) after ClientHello"


@pytest.mark.parametrize("offer", OFFERS)
def test_silence_is_a_timeout_within_the_bound(
    scripted: ScriptedServers, offer: OfferFactory
) -> None:
    server = scripted()
    start = time.monotonic()
    outcome = handshake(server, offer(), timeout=BOUND)
    elapsed = time.monotonic() - start
    assert_client_hello(server)
    assert outcome.event == Timeout(seconds=BOUND)
    assert elapsed < BOUND + SLACK
    assert outcome.describe() == "no answer within 0.3 s after ClientHello"


def test_http_garbage_is_unparsed_and_shown(scripted: ScriptedServers) -> None:
    outcome = handshake(scripted(send(HTTP_400)))
    assert isinstance(outcome.event, Unparsed)
    assert outcome.event.data.startswith(b"HTTP/1.1 400")
    text = outcome.describe()
    assert text.startswith("unparseable data (not a TLS record): ")
    assert b"HTTP/1.1 400".hex() in text


def test_refused_port_is_a_target_error() -> None:
    with socket.create_server(("127.0.0.1", 0)) as sock:
        port = sock.getsockname()[1]
    with pytest.raises(TargetError, match=f"127.0.0.1:{port}"):
        Connection.connect("127.0.0.1", port, timeout=2.0)


def test_send_to_a_peer_that_reset_is_tolerated(scripted: ScriptedServers) -> None:
    hello = record(22, b"\x01\x00\x00\x00")
    server = scripted(reset())
    with Connection.connect(server.host, server.port, timeout=2.0) as conn:
        conn.send_bytes(hello, "ClientHello")
        server.wait_played()
        assert conn.next_event() == Reset()
        conn.send_bytes(hello, "ClientHello again")  # must not raise
        assert conn.peer_closed_on_send
    assert server.hello == hello


# -- verdicts ----------------------------------------------------------------------------
def scripted_outcome(scripted: ScriptedServers, *steps: Step) -> Outcome:
    return handshake(scripted(*steps))


def test_other_alert_is_conceptual_with_the_exact_text(scripted: ScriptedServers) -> None:
    outcome = scripted_outcome(scripted, send(alert_record(BAD_RECORD_MAC)), close())
    verdict = alert("decrypt_error").judge(outcome)
    assert verdict.grade is Grade.conceptual
    assert verdict.message == (
        "expected fatal alert decrypt_error(51) then close; observed fatal alert "
        "bad_record_mac(20) (plaintext) after ClientHello, then connection closed (FIN) "
        "[conceptual: aborted with bad_record_mac(20)]")
    assert not verdict.passed()
    assert verdict.passed(accept_conceptual=True)
    assert alert("decrypt_error", "bad_record_mac").judge(outcome).grade is Grade.strict
    assert alert(20).judge(outcome).grade is Grade.strict
    assert aborts().judge(outcome).grade is Grade.strict
    assert completes().judge(outcome).grade is Grade.fail


def test_alert_set_is_named_in_the_expectation() -> None:
    assert str(alert("decrypt_error", "bad_record_mac")) == (
        "a fatal alert from {bad_record_mac(20), decrypt_error(51)} then close")


def test_warning_alert_is_conceptual(scripted: ScriptedServers) -> None:
    outcome = scripted_outcome(scripted, send(alert_record(HANDSHAKE_FAILURE, level=1)), close())
    verdict = alert("handshake_failure").judge(outcome)
    assert verdict.grade is Grade.conceptual
    assert verdict.why == "the alert was not fatal"


def test_close_notify_then_close_is_a_close_without_an_error_alert(
        scripted: ScriptedServers) -> None:
    """It ends the connection (an abort), but it is no error alert: like a bare close."""
    outcome = scripted_outcome(scripted, send(alert_record(0, level=1)), close())
    assert aborts().judge(outcome).grade is Grade.strict
    verdict = alert("handshake_failure").judge(outcome)
    assert verdict.grade is Grade.conceptual
    assert verdict.why == "closed with close_notify, not an error alert"
    assert outcome.describe().endswith("the server closed cleanly without answering")


@pytest.mark.parametrize("end", [close, reset], ids=["fin", "rst"])
def test_silent_close_is_conceptual(scripted: ScriptedServers, end: Callable[[], Step]) -> None:
    outcome = scripted_outcome(scripted, end())
    verdict = alert("handshake_failure").judge(outcome)
    assert verdict.grade is Grade.conceptual
    assert verdict.why == "closed without an alert"
    assert verdict.message.endswith("[conceptual: closed without an alert]")
    assert aborts().judge(outcome).grade is Grade.strict


def test_timeout_is_a_fail(scripted: ScriptedServers) -> None:
    outcome = handshake(scripted(), timeout=BOUND)
    for expectation in (alert("handshake_failure"), aborts(), completes()):
        assert expectation.judge(outcome).grade is Grade.fail, expectation
    assert alert("handshake_failure").judge(outcome).why == "the server neither alerted nor closed"


def test_unparsed_is_a_fail(scripted: ScriptedServers) -> None:
    outcome = scripted_outcome(scripted, send(HTTP_400), close())
    for expectation in (alert("handshake_failure"), aborts(), completes()):
        assert expectation.judge(outcome).grade is Grade.fail, expectation


def test_completed_handshake_grades() -> None:
    outcome = Outcome(completed=True, version=TLS12, cipher=0xC02F)
    done = completes().judge(outcome)
    assert done.grade is Grade.strict
    assert done.passed()
    assert done.observed == ("server completed the handshake "
                             "(TLS 1.2, TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256(0xc02f))")
    refused = alert("handshake_failure").judge(outcome)
    assert refused.grade is Grade.fail
    assert refused.why == "the server carried on to the end"
    assert aborts().judge(outcome).grade is Grade.fail


def test_violation_grades_fail() -> None:
    outcome = Outcome(violation="selected cipher suite 0x0a0a, which the client did not offer",
                      phase="after ClientHello")
    assert completes().judge(outcome).grade is Grade.fail
    verdict = alert("handshake_failure").judge(outcome)
    assert verdict.grade is Grade.fail
    assert verdict.observed == ("server broke a rule after ClientHello: selected cipher suite "
                                "0x0a0a, which the client did not offer")
