"""Handshakes after the handshake: TLS 1.2 renegotiation under RFC 5746, and a TLS 1.3
ClientHello or Finished once the handshake is over (RFC 8446 4.1.2, 4).

The renegotiating ClientHello is sealed under the first handshake's keys and carries our
Finished in renegotiation_info; a server that completes the renegotiation must answer
with both Finished values (checked by the engine). A server may decline renegotiation
with a no_renegotiation warning; rows that test how it judges a renegotiating ClientHello
skip, saying so, against a server that declines every one.
"""

from tlsconform.client.words import (
    add_ciphers,
    after_handshake,
    client_hello,
    finished_message,
    no_renegotiation_info,
    renegotiation_verify_data,
    scsv_in_renegotiation,
    supported_versions,
)
from tlsconform.crypto.suites import TLS13_SUITES
from tlsconform.scenario import Case, Need, cases
from tlsconform.verdict.expect import alert
from tlsconform.verdict.session_checks import (
    renegotiated,
    renegotiates_or_declines,
    renegotiation_refused,
)

TOPIC = ("renegotiation",)
TLS12, TLS13 = 0x0303, 0x0304
RENEGOTIATES = Need("secure renegotiation (a plain one completes)", renegotiation=[],
                    feature="renegotiation",
                    check=renegotiated())
DECLINE = ("no_renegotiation: Sent by the client in response to a hello request or by the "
           "server in response to a client hello after initial handshaking. ... This message "
           "is always a warning.")  # RFC 5246 7.2.2
VERIFY = ("The server MUST verify that the value of the \"renegotiated_connection\" field is "
          "equal to the saved client_verify_data value; if it is not, the server MUST abort "
          "the handshake.")  # RFC 5746 3.7
PRESENT = ("The server MUST verify that the \"renegotiation_info\" extension is present; if "
           "it is not, the server MUST abort the handshake.")  # RFC 5746 3.7
NO_SCSV = ("When a ClientHello is received, the server MUST verify that it does not contain "
           "the TLS_EMPTY_RENEGOTIATION_INFO_SCSV SCSV. If the SCSV is present, the server "
           "MUST abort the handshake.")  # RFC 5746 3.7
RETAIN = ("If a server established a TLS connection with a previous version of TLS and "
          "receives a TLS 1.3 ClientHello in a renegotiation, it MUST retain the previous "
          "protocol version. In particular, it MUST NOT negotiate TLS 1.3.")  # RFC 8446 4.1.2
NO_RENEGOTIATION = ("Because TLS 1.3 forbids renegotiation, if a server has negotiated TLS "
                    "1.3 and receives a ClientHello at any other time, it MUST terminate the "
                    "connection with an \"unexpected_message\" alert.")  # RFC 8446 4.1.2
ORDER = ("Protocol messages MUST be sent in the order defined in Section 4.4.1 and shown in "
         "the diagrams in Section 2. A peer which receives a handshake message in an "
         "unexpected order MUST abort the handshake with an \"unexpected_message\" "
         "alert.")  # RFC 8446 4


def refused(name: str, requirement: str, words: list, sentence: str) -> Case:
    return Case(id=f"tls12-renegotiation-{name}", version="tls12", rfc=("5746", "3.7"),
                topics=TOPIC, sentence=sentence, needs=(RENEGOTIATES,), renegotiation=words,
                hint="in a renegotiation, require renegotiation_info with the saved client "
                     "verify_data and no SCSV, else send handshake_failure and close",
                requirement=f"{requirement}: the server aborts the renegotiation, which RFC "
                            "5746 3.4 defines as a fatal handshake_failure (another abort "
                            "grades conceptual, a no_renegotiation warning too)",
                expect=renegotiation_refused("handshake_failure"))


RENEGOTIATION = [
    Case(id="tls12-renegotiation-secure", version="tls12", rfc=("5246", "7.2.2"), topics=TOPIC,
         sentence=DECLINE, renegotiation=[],
         requirement="a secure renegotiation right after the handshake (renegotiation_info "
                     "with our Finished, no SCSV): the server completes it, answering with both "
                     "Finished values, or declines with the no_renegotiation warning and goes "
                     "on, or refuses with a fatal handshake_failure",
         expect=renegotiates_or_declines()),
    refused("wrong-verify-data", "renegotiation_info with one bit of our Finished flipped",
            [renegotiation_verify_data("flipped")], VERIFY),
    refused("empty-verify-data", "an empty renegotiation_info, as in an initial handshake",
            [renegotiation_verify_data("empty")], VERIFY),
    refused("without-extension", "a renegotiating ClientHello without renegotiation_info "
            "after a secure initial handshake (insecure renegotiation)",
            [no_renegotiation_info()], PRESENT),
    refused("with-scsv", "a renegotiating ClientHello with the SCSV beside "
            "renegotiation_info", [scsv_in_renegotiation()], NO_SCSV),
    Case(id="tls12-renegotiation-offers-tls13", version="tls12", rfc=("8446", "4.1.2"),
         topics=TOPIC, sentence=RETAIN, renegotiation=[
             supported_versions(TLS13, TLS12), add_ciphers(*TLS13_SUITES)],
         requirement="a renegotiating ClientHello that offers TLS 1.3 too: the server keeps "
                     "TLS 1.2 (completes or declines as for any renegotiation)",
         expect=renegotiates_or_declines()),
    Case(id="tls13-client-hello-after-handshake", version="tls13", rfc=("8446", "4.1.2"),
         topics=TOPIC, sentence=NO_RENEGOTIATION,
         requirement="a ClientHello after the handshake, under the application keys: "
                     "unexpected_message",
         mutations=[after_handshake(client_hello(), "ClientHello")],
         expect=alert("unexpected_message")),
    Case(id="tls13-finished-after-handshake", version="tls13", rfc=("8446", "4"),
         topics=TOPIC, sentence=ORDER,
         requirement="a second Finished after the handshake: unexpected_message",
         mutations=[after_handshake(finished_message(), "Finished")],
         expect=alert("unexpected_message")),
]


@cases(*RENEGOTIATION)
def test_renegotiation(case, conformance):
    conformance.check(case)
