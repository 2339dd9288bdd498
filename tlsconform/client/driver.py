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
import traceback
from collections.abc import Callable, Sequence
from typing import NoReturn

from cryptography.hazmat.primitives.asymmetric import padding, rsa

from tlsconform.client import hello, server_extensions
from tlsconform.client import offer as offers
from tlsconform.client.identity import ClientIdentity
from tlsconform.client.mutation import Mutation
from tlsconform.client.offer import Offer
from tlsconform.client.sent_hello import SentHello
from tlsconform.crypto import prf
from tlsconform.crypto.certificates import CertificateError, public_key
from tlsconform.crypto.groups import KeyExchangeError, KeyShare, group_name
from tlsconform.crypto.schedule import KeySchedule
from tlsconform.crypto.signatures import (
    SCHEMES,
    key_suits,
    scheme_name,
    sign,
    tls13_signed_content,
    verify,
)
from tlsconform.crypto.suites import SUITES, Suite, suite_name
from tlsconform.crypto.suites import (
    TLS_EMPTY_RENEGOTIATION_INFO_SCSV as EMPTY_RENEGOTIATION_INFO_SCSV,
)
from tlsconform.messages import client_messages as cm
from tlsconform.messages import extensions as ext
from tlsconform.messages import server_messages as sm
from tlsconform.messages.alerts import AlertDescription as AD
from tlsconform.messages.codec import DecodeError
from tlsconform.messages.handshake import MESSAGE_HASH, frame
from tlsconform.verdict.outcome import Outcome, ServerMessage, version_name
from tlsconform.wire.connection import Connection
from tlsconform.wire.events import (
    Alert,
    ApplicationData,
    ChangeCipherSpec,
    Closed,
    Event,
    HandshakeMessage,
    Reset,
    Timeout,
    Unparsed,
)
from tlsconform.wire.outgoing import ALERT, APPLICATION_DATA, CHANGE_CIPHER_SPEC, Flight, Outgoing
from tlsconform.wire.protection import (
    Protection,
    Tls13Protection,
    key_block_length,
    tls12_protections,
)
from tlsconform.wire.sealing import Sealer

TLS12, TLS13 = offers.TLS12, offers.TLS13
HTTP_GET = b"GET / HTTP/1.0\r\n\r\n"
CKE_TYPE = bytes([16])  # ClientKeyExchange
DOWNGRADE_SENTINEL = b"DOWNGRD"  # RFC 8446 4.1.3, followed by 0x01 (TLS 1.2) or 0x00

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


class Stop(Exception):
    """Raised inside a step to end the conversation with what ``stop`` recorded."""


class ClientDriver:
    """One conversation: hello, server flight, client flight, Finished, requests, closure."""

    def __init__(
        self,
        conn: Connection,
        offer: Offer,
        identity: ClientIdentity | None = None,
        mutations: Sequence[Mutation] = (),
        request: bytes = HTTP_GET,
        round_trips: int = 1,
        closure: bool = False,
    ) -> None:
        self.conn = conn
        self.mutations = list(mutations)
        for mutation in self.mutations:
            offer = mutation.offer(offer)
        self.offer = offer
        self.identity = identity
        self.request = request
        self.round_trips = round_trips
        self.closure = closure
        self.outcome = Outcome()
        self.sealer = Sealer(conn, self.add_to_transcript, self.record_version)
        self.transcript = b""
        self.client_random: bytes | None = None
        self.shares: dict[int, KeyShare] = {}
        self.sent_shares: list[int] = []
        self.server: dict[str, object] = {}
        self.last_server = ""
        self.retried = False
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

    # -- the whole conversation ---------------------------------------------
    def run(self) -> Outcome:
        steps: list[Callable[[], bool]] = [
            self.send_hello, self.read_server_flight, self.send_client_flight,
            self.read_server_finished, self.application, self.read_closure,
        ]
        try:
            for step in steps:
                if not step():
                    break
        except Stop:
            pass
        except Exception as exc:  # an engine bug must still end in a verdict
            where = traceback.extract_tb(exc.__traceback__)[-1]
            self.outcome.internal_error = (f"{type(exc).__name__}: {exc} "
                                           f"({where.filename.rsplit('/', 1)[-1]}:{where.lineno})")
        self.outcome.records = list(self.conn.records)
        return self.outcome

    @property
    def tls13(self) -> bool:
        return self.outcome.version == TLS13

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
        hello = Outgoing("ClientHello", lambda: self.client_hello(cookie))
        self.send_flight(stage, [hello])
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
            if not isinstance(event, HandshakeMessage):
                return self.stop(event, alert=self.alert_for(event))
            name = event.name
            self.note(event)
            expected = self.expected_next()
            if name not in expected:
                self.stop(event, violation=f"sent {name} where {' or '.join(expected)} was due "
                                           f"({self.order_rule()})",
                          alert=AD.unexpected_message)
            if self.tls13 and name != "ServerHello" and not event.encrypted:
                self.stop(event, violation=f"sent {name} in a plaintext record after "
                                           "ServerHello (RFC 8446 2)",
                          alert=AD.unexpected_message)
            handler = getattr(self, f"on_{_snake(name)}")
            if handler(event.decoded, event):
                return True

    def expected_next(self) -> tuple[str, ...]:
        if not self.last_server:
            return ("ServerHello",) if self.retried else ("ServerHello", "HelloRetryRequest")
        if self.last_server == "HelloRetryRequest":
            return ("ServerHello",)
        table = NEXT_TLS13 if self.tls13 else NEXT_TLS12
        return table.get(self.last_server, ())

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
        self.send_flight("second", self.client_flight())
        return True

    def read_server_finished(self) -> bool:
        """TLS 1.2 only: the server's (NewSessionTicket,) ChangeCipherSpec and Finished."""
        if self.tls13:
            return True
        ccs_seen = False
        while True:
            event = self.conn.next_event()
            if isinstance(event, ChangeCipherSpec) and not ccs_seen:
                ccs_seen = True
                self.outcome.server_messages.append("ChangeCipherSpec")
                self.conn.read = self.pending_protections()[1]
                continue
            if not isinstance(event, HandshakeMessage):
                return self.stop(event, alert=self.alert_for(event))
            self.note(event)
            if event.name == "NewSessionTicket" and not ccs_seen:
                self.server["NewSessionTicket"] = event.decoded
                self.add_to_transcript(event.message.raw)
                continue
            if event.name != "Finished" or not ccs_seen:
                due = "Finished" if ccs_seen else "ChangeCipherSpec"
                return self.stop(event, violation=f"sent {event.name} where {due} was due "
                                                  "(RFC 5246 7.3)", alert=AD.unexpected_message)
            expected = prf.verify_data(self.suite_hash(), self.master(), "server",
                                       self.transcript_hash())
            if event.decoded.verify_data != expected:
                return self.stop(event, violation="server Finished verify_data is wrong",
                                 alert=AD.decrypt_error)
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
                    self.next_read_keys()
                continue
            if isinstance(event, ApplicationData):
                self.outcome.completed = True
                self.outcome.reply = event
                self.outcome.replies += 1
                return True
            return self.stop(event, alert=self.alert_for(event))

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
            if isinstance(event, Alert) and event.close_notify and not self.ended_by_us:
                self.send_alert(0, level=1)

    # -- server messages --------------------------------------------------------
    def on_hello_retry_request(self, msg: sm.ServerHello, event: HandshakeMessage) -> bool:
        self.last_server = "HelloRetryRequest"
        if self.retried:
            self.stop(event, violation="a second HelloRetryRequest in one connection (RFC 8446 "
                                       "4.1.4: the client MUST abort)",
                      alert=AD.unexpected_message)
        self.retried = True
        self.check_extensions("HelloRetryRequest", msg, event, tls13=True)
        if msg.cipher not in self.offer.ciphers or SUITES.get(msg.cipher) is None \
                or not SUITES[msg.cipher].tls13:
            self.stop(event, violation=f"HelloRetryRequest selected {suite_name(msg.cipher)}, "
                                       "which the client did not offer as a TLS 1.3 suite "
                                       "(RFC 8446 4.1.4)", alert=AD.illegal_parameter)
        self.suite = SUITES[msg.cipher]
        self.outcome.version = TLS13
        group, cookie = None, None
        try:
            if msg.version != TLS13:
                self.stop(event, violation=f"HelloRetryRequest selected "
                                           f"{version_name(msg.version)}, not TLS 1.3",
                          alert=AD.illegal_parameter)
            body = msg.ext(ext.KEY_SHARE)
            group = ext.read_key_share_retry(body) if body is not None else None
            body = msg.ext(ext.COOKIE)
            cookie = ext.read_cookie(body) if body is not None else None
        except DecodeError as exc:
            self.stop(event, violation=f"malformed HelloRetryRequest: {exc}",
                      alert=AD.decode_error)
        if group is not None:
            if group not in self.offer.group_codes:
                self.stop(event, violation=f"HelloRetryRequest selects {group_name(group)}, "
                                           "which supported_groups did not offer "
                                           "(RFC 8446 4.1.4)", alert=AD.illegal_parameter)
            if group in self.sent_shares:
                self.stop(event, violation=f"HelloRetryRequest selects {group_name(group)}, for "
                                           "which the ClientHello already had a share "
                                           "(RFC 8446 4.1.4)", alert=AD.illegal_parameter)
        elif cookie is None:
            self.stop(event, violation="HelloRetryRequest would not change the ClientHello: "
                                       "no key_share and no cookie (RFC 8446 4.1.4)",
                      alert=AD.illegal_parameter)
        # RFC 8446 4.4.1: the first ClientHello is replaced by its hash.
        first = hashlib.new(self.suite.hash, self.transcript).digest()
        self.transcript = frame(MESSAGE_HASH, first) + event.message.raw
        self.server["HelloRetryRequest"] = msg
        if group is not None:
            self.offer = self.offer.with_(key_shares=[group])
        for mutation in self.mutations:  # words that change the second ClientHello
            self.offer = mutation.retry_offer(self.offer, msg)
        self.send_hello(cookie=cookie)
        return False

    def on_server_hello(self, msg: sm.ServerHello, event: HandshakeMessage) -> bool:
        self.last_server = "ServerHello"
        self.server["ServerHello"] = msg
        try:
            version = msg.version
        except DecodeError as exc:
            return self.stop(event, violation=f"malformed supported_versions: {exc}",
                             alert=AD.decode_error)
        self.outcome.version = version
        self.outcome.cipher = msg.cipher
        self.outcome.server_random = msg.random
        problem = self.server_hello_problem(msg, version)
        if problem:
            return self.stop(event, violation=problem, alert=AD.illegal_parameter)
        self.check_extensions("ServerHello", msg, event, tls13=version == TLS13)
        retry = self.server.get("HelloRetryRequest")
        if retry is not None and retry.cipher != msg.cipher:
            return self.stop(event, violation="ServerHello selected another suite than the "
                                              "HelloRetryRequest (RFC 8446 4.1.4)",
                             alert=AD.illegal_parameter)
        suite = SUITES.get(msg.cipher)
        self.add_to_transcript(event.message.raw)
        if suite is None or not suite.implemented:
            self.outcome.notes.append(f"the engine cannot go on under {suite_name(msg.cipher)}")
            return self.stop(event)
        self.suite = suite
        self.conn.context = sm.Context(tls13=self.tls13, kex=suite.kex)
        if not self.tls13:
            self.ems = msg.ext(ext.EXTENDED_MASTER_SECRET) is not None
            self.etm = msg.ext(ext.ENCRYPT_THEN_MAC) is not None
            return False
        self.conn.tls13 = True
        try:
            body = msg.ext(ext.KEY_SHARE)
            if body is None:
                return self.stop(event, violation="TLS 1.3 ServerHello without key_share "
                                                  "(RFC 8446 4.2.8)", alert=AD.missing_extension)
            group, public = ext.read_key_share_server(body)
        except DecodeError as exc:
            return self.stop(event, violation=f"malformed key_share: {exc}", alert=AD.decode_error)
        sent = self.sent_hello.key_shares if self.sent_hello.parsed else {
            g: self.shares[g].public for g in self.sent_shares if g in self.shares}
        retry = self.server.get("HelloRetryRequest")
        asked = retry.ext(ext.KEY_SHARE) if isinstance(retry, sm.ServerHello) else None
        if asked is not None and ext.read_key_share_retry(asked) != group:
            return self.stop(event, violation=f"ServerHello key_share for {group_name(group)}, "
                                              "not the group the HelloRetryRequest selected "
                                              "(RFC 8446 4.2.8)", alert=AD.illegal_parameter)
        if group not in sent:
            return self.stop(event, violation=f"ServerHello key_share for {group_name(group)}, "
                                              "for which the client sent no share "
                                              "(RFC 8446 4.2.8)", alert=AD.illegal_parameter)
        if group not in self.shares or sent[group] != self.shares[group].public:
            return self.stop(event, violation=f"ServerHello accepts the client's "
                                              f"{group_name(group)} share, which this row made "
                                              f"invalid ({len(sent[group])} bytes): a "
                                              "server MUST "
                                              "validate the peer's share (RFC 8446 4.2.8.2, "
                                              "7.4.2)", alert=AD.illegal_parameter)
        try:
            shared = self.shares[group].shared(public)
        except KeyExchangeError as exc:
            return self.stop(event, violation=f"server key share: {exc}",
                             alert=AD.illegal_parameter)
        self.schedule = KeySchedule(suite.hash)
        self.schedule.enter_handshake(shared)
        c_hs, s_hs = self.schedule.handshake_traffic_secrets(self.transcript_hash())
        self.secrets.update(c_hs=c_hs, s_hs=s_hs)
        self.conn.read = self.tls13_protection(s_hs)
        self.conn.write = self.tls13_protection(c_hs)
        return False

    def check_extensions(self, message: str, msg: object, event: HandshakeMessage,
                         tls13: bool | None = None) -> None:
        """Stop on the first rule the extensions of a server message break."""
        sent = self.sent_hello
        offered = set(sent.extensions) if sent.parsed else set(
            code for code, _ in offers.extensions(self.offer, []))
        if EMPTY_RENEGOTIATION_INFO_SCSV in (sent.ciphers or self.offer.ciphers):
            offered.add(ext.RENEGOTIATION_INFO)  # RFC 5746 3.6: the SCSV asks for it too
        found = server_extensions.problem(
            message, getattr(msg, "extensions", []), offered,
            self.tls13 if tls13 is None else tls13, sent.extensions,
            cipher=getattr(msg, "cipher", None) or self.outcome.cipher)
        if found is not None:
            self.stop(event, violation=found.rule, alert=found.alert)

    def server_hello_problem(self, msg: sm.ServerHello, version: int) -> str | None:
        """RFC 8446 4.1.3 / RFC 5246 7.4.1.3 rules a client checks in every ServerHello."""
        offered_versions = self.offer.supported_versions or [self.offer.legacy_version]
        if msg.cipher not in self.offer.ciphers:
            return f"selected cipher suite 0x{msg.cipher:04x}, which the client did not offer"
        suite = SUITES.get(msg.cipher)
        if suite is not None and (version == TLS13) != suite.tls13:
            return (f"selected cipher suite 0x{msg.cipher:04x}, which does not belong to "
                    f"{version_name(version)} (RFC 8446 4.1.3, B.4)")
        if msg.compression not in self.offer.compression:
            return f"selected compression method {msg.compression}, which the client did " \
                   "not offer (RFC 5246 7.4.1.3, RFC 8446 4.1.3)"
        if msg.compression != 0:
            if version != TLS13:
                return f"selected compression method {msg.compression} (RFC 9325 3.3: TLS " \
                       "1.2 implementations SHOULD NOT support compression)"
            return f"TLS 1.3 ServerHello with compression method {msg.compression} (RFC 8446 " \
                   "4.1.3: legacy_compression_method MUST be 0)"
        if version == TLS13:
            if not self.offer.offers_tls13:
                return "negotiated TLS 1.3, which the client did not offer"
            if msg.legacy_version != TLS12:
                return f"TLS 1.3 ServerHello with legacy_version 0x{msg.legacy_version:04x}, " \
                       "not 0x0303"
            if msg.session_id != self.offer.session_id:
                return "legacy_session_id_echo does not echo the client's session id"
        elif msg.ext(ext.SUPPORTED_VERSIONS) is not None:
            return f"supported_versions selects {version_name(version)} (RFC 8446 4.2.1: only " \
                   "TLS 1.3 is negotiated through it)"
        elif version not in offered_versions and version > max(offered_versions):
            return f"negotiated {version_name(version)}, which the client did not offer"
        if version < TLS12:
            if version in offered_versions:
                return f"negotiated {version_name(version)}, which RFC 8996 forbids"
            return f"negotiated {version_name(version)}, which the client did not offer"
        if version != TLS13 and self.offer.offers_tls13 and \
                msg.random[-8:-1] == DOWNGRADE_SENTINEL:
            return ("ServerHello.random ends with the downgrade sentinel although TLS 1.3 "
                    "was offered (RFC 8446 4.1.3)")
        return None

    def on_encrypted_extensions(self, msg: sm.EncryptedExtensions, event: HandshakeMessage
                                ) -> bool:
        self.last_server = "EncryptedExtensions"
        self.server["EncryptedExtensions"] = msg
        self.check_extensions("EncryptedExtensions", msg, event)
        self.add_to_transcript(event.message.raw)
        return False

    def on_certificate(self, msg: sm.Certificate, event: HandshakeMessage) -> bool:
        self.last_server = "Certificate"
        self.server["Certificate"] = msg
        self.outcome.server_certificates = msg.ders
        if self.tls13:
            for entry in msg.entries:
                self.check_extensions("Certificate", entry, event)
        if not msg.entries:
            return self.stop(event, violation="empty Certificate list: the server must send "
                                              "its certificate (RFC 8446 4.4.2.4, RFC 5246 "
                                              "7.4.2)", alert=AD.decode_error)
        try:
            public_key(msg.ders[0])
        except CertificateError as exc:
            return self.stop(event, violation=f"server leaf: {exc}", alert=AD.bad_certificate)
        self.add_to_transcript(event.message.raw)
        return False

    def on_certificate_status(self, msg: sm.CertificateStatus, event: HandshakeMessage) -> bool:
        self.last_server = "CertificateStatus"
        hello_msg = self.server.get("ServerHello")
        if not isinstance(hello_msg, sm.ServerHello) or hello_msg.ext(ext.STATUS_REQUEST) is None:
            return self.stop(event, violation="CertificateStatus without status_request in the "
                                              "ServerHello (RFC 6066 8: the server MUST NOT send "
                                              "it)", alert=AD.unexpected_message)
        self.server["CertificateStatus"] = msg
        self.add_to_transcript(event.message.raw)
        return False

    def on_certificate_request(self, msg: sm.CertificateRequest, event: HandshakeMessage
                               ) -> bool:
        self.last_server = "CertificateRequest"
        self.server["CertificateRequest"] = msg
        self.add_to_transcript(event.message.raw)
        return False

    def server_key(self) -> object:
        cert = self.server["Certificate"]
        return public_key(cert.ders[0])  # type: ignore[attr-defined]

    def on_server_key_exchange(self, msg: sm.ServerKeyExchange, event: HandshakeMessage) -> bool:
        self.last_server = "ServerKeyExchange"
        self.server["ServerKeyExchange"] = msg
        self.outcome.server_signature_scheme = msg.scheme
        self.outcome.dh_prime = msg.dh_p or None
        assert self.client_random is not None
        signed = self.client_random + self.outcome.server_random + msg.params
        problem = verify(msg.scheme or 0, self.server_key(), msg.signature, signed)  # type: ignore[arg-type]
        if problem:
            return self.stop(event, violation="server ServerKeyExchange signature does not "
                                              f"verify with its certificate's key ({problem})",
                             alert=AD.decrypt_error)
        if msg.group is not None and msg.group not in self.offer.group_codes:
            return self.stop(event, violation=f"ServerKeyExchange uses {group_name(msg.group)}, "
                                              "which supported_groups did not offer "
                                              "(RFC 8422 5.4)", alert=AD.illegal_parameter)
        self.add_to_transcript(event.message.raw)
        return False

    def on_server_hello_done(self, msg: sm.Empty, event: HandshakeMessage) -> bool:
        assert self.suite is not None
        if self.suite.kex in ("ecdhe", "dhe") and "ServerKeyExchange" not in self.server:
            return self.stop(event, violation=f"ServerHelloDone without the ServerKeyExchange "
                                              f"that {self.suite.kex.upper()} requires "
                                              "(RFC 5246 7.4.3)", alert=AD.unexpected_message)
        self.last_server = "ServerHelloDone"
        self.add_to_transcript(event.message.raw)
        return True

    def on_certificate_verify(self, msg: sm.CertificateVerify, event: HandshakeMessage
                              ) -> bool:
        """TLS 1.3 only (the order table never lets a TLS 1.2 server send one)."""
        self.last_server = "CertificateVerify"
        self.outcome.server_signature_scheme = msg.scheme
        content = tls13_signed_content("server", self.transcript_hash())
        problem = verify(msg.scheme, self.server_key(), msg.signature, content)  # type: ignore[arg-type]
        if problem:
            return self.stop(event, violation=f"server CertificateVerify signature does not "
                                              f"verify ({scheme_name(msg.scheme)}: {problem})",
                             alert=AD.decrypt_error)
        self.add_to_transcript(event.message.raw)
        return False

    def on_finished(self, msg: sm.Finished, event: HandshakeMessage) -> bool:
        """TLS 1.3 server Finished (TLS 1.2's comes in ``read_server_finished``)."""
        assert self.schedule is not None
        expected = self.schedule.finished(self.secrets["s_hs"], self.transcript_hash())
        if msg.verify_data != expected:
            return self.stop(event, violation="server Finished verify_data is wrong",
                             alert=AD.decrypt_error)
        self.add_to_transcript(event.message.raw)
        self.schedule.enter_master()
        c_ap, s_ap = self.schedule.application_traffic_secrets(self.transcript_hash())
        self.secrets.update(c_ap=c_ap, s_ap=s_ap)
        self.conn.read = self.tls13_protection(s_ap)
        self.application_write = self.tls13_protection(c_ap)
        self.outcome.handshake_done = True
        return True

    def on_new_session_ticket(self, msg: object, event: HandshakeMessage) -> bool:
        return self.stop(event, violation="NewSessionTicket inside the server's first flight",
                         alert=AD.unexpected_message)

    def on_key_update(self, msg: object, event: HandshakeMessage) -> bool:
        return self.on_new_session_ticket(msg, event)

    def on_hello_request(self, msg: object, event: HandshakeMessage) -> bool:
        return self.on_new_session_ticket(msg, event)

    # -- keys -------------------------------------------------------------------
    def suite_hash(self) -> str:
        assert self.suite is not None
        return self.suite.hash

    def tls13_protection(self, secret: bytes) -> Tls13Protection:
        assert self.schedule is not None and self.suite is not None
        keys = self.schedule.traffic_keys(secret, self.suite.key_len)
        return Tls13Protection(self.suite, keys.key, keys.iv)

    def next_read_keys(self) -> None:
        """RFC 8446 4.6.3: the peer's KeyUpdate moves its traffic secret on."""
        assert self.schedule is not None
        self.secrets["s_ap"] = self.schedule.next_traffic_secret(self.secrets["s_ap"])
        self.conn.read = self.tls13_protection(self.secrets["s_ap"])

    def enter_application_write(self) -> None:
        """After our TLS 1.3 Finished, our records switch to application keys."""
        if self.application_write is not None:
            self.conn.write = self.application_write

    def master(self) -> bytes:
        """The TLS 1.2 master secret (RFC 7627 when EMS was negotiated), derived once."""
        if self.master_secret is None:
            assert self.client_random is not None
            premaster = self.premaster if self.premaster is not None else bytes(48)
            session_hash = (self.session_hash or self.transcript_hash()) if self.ems else None
            self.master_secret = prf.master_secret(self.suite_hash(), premaster,
                                                   self.client_random,
                                                   self.outcome.server_random, session_hash)
        return self.master_secret

    def pending_protections(self) -> tuple[Protection, Protection]:
        if self.pending is None:
            assert self.suite is not None and self.client_random is not None
            block = prf.key_block(self.suite_hash(), self.master(), self.client_random,
                                  self.outcome.server_random, key_block_length(self.suite))
            self.pending = tls12_protections(self.suite, block, encrypt_then_mac=self.etm)
        return self.pending

    def activate_write(self) -> None:
        """Our TLS 1.2 ChangeCipherSpec: the pending write state becomes current."""
        if not self.conn.write.protected:
            self.conn.write = self.pending_protections()[0]

    # -- the client's second flight --------------------------------------------
    def client_flight(self) -> Flight:
        requested = "CertificateRequest" in self.server
        signs = requested and self.identity is not None
        ccs = Outgoing("ChangeCipherSpec", lambda: b"\x01", content_type=CHANGE_CIPHER_SPEC)
        flight: Flight = []
        if self.tls13:
            if self.offer.session_id:
                flight.append(ccs)  # middlebox compatibility (RFC 8446 D.4)
            if requested:
                flight.append(Outgoing("Certificate", self.client_certificate))
            if signs:
                flight.append(Outgoing("CertificateVerify", self.certificate_verify))
            flight.append(Outgoing("Finished", self.finished,
                                   after=ClientDriver.enter_application_write))
            return flight
        if requested:
            flight.append(Outgoing("Certificate", self.client_certificate))
        flight.append(Outgoing("ClientKeyExchange", self.client_key_exchange))
        if signs:
            flight.append(Outgoing("CertificateVerify", self.certificate_verify))
        flight += [ccs.with_(after=ClientDriver.activate_write),
                   Outgoing("Finished", self.finished)]
        return flight

    def client_certificate(self, identity: ClientIdentity | None = None,
                           empty: bool = False) -> bytes:
        """Our Certificate: the given identity's, else ours, else (or if empty) no certs."""
        identity = None if empty else identity or self.identity
        ders = identity.chain[:1] if identity else []
        request = self.server.get("CertificateRequest")
        context = request.context if isinstance(request, sm.CertificateRequest) else b""
        return cm.certificate(ders, self.tls13, context)

    def offered_signature_schemes(self) -> list[int]:
        """The schemes the CertificateRequest allows for our CertificateVerify."""
        request = self.server.get("CertificateRequest")
        return list(request.schemes) if isinstance(request, sm.CertificateRequest) else []

    def certificate_verify(self, scheme: int | None = None) -> bytes:
        """A correct CertificateVerify, signed with ``scheme`` or the best offered one."""
        assert self.identity is not None
        offered = self.offered_signature_schemes()
        chosen = scheme or self.identity.scheme_for(offered, self.tls13)
        if chosen is None:
            self.outcome.notes.append(f"server offered no scheme for our key: {offered}")
            chosen = self.identity.schemes()[0]
        return cm.certificate_verify(chosen, self.signature(chosen))

    def signature(self, scheme: int) -> bytes:
        """Our signature over the transcript so far, as CertificateVerify carries it."""
        assert self.identity is not None
        if self.tls13:
            content = tls13_signed_content("client", self.transcript_hash())
        else:
            content = self.transcript
        problem = key_suits(SCHEMES[scheme], self.identity.key) if scheme in SCHEMES else \
            f"unknown signature scheme 0x{scheme:04x}"
        if problem:  # e.g. a user's RSA --client-cert for a row that signs with ECDSA
            self.unmet(f"the client key cannot sign this row's CertificateVerify: {problem}")
        return sign(scheme, self.identity.key, content)

    def client_key_exchange(self) -> bytes:
        """ECDHE, DHE or RSA, from the server's parameters (RFC 5246 7.4.7, RFC 8422 5.7)."""
        assert self.suite is not None
        kex = self.server.get("ServerKeyExchange")
        if self.suite.kex == "rsa":
            premaster = TLS12.to_bytes(2, "big") + os.urandom(46)
            self.premaster = premaster
            key = self.server_key()
            if not isinstance(key, rsa.RSAPublicKey):
                self.stop(None, violation="RSA key exchange with a certificate that has no RSA "
                                          "key", alert=AD.unsupported_certificate)
            return cm.client_key_exchange_rsa(key.encrypt(premaster, padding.PKCS1v15()))
        if not isinstance(kex, sm.ServerKeyExchange):  # a mutation skipped it: any share
            share = KeyShare(29)
            self.premaster = bytes(32)
            return cm.client_key_exchange_ecdhe(share.public)
        try:
            if self.suite.kex == "dhe":
                share = KeyShare(0, dh_parameters=(kex.dh_p, kex.dh_g))
                self.premaster = share.shared(kex.public, pad=False)
                return cm.client_key_exchange_dhe(share.public)
            share = KeyShare(kex.group or 0)
            self.premaster = share.shared(kex.public)
        except (KeyExchangeError, ValueError) as exc:
            self.stop(None, violation=f"ServerKeyExchange parameters: {exc}",
                      alert=AD.illegal_parameter)
        return cm.client_key_exchange_ecdhe(share.public)

    def verify_data(self) -> bytes:
        """The correct client verify_data at this point, for mutations to start from."""
        if self.tls13:
            assert self.schedule is not None
            return self.schedule.finished(self.secrets["c_hs"], self.transcript_hash())
        return prf.verify_data(self.suite_hash(), self.master(), "client",
                               self.transcript_hash())

    def finished(self) -> bytes:
        self.client_finished = self.verify_data()
        return cm.finished(self.client_finished)

    # -- sending ----------------------------------------------------------------
    @property
    def ended_by_us(self) -> bool:
        """We sent a fatal alert or a close_notify: a client sends nothing after either."""
        return any(level == 2 or description == 0 for level, description in self.sealer.alerts)

    def send_flight(self, stage: str, flight: Flight) -> None:
        for mutation in self.mutations:
            flight = mutation.flight(stage, flight, self)
        if not flight or self.ended_by_us:
            return
        early = self.conn.arrived() if self.phases[1:] else None
        if isinstance(early, Alert | Closed | Reset | Unparsed):
            # The server already answered what we sent: a client reads that first.
            self.stop(self.conn.next_event(), alert=self.alert_for(early))
            raise Stop
        data = self.sealer.seal_flight(flight, self)
        wire = self.conn.wire
        unanswered = bool(wire) and wire[-1].direction == "sent"
        self.conn.send_bytes(data, ", ".join(item.shown for item in flight))
        shown = next((item.shown for item in reversed(flight) if item.label), flight[-1].name)
        # The server may answer a flight only after the next one left (TLS 1.3 Finished,
        # then the request): name both, so the verdict does not blame the wrong message.
        if unanswered:
            self.outcome.phase += f" and {shown}"
        else:
            self.outcome.phase = "after " + client_phrase(shown)
        self.phases.append(self.outcome.phase)

    def send_alert(self, description: int, level: int = 2) -> None:
        """An alert under our current write keys (plaintext before there are any)."""
        item = Outgoing("Alert", lambda: bytes([level, description]), content_type=ALERT)
        try:
            self.conn.send_bytes(self.sealer.seal_flight([item], self), "Alert")
        except OSError:
            return
        self.outcome.sent_alert = Alert(level, description, self.conn.write.protected)

    # -- ending -----------------------------------------------------------------
    def stop(self, event: Event | None, violation: str | None = None,
             alert: int | None = None) -> NoReturn:
        """Record why the conversation ended, send the alert a client owes for it, and
        after the server's alert note what followed it; then end the run (``Stop``), from
        wherever it is called: a step, a message handler or a message builder."""
        self.outcome.event = event
        self.outcome.violation = violation
        if event is not None:  # what the server answered, not what we sent after it arrived
            self.outcome.phase = self.phases[min(self.conn.last_sends, len(self.phases) - 1)]
        if alert is not None:
            self.send_alert(alert)
        if isinstance(event, Alert):
            self.outcome.after = self.conn.next_event()
        raise Stop

    def unmet(self, reason: str) -> NoReturn:
        """The row's condition cannot be created against this target (a word found so):
        the conversation ends, and the row skips saying why instead of grading it."""
        self.outcome.unmet = reason
        raise Stop

    @staticmethod
    def alert_for(event: Event) -> int | None:
        """The alert a client sends for what the server did instead of the next message."""
        if isinstance(event, Alert | Closed | Reset | Timeout):
            return None
        if isinstance(event, HandshakeMessage | ChangeCipherSpec | ApplicationData):
            return AD.unexpected_message
        reason = getattr(event, "reason", "")
        if "authentication" in reason or "MAC" in reason or "padding" in reason:
            return AD.bad_record_mac
        if "above the" in reason:
            return AD.record_overflow
        return AD.decode_error


def _snake(name: str) -> str:
    out = ""
    for ch in name:
        out += f"_{ch.lower()}" if ch.isupper() and out else ch.lower()
    return out


def client_phrase(name: str) -> str:
    """A message name said as the client's ("client Finished"); a mutation's label (which
    has spaces) says whose it is itself."""
    return name if " " in name or name.startswith("Client") else f"client {name}"
