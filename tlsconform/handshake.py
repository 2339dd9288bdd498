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
from scapy.layers.tls.record import TLSAlert, TLSApplicationData, TLSChangeCipherSpec
from scapy.packet import Packet

from tlsconform.connection import Connection
from tlsconform.events import (
    Alert,
    ApplicationData,
    ChangeCipherSpec,
    Event,
    HandshakeMessage,
)
from tlsconform.flight import Flight, Outgoing, fragment_record
from tlsconform.identity import ClientIdentity
from tlsconform.mutation import Mutation
from tlsconform.offer import EXT_COOKIE, TLS12, TLS13, Offer, client_hello
from tlsconform.outcome import Outcome, version_name

HTTP_GET = b"GET / HTTP/1.0\r\n\r\n"
CONTENT_TYPE = {TLSChangeCipherSpec: 20, TLSAlert: 21, TLSApplicationData: 23}


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
        if self.retried:
            stage = "retry-hello"
        hello = Outgoing("ClientHello", lambda: client_hello(offer, cookie))
        self.send_flight(stage, [hello])
        return True

    def read_server_flight(self) -> bool:
        """ServerHello .. ServerHelloDone (1.2) or .. server Finished (1.3)."""
        while True:
            event = self.conn.next_event()
            if isinstance(event, ChangeCipherSpec) and self.outcome.version in (None, TLS13):
                continue  # middlebox compatibility (RFC 8446 D.4)
            if not isinstance(event, HandshakeMessage):
                return self.stop(event)
            name = event.name
            self.outcome.server_messages.append(name)
            self.server[name] = event.msg
            if name == "HelloRetryRequest":
                if not self.on_retry_request(event.msg):
                    return False
                continue
            if name == "ServerHello" and not self.on_server_hello(event.msg):
                return False
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
                return True
            return self.stop(event)

    # -- server messages --------------------------------------------------------
    def on_server_hello(self, msg: Packet) -> bool:
        session = self.conn.session
        self.outcome.version = session.tls_version
        self.outcome.cipher = msg.cipher
        self.outcome.server_random = bytes(msg)[6:38]
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
        if version == TLS13:
            if TLS13 not in offered_versions:
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
            return f"negotiated {version_name(version)}, which the client did not offer"
        return None

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
            request = self.server["CertificateRequest"]
            return TLS13Certificate(certs=[_ASN1CertAndExt(cert=c) for c in certs],
                                    cert_req_ctxt=request.cert_req_ctxt)
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
        if flight:
            self.conn.send_bytes(data, ", ".join(item.name for item in flight))
            self.outcome.phase = "after " + client_phrase(flight[-1].name)

    def seal(self, item: Outgoing) -> bytes:
        """The record bytes for one message; the session sees it unless it is re-encoded."""
        msg = item.build()
        version = self.offer.record_version if item.name == "ClientHello" else TLS12
        if item.encode is not None:
            body = item.encode(bytes(msg))
            content_type = CONTENT_TYPE.get(type(msg), 22)
            record = bytes([content_type]) + version.to_bytes(2, "big") + len(body).to_bytes(
                2, "big") + body
        elif item.encrypted and self.tls13:
            record = self.conn.seal_encrypted(msg)
        else:
            record = self.conn.seal_plaintext(msg, version=version)
        if item.fragments:
            record = fragment_record(record, item.fragments)
        return record

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
