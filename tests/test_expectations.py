"""Grading of every expectation kind on synthetic outcomes: each can pass and each can fail."""

from __future__ import annotations

import pytest

from tlsconform.client.offer import TLS12, TLS13
from tlsconform.verdict.expect import (
    Grade,
    aborts,
    aborts_cleanly,
    alert,
    completes,
    completes_or_refuses,
    completes_with,
    downgrade_sentinel,
    negotiated,
    suite_from,
)
from tlsconform.verdict.outcome import Outcome
from tlsconform.wire.events import Alert, ApplicationData, Closed, Reset, Timeout

DONE12 = Outcome(completed=True, version=TLS12, cipher=0xC02F,
                 server_random=b"\x11" * 24 + b"DOWNGRD\x01")
DONE13 = Outcome(completed=True, version=TLS13, cipher=0x1301, server_random=b"\x22" * 32)
FATAL_40 = Outcome(event=Alert(2, 40), after=Closed(), phase="after ClientHello")
FATAL_40_RST = Outcome(event=Alert(2, 40), after=Reset(), phase="after ClientHello")
WARNING_40 = Outcome(event=Alert(1, 40), after=Closed(), phase="after ClientHello")
FATAL_80 = Outcome(event=Alert(2, 80), after=Closed(), phase="after ClientHello")
OPEN_AFTER = Outcome(event=Alert(2, 40), after=Timeout(2.0), phase="after ClientHello")
MORE_AFTER = Outcome(event=Alert(2, 40), after=Alert(2, 42), phase="after ClientHello")
DATA_AFTER = Outcome(event=Alert(2, 40), after=ApplicationData(b"x"), phase="after ClientHello")
BARE_CLOSE = Outcome(event=Closed(), phase="after ClientHello")
SILENT = Outcome(event=Timeout(5.0), phase="after ClientHello")
CARRIED_ON = Outcome(violation="selected cipher suite 0x0005, which the client did not offer")
CLOSE_NOTIFY = Outcome(event=Alert(1, 0), after=Closed())
USER_CANCELED = Outcome(event=Alert(2, 90), after=Closed())

CASES = [
    (completes(), DONE12, Grade.strict),
    (completes(), FATAL_40, Grade.fail),
    (completes(), CARRIED_ON, Grade.fail),
    (alert("handshake_failure"), FATAL_40, Grade.strict),
    (alert("handshake_failure"), FATAL_40_RST, Grade.strict),
    (alert("handshake_failure", "insufficient_security"), FATAL_40, Grade.strict),
    (alert("handshake_failure"), FATAL_80, Grade.conceptual),
    (alert("handshake_failure"), WARNING_40, Grade.conceptual),
    (alert("handshake_failure"), OPEN_AFTER, Grade.conceptual),
    (alert("handshake_failure"), BARE_CLOSE, Grade.conceptual),
    (alert("handshake_failure"), MORE_AFTER, Grade.fail),
    (alert("handshake_failure"), SILENT, Grade.fail),
    (alert("handshake_failure"), DONE12, Grade.fail),
    (alert("handshake_failure"), CARRIED_ON, Grade.fail),
    (alert("handshake_failure"), CLOSE_NOTIFY, Grade.conceptual),
    (aborts(), CLOSE_NOTIFY, Grade.strict),
    (aborts_cleanly(), CLOSE_NOTIFY, Grade.conceptual),
    (aborts(), FATAL_80, Grade.strict),
    (aborts(), BARE_CLOSE, Grade.strict),
    (aborts(), SILENT, Grade.fail),
    (aborts(), DONE13, Grade.fail),
    (aborts_cleanly(), FATAL_80, Grade.strict),
    (aborts_cleanly(), WARNING_40, Grade.fail),
    (aborts_cleanly(), OPEN_AFTER, Grade.fail),
    (aborts_cleanly(), DATA_AFTER, Grade.fail),
    (aborts_cleanly(), BARE_CLOSE, Grade.conceptual),
    (aborts_cleanly(), USER_CANCELED, Grade.conceptual),
    (completes_with(negotiated(TLS12)), DONE12, Grade.strict),
    (completes_with(negotiated(TLS13)), DONE12, Grade.fail),
    (completes_with(negotiated(TLS12)), FATAL_40, Grade.fail),
    (completes_with(suite_from([0x1301, 0x1302], "a TLS 1.3 suite")), DONE13, Grade.strict),
    (completes_with(suite_from([0x1301, 0x1302], "a TLS 1.3 suite")), DONE12, Grade.fail),
    (completes_with(downgrade_sentinel(True)), DONE12, Grade.strict),
    (completes_with(downgrade_sentinel(True)), DONE13, Grade.fail),
    (completes_with(downgrade_sentinel(False)), DONE13, Grade.strict),
    (completes_with(downgrade_sentinel(False)), DONE12, Grade.fail),
    (completes_or_refuses("handshake_failure"), DONE12, Grade.strict),
    (completes_or_refuses("handshake_failure"), FATAL_40, Grade.strict),
    (completes_or_refuses("handshake_failure"), FATAL_80, Grade.conceptual),
    (completes_or_refuses("handshake_failure"), SILENT, Grade.fail),
    (completes_or_refuses("protocol_version", check=negotiated(TLS12)), DONE13, Grade.fail),
]


@pytest.mark.parametrize(("expectation", "outcome", "grade"), CASES,
                         ids=[f"{i}-{g.value}" for i, (_, _, g) in enumerate(CASES)])
def test_grade(expectation, outcome: Outcome, grade: Grade) -> None:
    verdict = expectation.judge(outcome)
    assert verdict.grade is grade, verdict.message
    assert verdict.passed() is (grade is Grade.strict)
    assert verdict.passed(accept_conceptual=True) is (grade is not Grade.fail)


def test_messages_quote_expected_and_observed() -> None:
    verdict = alert("decrypt_error").judge(
        Outcome(event=Alert(2, 20, encrypted=True), after=Closed(), phase="after client Finished"))
    assert verdict.message == (
        "expected fatal alert decrypt_error(51) then close; observed fatal alert "
        "bad_record_mac(20) (encrypted) after client Finished, then connection closed (FIN) "
        "[conceptual: aborted with bad_record_mac(20)]")
    assert "not b'DOWNGRD\\x01'" in completes_with(downgrade_sentinel(True)).judge(DONE13).message
    assert "which is not a TLS 1.3 suite" in completes_with(
        suite_from([0x1301], "a TLS 1.3 suite")).judge(DONE12).message
    assert "level 1, not fatal(2)" in aborts_cleanly().judge(WARNING_40).message
