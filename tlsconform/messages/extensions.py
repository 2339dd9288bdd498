"""Extensions (RFC 8446 4.2 and the RFCs that define each): names, the block's framing, and
the bodies the engine writes and reads."""

from __future__ import annotations

from tlsconform.messages.codec import DecodeError, Reader, read_u16_list, u8, u16, vec8, vec16

SERVER_NAME, MAX_FRAGMENT_LENGTH, STATUS_REQUEST = 0, 1, 5
SUPPORTED_GROUPS, EC_POINT_FORMATS, SIGNATURE_ALGORITHMS = 10, 11, 13
USE_SRTP, HEARTBEAT, ALPN = 14, 15, 16
SIGNED_CERTIFICATE_TIMESTAMP, CLIENT_CERTIFICATE_TYPE, SERVER_CERTIFICATE_TYPE = 18, 19, 20
PADDING, ENCRYPT_THEN_MAC, EXTENDED_MASTER_SECRET = 21, 22, 23
COMPRESS_CERTIFICATE, RECORD_SIZE_LIMIT, SESSION_TICKET = 27, 28, 35
PRE_SHARED_KEY, EARLY_DATA, SUPPORTED_VERSIONS, COOKIE = 41, 42, 43, 44
PSK_KEY_EXCHANGE_MODES, CERTIFICATE_AUTHORITIES, OID_FILTERS = 45, 47, 48
POST_HANDSHAKE_AUTH, SIGNATURE_ALGORITHMS_CERT, KEY_SHARE = 49, 50, 51
RENEGOTIATION_INFO = 0xFF01

NAMES = {
    SERVER_NAME: "server_name", MAX_FRAGMENT_LENGTH: "max_fragment_length",
    STATUS_REQUEST: "status_request", SUPPORTED_GROUPS: "supported_groups",
    EC_POINT_FORMATS: "ec_point_formats", SIGNATURE_ALGORITHMS: "signature_algorithms",
    USE_SRTP: "use_srtp", HEARTBEAT: "heartbeat", ALPN: "application_layer_protocol_negotiation",
    SIGNED_CERTIFICATE_TIMESTAMP: "signed_certificate_timestamp",
    CLIENT_CERTIFICATE_TYPE: "client_certificate_type",
    SERVER_CERTIFICATE_TYPE: "server_certificate_type", PADDING: "padding",
    ENCRYPT_THEN_MAC: "encrypt_then_mac", EXTENDED_MASTER_SECRET: "extended_master_secret",
    COMPRESS_CERTIFICATE: "compress_certificate", RECORD_SIZE_LIMIT: "record_size_limit",
    SESSION_TICKET: "session_ticket", PRE_SHARED_KEY: "pre_shared_key",
    EARLY_DATA: "early_data", SUPPORTED_VERSIONS: "supported_versions", COOKIE: "cookie",
    PSK_KEY_EXCHANGE_MODES: "psk_key_exchange_modes",
    CERTIFICATE_AUTHORITIES: "certificate_authorities", OID_FILTERS: "oid_filters",
    POST_HANDSHAKE_AUTH: "post_handshake_auth",
    SIGNATURE_ALGORITHMS_CERT: "signature_algorithms_cert", KEY_SHARE: "key_share",
    RENEGOTIATION_INFO: "renegotiation_info",
}

Extension = tuple[int, bytes]


def extension_name(code: int) -> str:
    if code in NAMES:
        return f"{NAMES[code]}({code})"
    if code & 0x0F0F == 0x0A0A and code >> 8 == code & 0xFF:
        return f"GREASE(0x{code:04x})"
    return f"extension {code}"


def encode_block(extensions: list[Extension]) -> bytes:
    """The extensions vector: each type(2) length(2) body, the whole with a 2-byte length."""
    return vec16(b"".join(u16(t) + vec16(body) for t, body in extensions))


def parse_block(data: bytes, where: str) -> list[Extension]:
    """Extensions of a vector body (without its length), in order, duplicates kept."""
    reader, out = Reader(data), []
    while reader.left:
        ext_type = reader.u16(f"{where} extension type")
        body = reader.vec16(f"{where} {extension_name(ext_type)}")
        out.append((ext_type, body))
    return out


def read_block(reader: Reader, where: str) -> list[Extension]:
    """An optional extensions vector at the end of a message (absent means none)."""
    if not reader.left:
        return []
    return parse_block(reader.vec16(f"{where} extensions"), where)


def find(extensions: list[Extension], code: int) -> bytes | None:
    return next((body for t, body in extensions if t == code), None)


def duplicates(extensions: list[Extension]) -> list[int]:
    seen: set[int] = set()
    dup = []
    for code, _ in extensions:
        if code in seen and code not in dup:
            dup.append(code)
        seen.add(code)
    return dup


# -- bodies the client writes --------------------------------------------------------------
def server_name(name: bytes) -> bytes:
    """RFC 6066 3: a list with one host_name entry."""
    return vec16(u8(0) + vec16(name))


def u16s(values: list[int]) -> bytes:
    return vec16(b"".join(u16(v) for v in values))


def supported_versions_client(versions: list[int]) -> bytes:
    return vec8(b"".join(u16(v) for v in versions))


def key_share_client(entries: list[tuple[int, bytes]]) -> bytes:
    return vec16(b"".join(u16(group) + vec16(kx) for group, kx in entries))


def alpn(protocols: list[bytes]) -> bytes:
    return vec16(b"".join(vec8(p) for p in protocols))


def psk_modes(modes: list[int]) -> bytes:
    return vec8(bytes(modes))


# -- bodies the server writes, as the client reads them --------------------------------------
def read_supported_version(body: bytes) -> int:
    reader = Reader(body)
    version = reader.u16("supported_versions selected_version")
    reader.done("supported_versions")
    return version


def read_key_share_server(body: bytes) -> tuple[int, bytes]:
    reader = Reader(body)
    group = reader.u16("key_share group")
    kx = reader.vec16("key_share key_exchange", minimum=1)
    reader.done("key_share")
    return group, kx


def read_key_share_retry(body: bytes) -> int:
    reader = Reader(body)
    group = reader.u16("key_share selected_group")
    reader.done("key_share")
    return group


def read_cookie(body: bytes) -> bytes:
    reader = Reader(body)
    cookie = reader.vec16("cookie", minimum=1)
    reader.done("cookie")
    return cookie


def read_alpn(body: bytes) -> list[bytes]:
    reader = Reader(body)
    inner = Reader(reader.vec16("ALPN protocol_name_list", minimum=2))
    reader.done("ALPN")
    names = []
    while inner.left:
        names.append(inner.vec8("ALPN protocol name", minimum=1))
    return names


def read_u16_vector(body: bytes, field: str) -> list[int]:
    reader = Reader(body)
    values = read_u16_list(reader.vec16(field), field)
    reader.done(field)
    return values


def read_renegotiation_info(body: bytes) -> bytes:
    reader = Reader(body)
    value = reader.vec8("renegotiation_info")
    reader.done("renegotiation_info")
    return value


__all__ = ["DecodeError"]
