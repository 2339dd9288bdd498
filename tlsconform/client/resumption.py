"""Resuming: what the client checks when a server takes a session back, the PSK binder it
proves a ticket with, the tickets it keeps, and early data; part of ``ClientDriver``.

TLS 1.2 (RFC 5246 7.4.1.2, RFC 5077 3.4): a ServerHello that echoes the session id the
client offered (its old session's, or the fresh one sent beside a ticket) resumes; the
server then sends its ChangeCipherSpec and Finished first. TLS 1.3 (RFC 8446 4.2.11): a
ServerHello with pre_shared_key selects an identity, and the key schedule starts from its
PSK.
"""

from __future__ import annotations

import hashlib
import time

from tlsconform.client.session import PSK_KE, Session, Ticket, Tls12Session
from tlsconform.crypto.schedule import KeySchedule
from tlsconform.crypto.suites import SUITES, suite_name
from tlsconform.messages import extensions as ext
from tlsconform.messages import server_messages as sm
from tlsconform.messages.alerts import AlertDescription as AD
from tlsconform.messages.codec import DecodeError, Reader, vec8, vec16
from tlsconform.verdict.outcome import version_name
from tlsconform.wire.events import HandshakeMessage
from tlsconform.wire.protection import Tls13Protection

TLS12, TLS13 = 0x0303, 0x0304


class Resumption:
    """Taking a session back and keeping new ones (a part of ``ClientDriver``)."""

    # -- TLS 1.2 -------------------------------------------------------------------------
    def tls12_resumes(self, msg: sm.ServerHello, event: HandshakeMessage) -> bool:
        """Whether this ServerHello resumes the offered session; stops on a resumption
        that breaks a rule."""
        session: Tls12Session | None = self.offer.resume12
        if session is None or not msg.session_id or msg.session_id != self.offer.session_id:
            return False
        if msg.cipher != session.suite:
            self.stop(event, violation=f"resumes a session made under "
                                       f"{suite_name(session.suite)} with "
                                       f"{suite_name(msg.cipher)} (RFC 5246 7.4.1.3: it must be "
                                       "resumed using the same cipher suite)",
                      alert=AD.illegal_parameter)
        if msg.version != session.version:
            self.stop(event, violation=f"resumes a {version_name(session.version)} session as "
                                       f"{version_name(msg.version)} (RFC 5246 7.4.1.3: the "
                                       "resumed session's values)", alert=AD.protocol_version)
        ems = msg.ext(ext.EXTENDED_MASTER_SECRET) is not None
        if session.ems != ems:
            had = "with" if session.ems else "without"
            self.stop(event, violation=f"resumes a session made {had} extended_master_secret "
                                       f"in a ServerHello {'without' if session.ems else 'with'} "
                                       "it (RFC 7627 5.3: the client MUST abort)",
                      alert=AD.handshake_failure)
        if msg.ext(ext.SERVER_NAME) is not None:
            self.stop(event, violation="a resuming ServerHello carries server_name (RFC 6066 3: "
                                       "the server MUST NOT include it when resuming)",
                      alert=AD.unsupported_extension)
        self.master_secret = session.master_secret
        self.ems = session.ems
        self.resumed = self.outcome.resumed = True
        return True

    # -- TLS 1.3 -------------------------------------------------------------------------
    def fill_binders(self, raw: bytes) -> bytes:
        """The ClientHello as sent, its PSK binder computed over everything before the
        binders (RFC 8446 4.2.11.2), with what came before it in the transcript (a
        HelloRetryRequest's message_hash)."""
        psk = self.offer.psk
        if psk is None or not self.speaks_tls13:
            return raw
        placeholder = psk.encode()[-psk.binders_length():]
        at = raw.rfind(placeholder)
        if at < 0:  # a word rewrote the extension: send what it made
            return raw
        digest = hashlib.new(psk.hash, self.transcript + raw[:at]).digest()
        schedule = KeySchedule(psk.hash, psk.secret)
        binder = schedule.finished(schedule.binder_key(), digest)
        if psk.binder_edit is not None:
            binder = psk.binder_edit(binder)
        size = len(binder)
        binders = [binder if n == psk.binds else bytes(size)
                   for n in range(len(psk.identities))]
        return raw[:at] + vec16(b"".join(vec8(b) for b in binders)) + raw[at + len(placeholder):]

    def tls13_psk(self, msg: sm.ServerHello, event: HandshakeMessage) -> bytes | None:
        """The PSK a TLS 1.3 ServerHello accepts (None: a full handshake); stops on an
        acceptance the client must refuse."""
        body = msg.ext(ext.PRE_SHARED_KEY)
        psk = self.offer.psk
        if body is None or psk is None:
            return None
        try:
            reader = Reader(body)
            selected = reader.u16("selected_identity")
            reader.done("pre_shared_key")
        except DecodeError as exc:
            self.stop(event, violation=f"malformed pre_shared_key: {exc}", alert=AD.decode_error)
        if selected >= len(psk.identities):
            self.stop(event, violation=f"pre_shared_key selects identity {selected} of "
                                       f"{len(psk.identities)} (RFC 8446 4.2.11: clients MUST "
                                       "verify it is within range)", alert=AD.illegal_parameter)
        if selected != psk.binds:
            self.stop(event, violation=f"pre_shared_key selects identity {selected}, whose "
                                       "binder proves nothing: the server did not validate it "
                                       "(RFC 8446 4.2.11: it MUST)", alert=AD.illegal_parameter)
        suite = SUITES.get(msg.cipher)
        if suite is not None and suite.hash != psk.hash:
            self.stop(event, violation=f"resumes a {psk.hash} PSK under {suite.name} (RFC 8446 "
                                       "4.2.11: the cipher suite MUST indicate the PSK's hash)",
                      alert=AD.illegal_parameter)
        if msg.ext(ext.KEY_SHARE) is None and PSK_KE not in self.offer.psk_modes:
            self.stop(event, violation="resumes in psk_ke mode (no key_share), which the client "
                                       "did not offer (RFC 8446 4.2.9)",
                      alert=AD.illegal_parameter)
        self.resumed = self.outcome.resumed = True
        return psk.secret

    def unsolicited_ticket(self, event: HandshakeMessage) -> None:
        """TLS 1.2: stop on a NewSessionTicket the ServerHello did not agree to with an
        empty session_ticket (RFC 5077 3.3: the server MUST NOT send it then)."""
        hello = self.server.get("ServerHello")
        agreed = isinstance(hello, sm.ServerHello) and hello.ext(ext.SESSION_TICKET) is not None
        if not agreed and not self.lenient_on("solicited-ticket"):
            self.stop(event, violation="NewSessionTicket although the ServerHello carries no "
                                       "session_ticket (RFC 5077 3.3: the server MUST NOT "
                                       "send it)", alert=AD.unexpected_message)

    def keep_ticket(self, msg: sm.NewSessionTicket) -> None:
        """A TLS 1.3 NewSessionTicket becomes a PSK (RFC 8446 4.6.1); TLS 1.2's is the
        session's (RFC 5077 3.3)."""
        if not self.tls13 or self.schedule is None or self.suite is None:
            return
        self.outcome.ticket_lifetimes.append(msg.lifetime)
        if self.schedule.master_secret:  # its PSK is derived only if a row offers it back
            self.tickets.append((msg, time.monotonic()))

    def tls13_tickets(self) -> list[Ticket]:
        """The tickets kept, each with the PSK it stands for."""
        if not self.tickets or self.schedule is None or self.suite is None:
            return []
        if "res" not in self.secrets:
            # RFC 8446 7.1: over the transcript up to our Finished, which is where it
            # stops (post-handshake messages are not part of it).
            self.secrets["res"] = self.schedule.resumption_master_secret(
                self.transcript_hash())
        kept = []
        for msg, received in self.tickets:
            early = next((body for code, body in msg.extensions if code == ext.EARLY_DATA),
                         None)
            kept.append(Ticket(
                suite=self.suite.code, hash=self.suite.hash, ticket=msg.ticket,
                lifetime=msg.lifetime, age_add=msg.age_add, nonce=msg.nonce,
                psk=self.schedule.ticket_psk(self.secrets["res"], msg.nonce),
                received=received,
                max_early_data=int.from_bytes(early, "big") if early and len(early) == 4
                else None))
        return kept

    @property
    def session(self) -> Session:
        """What this conversation leaves to resume."""
        tls12 = None
        hello_msg = self.server.get("ServerHello")
        if not self.tls13 and self.outcome.handshake_done and self.suite is not None \
                and isinstance(hello_msg, sm.ServerHello):
            ticket = self.server.get("NewSessionTicket")
            tls12 = Tls12Session(
                version=TLS12, suite=self.suite.code, session_id=hello_msg.session_id,
                master_secret=self.master(), ems=self.ems,
                ticket=ticket.ticket if isinstance(ticket, sm.NewSessionTicket) else None,
                ticket_lifetime=ticket.lifetime if isinstance(
                    ticket, sm.NewSessionTicket) else None)
        return Session(tls12=tls12, tickets=self.tls13_tickets())

    # -- early data (RFC 8446 4.2.10) ---------------------------------------------------
    def enter_early_write(self) -> None:
        """After a ClientHello offering early data, the client's records are protected
        under the client_early_traffic_secret of the PSK it offers."""
        psk = self.offer.psk
        if not self.offer.early_data or psk is None or psk.suite not in SUITES:
            return
        suite = SUITES[psk.suite]
        schedule = KeySchedule(psk.hash, psk.secret)
        secret = schedule.client_early_traffic_secret(
            hashlib.new(psk.hash, self.transcript).digest())
        keys = schedule.traffic_keys(secret, suite.key_len)
        self.plain_write = self.conn.write
        self.early_write = self.conn.write = Tls13Protection(suite, keys.key, keys.iv)
