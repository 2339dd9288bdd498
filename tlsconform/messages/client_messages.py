"""The client's handshake messages, encoded (RFC 8446 4.1.2, 4.4; RFC 5246 7.4.7-7.4.9).

The driver's own messages are built here from bytes; mutation words may hand in scapy
packets instead, which the sealer encodes with ``bytes()``.
"""

from __future__ import annotations

from tlsconform.messages.codec import u8, u16, vec8, vec16, vec24
from tlsconform.messages.extensions import Extension, encode_block
from tlsconform.messages.handshake import (
    CERTIFICATE,
    CERTIFICATE_VERIFY,
    CLIENT_HELLO,
    CLIENT_KEY_EXCHANGE,
    END_OF_EARLY_DATA,
    FINISHED,
    KEY_UPDATE,
    frame,
)


def client_hello(version: int, random: bytes, session_id: bytes, ciphers: list[int],
                 compression: bytes, extensions: list[Extension] | None) -> bytes:
    """``extensions`` None leaves the block out altogether (a pre-RFC 3546 hello)."""
    body = (u16(version) + random + vec8(session_id)
            + vec16(b"".join(u16(c) for c in ciphers)) + vec8(compression))
    if extensions is not None:
        body += encode_block(extensions)
    return frame(CLIENT_HELLO, body)


def client_key_exchange_ecdhe(point: bytes) -> bytes:
    return frame(CLIENT_KEY_EXCHANGE, vec8(point))


def client_key_exchange_dhe(public: bytes) -> bytes:
    return frame(CLIENT_KEY_EXCHANGE, vec16(public))


def client_key_exchange_rsa(encrypted_premaster: bytes) -> bytes:
    return frame(CLIENT_KEY_EXCHANGE, vec16(encrypted_premaster))


def certificate(ders: list[bytes], tls13: bool, context: bytes = b"") -> bytes:
    if tls13:
        entries = b"".join(vec24(der) + vec16(b"") for der in ders)
        return frame(CERTIFICATE, vec8(context) + vec24(entries))
    return frame(CERTIFICATE, vec24(b"".join(vec24(der) for der in ders)))


def certificate_verify(scheme: int, signature: bytes) -> bytes:
    return frame(CERTIFICATE_VERIFY, u16(scheme) + vec16(signature))


def finished(verify_data: bytes) -> bytes:
    return frame(FINISHED, verify_data)


def key_update(request_update: int) -> bytes:
    return frame(KEY_UPDATE, u8(request_update))


def end_of_early_data() -> bytes:
    return frame(END_OF_EARLY_DATA, b"")
