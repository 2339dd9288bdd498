"""What the client offers in its ClientHello, as plain data that mutation words edit.

A scenario never builds a ClientHello by hand: it takes ``tls12()`` or ``tls13()`` and
changes fields (``offer.with_(ciphers=[...])``) or adds raw extensions. ``extensions``
turns an offer into the extension list, in a fixed order, with the key shares given.
"""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass, field, replace

from tlsconform.client.session import PskOffer, Tls12Session
from tlsconform.crypto.groups import group_code
from tlsconform.crypto.suites import TLS12_SUITES, TLS13_SUITES
from tlsconform.messages import extensions as ext
from tlsconform.messages.codec import u8, u16, vec8, vec16
from tlsconform.messages.extensions import Extension

TLS10, TLS11, TLS12, TLS13 = 0x0301, 0x0302, 0x0303, 0x0304

# Signature schemes (RFC 8446 4.2.3) the engine can verify and produce.
SIG_ALGS = [
    0x0403,  # ecdsa_secp256r1_sha256
    0x0804,  # rsa_pss_rsae_sha256
    0x0805,  # rsa_pss_rsae_sha384
    0x0401,  # rsa_pkcs1_sha256
    0x0503,  # ecdsa_secp384r1_sha384
    0x0501,  # rsa_pkcs1_sha384
]
GROUPS: list[str | int] = ["x25519", "secp256r1", "secp384r1"]


@dataclass(frozen=True)
class RawExtension:
    """An extension sent exactly as given: for malformed, unknown or duplicated bytes."""

    type: int
    data: bytes


@dataclass(frozen=True)
class Offer:
    """The ClientHello's content. ``version`` is the protocol the client attempts."""

    version: int
    ciphers: list[int]
    legacy_version: int = TLS12
    record_version: int = TLS10
    supported_versions: list[int] | None = None
    groups: list[str | int] = field(default_factory=lambda: list(GROUPS))
    key_shares: list[str | int] = field(default_factory=lambda: ["x25519"])
    sig_algs: list[int] = field(default_factory=lambda: list(SIG_ALGS))
    extended_master_secret: bool = True
    renegotiation_info: bool = True
    server_name: str | None = None
    session_id: bytes = b""
    compression: bytes = b"\x00"
    extra_extensions: list[RawExtension] = field(default_factory=list)
    omit_extensions: frozenset[int] = frozenset()
    alpn: tuple[bytes, ...] = ()  # RFC 7301 protocol names, in preference order
    max_fragment_length: int | None = None  # RFC 6066 4 code: 1 (2^9) .. 4 (2^12)
    record_size_limit: int | None = None  # RFC 8449
    encrypt_then_mac: bool = False  # RFC 7366
    status_request: bool = False  # RFC 6066 8, OCSP
    signature_algorithms_cert: tuple[int, ...] = ()  # RFC 8446 4.2.3
    padding: int | None = None  # RFC 7685: this many zero bytes
    session_ticket: bytes | None = None  # RFC 5077: b"" asks for a ticket; bytes offer one
    psk_modes: tuple[int, ...] = ()  # RFC 8446 4.2.9 psk_key_exchange_modes
    psk: PskOffer | None = None  # RFC 8446 4.2.11, always the last extension
    early_data: bool = False  # RFC 8446 4.2.10, with early records after the hello
    resume12: Tls12Session | None = None  # the TLS 1.2 session this hello offers back
    renegotiation: tuple[bytes, bytes] | None = None
    """RFC 5746 3.5: (client, server) verify_data of the handshake being renegotiated; the
    client's goes in renegotiation_info, and the server must answer with both."""

    def with_(self, **changes: object) -> Offer:
        return replace(self, **changes)

    @property
    def offers_tls13(self) -> bool:
        return TLS13 in (self.supported_versions or [])

    @property
    def group_codes(self) -> list[int]:
        return [group_code(g) for g in self.groups]

    @property
    def share_codes(self) -> list[int]:
        return [group_code(g) for g in self.key_shares]


def tls12(server_name: str | None = None) -> Offer:
    """A modern TLS 1.2 client: ECDHE with AEAD and CBC suites, EMS, secure renegotiation."""
    return Offer(version=TLS12, ciphers=list(TLS12_SUITES), server_name=server_name)


def tls13(server_name: str | None = None) -> Offer:
    """A TLS 1.3-only client in middlebox-compatibility mode (RFC 8446 D.4)."""
    return Offer(
        version=TLS13,
        ciphers=list(TLS13_SUITES),
        supported_versions=[TLS13],
        server_name=server_name,
        session_id=os.urandom(32),
        extended_master_secret=False,
        renegotiation_info=False,
    )


def tls13_and_12(server_name: str | None = None) -> Offer:
    """A client that offers both versions, as most do: TLS 1.3's and TLS 1.2's suites and
    extensions in one ClientHello, for a server that may pick either."""
    return tls13(server_name).with_(
        ciphers=[*TLS13_SUITES, *TLS12_SUITES], supported_versions=[TLS13, TLS12],
        extended_master_secret=True, renegotiation_info=True)


def sni_allowed(name: str) -> bool:
    """RFC 6066 3: literal IP addresses are not permitted in server_name."""
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return True
    return False


def extensions(offer: Offer, shares: list[tuple[int, bytes]],
               cookie: bytes | None = None) -> list[Extension]:
    """The extension list, in a fixed order, raw extensions last; ``shares`` are the
    (group, public value) key_share entries."""
    exts: list[Extension] = []
    if offer.server_name and sni_allowed(offer.server_name):
        exts.append((ext.SERVER_NAME, ext.server_name(offer.server_name.encode())))
    if offer.supported_versions is not None:
        exts.append((ext.SUPPORTED_VERSIONS,
                     ext.supported_versions_client(offer.supported_versions)))
    exts.append((ext.SUPPORTED_GROUPS, ext.u16s(offer.group_codes)))
    exts.append((ext.EC_POINT_FORMATS, vec8(u8(0))))
    exts.append((ext.SIGNATURE_ALGORITHMS, ext.u16s(offer.sig_algs)))
    if offer.extended_master_secret:
        exts.append((ext.EXTENDED_MASTER_SECRET, b""))
    if offer.renegotiation_info:
        client_data = offer.renegotiation[0] if offer.renegotiation else b""
        exts.append((ext.RENEGOTIATION_INFO, vec8(client_data)))
    if offer.session_ticket is not None:
        exts.append((ext.SESSION_TICKET, offer.session_ticket))
    if offer.alpn:
        exts.append((ext.ALPN, ext.alpn(list(offer.alpn))))
    if offer.max_fragment_length is not None:
        exts.append((ext.MAX_FRAGMENT_LENGTH, u8(offer.max_fragment_length)))
    if offer.record_size_limit is not None:
        exts.append((ext.RECORD_SIZE_LIMIT, u16(offer.record_size_limit)))
    if offer.encrypt_then_mac:
        exts.append((ext.ENCRYPT_THEN_MAC, b""))
    if offer.status_request:  # ocsp(1), no responder ids, no request extensions
        exts.append((ext.STATUS_REQUEST, u8(1) + vec16(b"") + vec16(b"")))
    if offer.signature_algorithms_cert:
        exts.append((ext.SIGNATURE_ALGORITHMS_CERT,
                     ext.u16s(list(offer.signature_algorithms_cert))))
    if offer.offers_tls13:
        exts.append((ext.KEY_SHARE, ext.key_share_client(shares)))
        if cookie is not None:
            exts.append((ext.COOKIE, vec16(cookie)))
    if offer.early_data:
        exts.append((ext.EARLY_DATA, b""))
    if offer.psk_modes:
        exts.append((ext.PSK_KEY_EXCHANGE_MODES, ext.psk_modes(list(offer.psk_modes))))
    if offer.padding is not None:
        exts.append((ext.PADDING, bytes(offer.padding)))
    kept = [(code, body) for code, body in exts if code not in offer.omit_extensions]
    kept += [(raw.type, raw.data) for raw in offer.extra_extensions]
    if offer.psk is not None and ext.PRE_SHARED_KEY not in offer.omit_extensions:
        kept.append((ext.PRE_SHARED_KEY, offer.psk.encode()))  # last (RFC 8446 4.2.11)
    return kept
