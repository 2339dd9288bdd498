"""The client's second flight, message by message: Certificate, ClientKeyExchange,
CertificateVerify, ChangeCipherSpec, Finished, as a correct client sends them (words start
from these); part of ``ClientDriver``."""

from __future__ import annotations

import os

from cryptography.hazmat.primitives.asymmetric import padding, rsa

from tlsconform.client import offer as offers
from tlsconform.client.identity import ClientIdentity
from tlsconform.client.keys import Keys
from tlsconform.crypto import prf
from tlsconform.crypto.groups import KeyExchangeError, KeyShare
from tlsconform.crypto.signatures import (
    SCHEMES,
    key_suits,
    sign,
    tls13_signed_content,
)
from tlsconform.messages import client_messages as cm
from tlsconform.messages import server_messages as sm
from tlsconform.messages.alerts import AlertDescription as AD
from tlsconform.wire.outgoing import CHANGE_CIPHER_SPEC, Flight, Outgoing

TLS12, TLS13 = offers.TLS12, offers.TLS13


class ClientFlight:
    """Building the client's second flight (a part of ``ClientDriver``)."""

    def client_flight(self) -> Flight:
        requested = "CertificateRequest" in self.server
        signs = requested and self.identity is not None
        ccs = Outgoing("ChangeCipherSpec", lambda: b"\x01", content_type=CHANGE_CIPHER_SPEC)
        flight: Flight = []
        if self.resumed and not self.tls13:  # abbreviated: only our CCS and Finished
            return [ccs.with_(after=Keys.activate_write), Outgoing("Finished", self.finished)]
        if self.tls13:
            if self.offer.session_id:
                flight.append(ccs)  # middlebox compatibility (RFC 8446 D.4)
            if self.early_accepted:  # RFC 8446 4.5, under the early keys
                flight.append(Outgoing("EndOfEarlyData", cm.end_of_early_data,
                                       after=ClientFlight.leave_early_write))
            if requested:
                flight.append(Outgoing("Certificate", self.client_certificate))
            if signs:
                flight.append(Outgoing("CertificateVerify", self.certificate_verify))
            flight.append(Outgoing("Finished", self.finished,
                                   after=Keys.enter_application_write))
            return flight
        if requested:
            flight.append(Outgoing("Certificate", self.client_certificate))
        flight.append(Outgoing("ClientKeyExchange", self.client_key_exchange))
        if signs:
            flight.append(Outgoing("CertificateVerify", self.certificate_verify))
        flight += [ccs.with_(after=Keys.activate_write),
                   Outgoing("Finished", self.finished)]
        return flight

    def leave_early_write(self) -> None:
        """After EndOfEarlyData our records use the handshake keys."""
        if self.handshake_write is not None:
            self.conn.write = self.handshake_write
            self.early_write = None

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
        share = None
        try:
            if self.suite.kex == "dhe":
                share = KeyShare(0, dh_parameters=(kex.dh_p, kex.dh_g))
                self.premaster = share.shared(kex.public, pad=False)
                return cm.client_key_exchange_dhe(share.public)
            share = KeyShare(kex.group or 0)
            self.premaster = share.shared(kex.public)
        except (KeyExchangeError, ValueError) as exc:
            if share is None or not self.lenient_on("key-share-validation"):
                self.stop(None, violation=f"ServerKeyExchange parameters: {exc}",
                          alert=AD.illegal_parameter)
            self.premaster = os.urandom(32)  # a client that never checked the point goes on
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
