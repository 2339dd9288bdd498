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

TOPIC = ("state_machine",)
ORDER = {"tls12": ("5246", "7.3"), "tls13": ("8446", "4")}
RECORD = {"tls12": ("5246", "6"), "tls13": ("8446", "5")}
UNEXPECTED = alert("unexpected_message")


def out_of_place(name: str, what: str, mutations: list, rfc: dict | tuple = ORDER,
                 versions: tuple[str, ...] = ("tls12", "tls13"), **row: object) -> list[Case]:
    return each_version(name, versions=versions, rfc=rfc, topics=TOPIC,
                        requirement=f"{what}: unexpected_message", mutations=mutations,
                        expect=UNEXPECTED, **row)


STATE_MACHINE = [
    # -- before the ClientHello ------------------------------------------------------------
    *out_of_place("change-cipher-spec-before-client-hello",
                  "a ChangeCipherSpec before the first ClientHello is an unexpected record "
                  "(RFC 8446 5: it MUST be treated as an unexpected record type)",
                  [before_hello(change_cipher_spec(), "ChangeCipherSpec")], rfc=RECORD),
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
                  [after_hello(client_hello(), "ClientHello")]),
    Case(id="tls12-second-client-hello-after-client-key-exchange", version="tls12",
         rfc=("5246", "7.3"), topics=TOPIC,
         requirement="a ClientHello in the middle of the client's second flight: "
                     "unexpected_message",
         mutations=[in_flight(client_hello(), "ClientHello", after="ClientKeyExchange")],
         expect=UNEXPECTED),
    Case(id="tls13-second-client-hello-after-server-hello", version="tls13",
         rfc=("8446", "4.1.2"), topics=TOPIC,
         requirement="if a server has negotiated TLS 1.3 and receives a ClientHello at any "
                     "other time (than after a HelloRetryRequest), it MUST terminate the "
                     "connection with unexpected_message",
         mutations=[in_flight(client_hello(), "ClientHello", before="Finished")],
         expect=UNEXPECTED),
    Case(id="tls13-client-hello-after-handshake", version="tls13", rfc=("8446", "4.1.2"),
         topics=TOPIC,
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
         requirement="ChangeCipherSpec consists of a single byte of value 1: one of value 2 "
                     "is refused (the RFC names no alert: any fatal alert)",
         mutations=[instead_of("ChangeCipherSpec", raw_record(20, b"\x02"),
                               "ChangeCipherSpec of value 2")],
         expect=aborts_cleanly()),
    # -- ChangeCipherSpec in TLS 1.3 -------------------------------------------------------------
    Case(id="tls13-change-cipher-spec-twice-is-dropped", version="tls13", rfc=("8446", "5"),
         topics=TOPIC,
         requirement="an unprotected change_cipher_spec of value 0x01 between the first "
                     "ClientHello and the peer's Finished MUST simply be dropped: two of "
                     "them do not disturb the handshake",
         mutations=[in_flight(change_cipher_spec(), "ChangeCipherSpec",
                              after="ChangeCipherSpec")], expect=completes()),
    Case(id="tls13-change-cipher-spec-after-finished", version="tls13", rfc=("8446", "5"),
         topics=TOPIC,
         requirement="a change_cipher_spec after the peer's Finished MUST be treated as an "
                     "unexpected record type: unexpected_message",
         mutations=[in_flight(change_cipher_spec(), "ChangeCipherSpec", after="Finished")],
         expect=UNEXPECTED),
    Case(id="tls13-protected-change-cipher-spec", version="tls13", rfc=("8446", "5"),
         topics=TOPIC,
         requirement="an implementation which receives a protected change_cipher_spec "
                     "record MUST abort the handshake with unexpected_message",
         mutations=[in_flight(change_cipher_spec(protected=True), "protected ChangeCipherSpec",
                              before="Finished")], expect=UNEXPECTED),
    Case(id="tls13-change-cipher-spec-of-value-2", version="tls13", rfc=("8446", "5"),
         topics=TOPIC,
         requirement="an implementation which receives any other change_cipher_spec value "
                     "(than 0x01) MUST abort the handshake with unexpected_message",
         mutations=[instead_of("ChangeCipherSpec", raw_record(20, b"\x02"),
                               "ChangeCipherSpec of value 2")], expect=UNEXPECTED),
    Case(id="tls13-change-cipher-spec-omitted-is-accepted", version="tls13",
         rfc=("8446", "D.4"), topics=TOPIC,
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
         topics=TOPIC,
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
