"""The client's handshake messages, decoded from their bodies, for the server side of a
conversation (RFC 8446 4.1.2, 4.4; RFC 5246 7.4.1.2, 7.4.6-7.4.9).

Certificate, CertificateVerify, Finished and KeyUpdate have the same layout from either
peer: their decoders are the server side's. Nothing here trusts the peer: every length is
checked and a bad one raises ``DecodeError`` naming the field.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tlsconform.messages import extensions as ext
from tlsconform.messages import server_messages as sm
from tlsconform.messages.codec import DecodeError, Reader, read_u16_list
from tlsconform.messages.extensions import Extension
from tlsconform.messages.handshake import (
    CERTIFICATE,
    CERTIFICATE_VERIFY,
    CLIENT_HELLO,
    CLIENT_KEY_EXCHANGE,
    END_OF_EARLY_DATA,
    FINISHED,
    KEY_UPDATE,
)


@dataclass(frozen=True)
class ClientHello:
    legacy_version: int
    random: bytes
    session_id: bytes
    ciphers: list[int]
    compression: bytes
    extensions: list[Extension] = field(default_factory=list)

    def ext(self, code: int) -> bytes | None:
        return ext.find(self.extensions, code)

    def u16_list(self, code: int, outer: int = 2) -> list[int]:
        """An extension that is a vector of 2-byte values (groups, schemes), or [] when
        absent; ``outer`` is the size of the vector's length (1 for supported_versions)."""
        body = self.ext(code)
        if body is None:
            return []
        r = Reader(body)
        values = read_u16_list(r.vector(outer, ext.extension_name(code)), ext.extension_name(code))
        r.done(ext.extension_name(code))
        return values

    @property
    def versions(self) -> list[int]:
        """supported_versions, or [] when the client sent none (then legacy_version rules)."""
        return self.u16_list(ext.SUPPORTED_VERSIONS, outer=1)

    @property
    def groups(self) -> list[int]:
        return self.u16_list(ext.SUPPORTED_GROUPS)

    @property
    def schemes(self) -> list[int]:
        return self.u16_list(ext.SIGNATURE_ALGORITHMS)

    @property
    def key_shares(self) -> list[tuple[int, bytes]]:
        """(group, key_exchange) of each key_share entry, in order, duplicates kept."""
        body = self.ext(ext.KEY_SHARE)
        if body is None:
            return []
        outer = Reader(body)
        entries = Reader(outer.vec16("client_shares"))
        outer.done("key_share")
        shares = []
        while entries.left:
            group = entries.u16("key_share group")
            shares.append((group, entries.vec16("key_exchange", minimum=1)))
        return shares


@dataclass(frozen=True)
class ClientKeyExchange:
    """The exchange keys as sent; the server reads them by its suite's key exchange."""

    body: bytes


def client_hello(body: bytes) -> ClientHello:
    r = Reader(body)
    version = r.u16("legacy_version")
    random = r.take(32, "random")
    session_id = r.vec8("legacy_session_id", maximum=32)
    suites = r.vec16("cipher_suites", minimum=2)
    compression = r.vec8("legacy_compression_methods", minimum=1)
    exts = ext.read_block(r, "ClientHello") if r.left else []
    r.done("ClientHello")
    return ClientHello(version, random, session_id, read_u16_list(suites, "cipher_suites"),
                       compression, exts)


Decoded = ClientHello | ClientKeyExchange | sm.Certificate | sm.CertificateVerify \
    | sm.Finished | sm.KeyUpdate | sm.Empty


def decode(msg_type: int, body: bytes, ctx: sm.Context) -> Decoded | None:
    """The decoded message, DecodeError for a malformed one, None for a type a client never
    sends (the driver names it as out of place)."""
    if msg_type == CLIENT_HELLO:
        return client_hello(body)
    if msg_type == CLIENT_KEY_EXCHANGE:
        if not body:
            raise DecodeError("ClientKeyExchange: empty")
        return ClientKeyExchange(body)
    if msg_type == CERTIFICATE:
        return sm.certificate(body, ctx.tls13)
    if msg_type == CERTIFICATE_VERIFY:
        return sm.certificate_verify(body)
    if msg_type == FINISHED:
        return sm.Finished(body)
    if msg_type == KEY_UPDATE:
        return sm.key_update(body)
    if msg_type == END_OF_EARLY_DATA:
        return sm.empty(body, "EndOfEarlyData")
    return None
