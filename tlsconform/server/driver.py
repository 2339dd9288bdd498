"""The server side of a TLS 1.2 / 1.3 conversation, driven step by step, to test a client.

It reads the client's ClientHello, chooses as a correct server would (``choices``), lets
the row's words change those choices and any flight, and reads what the client does:
an alert, a close, or its Finished and request. It owns the transcript and the key
schedule, so anything a word sends is accounted for exactly as it went over the wire.
Sending, alerts and stopping are ``Conversation``'s, shared with the client driver.
"""

from __future__ import annotations

import contextlib
import hashlib
import socket
from collections.abc import Callable, Sequence
from typing import NoReturn

from tlsconform.client.identity import ClientIdentity
from tlsconform.crypto.certificates import CertificateError, public_key
from tlsconform.crypto.groups import KeyExchangeError, KeyShare, group_name
from tlsconform.crypto.schedule import KeySchedule
from tlsconform.crypto.signatures import scheme_name, tls13_signed_content, verify
from tlsconform.crypto.suites import SUITES, Suite
from tlsconform.messages import client_decoding
from tlsconform.messages import extensions as ext
from tlsconform.messages import server_messages as sm
from tlsconform.messages.alerts import AlertDescription as AD
from tlsconform.messages.codec import DecodeError, Reader
from tlsconform.mutation import Mutation
from tlsconform.server.choices import TLS13_FORBIDDEN, Choices, choose
from tlsconform.server.flights import CERTIFICATE_REQUEST_SCHEMES, ServerFlights
from tlsconform.server.words.signed import server_phrase
from tlsconform.verdict.outcome import Outcome
from tlsconform.wire.connection import Connection
from tlsconform.wire.conversation import Conversation
from tlsconform.wire.events import (
    Alert,
    ApplicationData,
    ChangeCipherSpec,
    Closed,
    Event,
    HandshakeMessage,
    Reset,
    Timeout,
)
from tlsconform.wire.outgoing import Flight
from tlsconform.wire.protection import Protection
from tlsconform.wire.sealing import Sealer

TLS12, TLS13 = 0x0303, 0x0304
CLOSURE_WAIT = 1.0  # seconds to watch the client's end of the connection after ours


class ServerDriver(ServerFlights, Conversation):
    """One conversation with a client: its hello, our flight, its flight, (our TLS 1.2
    Finished), its request, our response and close.

    ``request_certificate``: send a CertificateRequest; ``closure``: after the response,
    read the client's end of the connection (bounded) into ``outcome.closure``.
    """

    def __init__(self, conn: Connection, version: str, identity: ClientIdentity,
                 mutations: Sequence[Mutation] = (), request_certificate: bool = False,
                 closure: bool = False) -> None:
        self.conn = conn
        conn.decoder = client_decoding.decode
        self.version = version
        self.identity = identity
        self.mutations = list(mutations)
        self.request_certificate = request_certificate
        self.closure = closure
        self.outcome = Outcome(peer="client", phase="before the client's ClientHello")
        self.phases = [self.outcome.phase]
        self.sealer = Sealer(conn, self.add_to_transcript, lambda item: TLS12)
        self.transcript = b""
        self.first_hello_length = 0
        self.retries = 0  # HelloRetryRequests sent
        self.hello: client_decoding.ClientHello | None = None
        self.choices: Choices
        self.client_random = b""
        self.server_random = b""
        self.share: KeyShare | None = None
        self.suite: Suite | None = None
        self.schedule: KeySchedule | None = None
        self.secrets: dict[str, bytes] = {}
        self.premaster: bytes | None = None
        self.master_secret: bytes | None = None
        self.session_hash: bytes | None = None
        self.pending: tuple[Protection, Protection] | None = None
        self.client_certificates: list[bytes] = []

    def phrase(self, name: str) -> str:
        return server_phrase(name)

    def answered_early(self, event: Event) -> bool:
        """After its request, a client's close_notify closes only its side (RFC 8446 6.1;
        gnutls-cli sends one at its stdin's end), and a close may come while our response
        is still going out: the response and our close_notify still go, and both are read
        with the client's end of the connection. An error alert ends it there."""
        if self.outcome.completed and (isinstance(event, Closed | Reset) or (
                isinstance(event, Alert) and event.close_notify)):
            return False
        return super().answered_early(event)

    def flight_phrase(self, flight: Flight) -> str:
        """A client may answer any message of a long flight: a flight of several messages
        is named by its first and last ("ServerHello .. server Finished"), with the
        messages a word changed."""
        changed = [item.shown for item in flight if item.label]
        span = self.phrase(flight[0].name) if len(flight) == 1 else \
            f"{self.phrase(flight[0].name)} .. {self.phrase(flight[-1].name)}"
        return f"{span} ({'; '.join(changed)})" if changed else span

    # -- the whole conversation ---------------------------------------------
    def run(self) -> Outcome:
        steps: list[Callable[[], bool]] = [
            self.read_first_hello, self.retry, self.send_server_flight,
            self.read_client_flight, self.send_finished, self.read_request, self.respond,
            self.read_closure,
        ]
        self.play(steps)
        return self.outcome

    @property
    def tls13(self) -> bool:
        return self.outcome.version == TLS13

    @property
    def hash_name(self) -> str:
        """The transcript hash: the keys' suite's once there are keys, else the chosen
        suite's (SHA-256 for one the engine does not know)."""
        if self.suite is not None:
            return self.suite.hash
        suite = SUITES.get(self.choices.suite)
        return suite.hash if suite is not None else "sha256"

    def add_to_transcript(self, data: bytes) -> None:
        self.transcript += data
        if data[:1] == b"\x10" and self.session_hash is None:  # RFC 7627 4: up to CKE
            self.session_hash = self.transcript_hash()

    def transcript_hash(self) -> bytes:
        return hashlib.new(self.hash_name, self.transcript).digest()

    def log_secret(self, label: str, secret: bytes) -> None:
        """A key log line (SSLKEYLOGFILE) for the evidence files."""
        self.outcome.key_secrets.append((label, self.client_random, secret))

    # -- reading ------------------------------------------------------------------
    def next_message(self, expected: tuple[str, ...], allow_ccs: bool = False
                     ) -> HandshakeMessage:
        """The next handshake message, which must be one of ``expected``; anything else
        ends the conversation with what the client did."""
        while True:
            event = self.conn.next_event()
            if isinstance(event, ChangeCipherSpec) and allow_ccs and not event.encrypted:
                allow_ccs = False  # RFC 8446 D.4: one, before the client's second flight
                continue
            if not isinstance(event, HandshakeMessage):
                self.stop(event, alert=self.alert_for(event))
            if event.name not in expected:
                self.stop(event, violation=f"sent {event.name} where {' or '.join(expected)} "
                                           f"was due ({self.order_rule()})",
                          alert=AD.unexpected_message)
            return event

    def order_rule(self) -> str:
        return "RFC 8446 2, 4" if self.tls13 else "RFC 5246 7.3"

    def read_first_hello(self) -> bool:
        event = self.next_message(("ClientHello",))
        self.take_hello(event)
        self.first_hello_length = len(self.transcript)
        version = self.version
        if version == "any":
            version = "tls13" if 0x0304 in event.decoded.versions else "tls12"
        choices = choose(event.decoded, version, self.identity)
        if isinstance(choices, str):
            self.unmet(choices)
        for mutation in self.mutations:
            choices = mutation.choose(choices)
        if choices.unmet:
            self.unmet(choices.unmet)
        if choices.note:
            self.outcome.notes.append(choices.note)
        self.choices = choices
        self.outcome.version = choices.version
        self.outcome.cipher = choices.suite
        self.conn.context = sm.Context(tls13=choices.tls13)
        return True

    def take_hello(self, event: HandshakeMessage) -> None:
        self.hello = event.decoded
        self.outcome.hellos.append(event.message.raw)
        self.client_random = self.hello.random
        self.add_to_transcript(event.message.raw)

    def hello_share(self) -> bytes | None:
        """The client's key share for the chosen group in its latest ClientHello."""
        assert self.hello is not None
        try:
            shares = self.hello.key_shares
        except DecodeError:
            return None
        return next((key for group, key in shares if group == self.choices.group), None)

    def retry(self) -> bool:
        """A HelloRetryRequest, and the second ClientHello it asks for (RFC 8446 4.1.4)."""
        if not (self.choices.tls13 and self.choices.retry):
            return True
        first = self.hello
        rounds = 2 if self.choices.retry_twice else 1
        for _ in range(rounds):
            self.send_flight("retry", self.retry_flight())
            self.retries += 1
            event = self.next_message(("ClientHello",), allow_ccs=True)
            self.take_hello(event)
        assert first is not None and self.hello is not None
        self.check_second_hello(first, event)
        group = self.choices.retry_group or self.choices.group
        self.choices = self.choices.with_(group=group, retry=False, hello=self.hello)
        return True

    def check_second_hello(self, first: client_decoding.ClientHello,
                           event: HandshakeMessage) -> None:
        """RFC 8446 4.1.2: the second ClientHello is the first with the key share asked
        for and the cookie echoed."""
        assert self.hello is not None
        group, cookie = self.choices.retry_group, self.choices.cookie
        try:
            shares = self.hello.key_shares
        except DecodeError as exc:
            self.stop(event, violation=f"second ClientHello: {exc}", alert=AD.decode_error)
        if group is not None and [g for g, _ in shares] != [group]:
            self.stop(event, violation=f"the second ClientHello's key_share is "
                                       f"{[group_name(g) for g, _ in shares]}, not the "
                                       f"{group_name(group)} the HelloRetryRequest asked for "
                                       "(RFC 8446 4.1.2)", alert=AD.illegal_parameter)
        if cookie is not None:
            echoed = self.hello.ext(ext.COOKIE)
            if echoed != len(cookie).to_bytes(2, "big") + cookie:
                what = "no cookie" if echoed is None else "another cookie"
                self.stop(event, violation=f"the second ClientHello carries {what} than the "
                                           "HelloRetryRequest's (RFC 8446 4.2.2: the client "
                                           "MUST copy it)", alert=AD.illegal_parameter)
        if self.hello.random != first.random:
            self.stop(event, violation="the second ClientHello has another random "
                                       "(RFC 8446 4.1.2)", alert=AD.illegal_parameter)

    # -- our flights ----------------------------------------------------------------
    def send_server_flight(self) -> bool:
        try:
            self.send_flight("server-hello", self.server_hello_flight())
        except KeyExchangeError as exc:
            self.stop(None, violation=f"the client's key share: {exc}",
                      alert=AD.illegal_parameter)
        return True

    def send_finished(self) -> bool:
        if not self.choices.tls13:
            self.send_flight("server-finished", self.finished_flight())
        self.outcome.handshake_done = True
        return True

    # -- the client's flight -----------------------------------------------------------
    def read_client_flight(self) -> bool:
        """TLS 1.3: [Certificate, CertificateVerify], Finished under its handshake keys;
        TLS 1.2: [Certificate], ClientKeyExchange, [CertificateVerify], CCS, Finished."""
        if self.tls13:
            expected: tuple[str, ...] = ("Certificate",) if self.request_certificate \
                else ("Finished",)
            event = self.next_message(expected, allow_ccs=True)
            if event.name == "Certificate":
                self.client_certificate(event)
                expected = ("CertificateVerify",) if self.client_certificates \
                    else ("Finished",)
                event = self.next_message(expected)
                if event.name == "CertificateVerify":
                    self.client_certificate_verify(event)
                    event = self.next_message(("Finished",))
            self.client_finished(event)
            if "c_ap" in self.secrets:
                self.conn.superseded = (self.conn.read, "handshake keys")
                self.conn.read = self.protection(self.secrets["c_ap"])
            return True
        event = self.next_message(("Certificate",) if self.request_certificate
                                  else ("ClientKeyExchange",))
        if event.name == "Certificate":
            self.client_certificate(event)
            event = self.next_message(("ClientKeyExchange",))
        self.client_key_exchange(event)
        if self.client_certificates:
            self.client_certificate_verify(self.next_message(("CertificateVerify",)))
        while True:
            ccs = self.conn.next_event()
            if isinstance(ccs, ChangeCipherSpec):
                break
            if isinstance(ccs, HandshakeMessage):
                self.stop(ccs, violation=f"sent {ccs.name} where ChangeCipherSpec was due "
                                         "(RFC 5246 7.3)", alert=AD.unexpected_message)
            self.stop(ccs, alert=self.alert_for(ccs))
        self.conn.read = self.pending_protections()[0]
        self.client_finished(self.next_message(("Finished",)))
        return True

    def client_certificate(self, event: HandshakeMessage) -> None:
        self.client_certificates = list(event.decoded.ders)
        self.outcome.server_certificates = list(self.client_certificates)  # the peer's chain
        self.add_to_transcript(event.message.raw)

    def client_certificate_verify(self, event: HandshakeMessage) -> None:
        """The client's signature must verify with its certificate's key (RFC 8446 4.4.3,
        RFC 5246 7.4.8)."""
        msg: sm.CertificateVerify = event.decoded
        self.outcome.server_signature_scheme = msg.scheme
        content = tls13_signed_content("client", self.transcript_hash()) if self.tls13 \
            else self.transcript
        try:
            key = public_key(self.client_certificates[0])
        except CertificateError as exc:
            self.stop(event, violation=f"client certificate: {exc}", alert=AD.bad_certificate)
        offered = CERTIFICATE_REQUEST_SCHEMES
        if msg.scheme not in offered or (self.tls13 and msg.scheme in TLS13_FORBIDDEN):
            self.stop(event, violation=f"client CertificateVerify uses {scheme_name(msg.scheme)}, "
                                       "which the CertificateRequest did not offer (RFC 8446 "
                                       "4.4.3, RFC 5246 7.4.8)", alert=AD.illegal_parameter)
        problem = verify(msg.scheme, key, msg.signature, content)
        if problem:
            self.stop(event, violation=f"client CertificateVerify ({scheme_name(msg.scheme)}): "
                                       f"{problem}", alert=AD.decrypt_error)
        self.add_to_transcript(event.message.raw)

    def client_key_exchange(self, event: HandshakeMessage) -> None:
        """An ECDHE point (RFC 8422 5.7) for our ServerKeyExchange's curve."""
        if self.share is None:  # a word left our ServerKeyExchange out, or sent its share
            what = "a ServerKeyExchange share it must refuse" \
                if self.choices.key_share is not None \
                else "no ServerKeyExchange (RFC 5246 7.4.3: ECDHE requires it)"
            self.stop(event, violation=f"sent ClientKeyExchange after {what}",
                      alert=AD.unexpected_message)
        try:
            point = Reader(event.decoded.body).vec8("ecdh_Yc", minimum=1)
            self.premaster = self.share.shared(point)
        except (DecodeError, KeyExchangeError) as exc:
            self.stop(event, violation=f"ClientKeyExchange: {exc}", alert=AD.illegal_parameter)
        self.add_to_transcript(event.message.raw)

    def client_finished(self, event: HandshakeMessage) -> None:
        """The client's verify_data must be right (RFC 8446 4.4.4, RFC 5246 7.4.9)."""
        if self.tls13 and self.schedule is None:
            self.stop(event, violation="sent Finished although no handshake keys could be "
                                       "derived from this ServerHello",
                      alert=AD.unexpected_message)
        expected = self.verify_data("client")
        if event.decoded.verify_data != expected:
            self.stop(event, violation="client Finished verify_data is wrong",
                      alert=AD.decrypt_error)
        self.add_to_transcript(event.message.raw)

    # -- after the handshake --------------------------------------------------------
    def read_request(self) -> bool:
        """The client's request (application data); a close_notify or alert ends it."""
        while True:
            event = self.conn.next_event()
            if isinstance(event, ApplicationData):
                self.outcome.reply = event
                self.outcome.replies += 1
                self.outcome.completed = True
                return True
            if isinstance(event, HandshakeMessage) and event.name == "KeyUpdate":
                continue
            self.stop(event, alert=self.alert_for(event))

    def respond(self) -> bool:
        """The response, then close_notify and our FIN (words may drop either alert)."""
        self.send_flight("response", self.response_flight())
        self.send_flight("closing", self.closing_flight())
        with contextlib.suppress(OSError):
            self.conn.sock.shutdown(socket.SHUT_WR)
        return True

    def read_closure(self) -> bool:
        """The client's end of the connection, each read bounded (``closure`` rows). An
        error alert refuses what came after the request (the response as a word sent
        it): it becomes the outcome's event, with what followed it."""
        if not self.closure:
            return True
        while True:
            event = self.conn.next_event(timeout=min(self.conn.timeout, CLOSURE_WAIT))
            self.outcome.closure.append(event)
            if isinstance(event, Closed | Reset | Timeout):
                return True
            if isinstance(event, Alert) and not event.close_notify:
                self.stop(event)

    def stop(self, event: Event | None, violation: str | None = None,
             alert: int | None = None) -> NoReturn:
        """As ``Conversation.stop``; an error alert after the request refuses what the
        server sent after it (the response as a word shaped it), so the conversation no
        longer counts as completed."""
        if isinstance(event, Alert) and not event.close_notify:
            self.outcome.completed = False
        super().stop(event, violation, alert)
