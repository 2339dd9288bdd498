"""Finished verification and placement (RFC 8446 4.4.4, 5, 5.1; RFC 5246 7.4.9, 7.1, 6.2.1,
7.2.2)."""

from tlsconform.client.words import (
    application_data_instead_of,
    duplicate,
    extend,
    extended_master_secret,
    finished,
    flip_bit,
    flip_middle_bit,
    fragment,
    move,
    plaintext,
    truncate,
)
from tlsconform.scenario import Case, cases, each_version
from tlsconform.verdict.expect import alert, completes

TOPIC = ("finished",)
VERIFY = {"tls12": ("5246", "7.4.9"), "tls13": ("8446", "4.4.4")}
DECODE = {"tls12": ("5246", "7.2.2"), "tls13": ("8446", "6")}
WRONG = "a Finished whose verify_data is wrong is refused with decrypt_error"
BAD_LENGTH = ("verify_data has a fixed length (12 bytes in TLS 1.2, the hash length in "
              "TLS 1.3): a Finished of another length cannot be decoded, decode_error")

FINISHED = [
    # -- wrong verify_data ---------------------------------------------------------------
    *each_version("bitflip-last-byte", rfc=VERIFY, topics=TOPIC, requirement=WRONG,
                  mutations=[finished(flip_bit(-1))], expect=alert("decrypt_error")),
    *each_version("bitflip-first-byte", rfc=VERIFY, topics=TOPIC, requirement=WRONG,
                  mutations=[finished(flip_bit(0, 7))], expect=alert("decrypt_error")),
    *each_version("bitflip-middle-byte", rfc=VERIFY, topics=TOPIC,
                  requirement=WRONG, mutations=[finished(flip_middle_bit(3))],
                  expect=alert("decrypt_error")),
    Case(id="tls12-bitflip-without-extended-master-secret", version="tls12",
         rfc=("5246", "7.4.9"), topics=TOPIC,
         requirement="without extended_master_secret (the RFC 5246 master secret) a wrong "
                     "verify_data is still refused with decrypt_error",
         mutations=[extended_master_secret(False), finished(flip_bit(-1))],
         expect=alert("decrypt_error")),
    # -- wrong length ----------------------------------------------------------------------
    *each_version("truncated-verify-data", rfc=DECODE, topics=TOPIC,
                  requirement=BAD_LENGTH, mutations=[finished(truncate(-1))],
                  expect=alert("decode_error")),
    *each_version("extended-verify-data", rfc=DECODE, topics=TOPIC,
                  requirement=BAD_LENGTH, mutations=[finished(extend(b"\x00"))],
                  expect=alert("decode_error")),
    *each_version("empty-verify-data", rfc=DECODE, topics=TOPIC,
                  requirement=BAD_LENGTH, mutations=[finished(truncate(0))],
                  expect=alert("decode_error")),
    # -- wrong place -------------------------------------------------------------------------
    Case(id="tls12-finished-before-change-cipher-spec", version="tls12",
         rfc=("5246", "7.4.9"), topics=TOPIC,
         requirement="Finished is sent right after ChangeCipherSpec; a (plaintext) Finished "
                     "before it is an inappropriate message: unexpected_message",
         mutations=[move("Finished", before="ChangeCipherSpec")],
         expect=alert("unexpected_message")),
    Case(id="tls13-finished-in-plaintext-record", version="tls13", rfc=("8446", "5"),
         topics=TOPIC,
         requirement="a Finished in a plaintext handshake record once handshake keys are in "
                     "use is an unexpected record: unexpected_message",
         mutations=[plaintext("Finished")], expect=alert("unexpected_message")),
    *each_version("application-data-instead-of-finished",
                  rfc={"tls12": ("5246", "7.4.9"), "tls13": ("8446", "6.2")},
                  topics=TOPIC,
                  requirement="application data where the client Finished is due is "
                              "premature: unexpected_message",
                  mutations=[application_data_instead_of("Finished")],
                  expect=alert("unexpected_message")),
    *each_version("finished-sent-twice",
                  rfc={"tls12": ("5246", "7.4"), "tls13": ("8446", "4")}, topics=TOPIC,
                  requirement="a second Finished after the handshake is an unexpected "
                              "handshake message: unexpected_message",
                  mutations=[duplicate("Finished")], expect=alert("unexpected_message")),
    # -- record framing ----------------------------------------------------------------------
    *each_version("finished-split-across-records",
                  rfc={"tls12": ("5246", "6.2.1"), "tls13": ("8446", "5.1")}, topics=TOPIC,
                  requirement="a handshake message may be fragmented across records: a "
                              "Finished split into two protected records is accepted",
                  mutations=[fragment("Finished", 5)], expect=completes()),
]


@cases(*FINISHED)
def test_finished(case, conformance):
    conformance.check(case)
