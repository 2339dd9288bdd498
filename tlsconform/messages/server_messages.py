"""The server's handshake messages, decoded from their bodies (RFC 8446 4, RFC 5246 7.4).

Each decoder checks every length against the bytes present and raises ``DecodeError``
naming the field; nothing here trusts the peer.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tlsconform.messages import extensions as ext
from tlsconform.messages.codec import DecodeError, Reader, read_u16_list
from tlsconform.messages.extensions import Extension
from tlsconform.messages.handshake import (
    CERTIFICATE,
    CERTIFICATE_REQUEST,
    CERTIFICATE_STATUS,
    CERTIFICATE_VERIFY,
    ENCRYPTED_EXTENSIONS,
    FINISHED,
    HELLO_REQUEST,
    HELLO_RETRY_RANDOM,
    KEY_UPDATE,
    NEW_SESSION_TICKET,
    SERVER_HELLO,
    SERVER_HELLO_DONE,
    SERVER_KEY_EXCHANGE,
)


@dataclass(frozen=True)
class ServerHello:
    legacy_version: int
    random: bytes
    session_id: bytes
    cipher: int
    compression: int
    extensions: list[Extension] = field(default_factory=list)

    @property
    def retry(self) -> bool:
        return self.random == HELLO_RETRY_RANDOM

    def ext(self, code: int) -> bytes | None:
        return ext.find(self.extensions, code)

    @property
    def version(self) -> int:
        """The negotiated version: supported_versions if present, else legacy_version."""
        body = self.ext(ext.SUPPORTED_VERSIONS)
        return ext.read_supported_version(body) if body is not None else self.legacy_version


@dataclass(frozen=True)
class EncryptedExtensions:
    extensions: list[Extension]


@dataclass(frozen=True)
class CertificateEntry:
    der: bytes
    extensions: list[Extension] = field(default_factory=list)


@dataclass(frozen=True)
class Certificate:
    entries: list[CertificateEntry]
    context: bytes = b""

    @property
    def ders(self) -> list[bytes]:
        return [e.der for e in self.entries]


@dataclass(frozen=True)
class CertificateRequest:
    schemes: list[int]
    context: bytes = b""
    extensions: list[Extension] = field(default_factory=list)
    certificate_types: bytes = b""  # TLS 1.2


@dataclass(frozen=True)
class ServerKeyExchange:
    """TLS 1.2 ECDHE or DHE parameters and their signature (RFC 8422 5.4, RFC 5246 7.4.3)."""

    params: bytes  # the signed part, as sent
    group: int | None  # ECDHE named curve
    public: bytes  # the server's point, or dh_Ys
    dh_p: int = 0
    dh_g: int = 0
    scheme: int | None = None
    signature: bytes = b""


@dataclass(frozen=True)
class CertificateVerify:
    scheme: int
    signature: bytes


@dataclass(frozen=True)
class Finished:
    verify_data: bytes


@dataclass(frozen=True)
class NewSessionTicket:
    lifetime: int
    ticket: bytes
    age_add: int = 0  # TLS 1.3
    nonce: bytes = b""  # TLS 1.3
    extensions: list[Extension] = field(default_factory=list)


@dataclass(frozen=True)
class KeyUpdate:
    request_update: int


@dataclass(frozen=True)
class Empty:
    """ServerHelloDone and HelloRequest: no body."""


@dataclass(frozen=True)
class CertificateStatus:
    status_type: int
    response: bytes


Decoded = (ServerHello | EncryptedExtensions | Certificate | CertificateRequest
           | ServerKeyExchange | CertificateVerify | Finished | NewSessionTicket | KeyUpdate | Empty
           | CertificateStatus)


@dataclass(frozen=True)
class Context:
    """What decoding depends on: the version and, in TLS 1.2, the key exchange."""

    tls13: bool = False
    kex: str | None = None  # "ecdhe", "dhe", "rsa"


def server_hello(body: bytes) -> ServerHello:
    r = Reader(body)
    version = r.u16("legacy_version")
    random = r.take(32, "random")
    session_id = r.vec8("legacy_session_id_echo", maximum=32)
    cipher = r.u16("cipher_suite")
    compression = r.u8("legacy_compression_method")
    exts = ext.read_block(r, "ServerHello")
    r.done("ServerHello")
    return ServerHello(version, random, session_id, cipher, compression, exts)


def encrypted_extensions(body: bytes) -> EncryptedExtensions:
    r = Reader(body)
    exts = ext.parse_block(r.vec16("EncryptedExtensions extensions"), "EncryptedExtensions")
    r.done("EncryptedExtensions")
    return EncryptedExtensions(exts)


def certificate(body: bytes, tls13: bool) -> Certificate:
    r = Reader(body)
    context = r.vec8("certificate_request_context") if tls13 else b""
    entries = Reader(r.vec24("certificate_list"))
    r.done("Certificate")
    out = []
    while entries.left:
        der = entries.vec24("cert_data", minimum=1)
        exts = (ext.parse_block(entries.vec16("CertificateEntry extensions"), "Certificate")
                if tls13 else [])
        out.append(CertificateEntry(der, exts))
    return Certificate(out, context)


def certificate_request(body: bytes, tls13: bool) -> CertificateRequest:
    r = Reader(body)
    if tls13:
        context = r.vec8("certificate_request_context")
        exts = ext.parse_block(r.vec16("CertificateRequest extensions"), "CertificateRequest")
        r.done("CertificateRequest")
        schemes_body = ext.find(exts, ext.SIGNATURE_ALGORITHMS)
        schemes = (ext.read_u16_vector(schemes_body, "signature_algorithms")
                   if schemes_body is not None else [])
        return CertificateRequest(schemes, context, exts)
    types = r.vec8("certificate_types", minimum=1)
    schemes = read_u16_list(r.vec16("supported_signature_algorithms"),
                            "supported_signature_algorithms")
    r.vec16("certificate_authorities")
    r.done("CertificateRequest")
    return CertificateRequest(schemes, certificate_types=types)


def server_key_exchange(body: bytes, kex: str | None) -> ServerKeyExchange:
    r = Reader(body)
    if kex == "dhe":
        p = r.vec16("dh_p", minimum=1)
        g = r.vec16("dh_g", minimum=1)
        ys = r.vec16("dh_Ys", minimum=1)
        params = body[:r.pos]
        scheme = r.u16("signature algorithm")
        signature = r.vec16("signature")
        r.done("ServerKeyExchange")
        return ServerKeyExchange(params, None, ys, int.from_bytes(p, "big"),
                                 int.from_bytes(g, "big"), scheme, signature)
    if kex != "ecdhe":
        raise DecodeError(f"a ServerKeyExchange, which {kex or 'this'} key exchange does "
                          "not use")
    curve_type = r.u8("curve_type")
    if curve_type != 3:
        raise DecodeError(f"curve_type {curve_type}, not named_curve(3) (RFC 8422 5.4)")
    group = r.u16("namedcurve")
    public = r.vec8("ECPoint", minimum=1)
    params = body[:r.pos]
    scheme = r.u16("signature algorithm")
    signature = r.vec16("signature")
    r.done("ServerKeyExchange")
    return ServerKeyExchange(params, group, public, scheme=scheme, signature=signature)


def certificate_verify(body: bytes) -> CertificateVerify:
    r = Reader(body)
    scheme = r.u16("CertificateVerify algorithm")
    signature = r.vec16("CertificateVerify signature", minimum=1)
    r.done("CertificateVerify")
    return CertificateVerify(scheme, signature)


def new_session_ticket(body: bytes, tls13: bool) -> NewSessionTicket:
    r = Reader(body)
    lifetime = r.uint(4, "ticket_lifetime")
    if not tls13:
        ticket = r.vec16("ticket")
        r.done("NewSessionTicket")
        return NewSessionTicket(lifetime, ticket)
    age_add = r.uint(4, "ticket_age_add")
    nonce = r.vec8("ticket_nonce")
    ticket = r.vec16("ticket", minimum=1)
    exts = ext.parse_block(r.vec16("NewSessionTicket extensions"), "NewSessionTicket")
    r.done("NewSessionTicket")
    return NewSessionTicket(lifetime, ticket, age_add, nonce, exts)


def key_update(body: bytes) -> KeyUpdate:
    r = Reader(body)
    value = r.u8("request_update")
    r.done("KeyUpdate")
    return KeyUpdate(value)


def empty(body: bytes, name: str) -> Empty:
    if body:
        raise DecodeError(f"{name} with a {len(body)}-byte body; it has none")
    return Empty()


def certificate_status(body: bytes) -> CertificateStatus:
    r = Reader(body)
    status_type = r.u8("status_type")
    response = r.vec24("OCSPResponse", minimum=1)
    r.done("CertificateStatus")
    return CertificateStatus(status_type, response)


def decode(msg_type: int, body: bytes, ctx: Context) -> Decoded | None:
    """The decoded message, DecodeError for a malformed one, None for a type a server never
    sends (the driver names it as out of place)."""
    if msg_type == SERVER_HELLO:
        return server_hello(body)
    if msg_type == ENCRYPTED_EXTENSIONS:
        return encrypted_extensions(body)
    if msg_type == CERTIFICATE:
        return certificate(body, ctx.tls13)
    if msg_type == CERTIFICATE_REQUEST:
        return certificate_request(body, ctx.tls13)
    if msg_type == SERVER_KEY_EXCHANGE:
        return server_key_exchange(body, ctx.kex)
    if msg_type == CERTIFICATE_VERIFY:
        return certificate_verify(body)
    if msg_type == FINISHED:
        return Finished(body)
    if msg_type == NEW_SESSION_TICKET:
        return new_session_ticket(body, ctx.tls13)
    if msg_type == KEY_UPDATE:
        return key_update(body)
    if msg_type == SERVER_HELLO_DONE:
        return empty(body, "ServerHelloDone")
    if msg_type == HELLO_REQUEST:
        return empty(body, "HelloRequest")
    if msg_type == CERTIFICATE_STATUS:
        return certificate_status(body)
    return None
