"""What the client checks in each message of the server's first flight, and what it
takes from it: one handler per message, part of ``ClientDriver``.

A handler records the message, checks the rules a client checks (RFC 8446 4, RFC 5246
7.4, and the extension rules of ``server_extensions``), and stops the conversation with the
server's fault and the alert a client owes; it returns True when the flight is over.
"""

from __future__ import annotations

import hashlib
from typing import NoReturn

from tlsconform.client import offer as offers
from tlsconform.client import server_extensions
from tlsconform.crypto.certificates import CertificateError, public_key
from tlsconform.crypto.groups import GROUPS as KNOWN_GROUPS
from tlsconform.crypto.groups import KeyExchangeError, group_name
from tlsconform.crypto.schedule import HASH_LEN, KeySchedule
from tlsconform.crypto.signatures import (
    scheme_name,
    tls13_signed_content,
    verify,
)
from tlsconform.crypto.suites import SUITES, Suite, is_grease, suite_name
from tlsconform.crypto.suites import (
    TLS_EMPTY_RENEGOTIATION_INFO_SCSV as EMPTY_RENEGOTIATION_INFO_SCSV,
)
from tlsconform.messages import extensions as ext
from tlsconform.messages import server_messages as sm
from tlsconform.messages.alerts import AlertDescription as AD
from tlsconform.messages.codec import DecodeError
from tlsconform.messages.handshake import MESSAGE_HASH, frame
from tlsconform.verdict.outcome import version_name
from tlsconform.wire.events import HandshakeMessage

TLS12, TLS13 = offers.TLS12, offers.TLS13
DOWNGRADE_SENTINEL = b"DOWNGRD"  # RFC 8446 4.1.3, followed by 0x01 (TLS 1.2) or 0x00
PKCS1_SCHEMES = frozenset({0x0201, 0x0301, 0x0401, 0x0501, 0x0601})  # rsa_pkcs1_* (RFC 8446 4.2.3)
TLS13_FIRST = 0x1301  # TLS_AES_128_GCM_SHA256, what RFC 8446 9.1 makes every client offer


class ServerFlight:
    """The server's first flight, message by message (a part of ``ClientDriver``)."""

    def on_hello_retry_request(self, msg: sm.ServerHello, event: HandshakeMessage) -> bool:
        self.last_server = "HelloRetryRequest"
        second = self.retried
        if second and not self.lenient_on("one-retry"):
            self.stop(event, violation="a second HelloRetryRequest in one connection (RFC 8446 "
                                       "4.1.4: the client MUST abort)",
                      alert=AD.unexpected_message)
        self.retried = True
        self.check_extensions("HelloRetryRequest", msg, event, tls13=True)
        suite = SUITES.get(msg.cipher)
        if msg.cipher not in self.offer.ciphers or suite is None or not suite.tls13:
            if not self.lenient_on("retry-suite"):
                self.stop(event, violation=f"HelloRetryRequest selected "
                                           f"{suite_name(msg.cipher)}, which the client did not "
                                           "offer as a TLS 1.3 suite (RFC 8446 4.1.4)",
                          alert=AD.illegal_parameter)
            suite = SUITES[TLS13_FIRST]  # ignored: ServerHello's suite decides (see below)
        self.suite = suite
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
            if group not in self.offer.group_codes and not self.lenient_on("retry-group-offered"):
                self.stop(event, violation=f"HelloRetryRequest selects {group_name(group)}, "
                                           "which supported_groups did not offer "
                                           "(RFC 8446 4.1.4)", alert=AD.illegal_parameter)
            if group in self.sent_shares and not self.lenient_on("retry-group-unshared"):
                self.stop(event, violation=f"HelloRetryRequest selects {group_name(group)}, for "
                                           "which the ClientHello already had a share "
                                           "(RFC 8446 4.1.4)", alert=AD.illegal_parameter)
            if group not in KNOWN_GROUPS:  # only a lenient client gets this far
                self.cannot_go_on(event, f"a HelloRetryRequest for {group_name(group)}")
        elif cookie is None and not self.lenient_on("retry-changes-hello"):
            self.stop(event, violation="HelloRetryRequest would not change the ClientHello: "
                                       "no key_share and no cookie (RFC 8446 4.1.4)",
                      alert=AD.illegal_parameter)
        if second:  # a lenient client: the transcript goes on (the first hello stays hashed)
            self.transcript += event.message.raw
        else:  # RFC 8446 4.4.1: the first ClientHello is replaced by its hash.
            self.first_hello = self.transcript
            first = hashlib.new(self.suite.hash, self.transcript).digest()
            self.transcript = frame(MESSAGE_HASH, first) + event.message.raw
        self.server["HelloRetryRequest"] = msg
        if group is not None:
            self.offer = self.offer.with_(key_shares=[group])
        if self.early_write is not None:  # RFC 8446 4.2.10: 0-RTT ends with a retry
            self.conn.write, self.early_write = self.plain_write, None
            self.offer = self.offer.with_(early_data=False)
        for mutation in self.mutations:  # words that change the second ClientHello
            self.offer = mutation.retry_offer(self.offer, msg)
        self.send_hello(cookie=cookie)
        return False

    def on_server_hello(self, msg: sm.ServerHello, event: HandshakeMessage) -> bool:
        self.last_server = "ServerHello"
        self.server["ServerHello"] = msg
        try:
            version = self.negotiated_version(msg)
        except DecodeError as exc:
            return self.stop(event, violation=f"malformed supported_versions: {exc}",
                             alert=AD.decode_error)
        self.outcome.version = version
        self.outcome.cipher = msg.cipher
        self.outcome.server_random = msg.random
        problem = self.server_hello_problem(msg, version)
        if problem:
            return self.stop(event, violation=problem[0], alert=problem[1])
        if version == TLS13 and self.offer.renegotiation is not None:
            return self.stop(event, violation="negotiated TLS 1.3 in a renegotiation (RFC 8446 "
                                              "4.1.2: the server MUST retain the previous "
                                              "version)", alert=AD.protocol_version)
        self.check_extensions("ServerHello", msg, event, tls13=version == TLS13)
        retry = self.server.get("HelloRetryRequest")
        if retry is not None and retry.cipher != msg.cipher:
            if not self.lenient_on("retry-suite"):
                return self.stop(event, violation="ServerHello selected another suite than the "
                                                  "HelloRetryRequest (RFC 8446 4.1.4)",
                                 alert=AD.illegal_parameter)
            self.rehash_first_hello(SUITES.get(msg.cipher))
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
            return self.tls12_resumes(msg, event)  # abbreviated: the server's CCS is next
        self.conn.tls13 = True
        psk = self.tls13_psk(msg, event)
        if psk is not None and msg.ext(ext.KEY_SHARE) is None:  # psk_ke (RFC 8446 7.1)
            shared = bytes(HASH_LEN[suite.hash])
        else:
            shared = self.server_share(msg, event)
        self.schedule = KeySchedule(suite.hash, psk)
        self.schedule.enter_handshake(shared)
        c_hs, s_hs = self.schedule.handshake_traffic_secrets(self.transcript_hash())
        self.secrets.update(c_hs=c_hs, s_hs=s_hs)
        self.log_secret("CLIENT_HANDSHAKE_TRAFFIC_SECRET", c_hs)
        self.log_secret("SERVER_HANDSHAKE_TRAFFIC_SECRET", s_hs)
        self.conn.read = self.tls13_protection(s_hs)
        self.handshake_write = self.tls13_protection(c_hs)
        if self.early_write is None:  # else early data goes on until EncryptedExtensions
            self.conn.write = self.handshake_write
        return False

    def rehash_first_hello(self, suite: Suite | None) -> None:
        """A client that ignored the HelloRetryRequest's suite: the first ClientHello's hash
        in the transcript is redone with the ServerHello's suite's hash."""
        if suite is None or self.suite is None or suite.hash == self.suite.hash:
            return
        old = 4 + hashlib.new(self.suite.hash).digest_size
        first = hashlib.new(suite.hash, self.first_hello).digest()
        self.transcript = frame(MESSAGE_HASH, first) + self.transcript[old:]

    def server_share(self, msg: sm.ServerHello, event: HandshakeMessage) -> bytes:
        """The (EC)DHE secret from the ServerHello's key_share, after the rules a client
        checks in it (RFC 8446 4.2.8)."""
        try:
            body = msg.ext(ext.KEY_SHARE)
            if body is None:
                self.stop(event, violation="TLS 1.3 ServerHello without key_share "
                                                  "(RFC 8446 4.2.8)", alert=AD.missing_extension)
            group, public = ext.read_key_share_server(body)
        except DecodeError as exc:
            self.stop(event, violation=f"malformed key_share: {exc}", alert=AD.decode_error)
        sent = self.sent_hello.key_shares if self.sent_hello.parsed else {
            g: self.shares[g].public for g in self.sent_shares if g in self.shares}
        if is_grease(group) and self.lenient_on("grease"):
            self.cannot_go_on(event, f"a key share for the GREASE group {group_name(group)}")
        retry = self.server.get("HelloRetryRequest")
        asked = retry.ext(ext.KEY_SHARE) if isinstance(retry, sm.ServerHello) else None
        if asked is not None and ext.read_key_share_retry(asked) != group:
            self.stop(event, violation=f"ServerHello key_share for {group_name(group)}, "
                                      "not the group the HelloRetryRequest selected "
                                      "(RFC 8446 4.2.8)", alert=AD.illegal_parameter)
        if group not in sent:
            if self.lenient_on("offered-group"):
                self.cannot_go_on(event, f"a key share for {group_name(group)}, for which it "
                                         "has no key")
            self.stop(event, violation=f"ServerHello key_share for {group_name(group)}, "
                                      "for which the client sent no share "
                                      "(RFC 8446 4.2.8)", alert=AD.illegal_parameter)
        if group not in self.shares or sent[group] != self.shares[group].public:
            self.stop(event, violation=f"ServerHello accepts the client's "
                                      f"{group_name(group)} share, which this row made "
                                      f"invalid ({len(sent[group])} bytes): a "
                                      "server MUST "
                                      "validate the peer's share (RFC 8446 4.2.8.2, "
                                      "7.4.2)", alert=AD.illegal_parameter)
        try:
            return self.shares[group].shared(public)
        except KeyExchangeError as exc:
            if self.lenient_on("key-share-validation"):
                self.cannot_go_on(event, f"a server key share it cannot use ({exc})")
            self.stop(event, violation=f"server key share: {exc}",
                      alert=AD.illegal_parameter)

    def cannot_go_on(self, event: HandshakeMessage, what: str) -> NoReturn:
        """A lenient client took what it should have refused and has no keys to go on
        with: it stops without an alert (what it does next is its launcher's)."""
        self.outcome.notes.append(f"the client cannot go on with {what}")
        self.stop(event)

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
            cipher=getattr(msg, "cipher", None) or self.outcome.cipher,
            renegotiated=b"".join(self.offer.renegotiation or ()), lenient=self.lenient)
        if found is not None:
            self.stop(event, violation=found.rule, alert=found.alert)

    def server_hello_problem(self, msg: sm.ServerHello, version: int) -> tuple[str, int] | None:
        """RFC 8446 4.1.3 / RFC 5246 7.4.1.3 rules a client checks in every ServerHello: the
        first one broken and the alert it owes (protocol_version for a version it will not
        speak, RFC 5246 E.1 and RFC 8996 5; illegal_parameter otherwise)."""
        bad, old = AD.illegal_parameter, AD.protocol_version
        lenient = self.lenient_on
        offered_versions = self.offer.supported_versions or [self.offer.legacy_version]
        if msg.cipher not in self.offer.ciphers and not lenient("offered-suite"):
            return f"selected cipher suite 0x{msg.cipher:04x}, which the client did not " \
                   "offer", bad
        suite = SUITES.get(msg.cipher)
        if suite is not None and (version == TLS13) != suite.tls13 \
                and not lenient("suite-version"):
            return (f"selected cipher suite 0x{msg.cipher:04x}, which does not belong to "
                    f"{version_name(version)} (RFC 8446 4.1.3, B.4)"), bad
        if msg.compression not in self.offer.compression or msg.compression != 0:
            if lenient("offered-compression"):
                pass
            elif msg.compression not in self.offer.compression:
                return f"selected compression method {msg.compression}, which the client " \
                       "did not offer (RFC 5246 7.4.1.3, RFC 8446 4.1.3)", bad
            elif version != TLS13:
                return f"selected compression method {msg.compression} (RFC 9325 3.3: TLS " \
                       "1.2 implementations SHOULD NOT support compression)", bad
            else:
                return f"TLS 1.3 ServerHello with compression method {msg.compression} (RFC " \
                       "8446 4.1.3: legacy_compression_method MUST be 0)", bad
        if version == TLS13:
            if not self.offer.offers_tls13:
                return "negotiated TLS 1.3, which the client did not offer", old
            if msg.legacy_version != TLS12:
                return f"TLS 1.3 ServerHello with legacy_version 0x{msg.legacy_version:04x}, " \
                       "not 0x0303", bad
            if msg.session_id != self.offer.session_id and not lenient("session-id-echo"):
                return "legacy_session_id_echo does not echo the client's session id", bad
        elif msg.ext(ext.SUPPORTED_VERSIONS) is not None:
            return f"supported_versions selects {version_name(version)} (RFC 8446 4.2.1: only " \
                   "TLS 1.3 is negotiated through it)", bad
        elif version not in offered_versions and version > max(offered_versions):
            return f"negotiated {version_name(version)}, which the client did not offer", old
        if version < TLS12 and not lenient("obsolete-version"):
            if version in offered_versions:
                return f"negotiated {version_name(version)}, which RFC 8996 forbids", old
            return f"negotiated {version_name(version)}, which the client did not offer", old
        if version != TLS13 and self.offer.offers_tls13 and \
                msg.random[-8:-1] == DOWNGRADE_SENTINEL and not lenient("downgrade-sentinel"):
            return ("ServerHello.random ends with the downgrade sentinel although TLS 1.3 "
                    "was offered (RFC 8446 4.1.3)"), bad
        return None

    def negotiated_version(self, msg: sm.ServerHello) -> int:
        """The version the ServerHello selects; a lenient client may read it otherwise: any
        supported_versions as TLS 1.3 ("supported-versions-value"), or a TLS 1.3 suite
        without one as TLS 1.3 too ("supported-versions-required")."""
        version = msg.version
        if version == TLS13:
            return version
        if msg.ext(ext.SUPPORTED_VERSIONS) is not None:
            return TLS13 if self.lenient_on("supported-versions-value") else version
        suite = SUITES.get(msg.cipher)
        if suite is not None and suite.tls13 and self.lenient_on("supported-versions-required"):
            return TLS13
        return version

    def on_encrypted_extensions(self, msg: sm.EncryptedExtensions, event: HandshakeMessage
                                ) -> bool:
        self.last_server = "EncryptedExtensions"
        self.server["EncryptedExtensions"] = msg
        self.check_extensions("EncryptedExtensions", msg, event)
        accepts_early = any(code == ext.EARLY_DATA for code, _ in msg.extensions)
        if accepts_early and not (self.resumed and self.offer.psk and self.offer.psk.binds == 0):
            self.stop(event, violation="EncryptedExtensions accepts early_data without "
                                       "selecting the first PSK identity (RFC 8446 4.2.10: "
                                       "only then may a server accept it)",
                      alert=AD.illegal_parameter)
        self.early_accepted = accepts_early and self.early_write is not None
        if self.early_write is not None and not self.early_accepted:
            self.conn.write = self.handshake_write  # rejected: the server skips our 0-RTT
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
            if self.lenient_on("certificate-present"):
                self.cannot_go_on(event, "an empty server Certificate")
            return self.stop(event, violation="empty Certificate list: the server must send "
                                              "its certificate (RFC 8446 4.4.2.4, RFC 5246 "
                                              "7.4.2)", alert=AD.decode_error)
        try:
            public_key(msg.ders[0])
        except CertificateError as exc:
            if self.lenient_on("certificate-parses"):
                self.cannot_go_on(event, f"a server leaf it cannot read ({exc})")
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

    def offered_schemes(self) -> list[int] | None:
        """The signature schemes the ClientHello as sent offered; None without the
        extension (TLS 1.2 then has defaults, RFC 5246 7.4.1.4.1)."""
        if not self.sent_hello.parsed:
            return list(self.offer.sig_algs)
        body = self.sent_hello.extensions.get(ext.SIGNATURE_ALGORITHMS)
        if body is None:
            return None
        try:
            return ext.read_u16_vector(body, "signature_algorithms")
        except DecodeError:
            return None

    def server_key(self) -> object:
        """The server leaf's key; None when there is no Certificate, which only a client
        lenient on "server-certificate" gets this far without (it verifies nothing)."""
        cert = self.server.get("Certificate")
        return None if cert is None else public_key(cert.ders[0])  # type: ignore[attr-defined]

    def on_server_key_exchange(self, msg: sm.ServerKeyExchange, event: HandshakeMessage) -> bool:
        self.last_server = "ServerKeyExchange"
        self.server["ServerKeyExchange"] = msg
        self.outcome.server_signature_scheme = msg.scheme
        self.outcome.dh_prime = msg.dh_p or None
        offered = self.offered_schemes()
        if offered is not None and msg.scheme not in offered \
                and not self.lenient_on("signature-scheme"):
            self.stop(event, violation=f"ServerKeyExchange signed with "
                                       f"{scheme_name(msg.scheme or 0)}, which "
                                       "signature_algorithms did not offer (RFC 5246 7.4.3: it "
                                       "MUST be a pair listed there)", alert=AD.illegal_parameter)
        assert self.client_random is not None
        signed = self.client_random + self.outcome.server_random + msg.params
        key = self.server_key()
        problem = verify(msg.scheme or 0, key, msg.signature, signed) if key else None  # type: ignore[arg-type]
        if problem and not self.lenient_on("signature"):
            return self.stop(event, violation="server ServerKeyExchange signature does not "
                                              f"verify with its certificate's key ({problem})",
                             alert=AD.decrypt_error)
        if msg.group is not None and msg.group not in self.offer.group_codes:
            if self.lenient_on("offered-group") and msg.group not in KNOWN_GROUPS:
                self.cannot_go_on(event, f"a ServerKeyExchange on {group_name(msg.group)}")
            if not self.lenient_on("offered-group"):
                self.stop(event, violation=f"ServerKeyExchange uses {group_name(msg.group)}, "
                                           "which supported_groups did not offer "
                                           "(RFC 8422 5.4)", alert=AD.illegal_parameter)
        self.add_to_transcript(event.message.raw)
        return False

    def on_server_hello_done(self, msg: sm.Empty, event: HandshakeMessage) -> bool:
        assert self.suite is not None
        if self.suite.kex in ("ecdhe", "dhe") and "ServerKeyExchange" not in self.server \
                and not self.lenient_on("server-key-exchange"):
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
        offered = self.offered_schemes()
        if offered is not None and msg.scheme not in offered \
                and not self.lenient_on("signature-scheme"):
            self.stop(event, violation=f"server CertificateVerify signed with "
                                       f"{scheme_name(msg.scheme)}, which signature_algorithms "
                                       "did not offer (RFC 8446 4.4.3)",
                      alert=AD.illegal_parameter)
        if msg.scheme in PKCS1_SCHEMES and not self.lenient_on("tls13-pss"):
            self.stop(event, violation=f"server CertificateVerify signed with "
                                       f"{scheme_name(msg.scheme)} (RFC 8446 4.4.3: RSA "
                                       "signatures MUST use an RSASSA-PSS algorithm)",
                      alert=AD.illegal_parameter)
        content = tls13_signed_content("server", self.transcript_hash())
        key = self.server_key()
        problem = verify(msg.scheme, key, msg.signature, content) if key else None  # type: ignore[arg-type]
        if problem and not self.lenient_on("signature"):
            return self.stop(event, violation=f"server CertificateVerify signature does not "
                                              f"verify ({scheme_name(msg.scheme)}: {problem})",
                             alert=AD.decrypt_error)
        self.add_to_transcript(event.message.raw)
        return False

    def on_finished(self, msg: sm.Finished, event: HandshakeMessage) -> bool:
        """TLS 1.3 server Finished (TLS 1.2's comes in ``read_server_finished``)."""
        assert self.schedule is not None
        expected = self.schedule.finished(self.secrets["s_hs"], self.transcript_hash())
        if msg.verify_data != expected and not self.lenient_on("finished"):
            return self.stop(event, violation="server Finished verify_data is wrong",
                             alert=AD.decrypt_error)
        self.add_to_transcript(event.message.raw)
        self.schedule.enter_master()
        c_ap, s_ap = self.schedule.application_traffic_secrets(self.transcript_hash())
        self.secrets.update(c_ap=c_ap, s_ap=s_ap)
        self.log_secret("CLIENT_TRAFFIC_SECRET_0", c_ap)
        self.log_secret("SERVER_TRAFFIC_SECRET_0", s_ap)
        self.conn.superseded = (self.conn.read, "handshake keys")
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
