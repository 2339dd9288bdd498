"""The server's handshake messages, encoded, for the suite playing the server (RFC 8446
4.1.3, 4.1.4, 4.3, 4.4, 4.6.1; RFC 5246 7.4.1.2-7.4.5, 7.4.9; RFC 8422 5.4).

Certificate, CertificateVerify and Finished have the same layout from either peer: they
come from ``client_messages``. Words may replace any of these with scapy packets.
"""

from __future__ import annotations

from tlsconform.messages.client_messages import certificate, certificate_verify, finished
from tlsconform.messages.codec import u8, u16, u16_list, vec8, vec16
from tlsconform.messages.extensions import Extension, encode_block
from tlsconform.messages.handshake import (
    CERTIFICATE_REQUEST,
    ENCRYPTED_EXTENSIONS,
    HELLO_RETRY_RANDOM,
    NEW_SESSION_TICKET,
    SERVER_HELLO,
    SERVER_HELLO_DONE,
    SERVER_KEY_EXCHANGE,
    frame,
)

__all__ = [
    "certificate",
    "certificate_request",
    "certificate_verify",
    "ecdhe_params",
    "encrypted_extensions",
    "finished",
    "hello_retry_request",
    "new_session_ticket",
    "server_hello",
    "server_hello_done",
    "server_key_exchange_ecdhe",
]

NAMED_CURVE = 3  # RFC 8422 5.4 ECCurveType


def server_hello(version: int, random: bytes, session_id: bytes, cipher: int,
                 compression: int, extensions: list[Extension] | None) -> bytes:
    """``extensions`` None leaves the block out (a TLS 1.2 hello without extensions)."""
    body = u16(version) + random + vec8(session_id) + u16(cipher) + u8(compression)
    if extensions is not None:
        body += encode_block(extensions)
    return frame(SERVER_HELLO, body)


def hello_retry_request(session_id: bytes, cipher: int, extensions: list[Extension]) -> bytes:
    """RFC 8446 4.1.4: a ServerHello with the special random."""
    return server_hello(0x0303, HELLO_RETRY_RANDOM, session_id, cipher, 0, extensions)


def encrypted_extensions(extensions: list[Extension]) -> bytes:
    return frame(ENCRYPTED_EXTENSIONS, encode_block(extensions))


def certificate_request(tls13: bool, schemes: list[int], context: bytes = b"",
                        extensions: list[Extension] | None = None) -> bytes:
    """TLS 1.3: context and extensions (signature_algorithms among them); TLS 1.2:
    certificate types (RSA and ECDSA signing), schemes, no authorities."""
    if tls13:
        return frame(CERTIFICATE_REQUEST, vec8(context) + encode_block(extensions or []))
    return frame(CERTIFICATE_REQUEST, vec8(bytes([1, 64])) + u16_list(schemes) + vec16(b""))


def ecdhe_params(group: int, public: bytes) -> bytes:
    """The signed part of an ECDHE ServerKeyExchange (RFC 8422 5.4)."""
    return u8(NAMED_CURVE) + u16(group) + vec8(public)


def server_key_exchange_ecdhe(params: bytes, scheme: int, signature: bytes) -> bytes:
    return frame(SERVER_KEY_EXCHANGE, params + u16(scheme) + vec16(signature))


def server_hello_done() -> bytes:
    return frame(SERVER_HELLO_DONE, b"")


def new_session_ticket(tls13: bool, lifetime: int, ticket: bytes, age_add: int = 0,
                       nonce: bytes = b"", extensions: list[Extension] | None = None) -> bytes:
    if tls13:
        body = (lifetime.to_bytes(4, "big") + age_add.to_bytes(4, "big") + vec8(nonce)
                + vec16(ticket) + encode_block(extensions or []))
    else:
        body = lifetime.to_bytes(4, "big") + vec16(ticket)
    return frame(NEW_SESSION_TICKET, body)


