"""The record keys of a conversation as it moves on: TLS 1.3 traffic secrets and their
updates, the TLS 1.2 master secret and key block; part of ``ClientDriver``."""

from __future__ import annotations

import hashlib

from tlsconform.crypto import prf
from tlsconform.crypto.schedule import KeySchedule
from tlsconform.wire.protection import (
    Protection,
    Tls13Protection,
    key_block_length,
    tls12_protections,
)


class Keys:
    """Deriving and switching record protection (a part of ``ClientDriver``)."""

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

    def next_write_keys(self) -> None:
        """Our KeyUpdate: our traffic secret moves on after it (RFC 8446 4.6.3); one sent
        before there are application keys changes nothing."""
        if self.schedule is None or "c_ap" not in self.secrets:
            return
        self.secrets["c_ap"] = self.schedule.next_traffic_secret(self.secrets["c_ap"])
        self.conn.write = self.tls13_protection(self.secrets["c_ap"])

    def enter_application_write(self) -> None:
        """After our TLS 1.3 Finished, our records switch to application keys."""
        if self.application_write is not None:
            self.conn.write = self.application_write

    def log_secret(self, label: str, secret: bytes) -> None:
        """A key log line (SSLKEYLOGFILE) on the outcome, as the secret becomes known: so
        the conversation's evidence can be decrypted in Wireshark after the run."""
        assert self.client_random is not None
        self.outcome.key_secrets.append((label, self.client_random, secret))

    def enter_early_keys(self) -> None:
        """0-RTT write keys (``enter_early_write``), and their secret in the key log."""
        self.enter_early_write()
        psk = self.offer.psk
        if self.early_write is not None and psk is not None:
            schedule = KeySchedule(psk.hash, psk.secret)
            self.log_secret("CLIENT_EARLY_TRAFFIC_SECRET", schedule.client_early_traffic_secret(
                hashlib.new(psk.hash, self.transcript).digest()))

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
        """Our TLS 1.2 ChangeCipherSpec: the pending write state becomes current (once: a
        renegotiation's replaces the protection the connection has)."""
        if not self.write_activated:
            self.write_activated = True
            self.conn.write = self.pending_protections()[0]
