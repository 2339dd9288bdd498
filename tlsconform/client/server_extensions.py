"""The rules a client checks in every extension block a server sends: only what the client
asked for, each in a message that may carry it, once, with a legal value.

RFC 8446 4.2 (the table of which message carries which extension), RFC 5246 7.4.1.4, and
the RFCs of each extension. ``problem`` returns the first rule broken and the alert a
client sends for it; the driver calls it for ServerHello, HelloRetryRequest,
EncryptedExtensions and each TLS 1.3 CertificateEntry.
"""

from __future__ import annotations

from dataclasses import dataclass

from tlsconform.crypto.suites import SUITES, is_grease
from tlsconform.messages import extensions as ext
from tlsconform.messages.alerts import AlertDescription as AD
from tlsconform.messages.codec import DecodeError, Reader
from tlsconform.messages.extensions import Extension, extension_name

TLS13_MESSAGES: dict[str, frozenset[int]] = {
    "ServerHello": frozenset({ext.KEY_SHARE, ext.PRE_SHARED_KEY, ext.SUPPORTED_VERSIONS}),
    "HelloRetryRequest": frozenset({ext.KEY_SHARE, ext.COOKIE, ext.SUPPORTED_VERSIONS}),
    "EncryptedExtensions": frozenset({
        ext.SERVER_NAME, ext.MAX_FRAGMENT_LENGTH, ext.SUPPORTED_GROUPS, ext.USE_SRTP,
        ext.HEARTBEAT, ext.ALPN, ext.CLIENT_CERTIFICATE_TYPE, ext.SERVER_CERTIFICATE_TYPE,
        ext.EARLY_DATA, ext.RECORD_SIZE_LIMIT}),
    "Certificate": frozenset({ext.STATUS_REQUEST, ext.SIGNED_CERTIFICATE_TIMESTAMP}),
}
"""RFC 8446 4.2's table (and RFC 8449 for record_size_limit): where a server may send
each extension it recognises."""

MUST_BE_EMPTY = {
    ext.SERVER_NAME: "RFC 6066 3",
    ext.EXTENDED_MASTER_SECRET: "RFC 7627 5.1",
    ext.ENCRYPT_THEN_MAC: "RFC 7366 2",
}
"""Extensions whose answer carries no data."""

TLS12_ONLY = frozenset({ext.EXTENDED_MASTER_SECRET, ext.ENCRYPT_THEN_MAC,
                        ext.RENEGOTIATION_INFO, ext.EC_POINT_FORMATS, ext.SESSION_TICKET})
"""Extensions RFC 8446 4.2 does not define for TLS 1.3: a server that recognises them
never sends them in a TLS 1.3 message."""

MFL_VALUES = {1: 512, 2: 1024, 3: 2048, 4: 4096}


@dataclass(frozen=True)
class Problem:
    rule: str
    alert: int


def problem(message: str, extensions: list[Extension], offered: set[int], tls13: bool,
            requested: dict[int, bytes], cipher: int | None = None,
            renegotiated: bytes = b"", lenient: frozenset[str] = frozenset()
            ) -> Problem | None:
    """The first rule ``extensions`` (of ``message``) breaks, or None.

    ``offered``: the extension types of the ClientHello as sent; ``requested``: their
    bodies, for the values an answer must match; ``renegotiated``: in a renegotiation, the
    client and server verify_data renegotiation_info must carry (RFC 5746 3.5).
    ``lenient``: rules of ``client.leniency`` not checked; an extension a skipped rule
    would refuse is ignored.
    """
    seen: set[int] = set()
    for code, _ in extensions:
        if code in seen and "duplicate-extension" not in lenient:
            return Problem(f"{message} carries {extension_name(code)} twice (RFC 8446 4.2, "
                           "RFC 5246 7.4.1.4: at most one extension of a type)",
                           AD.illegal_parameter)
        seen.add(code)
    for code, body in extensions:
        if code not in offered and not (message == "HelloRetryRequest" and code == ext.COOKIE):
            if "unsolicited-extension" in lenient:
                continue
            return Problem(f"{message} carries {extension_name(code)}, which the client did "
                           "not offer (RFC 8446 4.2, RFC 5246 7.4.1.4)",
                           AD.unsupported_extension)
        if is_grease(code):
            if "grease" in lenient:
                continue
            return Problem(f"{message} echoes the GREASE extension {extension_name(code)} "
                           "(RFC 8701 3: servers MUST NOT negotiate GREASE values)",
                           AD.illegal_parameter)
        if tls13 and code in ext.NAMES and (code in TLS12_ONLY or code not in
                                            TLS13_MESSAGES.get(message, frozenset())):
            if "extension-message" in lenient:
                continue
            return Problem(f"TLS 1.3 {message} carries {extension_name(code)}, which RFC 8446 "
                           "4.2 does not allow there", AD.illegal_parameter)
        found = _value_problem(message, code, body, requested.get(code), cipher, renegotiated,
                               lenient)
        if found is not None:
            return found
    if renegotiated and message == "ServerHello" and ext.RENEGOTIATION_INFO in offered \
            and ext.RENEGOTIATION_INFO not in seen:
        return Problem("a renegotiating ServerHello without renegotiation_info (RFC 5746 3.5: "
                       "the client MUST abort)", AD.handshake_failure)
    if ext.MAX_FRAGMENT_LENGTH in seen and ext.RECORD_SIZE_LIMIT in seen:
        return Problem(f"{message} accepts both max_fragment_length and record_size_limit "
                       "(RFC 8449 5: a client MUST treat that as a fatal error)",
                       AD.illegal_parameter)
    return None


def _value_problem(message: str, code: int, body: bytes, request: bytes | None,
                   cipher: int | None, renegotiated: bytes = b"",
                   lenient: frozenset[str] = frozenset()) -> Problem | None:
    name = extension_name(code)
    if code in MUST_BE_EMPTY and body:
        return Problem(f"{message} {name} carries {len(body)} bytes; its answer is empty "
                       f"({MUST_BE_EMPTY[code]})", AD.decode_error)
    try:
        if code == ext.ENCRYPT_THEN_MAC and cipher in SUITES \
                and not SUITES[cipher].cipher.endswith("cbc"):
            return Problem(f"{message} accepts encrypt_then_mac for {SUITES[cipher].name}, "
                           "which is not a CBC suite (RFC 7366 3: the server MUST NOT)",
                           AD.illegal_parameter)
        if code == ext.RENEGOTIATION_INFO:
            value = ext.read_renegotiation_info(body)
            if renegotiated and value != renegotiated:
                return Problem(f"{message} renegotiation_info carries {value.hex() or 'nothing'}"
                               ", not the client and server verify_data of the handshake "
                               "being renegotiated (RFC 5746 3.5: the client MUST abort)",
                               AD.handshake_failure)
            if value and not renegotiated and "renegotiation-info" not in lenient:
                return Problem(f"{message} renegotiation_info carries "
                               f"{len(value)} bytes of renegotiated_connection in an initial "
                               "handshake (RFC 5746 3.4: it MUST be empty)",
                               AD.handshake_failure)
        elif code == ext.ALPN:
            names = ext.read_alpn(body)
            offered = ext.read_alpn(request) if request is not None else []
            if len(names) != 1:
                return Problem(f"{message} ALPN names {len(names)} protocols, not exactly "
                               "one (RFC 7301 3.1)", AD.illegal_parameter)
            if is_grease(int.from_bytes(names[0], "big")) and len(names[0]) == 2:
                return Problem(f"{message} ALPN selects the GREASE identifier {names[0]!r} "
                               "(RFC 8701 3.2: servers MUST NOT negotiate GREASE values)",
                               AD.illegal_parameter)
            if names[0] not in offered:
                return Problem(f"{message} ALPN selects {names[0]!r}, which the client did "
                               "not offer (RFC 7301 3.1)", AD.illegal_parameter)
        elif code == ext.MAX_FRAGMENT_LENGTH:
            if body != request:
                return Problem(f"{message} max_fragment_length answers {body.hex() or 'nothing'}"
                               f" to a request of {(request or b'').hex()} (RFC 6066 4: it MUST "
                               "be the requested value)", AD.illegal_parameter)
        elif code == ext.RECORD_SIZE_LIMIT:
            reader = Reader(body)
            limit = reader.u16("record_size_limit")
            reader.done("record_size_limit")
            if limit < 64:
                return Problem(f"{message} record_size_limit is {limit}, below 64 (RFC 8449 4)",
                               AD.illegal_parameter)
        elif code == ext.EC_POINT_FORMATS:
            reader = Reader(body)
            formats = reader.vec8("ec_point_formats", minimum=1)
            reader.done("ec_point_formats")
            if 0 not in formats:
                return Problem(f"{message} ec_point_formats lacks uncompressed(0) (RFC 8422 "
                               "5.2)", AD.illegal_parameter)
        elif code == ext.SUPPORTED_GROUPS:
            ext.read_u16_vector(body, "supported_groups")
        elif code == ext.STATUS_REQUEST and message == "ServerHello" and body:
            return Problem(f"{message} status_request carries {len(body)} bytes; its answer "
                           "is empty (RFC 6066 8)", AD.decode_error)
    except DecodeError as exc:
        return Problem(f"malformed {name} in {message}: {exc}", AD.decode_error)
    return None
