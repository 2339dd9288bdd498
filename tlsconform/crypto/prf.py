"""The TLS 1.2 PRF and what it derives (RFC 5246 5, 6.3, 7.4.9, 8.1; RFC 7627 4)."""

from __future__ import annotations

import hmac


def p_hash(hash_name: str, secret: bytes, seed: bytes, length: int) -> bytes:
    out, a = b"", seed
    while len(out) < length:
        a = hmac.new(secret, a, hash_name).digest()
        out += hmac.new(secret, a + seed, hash_name).digest()
    return out[:length]


def prf(hash_name: str, secret: bytes, label: bytes, seed: bytes, length: int) -> bytes:
    return p_hash(hash_name, secret, label + seed, length)


def master_secret(hash_name: str, premaster: bytes, client_random: bytes,
                  server_random: bytes, session_hash: bytes | None = None) -> bytes:
    """RFC 5246 8.1, or RFC 7627 4 when ``session_hash`` is given (extended master secret)."""
    if session_hash is not None:
        return prf(hash_name, premaster, b"extended master secret", session_hash, 48)
    return prf(hash_name, premaster, b"master secret", client_random + server_random, 48)


def key_block(hash_name: str, master: bytes, client_random: bytes, server_random: bytes,
              length: int) -> bytes:
    return prf(hash_name, master, b"key expansion", server_random + client_random, length)


def verify_data(hash_name: str, master: bytes, side: str, handshake_hash: bytes) -> bytes:
    """RFC 5246 7.4.9: 12 bytes of PRF(master_secret, "<side> finished", Hash(messages))."""
    return prf(hash_name, master, f"{side} finished".encode(), handshake_hash, 12)
