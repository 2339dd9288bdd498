"""NewSessionTicket, as the client must take it (RFC 8446 4.6.1, 4; RFC 5077 3.3): after
the handshake, with any extensions, it is accepted; before the server's Finished, or in
TLS 1.2 without the extension agreed, it is refused."""

from tlsconform.scenario import cases
from tlsconform.server.scenario import ClientCase
from tlsconform.server.words import ticket_before_finished, ticket_extension, unsolicited_ticket
from tlsconform.verdict.expect import alert, completes
from tlsconform.verdict.levels import Level

TOPIC = ("resumption",)

ROWS = [
    ClientCase(id="tls13-ticket-with-unknown-extension-accepted", rfc=("8446", "4.6.1"),
               version="tls13", topics=TOPIC, mutations=[ticket_extension(0x7A7B, b"ignored")],
               requirement="a NewSessionTicket after the handshake carrying an unknown "
                           "extension is accepted, the extension ignored",
               sentence="extensions: A set of extension values for the ticket. ... Clients "
                        "MUST ignore unrecognized extensions.", expect=completes()),
    ClientCase(id="tls13-ticket-before-finished-refused", rfc=("8446", "4"), version="tls13",
               topics=TOPIC, mutations=[ticket_before_finished()],
               requirement="a NewSessionTicket before the server's Finished is refused with "
                           "unexpected_message",
               sentence="A peer which receives a handshake message in an unexpected order "
                        "MUST abort the handshake with an \"unexpected_message\" alert. "
                        "(4.6.1: At any time after the server has received the client "
                        "Finished message, it MAY send a NewSessionTicket message.)",
               alert_level=Level.MUST, expect=alert("unexpected_message")),
    ClientCase(id="tls12-unsolicited-ticket-refused", rfc=("5077", "3.3"), version="tls12",
               topics=TOPIC, mutations=[unsolicited_ticket()],
               requirement="a NewSessionTicket when the ServerHello agreed no session_ticket "
                           "is refused with unexpected_message",
               sentence="This message MUST NOT be sent if the server did not include a "
                        "SessionTicket extension in the ServerHello. (RFC 5246 7.2.2: "
                        "unexpected_message: An inappropriate message was received.)",
               expect=alert("unexpected_message")),
]


@cases(*ROWS)
def test_clients_tickets(case, client_conformance):
    client_conformance.check(case)
