"""The TLS 1.3 key schedule (RFC 8446 7.1-7.3, 4.4.4, 4.6.3) with HKDF from ``cryptography``.

``KeySchedule`` walks early -> handshake -> master secret; both sides use it, each picking
its own write and read traffic secrets.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

HASH_LEN = {"sha256": 32, "sha384": 48}


def hkdf_extract(hash_name: str, salt: bytes, ikm: bytes) -> bytes:
    return hmac.new(salt or bytes(HASH_LEN[hash_name]), ikm, hash_name).digest()


def hkdf_expand(hash_name: str, prk: bytes, info: bytes, length: int) -> bytes:
    out, block, counter = b"", b"", 1
    while len(out) < length:
        block = hmac.new(prk, block + info + bytes([counter]), hash_name).digest()
        out += block
        counter += 1
    return out[:length]


def hkdf_expand_label(hash_name: str, secret: bytes, label: bytes, context: bytes,
                      length: int) -> bytes:
    full = b"tls13 " + label
    info = (length.to_bytes(2, "big") + bytes([len(full)]) + full + bytes([len(context)])
            + context)
    return hkdf_expand(hash_name, secret, info, length)


def transcript_hash(hash_name: str, data: bytes) -> bytes:
    return hashlib.new(hash_name, data).digest()


@dataclass(frozen=True)
class TrafficKeys:
    """Key and IV of one direction (RFC 8446 7.3), and the secret they came from."""

    secret: bytes
    key: bytes
    iv: bytes


class KeySchedule:
    """One connection's TLS 1.3 secrets for a suite hash."""

    def __init__(self, hash_name: str, psk: bytes | None = None) -> None:
        self.hash = hash_name
        self.length = HASH_LEN[hash_name]
        self.early_secret = hkdf_extract(hash_name, b"", psk or bytes(self.length))
        self.handshake_secret = b""
        self.master_secret = b""

    def derive_secret(self, secret: bytes, label: bytes, messages_hash: bytes) -> bytes:
        return hkdf_expand_label(self.hash, secret, label, messages_hash, self.length)

    def empty_hash(self) -> bytes:
        return transcript_hash(self.hash, b"")

    def binder_key(self, external: bool = False) -> bytes:
        label = b"ext binder" if external else b"res binder"
        return self.derive_secret(self.early_secret, label, self.empty_hash())

    def client_early_traffic_secret(self, hello_hash: bytes) -> bytes:
        return self.derive_secret(self.early_secret, b"c e traffic", hello_hash)

    def enter_handshake(self, shared_secret: bytes) -> None:
        derived = self.derive_secret(self.early_secret, b"derived", self.empty_hash())
        self.handshake_secret = hkdf_extract(self.hash, derived, shared_secret)

    def handshake_traffic_secrets(self, hello_hash: bytes) -> tuple[bytes, bytes]:
        """(client, server) handshake traffic secrets, over ClientHello..ServerHello."""
        return (self.derive_secret(self.handshake_secret, b"c hs traffic", hello_hash),
                self.derive_secret(self.handshake_secret, b"s hs traffic", hello_hash))

    def enter_master(self) -> None:
        derived = self.derive_secret(self.handshake_secret, b"derived", self.empty_hash())
        self.master_secret = hkdf_extract(self.hash, derived, bytes(self.length))

    def application_traffic_secrets(self, finished_hash: bytes) -> tuple[bytes, bytes]:
        """(client, server) application traffic secrets, over ClientHello..server Finished."""
        return (self.derive_secret(self.master_secret, b"c ap traffic", finished_hash),
                self.derive_secret(self.master_secret, b"s ap traffic", finished_hash))

    def exporter_master_secret(self, finished_hash: bytes) -> bytes:
        return self.derive_secret(self.master_secret, b"exp master", finished_hash)

    def resumption_master_secret(self, client_finished_hash: bytes) -> bytes:
        return self.derive_secret(self.master_secret, b"res master", client_finished_hash)

    def traffic_keys(self, secret: bytes, key_len: int, iv_len: int = 12) -> TrafficKeys:
        return TrafficKeys(secret, hkdf_expand_label(self.hash, secret, b"key", b"", key_len),
                           hkdf_expand_label(self.hash, secret, b"iv", b"", iv_len))

    def next_traffic_secret(self, secret: bytes) -> bytes:
        """RFC 8446 7.2: the secret after a KeyUpdate."""
        return hkdf_expand_label(self.hash, secret, b"traffic upd", b"", self.length)

    def finished(self, base_key: bytes, messages_hash: bytes) -> bytes:
        """RFC 8446 4.4.4: HMAC(finished_key, Transcript-Hash(...))."""
        finished_key = hkdf_expand_label(self.hash, base_key, b"finished", b"", self.length)
        return hmac.new(finished_key, messages_hash, self.hash).digest()

    def ticket_psk(self, resumption_master_secret: bytes, nonce: bytes) -> bytes:
        """RFC 8446 4.6.1: the PSK a NewSessionTicket stands for."""
        return hkdf_expand_label(self.hash, resumption_master_secret, b"resumption", nonce,
                                 self.length)
