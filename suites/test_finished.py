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
from tlsconform.verdict.levels import Level

TOPIC = ("finished",)
VERIFY = {"tls12": ("5246", "7.4.9"), "tls13": ("8446", "4.4.4")}
DECODE = {"tls12": ("5246", "7.2.2"), "tls13": ("8446", "4")}
WRONG = "a Finished whose verify_data is wrong is refused with decrypt_error"
VERIFY_SENTENCE = {
    "tls12": ("Recipients of Finished messages MUST verify that the contents are correct. "
              "(7.2.2: decrypt_error: A handshake cryptographic operation failed, including "
              "being unable to ... validate a Finished message.)"),
    "tls13": ("Recipients of Finished messages MUST verify that the contents are correct and "
              "if incorrect MUST terminate the connection with a \"decrypt_error\" alert."),
}
TLS13_MUST = {"tls12": None, "tls13": Level.MUST}
# A verify_data of the wrong length is both unparseable (RFC 8446 4: decode_error; RFC 5246
# 7.2.2: "the length of the message was incorrect") and incorrect contents (RFC 8446 4.4.4:
# decrypt_error; RFC 5246 7.2.2: unable to "validate a Finished message"). The RFCs give two
# rules that both apply, so either alert is right.
BAD_LENGTH = ("verify_data has a fixed length (12 bytes in TLS 1.2, the hash length in "
              "TLS 1.3): a Finished of another length is refused with decode_error (it "
              "cannot be parsed) or decrypt_error (its contents are not correct)")
LENGTH_SENTENCE = {
    "tls12": ("decode_error: A message could not be decoded because ... the length of the "
              "message was incorrect. ... decrypt_error: ... unable to ... validate a Finished "
              "message."),
    "tls13": ("peers which receive a message which cannot be parsed according to the syntax "
              "... MUST terminate the connection with a \"decode_error\" alert (4); ... if "
              "incorrect MUST terminate the connection with a \"decrypt_error\" alert "
              "(4.4.4)."),
}
WRONG_LENGTH = alert("decode_error", "decrypt_error")
ORDER_SENTENCE = {
    "tls12": ("The handshake protocol messages are presented below in the order they MUST be "
              "sent; sending handshake messages in an unexpected order results in a fatal "
              "error."),  # RFC 5246 7.4
    "tls13": ("A peer which receives a handshake message in an unexpected order MUST abort the "
              "handshake with an \"unexpected_message\" alert."),  # RFC 8446 4
}
FRAGMENTS = {
    "tls12": ("a single message MAY be fragmented across several records"),  # RFC 5246 6.2.1
    "tls13": ("Handshake messages MAY be coalesced into a single TLSPlaintext record or "
              "fragmented across several records"),  # RFC 8446 5.1
}

VERIFY_HINT = ("compare the peer's Finished verify_data with the value computed over the "
               "transcript (constant-time) before sending anything under the new keys")

FINISHED = [
    # -- wrong verify_data ---------------------------------------------------------------
    *each_version("bitflip-last-byte", rfc=VERIFY, topics=TOPIC, requirement=WRONG,
                  sentence=VERIFY_SENTENCE, alert_level=TLS13_MUST, hint=VERIFY_HINT,
                  mutations=[finished(flip_bit(-1))], expect=alert("decrypt_error")),
    *each_version("bitflip-first-byte", rfc=VERIFY, topics=TOPIC, requirement=WRONG,
                  sentence=VERIFY_SENTENCE, alert_level=TLS13_MUST, hint=VERIFY_HINT,
                  mutations=[finished(flip_bit(0, 7))], expect=alert("decrypt_error")),
    *each_version("bitflip-middle-byte", rfc=VERIFY, topics=TOPIC,
                  sentence=VERIFY_SENTENCE, alert_level=TLS13_MUST, hint=VERIFY_HINT,
                  requirement=WRONG, mutations=[finished(flip_middle_bit(3))],
                  expect=alert("decrypt_error")),
    Case(id="tls12-bitflip-without-extended-master-secret", version="tls12",
         rfc=("5246", "7.4.9"), topics=TOPIC,
         sentence=VERIFY_SENTENCE["tls12"],
         requirement="without extended_master_secret (the RFC 5246 master secret) a wrong "
                     "verify_data is still refused with decrypt_error",
         mutations=[extended_master_secret(False), finished(flip_bit(-1))],
         expect=alert("decrypt_error")),
    # -- wrong length ----------------------------------------------------------------------
    *each_version("truncated-verify-data", rfc=DECODE, topics=TOPIC, sentence=LENGTH_SENTENCE,
                  alert_level=TLS13_MUST, requirement=BAD_LENGTH,
                  mutations=[finished(truncate(-1))], expect=WRONG_LENGTH),
    *each_version("extended-verify-data", rfc=DECODE, topics=TOPIC, sentence=LENGTH_SENTENCE,
                  alert_level=TLS13_MUST, requirement=BAD_LENGTH,
                  mutations=[finished(extend(b"\x00"))], expect=WRONG_LENGTH),
    *each_version("empty-verify-data", rfc=DECODE, topics=TOPIC, sentence=LENGTH_SENTENCE,
                  alert_level=TLS13_MUST, requirement=BAD_LENGTH,
                  mutations=[finished(truncate(0))], expect=WRONG_LENGTH),
    # -- wrong place -------------------------------------------------------------------------
    Case(id="tls12-finished-before-change-cipher-spec", version="tls12",
         rfc=("5246", "7.4.9"), topics=TOPIC,
         sentence="It is a fatal error if a Finished message is not preceded by a "
                  "ChangeCipherSpec message at the appropriate point in the handshake.",
         requirement="Finished is sent right after ChangeCipherSpec; a (plaintext) Finished "
                     "before it is an inappropriate message: unexpected_message",
         mutations=[move("Finished", before="ChangeCipherSpec")],
         expect=alert("unexpected_message")),
    # Once handshake keys are in use a plaintext handshake record is an unexpected record
    # type (RFC 8446 5: unexpected_message); a server that reads every record then as
    # protected finds one that cannot be deprotected (6.2: bad_record_mac). Both rules are
    # MUSTs and both fit, so either alert is right.
    Case(id="tls13-finished-in-plaintext-record", version="tls13", rfc=("8446", "5"),
         topics=TOPIC, alert_level=Level.MUST,
         sentence="If a TLS implementation receives an unexpected record type, it MUST "
                  "terminate the connection with an \"unexpected_message\" alert. (6.2: "
                  "bad_record_mac ... is used for all deprotection failures.)",
         requirement="a Finished in a plaintext handshake record once handshake keys are in "
                     "use: unexpected_message (an unexpected record) or bad_record_mac (a "
                     "record that cannot be deprotected)",
         mutations=[plaintext("Finished")],
         expect=alert("unexpected_message", "bad_record_mac")),
    *each_version("application-data-instead-of-finished",
                  rfc={"tls12": ("5246", "7.4.9"), "tls13": ("8446", "6.2")},
                  topics=TOPIC,
                  sentence={"tls12": ORDER_SENTENCE["tls12"],
                            "tls13": "unexpected_message: An inappropriate message (e.g., the "
                                     "wrong handshake message, premature Application Data, "
                                     "etc.) was received."},
                  requirement="application data where the client Finished is due is "
                              "premature: unexpected_message",
                  mutations=[application_data_instead_of("Finished")],
                  expect=alert("unexpected_message")),
    *each_version("finished-sent-twice",
                  rfc={"tls12": ("5246", "7.4"), "tls13": ("8446", "4")}, topics=TOPIC,
                  sentence=ORDER_SENTENCE, alert_level=TLS13_MUST,
                  requirement="a second Finished after the handshake is an unexpected "
                              "handshake message: unexpected_message",
                  mutations=[duplicate("Finished")], expect=alert("unexpected_message")),
    # -- record framing ----------------------------------------------------------------------
    *each_version("finished-split-across-records",
                  rfc={"tls12": ("5246", "6.2.1"), "tls13": ("8446", "5.1")}, topics=TOPIC,
                  sentence=FRAGMENTS,
                  requirement="a handshake message may be fragmented across records: a "
                              "Finished split into two protected records is accepted",
                  mutations=[fragment("Finished", 5)], expect=completes()),
]


@cases(*FINISHED)
def test_finished(case, conformance):
    conformance.check(case)
