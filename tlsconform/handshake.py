"""The client side of a TLS 1.2 / 1.3 handshake, driven step by step.

Each step sends a flight (a list of ``Outgoing``) or reads the server's, and stops
at the first thing that is not the next expected message. Mutation words reshape the
offer and any flight before it is sent; the driver itself never special-cases them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from scapy.layers.tls.cert import Cert
from scapy.layers.tls.extensions import TLS_Ext_SignatureAlgorithms
from scapy.layers.tls.handshake import (
    TLS13Certificate,
    TLSCertificate,
    TLSCertificateVerify,
    TLSClientKeyExchange,
    TLSFinished,
    _ASN1CertAndExt,
)
from scapy.layers.tls.keyexchange_tls13 import TLS_Ext_KeyShare_HRR
from scapy.layers.tls.record import TLSApplicationData, TLSChangeCipherSpec
from scapy.packet import Packet

from tlsconform.connection import Connection
from tlsconform.events import (
    Alert,
    ApplicationData,
    ChangeCipherSpec,
    Event,
    HandshakeMessage,
)
from tlsconform.flight import Flight, Outgoing
from tlsconform.identity import ClientIdentity
from tlsconform.mutation import Mutation
from tlsconform.offer import EXT_COOKIE, TLS12, TLS13, Offer, client_hello
from tlsconform.outcome import Outcome, version_name
from tlsconform.sealing import Sealer

HTTP_GET = b"GET / HTTP/1.0\r\n\r\n"
TLS13_SUITE_BYTE = 0x13  # TLS 1.3 suites are 0x13XX (RFC 8446 B.4)
DOWNGRADE_SENTINEL = b"DOWNGRD"  # RFC 8446 4.1.3, followed by 0x01 (TLS 1.2) or 0x00


class Handshake:
    """One conversation: hello, server flight, client flight, Finished, one request."""

    def __init__(
        self,
        conn: Connection,
        offer: Offer,
        identity: ClientIdentity | None = None,
        mutations: Sequence[Mutation] = (),
        request: bytes = HTTP_GET,
        close_timeout: float = 2.0,
    ) -> None:
        self.conn = conn
        self.sealer = Sealer(conn)
        self.mutations = list(mutations)
        for mutation in self.mutations:
            offer = mutation.offer(offer)
        self.offer = offer
        self.identity = identity
        self.request = request
        self.close_timeout = close_timeout
        self.outcome = Outcome()
        self.server: dict[str, Packet] = {}
        self.retried = False
        self.hello_unseen = False  # a re-encoded ClientHello the session never recorded

    # -- the whole conversation ---------------------------------------------
    def run(self) -> Outcome:
        steps: list[Callable[[], bool]] = [
            self.send_hello,
            self.read_server_flight,
            self.send_client_flight,
            self.read_server_finished,
            self.round_trip,
        ]
        for step in steps:
            if not step():
                break
        return self.outcome

    @property
    def tls13(self) -> bool:
        return self.outcome.version == TLS13

    # -- steps ----------------------------------------------------------------
    def send_hello(self, cookie: bytes | None = None) -> bool:
        offer = self.offer
        stage = "hello"
        random = None
        if self.retried:
            stage = "retry-hello"
            random = self.conn.session.client_random  # unchanged on retry (RFC 8446 4.1.2)
        hello = Outgoing("ClientHello", lambda: client_hello(offer, cookie, random))
        self.send_flight(stage, [hello])
        return True

    def read_server_flight(self) -> bool:
        """ServerHello .. ServerHelloDone (1.2) or .. server Finished (1.3)."""
        while True:
            event = self.conn.next_event()
            if isinstance(event, ChangeCipherSpec) and self.outcome.version in (None, TLS13) \
                    and not self.hello_unseen:
                continue  # middlebox compatibility (RFC 8446 D.4)
            if isinstance(event, ChangeCipherSpec):
                return self.stop(event, violation="answered the malformed ClientHello with "
                                                  "ChangeCipherSpec")
            if not isinstance(event, HandshakeMessage):
                return self.stop(event)
            if self.hello_unseen:
                # The session never saw our (re-encoded) hello, so nothing after this
                # point can be parsed or checked: the server carrying on is the verdict.
                return self.stop(event, violation=f"answered the malformed ClientHello with "
                                                  f"{event.name}")
            name = event.name
            self.outcome.server_messages.append(name)
            self.server[name] = event.msg
            self.note_server_credentials(name, event.msg)
            if name == "HelloRetryRequest":
                if not self.on_retry_request(event.msg):
                    return False
                continue
            if name == "ServerHello" and not self.on_server_hello(event.msg):
                return False
            if name == "ServerKeyExchange" and not self.server_key_exchange_verifies(event.msg):
                return self.stop(event, violation="server ServerKeyExchange signature does not "
                                                  "verify with its certificate's key")
            if "ServerHello" not in self.server:
                return self.stop(event, violation=f"sent {name} before ServerHello")
            if name == "ServerHelloDone" and not self.tls13:
                return True
            if name == "Finished" and self.tls13:
                return self.check_server_finished()

    def send_client_flight(self) -> bool:
        self.send_flight("second", self.client_flight())
        return True

    def read_server_finished(self) -> bool:
        """TLS 1.2 only: the server's ChangeCipherSpec and Finished."""
        if self.tls13:
            return True
        for wanted in ("ChangeCipherSpec", "Finished"):
            event = self.conn.next_event()
            seen = event.name if isinstance(event, HandshakeMessage) else type(event).__name__
            if seen != wanted:
                return self.stop(event)
            self.outcome.server_messages.append(wanted)
        return self.check_server_finished()

    def round_trip(self) -> bool:
        """One request; any application data or a close_notify completes the handshake."""
        self.send_flight("application", [
            Outgoing("ApplicationData", lambda: TLSApplicationData(data=self.request),
                     encrypted=True),
        ])
        while True:
            event = self.conn.next_event()
            if isinstance(event, HandshakeMessage) and event.name == "NewSessionTicket":
                continue
            if isinstance(event, ApplicationData) or (
                isinstance(event, Alert) and event.description == 0
            ):
                self.outcome.completed = True
                self.outcome.reply = event
                return True
            return self.stop(event)

    # -- server messages --------------------------------------------------------
    def on_server_hello(self, msg: Packet) -> bool:
        session = self.conn.session
        self.outcome.version = session.tls_version
        self.outcome.cipher = msg.cipher
        self.outcome.server_random = bytes(session.server_random or b"")
        problem = self.server_hello_problem(msg)
        if problem:
            return self.stop(HandshakeMessage(msg=msg), violation=problem)
        return True

    def server_hello_problem(self, msg: Packet) -> str | None:
        """RFC 8446 4.1.3 / RFC 5246 7.4.1.3 rules a client checks in every ServerHello."""
        version = self.outcome.version
        offered_versions = self.offer.supported_versions or [self.offer.legacy_version]
        if msg.cipher not in self.offer.ciphers:
            return f"selected cipher suite 0x{msg.cipher:04x}, which the client did not offer"
        if (version == TLS13) != (msg.cipher >> 8 == TLS13_SUITE_BYTE):
            return (f"selected cipher suite 0x{msg.cipher:04x}, which does not belong to "
                    f"{version_name(version)} (RFC 8446 4.1.3, B.4)")
        if version == TLS13:
            # Only supported_versions offers TLS 1.3, whatever legacy_version says (4.2.1).
            if TLS13 not in (self.offer.supported_versions or []):
                return "negotiated TLS 1.3, which the client did not offer"
            if msg.version != TLS12:
                return f"TLS 1.3 ServerHello with legacy_version 0x{msg.version:04x}, not 0x0303"
            if bytes(msg.sid) != self.offer.session_id:
                return "legacy_session_id_echo does not echo the client's session id"
        elif version is None or (version not in offered_versions and version > max(
            offered_versions
        )):
            return f"negotiated {version_name(version)}, which the client did not offer"
        if version is not None and version < TLS12:
            if version in offered_versions:
                return f"negotiated {version_name(version)}, which RFC 8996 forbids"
            return f"negotiated {version_name(version)}, which the client did not offer"
        if version != TLS13 and TLS13 in (self.offer.supported_versions or []) and \
                self.outcome.server_random[-8:-1] == DOWNGRADE_SENTINEL:
            return ("ServerHello.random ends with the downgrade sentinel although TLS 1.3 "
                    "was offered (RFC 8446 4.1.3)")
        return None

    def note_server_credentials(self, name: str, msg: Packet) -> None:
        """Keep what server-certificate checks need: the chain as sent, the scheme used."""
        if name == "Certificate":
            self.outcome.server_certificates = [
                bytes(cert.der) for cert in self.conn.session.server_certs or []]
        elif name in ("ServerKeyExchange", "CertificateVerify") and msg.sig is not None:
            self.outcome.server_signature_scheme = msg.sig.sig_alg

    def server_key_exchange_verifies(self, msg: Packet) -> bool:
        """RFC 5246 7.4.3: the signature covers both randoms and the ECDH parameters.

        scapy only logs a bad signature, so the driver checks it itself.
        """
        session = self.conn.session
        if not session.server_certs or msg.sig is None:
            return False
        signed = session.client_random + session.server_random + bytes(msg.params)
        return bool(msg.sig._verify_sig(signed, session.server_certs[0]))

    def on_retry_request(self, msg: Packet) -> bool:
        if self.retried:
            return self.stop(HandshakeMessage(msg=msg), violation="second HelloRetryRequest")
        self.retried = True
        group = None
        cookie = None
        for ext in msg.ext or []:
            if isinstance(ext, TLS_Ext_KeyShare_HRR):
                group = ext.selected_group
            elif getattr(ext, "type", None) == EXT_COOKIE:
                cookie = bytes(ext)[4:]
        if msg.cipher not in self.offer.ciphers:
            problem = f"HelloRetryRequest selected unoffered suite 0x{msg.cipher:04x}"
            return self.stop(HandshakeMessage(msg=msg), violation=problem)
        if group is not None:
            self.offer = self.offer.with_(key_shares=[group])
        self.send_hello(cookie=cookie)
        return True

    def check_server_finished(self) -> bool:
        session = self.conn.session
        if self.tls13 and getattr(session, "server_cert_verify_valid", True) is False:
            return self.stop(None, violation="server CertificateVerify signature does not verify")
        if getattr(session, "finished_valid", True) is False:
            return self.stop(None, violation="server Finished verify_data is wrong")
        return True

    # -- the client's second flight --------------------------------------------
    def client_flight(self) -> Flight:
        requested = "CertificateRequest" in self.server
        signs = requested and self.identity is not None
        if self.tls13:
            flight = []
            if self.offer.session_id:
                # scapy would treat a TLS 1.3 CCS as a key change: keep it from the session.
                flight.append(Outgoing("ChangeCipherSpec", TLSChangeCipherSpec, encode=bytes))
            if requested:
                flight.append(Outgoing("Certificate", self.client_certificate, encrypted=True))
            if signs:
                flight.append(Outgoing("CertificateVerify", self.certificate_verify,
                                       encrypted=True))
            flight.append(Outgoing("Finished", self.finished, encrypted=True))
            return flight
        flight = []
        if requested:
            flight.append(Outgoing("Certificate", self.client_certificate))
        flight.append(Outgoing("ClientKeyExchange", TLSClientKeyExchange))
        if signs:
            flight.append(Outgoing("CertificateVerify", self.certificate_verify))
        flight += [Outgoing("ChangeCipherSpec", TLSChangeCipherSpec),
                   Outgoing("Finished", self.finished)]
        return flight

    def client_certificate(
        self, identity: ClientIdentity | None = None, empty: bool = False
    ) -> Packet:
        """Our Certificate: the given identity's, else ours, else (or if empty) no certs."""
        identity = None if empty else identity or self.identity
        certs: list[Cert] = [identity.cert] if identity else []
        if identity:
            self.conn.session.client_certs = certs
            self.conn.session.client_key = identity.key
        if self.tls13:
            request = self.server.get("CertificateRequest")
            context = request.cert_req_ctxt if request is not None else b""
            return TLS13Certificate(certs=[_ASN1CertAndExt(cert=c) for c in certs],
                                    cert_req_ctxt=context)
        return TLSCertificate(certs=certs)

    def offered_signature_schemes(self) -> list[int]:
        """The schemes the CertificateRequest allows for our CertificateVerify."""
        request = self.server.get("CertificateRequest")
        if request is None:
            return []
        if not self.tls13:
            return list(request.sig_algs or [])
        for ext in request.ext or []:
            if isinstance(ext, TLS_Ext_SignatureAlgorithms):
                return list(ext.sig_algs)
        return []

    def certificate_verify(self, scheme: int | None = None) -> Packet:
        """A correct CertificateVerify, signed with ``scheme`` or the best offered one."""
        assert self.identity is not None
        session = self.conn.session
        session.client_key = self.identity.key
        offered = self.offered_signature_schemes()
        chosen = scheme or self.identity.scheme_for(offered, self.tls13)
        if chosen is None:
            self.outcome.notes.append(f"server offered no scheme for our key: {offered}")
            chosen = self.identity.scheme_for(list(range(0x0401, 0x0807)), self.tls13)
        session.selected_sig_alg = chosen  # notes, trap 8
        msg = TLSCertificateVerify(tls_session=session)
        msg.build()  # computes the signature over the transcript so far
        return TLSCertificateVerify(sig=msg.sig)

    def verify_data(self) -> bytes:
        """The correct client verify_data at this point, for mutations to start from."""
        session = self.conn.session
        transcript = b"".join(session.handshake_messages)
        if self.tls13:
            return session.compute_tls13_verify_data("client", "write", transcript)
        state = session.pwcs if session.pwcs is not None else session.wcs
        return state.prf.compute_verify_data("client", "write", transcript,
                                             session.master_secret)

    def finished(self) -> Packet:
        return TLSFinished(vdata=self.verify_data())

    # -- sending ----------------------------------------------------------------
    def send_flight(self, stage: str, flight: Flight) -> None:
        for mutation in self.mutations:
            flight = mutation.flight(stage, flight, self)
        data = b""
        for item in flight:
            data += self.seal(item)
        if not flight:
            return
        wire = self.conn.wire
        unanswered = bool(wire) and wire[-1].direction == "sent"
        self.conn.send_bytes(data, ", ".join(item.name for item in flight))
        # The server may answer a flight only after the next one left (TLS 1.3 Finished,
        # then the request): name both, so the verdict does not blame the wrong message.
        if unanswered:
            self.outcome.phase += f" and {flight[-1].name}"
        else:
            self.outcome.phase = "after " + client_phrase(flight[-1].name)

    def seal(self, item: Outgoing) -> bytes:
        """The record bytes for one message; the session sees it unless it is re-encoded."""
        version = self.offer.record_version if item.name == "ClientHello" else TLS12
        record = self.sealer.seal(item, version, self.tls13)
        if item.name == "ClientHello":
            if item.encode is not None:
                self.hello_unseen = True
            else:
                self.cap_advertised_version()
        return item.tamper(record) if item.tamper is not None else record

    def cap_advertised_version(self) -> None:
        """Without supported_versions, TLS 1.3 is not on offer whatever legacy_version says
        (RFC 8446 4.2.1); scapy would otherwise dissect a TLS 1.2 ServerHello as TLS 1.3."""
        if TLS13 not in (self.offer.supported_versions or []):
            session = self.conn.session
            session.advertised_tls_version = min(session.advertised_tls_version or TLS12, TLS12)

    # -- ending -----------------------------------------------------------------
    def stop(self, event: Event | None, violation: str | None = None) -> bool:
        """Record why the conversation ended; after an alert, note what followed it."""
        self.outcome.event = event
        self.outcome.violation = violation
        if isinstance(event, Alert):
            self.outcome.after = self.conn.next_event(self.close_timeout)
        return False


def client_phrase(name: str) -> str:
    return name if name.startswith("Client") else f"client {name}"
