"""The record layer under the server's messages, and how the server ends the connection
(RFC 8446 5, 5.1, 5.2, 5.4, 6.1; RFC 5246 6, 6.2.1, 6.2.3, 7.2.1): fragments are
reassembled; oversized, undefined, forged or empty records are refused; a truncation is
not taken for the end of the response."""

from tlsconform.scenario import cases
from tlsconform.server.scenario import ClientCase, each_version
from tlsconform.server.words import (
    alert_instead_of_flight,
    application_data_before,
    coalesce_server,
    corrupt_server_record,
    empty_application_data_before_response,
    empty_handshake_record_before,
    fragment_server,
    interleaved_in,
    key_update_before_response,
    no_close_notify,
    oversized_response,
    protected_ccs,
    server_record,
    server_record_before,
    truncated_response,
)
from tlsconform.verdict.expect import (
    alert,
    closes_with_close_notify,
    closes_without_answering,
    completes,
)
from tlsconform.verdict.levels import Level
from tlsconform.wire.records import MAX_PLAINTEXT

TOPIC = ("record_layer",)
CLOSURE = ("closure",)
MUST_13 = {"tls12": None, "tls13": Level.MUST}
FRAGMENTS = {"tls12": ("5246", "6.2.1"), "tls13": ("8446", "5.1")}
FRAGMENT_SENTENCE = {
    "tls12": "Client message boundaries are not preserved in the record layer (i.e., "
             "multiple client messages of the same ContentType MAY be coalesced into a single "
             "TLSPlaintext record, or a single message MAY be fragmented across several "
             "records).",
    "tls13": "Handshake messages MAY be coalesced into a single TLSPlaintext record or "
             "fragmented across several records",
}
UNEXPECTED_TYPE = {
    "tls12": "If a TLS implementation receives an unexpected record type, it MUST send an "
             "unexpected_message alert.",
    "tls13": "If a TLS implementation receives an unexpected record type, it MUST terminate "
             "the connection with an \"unexpected_message\" alert.",
}
TRUNCATION = ("Each party MUST send a \"close_notify\" alert before closing its write side of "
              "the connection, unless it has already sent some error alert. (A response cut "
              "short by a close without close_notify is a truncation the client can tell from "
              "the end of the data, and reports.)")

ROWS = [
    *each_version("server-hello-fragmented-completes", rfc=FRAGMENTS, topics=TOPIC,
                  mutations=[fragment_server("ServerHello", 1, 10, 40)],
                  requirement="a ServerHello split across four records is reassembled",
                  sentence=FRAGMENT_SENTENCE, expect=completes()),
    *each_version("certificate-fragmented-completes", rfc=FRAGMENTS, topics=TOPIC,
                  mutations=[fragment_server("Certificate", 3, 200, 600)],
                  requirement="a server Certificate split across four records is reassembled",
                  sentence=FRAGMENT_SENTENCE, expect=completes()),
    *each_version("server-flight-coalesced-completes", rfc=FRAGMENTS, topics=TOPIC,
                  mutations=[coalesce_server()],
                  requirement="the server's whole first flight in as few records as its "
                              "content types allow is accepted",
                  sentence=FRAGMENT_SENTENCE, expect=completes()),
    *each_version("oversized-record-refused", topics=TOPIC,
                  rfc={"tls12": ("5246", "6.2.3"), "tls13": ("8446", "5.2")},
                  closure=True, mutations={"tls12": [oversized_response(MAX_PLAINTEXT + 1025)],
                             "tls13": [oversized_response(MAX_PLAINTEXT + 1)]},
                  requirement="a protected record whose plaintext exceeds the limit (2^14 in "
                              "TLS 1.3, 2^14 + 1024 decompressed in TLS 1.2) is refused with "
                              "record_overflow",
                  sentence={"tls12": "record_overflow: A TLSCiphertext record was received "
                                     "that had a length more than 2^14+2048 bytes, or a "
                                     "record decrypted to a TLSCompressed record with more "
                                     "than 2^14+1024 bytes. (7.2.2)",
                            "tls13": "The length MUST NOT exceed 2^14 bytes. An endpoint that "
                                     "receives a record that exceeds this length MUST "
                                     "terminate the connection with a \"record_overflow\" "
                                     "alert."},
                  alert_level=MUST_13, expect=alert("record_overflow")),
    *each_version("undefined-content-type-refused", topics=TOPIC,
                  rfc={"tls12": ("5246", "6"), "tls13": ("8446", "5")},
                  mutations=[server_record_before("ServerHello", server_record(
                      0x55, b"\x00\x01", name="record of undefined content type 85"))],
                  requirement="a record of an undefined content type is refused with "
                              "unexpected_message",
                  sentence=UNEXPECTED_TYPE, alert_level=MUST_13,
                  expect=alert("unexpected_message")),
    *each_version("bad-record-tag-refused", topics=TOPIC,
                  rfc={"tls12": ("5246", "6.2.3.3"), "tls13": ("8446", "5.2")},
                  mutations={"tls12": [corrupt_server_record("Finished")],
                             "tls13": [corrupt_server_record("EncryptedExtensions")]},
                  requirement="a protected record whose authentication tag does not verify "
                              "is refused with bad_record_mac",
                  sentence={"tls12": "If the decryption fails, a fatal bad_record_mac alert "
                                     "MUST be generated.",
                            "tls13": "If the decryption fails, the receiver MUST terminate "
                                     "the connection with a \"bad_record_mac\" alert."},
                  alert_level=Level.MUST, expect=alert("bad_record_mac")),
    ClientCase(id="tls13-all-zero-inner-plaintext-refused", rfc=("8446", "5.4"),
               version="tls13", topics=TOPIC,
               mutations=[server_record_before("EncryptedExtensions", server_record(
                   22, b"", protected=True, inner_type=0, padding=16,
                   name="protected record whose inner plaintext is all zeros"))],
               requirement="a protected record whose inner plaintext is all zeros (no content "
                           "type) is refused with unexpected_message",
               sentence="If a receiving implementation does not find a non-zero octet in the "
                        "cleartext, it MUST terminate the connection with an "
                        "\"unexpected_message\" alert.",
               alert_level=Level.MUST, expect=alert("unexpected_message")),
    ClientCase(id="tls13-protected-change-cipher-spec-refused", rfc=("8446", "5"),
               version="tls13", topics=TOPIC, mutations=[protected_ccs()],
               requirement="a ChangeCipherSpec under the handshake keys is refused with "
                           "unexpected_message",
               sentence="An implementation which receives any other change_cipher_spec value "
                        "or which receives a protected change_cipher_spec record MUST abort "
                        "the handshake with an \"unexpected_message\" alert.",
               alert_level=Level.MUST, expect=alert("unexpected_message")),
    ClientCase(id="tls12-application-data-before-finished-refused", rfc=("5246", "7.4.9"),
               version="tls12", topics=TOPIC,
               mutations=[application_data_before("ChangeCipherSpec", "server-finished")],
               requirement="application data before the server's ChangeCipherSpec and "
                           "Finished is refused with unexpected_message",
               sentence="A Finished message is always sent immediately after a change cipher "
                        "spec message to verify that the key exchange and authentication "
                        "processes were successful. (6: If a TLS implementation receives an "
                        "unexpected record type, it MUST send an unexpected_message alert.)",
               expect=alert("unexpected_message")),
    *each_version("truncated-response-reported", topics=CLOSURE, closure=True,
                  rfc={"tls12": ("5246", "7.2.1"), "tls13": ("8446", "6.1")},
                  mutations=[truncated_response(), no_close_notify()],
                  requirement="a response the server cuts short, closing without "
                              "close_notify, is reported as an error, not taken as complete",
                  sentence=TRUNCATION, level=Level.SHOULD,
                  expect=alert("decode_error")),
    *each_version("close-notify-answered", topics=CLOSURE, closure=True,
                  rfc={"tls12": ("5246", "7.2.1"), "tls13": ("8446", "6.1")},
                  requirement="the client sends close_notify before it closes its side, after "
                              "the server's close_notify",
                  sentence={"tls12": "The other party MUST respond with a close_notify alert "
                                     "of its own and close down the connection immediately, "
                                     "discarding any pending writes.",
                            "tls13": "Each party MUST send a \"close_notify\" alert before "
                                     "closing its write side of the connection, unless it "
                                     "has already sent some error alert."},
                  expect=closes_with_close_notify("client")),
    *each_version("empty-application-data-accepted", rfc=FRAGMENTS, topics=TOPIC,
                  closure=True, mutations=[empty_application_data_before_response()],
                  requirement="a zero-length application data record before the response is "
                              "accepted",
                  sentence={"tls12": "Zero-length fragments of Application data MAY be sent "
                                     "as they are potentially useful as a traffic analysis "
                                     "countermeasure.",
                            "tls13": "Zero-length fragments of Application Data MAY be sent, "
                                     "as they are potentially useful as a traffic analysis "
                                     "countermeasure."},
                  expect=completes()),
    *each_version("empty-handshake-record-refused", rfc=FRAGMENTS, topics=TOPIC,
                  mutations={"tls12": [empty_handshake_record_before("Certificate")],
                             "tls13": [empty_handshake_record_before("Certificate")]},
                  level=Level.SHOULD,  # the RFCs forbid sending one, not accepting it
                  requirement="a zero-length handshake record, which a peer MUST NOT send, "
                              "is refused",
                  sentence={"tls12": "Implementations MUST NOT send zero-length fragments of "
                                     "Handshake, Alert, or ChangeCipherSpec content types.",
                            "tls13": "Implementations MUST NOT send zero-length fragments of "
                                     "Handshake types, even if those fragments contain "
                                     "padding."},
                  expect=alert("unexpected_message", "decode_error")),
    ClientCase(id="tls13-handshake-interleaved-refused", rfc=("8446", "5.1"), version="tls13",
               topics=TOPIC, mutations=[interleaved_in("Certificate", 100)],
               requirement="a server Certificate split by an application data record is "
                           "refused with unexpected_message",
               sentence="Handshake messages MUST NOT be interleaved with other record types. "
                        "That is, if a handshake message is split over two or more records, "
                        "there MUST NOT be any other records between them.",
               expect=alert("unexpected_message")),
    ClientCase(id="tls13-key-update-then-response-accepted", rfc=("8446", "4.6.3"),
               version="tls13", topics=TOPIC, closure=True,
               mutations=[key_update_before_response(0)],
               requirement="a KeyUpdate after the handshake is followed: the response under "
                           "the server's next keys is read",
               sentence="Upon receiving a KeyUpdate, the receiver MUST update its receiving "
                        "keys.", expect=completes()),
    ClientCase(id="tls13-key-update-undefined-request-refused", rfc=("8446", "4.6.3"),
               version="tls13", topics=TOPIC, closure=True,
               mutations=[key_update_before_response(2)],
               requirement="a KeyUpdate whose request_update is neither 0 nor 1 is refused "
                           "with illegal_parameter",
               sentence="If an implementation receives any other value, it MUST terminate "
                        "the connection with an \"illegal_parameter\" alert.",
               alert_level=Level.MUST, expect=alert("illegal_parameter")),
    *each_version("server-alert-closes", topics=CLOSURE,
                  rfc={"tls12": ("5246", "7.2.2"), "tls13": ("8446", "6.2")},
                  mutations=[alert_instead_of_flight(40)],
                  requirement="a fatal handshake_failure instead of ServerHello ends the "
                              "connection: the client sends nothing more and closes",
                  sentence={"tls12": "Upon transmission or receipt of a fatal alert message, "
                                     "both parties immediately close the connection.",
                            "tls13": "Upon receiving a fatal alert, the receiver MUST close "
                                     "the connection, not send any further data"},
                  expect=closes_without_answering()),
]


@cases(*ROWS)
def test_clients_records(case, client_conformance):
    client_conformance.check(case)
