"""The server's flights, message by message, as a correct TLS 1.2 / 1.3 server sends them
(words start from these); part of ``ServerDriver``.

Each builder runs at send time, so a CertificateVerify or Finished covers the transcript
exactly as it went over the wire, whatever a word did to the messages before it.
"""

from __future__ import annotations

import hashlib
import os

from tlsconform.crypto import prf
from tlsconform.crypto.groups import KeyExchangeError, KeyShare
from tlsconform.crypto.schedule import KeySchedule
from tlsconform.crypto.signatures import sign, tls13_signed_content
from tlsconform.crypto.suites import SUITES
from tlsconform.messages import extensions as ext
from tlsconform.messages import server_encoding as se
from tlsconform.messages.alerts import AlertDescription as AD
from tlsconform.messages.codec import u16, vec16
from tlsconform.messages.handshake import MESSAGE_HASH, frame
from tlsconform.wire.outgoing import APPLICATION_DATA, CHANGE_CIPHER_SPEC, Flight, Outgoing
from tlsconform.wire.protection import (
    Tls13Protection,
    key_block_length,
    tls12_protections,
)

RESPONSE_BODY = b"tlsconform: the suite is the server\n"
HTTP_RESPONSE = (b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: "
                 + str(len(RESPONSE_BODY)).encode() + b"\r\n\r\n" + RESPONSE_BODY)
CCS = b"\x01"
# What our CertificateRequest offers for the client's CertificateVerify (PKCS#1 only in
# TLS 1.2, RFC 8446 4.4.3)
CERTIFICATE_REQUEST_SCHEMES = [0x0804, 0x0805, 0x0403, 0x0503, 0x0401, 0x0501]
TLS12_LEGACY = 0x0303  # RFC 8446 4.1.3: a TLS 1.3 ServerHello's legacy_version


class ServerFlights:
    """Building the server's flights (a part of ``ServerDriver``)."""

    # -- TLS 1.3 --------------------------------------------------------------
    def retry_flight(self) -> Flight:
        return [Outgoing("HelloRetryRequest", self.hello_retry_request,
                         after=ServerFlights.after_retry)]

    def hello_retry_request(self) -> bytes:
        choices = self.choices
        exts = choices.retry_extensions
        if exts is None:
            exts = [(ext.SUPPORTED_VERSIONS, u16(choices.version))]
            if choices.retry_group is not None:
                exts.append((ext.KEY_SHARE, u16(choices.retry_group)))
            if choices.cookie is not None:
                exts.append((ext.COOKIE, vec16(choices.cookie)))
        suite = choices.retry_suite if choices.retry_suite is not None else choices.suite
        return se.hello_retry_request(choices.session_id, suite, exts)

    def after_retry(self) -> None:
        """RFC 8446 4.4.1: the first ClientHello enters the transcript as its hash (once:
        a second retry follows the first's transcript)."""
        if self.retries:
            return
        hello, retry = self.transcript[:self.first_hello_length], \
            self.transcript[self.first_hello_length:]
        digest = hashlib.new(self.hash_name, hello).digest()
        self.transcript = frame(MESSAGE_HASH, digest) + retry

    def server_hello_flight(self) -> Flight:
        if not self.choices.tls13:
            flight = [Outgoing("ServerHello", self.server_hello),
                      Outgoing("Certificate", self.certificate),
                      Outgoing("ServerKeyExchange", self.server_key_exchange)]
            if self.request_certificate:
                flight.append(Outgoing("CertificateRequest", self.certificate_request))
            return [*flight, Outgoing("ServerHelloDone", se.server_hello_done)]
        flight = [Outgoing("ServerHello", self.server_hello,
                           after=ServerFlights.enter_handshake_keys)]
        if self.choices.session_id:  # middlebox compatibility (RFC 8446 D.4)
            flight.append(Outgoing("ChangeCipherSpec", lambda: CCS,
                                   content_type=CHANGE_CIPHER_SPEC))
        flight.append(Outgoing("EncryptedExtensions", lambda: se.encrypted_extensions(
            self.choices.encrypted_extensions)))
        if self.request_certificate:
            flight.append(Outgoing("CertificateRequest", self.certificate_request))
        return [*flight, Outgoing("Certificate", self.certificate),
                Outgoing("CertificateVerify", self.certificate_verify),
                Outgoing("Finished", self.finished, after=ServerFlights.enter_application_keys)]

    def server_hello(self) -> bytes:
        choices = self.choices
        self.server_random = choices.random or os.urandom(32)
        exts = list(choices.server_hello_extensions)
        if choices.tls13:
            public = choices.key_share if choices.key_share is not None else self.our_share()
            exts.append((ext.KEY_SHARE, u16(choices.group) + vec16(public)))
        return se.server_hello(TLS12_LEGACY if choices.tls13 else choices.version,
                               self.server_random, choices.session_id, choices.suite,
                               choices.compression, exts)

    def our_share(self) -> bytes:
        """Our key share for the chosen group; for a group the engine cannot compute in
        (a word chose GREASE), random bytes: the client has no key for it either."""
        group = self.choices.group
        if self.share is None or self.share.group != group:
            try:
                self.share = KeyShare(group)
            except KeyExchangeError:
                self.share = None
                return os.urandom(32)
        return self.share.public

    def enter_handshake_keys(self) -> None:
        """After ServerHello: handshake traffic keys both ways (RFC 8446 7.1). When a word
        chose what no keys come from (a suite that is no TLS 1.3 suite, a group without a
        share), the keys come from TLS_AES_128_GCM_SHA256 and a random secret: the flight
        still goes out protected, and the client's answer is the verdict."""
        suite = SUITES.get(self.choices.suite)
        if suite is None or not suite.tls13:
            suite = SUITES[0x1301]
            self.outcome.notes.append("handshake keys of TLS_AES_128_GCM_SHA256 and a random "
                                      "secret: the chosen suite has none")
        share = self.hello_share()
        try:
            secret = self.share.shared(share) if self.share is not None and share \
                else os.urandom(32)
        except KeyExchangeError as exc:
            self.stop(None, violation=f"the client's key share: {exc}",
                      alert=AD.illegal_parameter)
        self.suite = suite
        self.schedule = KeySchedule(suite.hash)
        self.schedule.enter_handshake(secret)
        c_hs, s_hs = self.schedule.handshake_traffic_secrets(self.transcript_hash())
        self.secrets.update(c_hs=c_hs, s_hs=s_hs)
        self.log_secret("CLIENT_HANDSHAKE_TRAFFIC_SECRET", c_hs)
        self.log_secret("SERVER_HANDSHAKE_TRAFFIC_SECRET", s_hs)
        self.conn.tls13 = True
        self.conn.write = self.protection(s_hs)
        self.conn.read = self.protection(c_hs)

    def enter_application_keys(self) -> None:
        """After our Finished: we write under the application keys; the client's stay
        handshake keys until its Finished."""
        if self.schedule is None:
            return
        self.schedule.enter_master()
        c_ap, s_ap = self.schedule.application_traffic_secrets(self.transcript_hash())
        self.secrets.update(c_ap=c_ap, s_ap=s_ap)
        self.log_secret("CLIENT_TRAFFIC_SECRET_0", c_ap)
        self.log_secret("SERVER_TRAFFIC_SECRET_0", s_ap)
        self.conn.write = self.protection(s_ap)

    def protection(self, secret: bytes) -> Tls13Protection:
        assert self.schedule is not None and self.suite is not None
        keys = self.schedule.traffic_keys(secret, self.suite.key_len)
        return Tls13Protection(self.suite, keys.key, keys.iv)

    def certificate(self) -> bytes:
        return se.certificate(self.identity.chain, self.choices.tls13)

    def certificate_request(self) -> bytes:
        schemes = CERTIFICATE_REQUEST_SCHEMES
        if self.choices.tls13:
            return se.certificate_request(True, schemes, b"", [
                (ext.SIGNATURE_ALGORITHMS, ext.u16s(schemes))])
        return se.certificate_request(False, schemes)

    def certificate_verify(self) -> bytes:
        content = tls13_signed_content("server", self.transcript_hash())
        return se.certificate_verify(self.choices.scheme,
                                     sign(self.choices.scheme, self.identity.key, content))

    def finished(self) -> bytes:
        return se.finished(self.verify_data("server"))

    def verify_data(self, side: str) -> bytes:
        """The correct verify_data of ``side`` at this point of the transcript."""
        if self.choices.tls13:
            assert self.schedule is not None
            key = self.secrets["s_hs" if side == "server" else "c_hs"]
            return self.schedule.finished(key, self.transcript_hash())
        return prf.verify_data(self.hash_name, self.master(), side, self.transcript_hash())

    # -- TLS 1.2 --------------------------------------------------------------
    def server_key_exchange(self) -> bytes:
        """ECDHE parameters signed over both randoms (RFC 8422 5.4)."""
        choices = self.choices
        public = choices.key_share if choices.key_share is not None else self.our_share()
        params = se.ecdhe_params(choices.group, public)
        signed = self.client_random + self.server_random + params
        return se.server_key_exchange_ecdhe(params, choices.scheme,
                                            sign(choices.scheme, self.identity.key, signed))

    def finished_flight(self) -> Flight:
        """TLS 1.2: a NewSessionTicket when session_ticket was agreed (RFC 5077 3.3), our
        ChangeCipherSpec (the pending write state takes effect) and Finished."""
        flight = [Outgoing("NewSessionTicket", self.new_session_ticket)] if self.choices.ticket \
            else []
        return [*flight,
                Outgoing("ChangeCipherSpec", lambda: CCS, content_type=CHANGE_CIPHER_SPEC,
                         after=ServerFlights.activate_write),
                Outgoing("Finished", self.finished)]

    def new_session_ticket(self) -> bytes:
        """A ticket the suite will never take back (each row is a new client): random
        bytes of a plausible size."""
        lifetime = self.choices.ticket_lifetime
        if self.choices.tls13:
            return se.new_session_ticket(True, lifetime, os.urandom(48),
                                         int.from_bytes(os.urandom(4), "big"), b"\x00",
                                         self.choices.ticket_extensions)
        return se.new_session_ticket(False, lifetime, os.urandom(48))

    def master(self) -> bytes:
        if self.master_secret is None:
            session_hash = self.session_hash if self.choices.ems else None
            self.master_secret = prf.master_secret(self.hash_name, self.premaster or bytes(48),
                                                   self.client_random, self.server_random,
                                                   session_hash)
            self.log_secret("CLIENT_RANDOM", self.master_secret)
        return self.master_secret

    def pending_protections(self) -> tuple:
        if self.pending is None:
            suite = SUITES[self.choices.suite]
            block = prf.key_block(self.hash_name, self.master(), self.client_random,
                                  self.server_random, key_block_length(suite))
            self.pending = tls12_protections(suite, block)
        return self.pending

    def activate_write(self) -> None:
        self.conn.write = self.pending_protections()[1]

    # -- after the handshake ----------------------------------------------------
    def response_flight(self) -> Flight:
        """TLS 1.3: a NewSessionTicket first, as most servers send one after the
        handshake (RFC 8446 4.6.1); then the HTTP response."""
        ticket = [Outgoing("NewSessionTicket", self.new_session_ticket, transcript=False)] \
            if self.choices.tls13 and self.choices.ticket else []
        return [*ticket, Outgoing("ApplicationData", lambda: HTTP_RESPONSE,
                                  content_type=APPLICATION_DATA, label="HTTP response")]

    def next_write_keys(self) -> None:
        """Our KeyUpdate: our traffic secret moves on after it (RFC 8446 4.6.3)."""
        if self.schedule is None or "s_ap" not in self.secrets:
            return
        self.secrets["s_ap"] = self.schedule.next_traffic_secret(self.secrets["s_ap"])
        self.conn.write = self.protection(self.secrets["s_ap"])

    def closing_flight(self) -> Flight:
        return [Outgoing("Alert", lambda: b"\x01\x00", content_type=21, label="close_notify")]

