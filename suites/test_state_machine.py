"""Messages out of place: before the ClientHello, twice, in the other version's handshake,
skipped, or after the handshake (RFC 8446 4, 4.1.2, 5, 4.6.3; RFC 5246 6, 7.1, 7.3, 7.4).

Every row expects unexpected_message: "A peer which receives a handshake message in an
unexpected order MUST abort the handshake with an unexpected_message alert" (RFC 8446 4),
"If a TLS implementation receives an unexpected record type, it MUST terminate the
connection with an unexpected_message alert" (RFC 8446 5; RFC 5246 6 says the same), and in
TLS 1.2 "it MUST send the appropriate alert prior to closing the connection" (RFC 5246
7.2.2), unexpected_message being "an inappropriate message was received".
"""

from tlsconform.client.words import (
    after_handshake,
    after_hello,
    application_data,
    before_hello,
    change_cipher_spec,
    client_hello,
    client_key_exchange,
    finished_message,
    handshake,
    in_flight,
    instead_of,
    key_update,
    omit,
    raw_record,
)
from tlsconform.messages.client_messages import certificate_verify
from tlsconform.scenario import Case, cases, each_version
from tlsconform.verdict.expect import aborts_cleanly, alert, completes
from tlsconform.verdict.levels import Level

TOPIC = ("state_machine",)
ORDER = {"tls12": ("5246", "7.3"), "tls13": ("8446", "4")}
RECORD = {"tls12": ("5246", "6"), "tls13": ("8446", "5")}
UNEXPECTED = alert("unexpected_message")
ORDER_SENTENCE = {
    "tls12": ("The handshake protocol messages are presented below in the order they MUST be "
              "sent; sending handshake messages in an unexpected order results in a fatal "
              "error. (7.2.2: unexpected_message: An inappropriate message was received.)"),
    "tls13": ("A peer which receives a handshake message in an unexpected order MUST abort the "
              "handshake with an \"unexpected_message\" alert."),
}
RECORD_SENTENCE = {
    "tls12": ("If a TLS implementation receives an unexpected record type, it MUST send an "
              "unexpected_message alert."),
    "tls13": ("If a TLS implementation receives an unexpected record type, it MUST terminate "
              "the connection with an \"unexpected_message\" alert."),
}
CCS_SENTENCE = ("An implementation which receives any other change_cipher_spec value or which "
                "receives a protected change_cipher_spec record MUST abort the handshake with "
                "an \"unexpected_message\" alert. ... If an implementation detects a "
                "change_cipher_spec record received before the first ClientHello message or "
                "after the peer's Finished message, it MUST be treated as an unexpected record "
                "type.")  # RFC 8446 5
TLS13_MUST = {"tls12": None, "tls13": Level.MUST}
DROPPED = ("An implementation may receive an unencrypted record of type change_cipher_spec "
           "consisting of the single byte value 0x01 at any time after the first ClientHello "
           "message has been sent or received and before the peer's Finished message has been "
           "received and MUST simply drop it without further processing.")  # RFC 8446 5
HELLO_AGAIN = ("Because TLS 1.3 forbids renegotiation, if a server has negotiated TLS 1.3 and "
               "receives a ClientHello at any other time, it MUST terminate the connection "
               "with an \"unexpected_message\" alert.")  # RFC 8446 4.1.2


def out_of_place(name: str, what: str, mutations: list, rfc: dict | tuple = ORDER,
                 versions: tuple[str, ...] = ("tls12", "tls13"), **row: object) -> list[Case]:
    sentence = RECORD_SENTENCE if rfc is RECORD else ORDER_SENTENCE
    row.setdefault("sentence", sentence)
    return each_version(name, versions=versions, rfc=rfc, topics=TOPIC,
                        requirement=f"{what}: unexpected_message", mutations=mutations,
                        expect=UNEXPECTED, alert_level=TLS13_MUST, **row)


STATE_MACHINE = [
    # -- before the ClientHello ------------------------------------------------------------
    *out_of_place("change-cipher-spec-before-client-hello",
                  "a ChangeCipherSpec before the first ClientHello is an unexpected record "
                  "(RFC 8446 5: it MUST be treated as an unexpected record type)",
                  [before_hello(change_cipher_spec(), "ChangeCipherSpec")], rfc=RECORD,
                  sentence={"tls12": RECORD_SENTENCE["tls12"], "tls13": CCS_SENTENCE}),
    *out_of_place("finished-before-client-hello", "a Finished as the first message",
                  [before_hello(finished_message(), "Finished")]),
    *out_of_place("application-data-before-client-hello",
                  "application data before any handshake is an unexpected record",
                  [before_hello(application_data(), "ApplicationData")], rfc=RECORD),
    *out_of_place("empty-application-data-before-client-hello",
                  "an empty application data record before any handshake",
                  [before_hello(application_data(b""), "empty ApplicationData")], rfc=RECORD),
    # -- a second ClientHello ----------------------------------------------------------------
    *out_of_place("second-client-hello-before-server-hello",
                  "a second ClientHello right behind the first, before any ServerHello "
                  "(only a HelloRetryRequest allows one, RFC 8446 4.1.2)",
                  [after_hello(client_hello(), "a second ClientHello")]),
    Case(id="tls12-second-client-hello-after-client-key-exchange", version="tls12",
         rfc=("5246", "7.3"), topics=TOPIC,
         requirement="a ClientHello in the middle of the client's second flight: "
                     "unexpected_message",
         sentence=ORDER_SENTENCE["tls12"],
         mutations=[in_flight(client_hello(), "ClientHello", after="ClientKeyExchange")],
         expect=UNEXPECTED),
    Case(id="tls13-second-client-hello-after-server-hello", version="tls13",
         rfc=("8446", "4.1.2"), topics=TOPIC,
         sentence=HELLO_AGAIN, alert_level=Level.MUST,
         requirement="if a server has negotiated TLS 1.3 and receives a ClientHello at any "
                     "other time (than after a HelloRetryRequest), it MUST terminate the "
                     "connection with unexpected_message",
         mutations=[in_flight(client_hello(), "ClientHello", before="Finished")],
         expect=UNEXPECTED),
    Case(id="tls13-client-hello-after-handshake", version="tls13", rfc=("8446", "4.1.2"),
         topics=TOPIC,
         sentence=HELLO_AGAIN, alert_level=Level.MUST,
         requirement="TLS 1.3 forbids renegotiation: a ClientHello after the handshake MUST "
                     "be answered with unexpected_message",
         mutations=[after_handshake(client_hello(), "ClientHello")], expect=UNEXPECTED),
    # -- ClientKeyExchange and ChangeCipherSpec in TLS 1.2 -------------------------------------
    *out_of_place("second-client-key-exchange", "a second ClientKeyExchange",
                  [in_flight(client_key_exchange(), "ClientKeyExchange",
                             after="ClientKeyExchange")], versions=("tls12",)),
    *out_of_place("client-key-exchange-after-finished",
                  "a ClientKeyExchange after the client Finished, protected",
                  [in_flight(client_key_exchange(), "ClientKeyExchange", after="Finished")],
                  versions=("tls12",)),
    *out_of_place("change-cipher-spec-before-client-key-exchange",
                  "a ChangeCipherSpec before ClientKeyExchange, when there are no keys to "
                  "change to", [in_flight(change_cipher_spec(), "ChangeCipherSpec",
                                          before="ClientKeyExchange")], versions=("tls12",)),
    *out_of_place("change-cipher-spec-twice", "a second ChangeCipherSpec",
                  [in_flight(change_cipher_spec(), "ChangeCipherSpec",
                             after="ChangeCipherSpec")], versions=("tls12",)),
    *out_of_place("change-cipher-spec-after-finished",
                  "a ChangeCipherSpec after the client Finished",
                  [in_flight(change_cipher_spec(), "ChangeCipherSpec", after="Finished")],
                  versions=("tls12",)),
    Case(id="tls12-change-cipher-spec-of-value-2", version="tls12", rfc=("5246", "7.1"),
         topics=TOPIC,
         sentence="The message consists of a single byte of value 1.",
         requirement="ChangeCipherSpec consists of a single byte of value 1: one of value 2 "
                     "is refused (the RFC names no alert: any fatal alert)",
         mutations=[instead_of("ChangeCipherSpec", raw_record(20, b"\x02"),
                               "ChangeCipherSpec of value 2")],
         expect=aborts_cleanly()),
    # -- ChangeCipherSpec in TLS 1.3 -------------------------------------------------------------
    Case(id="tls13-change-cipher-spec-twice-is-dropped", version="tls13", rfc=("8446", "5"),
         topics=TOPIC, sentence=DROPPED,
         requirement="an unprotected change_cipher_spec of value 0x01 between the first "
                     "ClientHello and the peer's Finished MUST simply be dropped: two of "
                     "them do not disturb the handshake",
         mutations=[in_flight(change_cipher_spec(), "ChangeCipherSpec",
                              after="ChangeCipherSpec")], expect=completes()),
    Case(id="tls13-change-cipher-spec-after-finished", version="tls13", rfc=("8446", "5"),
         topics=TOPIC, sentence=CCS_SENTENCE, alert_level=Level.MUST,
         requirement="a change_cipher_spec after the peer's Finished MUST be treated as an "
                     "unexpected record type: unexpected_message",
         mutations=[in_flight(change_cipher_spec(), "ChangeCipherSpec", after="Finished")],
         expect=UNEXPECTED),
    Case(id="tls13-protected-change-cipher-spec", version="tls13", rfc=("8446", "5"),
         topics=TOPIC, sentence=CCS_SENTENCE, alert_level=Level.MUST,
         requirement="an implementation which receives a protected change_cipher_spec "
                     "record MUST abort the handshake with unexpected_message",
         mutations=[in_flight(change_cipher_spec(protected=True), "protected ChangeCipherSpec",
                              before="Finished")], expect=UNEXPECTED),
    Case(id="tls13-change-cipher-spec-of-value-2", version="tls13", rfc=("8446", "5"),
         topics=TOPIC, sentence=CCS_SENTENCE, alert_level=Level.MUST,
         requirement="an implementation which receives any other change_cipher_spec value "
                     "(than 0x01) MUST abort the handshake with unexpected_message",
         mutations=[instead_of("ChangeCipherSpec", raw_record(20, b"\x02"),
                               "ChangeCipherSpec of value 2")], expect=UNEXPECTED),
    Case(id="tls13-change-cipher-spec-omitted-is-accepted", version="tls13",
         rfc=("8446", "D.4"), topics=TOPIC,
         sentence="If not offering early data, the client sends a dummy change_cipher_spec "
                  "record (see the third paragraph of Section 5) immediately before its second "
                  "flight.",
         requirement="the middlebox-compatibility ChangeCipherSpec is optional: a client "
                     "that sends none completes the handshake",
         mutations=[omit("ChangeCipherSpec")], expect=completes()),
    # -- messages of the other version, or of the other side -----------------------------------
    *out_of_place("client-key-exchange-in-tls13-handshake",
                  "a TLS 1.2 ClientKeyExchange inside a TLS 1.3 handshake",
                  [in_flight(client_key_exchange(), "ClientKeyExchange", before="Finished")],
                  versions=("tls13",)),
    *out_of_place("certificate-verify-without-certificate",
                  "a CertificateVerify although no certificate was requested or sent",
                  [in_flight(handshake("CertificateVerify", certificate_verify(
                      0x0804, bytes(256))[4:]), "CertificateVerify", before="Finished")],
                  versions=("tls13",)),
    *out_of_place("end-of-early-data-without-early-data",
                  "an EndOfEarlyData although no early data was offered",
                  [in_flight(handshake("EndOfEarlyData"), "EndOfEarlyData", before="Finished")],
                  versions=("tls13",)),
    Case(id="tls13-key-update-before-finished", version="tls13", rfc=("8446", "4.6.3"),
         topics=TOPIC, alert_level=Level.MUST,
         sentence="Implementations that receive a KeyUpdate message prior to receiving a "
                  "Finished message MUST terminate the connection with an "
                  "\"unexpected_message\" alert.",
         requirement="implementations that receive a KeyUpdate message prior to receiving "
                     "a Finished message MUST terminate the connection with unexpected_message",
         mutations=[in_flight(key_update(0), "KeyUpdate", before="Finished")],
         expect=UNEXPECTED),
    *out_of_place("hello-request-from-client",
                  "a HelloRequest, which only a server sends (and TLS 1.3 does not define)",
                  [in_flight(handshake("HelloRequest"), "HelloRequest", before="Finished")]),
    *out_of_place("new-session-ticket-from-client",
                  "a NewSessionTicket, which only a server sends",
                  [in_flight(handshake("NewSessionTicket", bytes(4) + bytes(2)),
                             "NewSessionTicket", before="Finished")], versions=("tls12",)),
    *out_of_place("server-hello-from-client", "a ServerHello, which only a server sends",
                  [instead_of("ClientKeyExchange", handshake("ServerHello", bytes(38) + b"\xc0"
                                                             b"\x2f\x00"), "ServerHello")],
                  versions=("tls12",)),
    # -- each client message left out ----------------------------------------------------------
    *out_of_place("finished-straight-after-server-hello-done",
                  "a Finished with no ClientKeyExchange and no ChangeCipherSpec before it",
                  [omit("ClientKeyExchange"), omit("ChangeCipherSpec")], versions=("tls12",)),
    *out_of_place("client-key-exchange-omitted",
                  "no ClientKeyExchange: a ChangeCipherSpec comes instead",
                  [omit("ClientKeyExchange")], versions=("tls12",)),
    *out_of_place("change-cipher-spec-omitted",
                  "no ChangeCipherSpec: the Finished arrives in a plaintext record",
                  [omit("ChangeCipherSpec")], versions=("tls12",)),
    # (in TLS 1.2 a server rightly waits for a Finished that never comes, and the client
    # for the server's: application-data-instead-of-finished is that row)
    *out_of_place("finished-omitted",
                  "no client Finished: application data comes where it is due",
                  [omit("Finished")], versions=("tls13",)),
]


@cases(*STATE_MACHINE)
def test_state_machine(case, conformance):
    conformance.check(case)
