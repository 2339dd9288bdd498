"""The client side of a TLS 1.2 / 1.3 conversation, driven step by step.

Each step sends a flight (a list of ``Outgoing``) or reads the peer's, and stops at the
first thing that is not the next expected message. Mutation words reshape the offer and
any flight before it is sent; the driver never special-cases them. The driver owns the
transcript and both key schedules, so anything a word sends (re-encoded, injected,
out of order) is accounted for exactly as it went over the wire.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Sequence

from tlsconform.client import hello, leniency
from tlsconform.client import offer as offers
from tlsconform.client.client_flight import ClientFlight
from tlsconform.client.identity import ClientIdentity
from tlsconform.client.keys import Keys
from tlsconform.client.offer import Offer
from tlsconform.client.resumption import Resumption
from tlsconform.client.sent_hello import SentHello
from tlsconform.client.server_flight import ServerFlight
from tlsconform.crypto import prf
from tlsconform.crypto.groups import KeyShare
from tlsconform.crypto.schedule import KeySchedule
from tlsconform.crypto.suites import (
    TLS_EMPTY_RENEGOTIATION_INFO_SCSV as EMPTY_RENEGOTIATION_INFO_SCSV,
)
from tlsconform.crypto.suites import Suite
from tlsconform.messages.alerts import AlertDescription as AD
from tlsconform.mutation import Mutation
from tlsconform.verdict.outcome import Outcome, ServerMessage
from tlsconform.wire.connection import Connection
from tlsconform.wire.conversation import Conversation
from tlsconform.wire.events import (
    Alert,
    ApplicationData,
    ChangeCipherSpec,
    Closed,
    HandshakeMessage,
    Reset,
    Timeout,
)
from tlsconform.wire.outgoing import APPLICATION_DATA, Outgoing
from tlsconform.wire.protection import (
    Protection,
)
from tlsconform.wire.sealing import Sealer

TLS12, TLS13 = offers.TLS12, offers.TLS13
HTTP_GET = b"GET / HTTP/1.0\r\n\r\n"
CKE_TYPE = bytes([16])  # ClientKeyExchange

# What may follow each server message in the first flight (RFC 8446 2, RFC 5246 7.3).
NEXT_TLS13 = {"ServerHello": ("EncryptedExtensions",),
              "EncryptedExtensions": ("CertificateRequest", "Certificate"),
              "CertificateRequest": ("Certificate",),
              "Certificate": ("CertificateVerify",),
              "CertificateVerify": ("Finished",)}
NEXT_TLS12 = {"ServerHello": ("Certificate",),
              "Certificate": ("CertificateStatus", "ServerKeyExchange", "CertificateRequest",
                              "ServerHelloDone"),
              "CertificateStatus": ("ServerKeyExchange", "CertificateRequest", "ServerHelloDone"),
              "ServerKeyExchange": ("CertificateRequest", "ServerHelloDone"),
              "CertificateRequest": ("ServerHelloDone",)}


class ClientDriver(ServerFlight, ClientFlight, Resumption, Keys, Conversation):
    """One conversation: hello, server flight, client flight, Finished, a renegotiation,
    requests, closure.

    ``renegotiation``: right after the handshake, a second TLS 1.2 handshake inside the
    protected connection under these words (RFC 5746), played by a driver of its own whose
    outcome becomes ``outcome.renegotiation``; it sends the request. A server that declines
    with a no_renegotiation warning gets the request under the first keys instead.
    ``lenient``: checks of ``client.leniency.RULES`` this client skips, for a client that
    must be faulty on purpose (the suite's rows keep every check).
    """

    def __init__(
        self,
        conn: Connection,
        offer: Offer,
        identity: ClientIdentity | None = None,
        mutations: Sequence[Mutation] = (),
        request: bytes = HTTP_GET,
        round_trips: int = 1,
        closure: bool = False,
        renegotiation: Sequence[Mutation] | None = None,
        lenient: frozenset[str] = frozenset(),
    ) -> None:
        self.conn = conn
        self.lenient = leniency.known(frozenset(lenient))
        conn.lenient = self.lenient & leniency.RECORD_RULES
        self.mutations = list(mutations)
        for mutation in self.mutations:
            offer = mutation.offer(offer)
        self.offer = offer
        self.identity = identity
        self.request = request
        self.round_trips = round_trips
        self.closure = closure
        self.renegotiation = renegotiation
        self.outcome = Outcome()
        self.sealer = Sealer(conn, self.add_to_transcript, self.record_version)
        self.transcript = b""
        self.client_random: bytes | None = None
        self.shares: dict[int, KeyShare] = {}
        self.sent_shares: list[int] = []
        self.server: dict[str, object] = {}
        self.last_server = ""
        self.retried = False
        self.first_hello = b""  # the ClientHello a HelloRetryRequest answered, as sent
        self.suite: Suite | None = None
        self.schedule: KeySchedule | None = None
        self.secrets: dict[str, bytes] = {}
        self.application_write: Protection | None = None
        self.premaster: bytes | None = None
        self.master_secret: bytes | None = None
        self.pending: tuple[Protection, Protection] | None = None
        self.ems = False
        self.session_hash: bytes | None = None
        self.client_finished = b""
        self.phases = [self.outcome.phase]  # the phase after each of our sends
        self.initial_hello_sealed = False
        self.sent_hello = SentHello()  # the last ClientHello as it went over the wire
        self.etm = False
        self.server_verify_data = b""  # TLS 1.2 server Finished, for renegotiation_info
        self.write_activated = False  # our TLS 1.2 ChangeCipherSpec took effect
        self.resumed = False
        self.tickets: list[tuple[object, float]] = []  # (NewSessionTicket, when it came)
        self.early_write: Protection | None = None  # 0-RTT keys while they are in use
        self.plain_write: Protection | None = None
        self.handshake_write: Protection | None = None  # kept while early data goes on
        self.early_accepted = False
        if offer.renegotiation is not None:  # inside a connection: no initial record version
            self.initial_hello_sealed = True

    # -- the whole conversation ---------------------------------------------
    def run(self) -> Outcome:
        steps: list[Callable[[], bool]] = [
            self.send_hello, self.read_server_flight, self.send_client_flight,
            self.read_server_finished, self.renegotiate, self.application, self.read_closure,
        ]
        self.play(steps)
        if not self.tls13 and self.master_secret is not None and self.client_random:
            self.log_secret("CLIENT_RANDOM", self.master_secret)
        return self.outcome

    @property
    def tls13(self) -> bool:
        return self.outcome.version == TLS13

    def lenient_on(self, rule: str) -> bool:
        """Whether this client skips the check ``rule`` names (``leniency.RULES``)."""
        return rule in self.lenient

    @property
    def speaks_tls13(self) -> bool:
        """TLS 1.3 once negotiated; before that, whether the offer is a TLS 1.3 one."""
        return self.tls13 if self.outcome.version is not None else self.offer.offers_tls13

    # -- transcript -------------------------------------------------------------
    def add_to_transcript(self, data: bytes) -> None:
        self.transcript += data
        if data[:1] == b"\x01":
            self.sent_hello = SentHello.of(data)
        if data[:1] == CKE_TYPE and self.session_hash is None and self.suite is not None:
            # RFC 7627 4: the session hash covers the messages up to ClientKeyExchange.
            self.session_hash = self.transcript_hash()

    def transcript_hash(self) -> bytes:
        assert self.suite is not None
        return hashlib.new(self.suite.hash, self.transcript).digest()

    def record_version(self, item: Outgoing) -> int:
        """The initial ClientHello's record carries the offer's record version (0x0301 by
        default); every later record 0x0303 (RFC 8446 5.1; RFC 5246 E.1 for TLS 1.2)."""
        if item.name == "ClientHello" and not self.initial_hello_sealed:
            self.initial_hello_sealed = True
            return self.offer.record_version
        return TLS12

    # -- steps ----------------------------------------------------------------
    def send_hello(self, cookie: bytes | None = None) -> bool:
        stage = "retry-hello" if self.retried else "hello"
        flight = [Outgoing("ClientHello", lambda: self.client_hello(cookie),
                           complete=self.fill_binders, after=Keys.enter_early_keys)]
        if self.offer.early_data and self.offer.psk is not None and not self.retried:
            # RFC 8446 4.2.10: 0-RTT data, under the PSK's early keys
            flight.append(Outgoing("ApplicationData", lambda: self.request,
                                   content_type=APPLICATION_DATA, label="early data"))
        self.send_flight(stage, flight)
        return True

    def client_hello(self, cookie: bytes | None = None) -> bytes:
        """Our ClientHello for the offer as it stands (the same random on a retry,
        RFC 8446 4.1.2)."""
        if self.client_random is None:
            self.client_random = os.urandom(32)
        self.sent_shares = self.offer.share_codes if self.offer.offers_tls13 else []
        return hello.client_hello(self.offer, self.client_random, self.shares, cookie)

    def read_server_flight(self) -> bool:
        """ServerHello .. ServerHelloDone (1.2) or .. server Finished (1.3)."""
        while True:
            event = self.conn.next_event()
            if isinstance(event, ChangeCipherSpec) and self.outcome.version in (None, TLS13) \
                    and not event.encrypted and "EncryptedExtensions" not in self.server:
                continue  # middlebox compatibility (RFC 8446 D.4)
            if isinstance(event, ChangeCipherSpec) and event.encrypted \
                    and self.lenient_on("protected-ccs"):
                continue
            if not isinstance(event, HandshakeMessage):
                return self.stop(event, alert=self.alert_for(event))
            name = event.name
            if name == "NewSessionTicket" and self.lenient_on("ticket-after-finished"):
                continue
            self.note(event)
            expected = self.expected_next()
            if name not in expected:
                self.stop(event, violation=f"sent {name} where {' or '.join(expected)} was due "
                                           f"({self.order_rule()})",
                          alert=AD.unexpected_message)
            if self.tls13 and name not in ("ServerHello", "HelloRetryRequest") \
                    and not event.encrypted:
                self.stop(event, violation=f"sent {name} in a plaintext record after "
                                           "ServerHello (RFC 8446 2)",
                          alert=AD.unexpected_message)
            handler = getattr(self, f"on_{_snake(name)}")
            if handler(event.decoded, event):
                return True

    def expected_next(self) -> tuple[str, ...]:
        if not self.last_server:
            return ("ServerHello",) if self.retried else ("ServerHello", "HelloRetryRequest")
        if self.resumed and self.last_server == "EncryptedExtensions":
            return ("Finished",)  # RFC 8446 2.2: a PSK handshake has no certificates
        if self.last_server == "HelloRetryRequest":
            return ("ServerHello", "HelloRetryRequest") if self.lenient_on("one-retry") \
                else ("ServerHello",)
        table = NEXT_TLS13 if self.tls13 else NEXT_TLS12
        expected = table.get(self.last_server, ())
        if self.tls13 and self.last_server == "Certificate" \
                and self.lenient_on("certificate-verify"):
            expected += ("Finished",)
        if self.tls13 and self.last_server == "ServerHello" \
                and self.lenient_on("encrypted-extensions"):
            expected += NEXT_TLS13["EncryptedExtensions"]
        if self.lenient_on("server-certificate") and "Certificate" in expected:
            expected += tuple(n for n in table["Certificate"] if n not in expected)
        return expected

    def order_rule(self) -> str:
        return "RFC 8446 2, 4" if self.tls13 else "RFC 5246 7.3"

    def note(self, event: HandshakeMessage, handshake: bool = True) -> None:
        """Keep what the server sent; ``server_messages`` names the handshake's messages,
        ``messages`` holds every one, post-handshake ones too, with its extensions."""
        exts = getattr(event.decoded, "extensions", None) or []
        if handshake:
            self.outcome.server_messages.append(event.name)
        self.outcome.messages.append(ServerMessage(event.name, event.encrypted, list(exts)))

    def send_client_flight(self) -> bool:
        """Our second flight; on a TLS 1.2 resumption the server's ChangeCipherSpec and
        Finished come first (RFC 5246 7.3, abbreviated handshake)."""
        if self.resumed and not self.tls13 and not self.read_server_finished():
            return False
        self.send_flight("second", self.client_flight())
        return True

    def read_server_finished(self) -> bool:
        """TLS 1.2 only: the server's (NewSessionTicket,) ChangeCipherSpec and Finished."""
        if self.tls13 or self.outcome.handshake_done:
            return True
        ccs_seen = False
        while True:
            event = self.conn.next_event()
            if isinstance(event, ChangeCipherSpec) and not ccs_seen:
                ccs_seen = True
                self.outcome.server_messages.append("ChangeCipherSpec")
                self.conn.read = self.pending_protections()[1]
                continue
            if isinstance(event, ApplicationData) and self.lenient_on("data-before-finished"):
                continue
            if not isinstance(event, HandshakeMessage):
                return self.stop(event, alert=self.alert_for(event))
            self.note(event)
            if event.name == "NewSessionTicket" and not ccs_seen:
                self.unsolicited_ticket(event)
                self.server["NewSessionTicket"] = event.decoded
                self.add_to_transcript(event.message.raw)
                continue
            if event.name != "Finished" or not ccs_seen:
                due = "Finished" if ccs_seen else "ChangeCipherSpec"
                return self.stop(event, violation=f"sent {event.name} where {due} was due "
                                                  "(RFC 5246 7.3)", alert=AD.unexpected_message)
            expected = prf.verify_data(self.suite_hash(), self.master(), "server",
                                       self.transcript_hash())
            if event.decoded.verify_data != expected and not self.lenient_on("finished"):
                return self.stop(event, violation="server Finished verify_data is wrong",
                                 alert=AD.decrypt_error)
            self.server_verify_data = expected
            self.add_to_transcript(event.message.raw)
            self.outcome.handshake_done = True
            return True

    def application(self) -> bool:
        """``round_trips`` requests, each answered by application data."""
        for _ in range(self.round_trips):
            self.send_flight("application", [
                Outgoing("ApplicationData", lambda: self.request, content_type=APPLICATION_DATA)])
            if not self.read_reply():
                return False
        return True

    def read_reply(self) -> bool:
        while True:
            event = self.conn.next_event()
            if isinstance(event, HandshakeMessage) and event.name in (
                    "NewSessionTicket", "HelloRequest", "KeyUpdate"):
                self.note(event, handshake=False)
                self.server[event.name] = event.decoded
                if event.name == "KeyUpdate" and self.tls13:
                    self.key_update(event)
                if event.name == "NewSessionTicket":
                    self.keep_ticket(event.decoded)
                continue
            if isinstance(event, ApplicationData):
                self.outcome.completed = True
                self.outcome.reply = event
                self.outcome.replies += 1
                return True
            return self.stop(event, alert=self.alert_for(event))

    def key_update(self, event: HandshakeMessage) -> None:
        """The server's next read keys; a request_update other than 0 or 1 is refused
        (RFC 8446 4.6.3)."""
        request = event.decoded.request_update
        if request not in (0, 1) and not self.lenient_on("key-update-request"):
            self.stop(event, violation=f"KeyUpdate with request_update {request}, neither 0 "
                                       "nor 1 (RFC 8446 4.6.3)", alert=AD.illegal_parameter)
        self.outcome.key_updates.append(request)
        self.next_read_keys()

    def renegotiate(self) -> bool:
        """A second TLS 1.2 handshake in this connection, offering what RFC 5746 3.5 says
        a renegotiating client sends: renegotiation_info with our Finished, no SCSV."""
        if self.renegotiation is None:
            return True
        if self.tls13:
            self.unmet("TLS 1.3 has no renegotiation (RFC 8446 4.1.2)")
        offer = self.offer.with_(
            renegotiation=(self.client_finished, self.server_verify_data),
            renegotiation_info=True, session_id=b"", resume12=None, session_ticket=None,
            ciphers=[c for c in self.offer.ciphers if c != EMPTY_RENEGOTIATION_INFO_SCSV])
        inner = ClientDriver(self.conn, offer, identity=self.identity,
                             mutations=self.renegotiation, request=self.request,
                             lenient=self.lenient)
        self.outcome.renegotiation = inner.run()
        self.outcome.completed = inner.outcome.completed  # the request was answered
        self.outcome.replies = inner.outcome.replies
        return inner.declined  # then the connection goes on under the first keys

    @property
    def declined(self) -> bool:
        """A renegotiation the server declined with a warning (RFC 5246 7.2.2)."""
        alert = self.outcome.alert
        return (self.offer.renegotiation is not None and alert is not None
                and not alert.fatal and alert.description == AD.no_renegotiation)

    def read_closure(self) -> bool:
        """After the last reply, everything up to the end of the connection (each read
        bounded). The "closing" flight goes first (words put a close_notify there); a
        server's close_notify is answered with ours, as a client owes it (RFC 5246 7.2.1)."""
        if not self.closure:
            return True
        self.send_flight("closing", [])
        while True:
            event = self.conn.next_event()
            self.outcome.closure.append(event)
            if isinstance(event, Closed | Reset | Timeout):
                return True
            if isinstance(event, Alert) and event.close_notify and not self.ended_by_us \
                    and not self.lenient_on("close-notify"):
                self.send_alert(0, level=1)

    def phrase(self, name: str) -> str:
        return client_phrase(name)


def _snake(name: str) -> str:
    out = ""
    for ch in name:
        out += f"_{ch.lower()}" if ch.isupper() and out else ch.lower()
    return out


def client_phrase(name: str) -> str:
    """A message name said as the client's ("client Finished"); a mutation's label (which
    has spaces) says whose it is itself."""
    return name if " " in name or name.startswith("Client") else f"client {name}"
