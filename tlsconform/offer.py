"""What the client offers in its ClientHello, as plain data that mutation words edit.

A scenario never builds a ClientHello by hand: it takes ``tls12()`` or ``tls13()`` and
changes fields (``replace(offer, ciphers=[...])``) or adds raw extensions.
"""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass, field, replace

from scapy.layers.tls.extensions import (
    ServerName,
    TLS_Ext_ExtendedMasterSecret,
    TLS_Ext_RenegotiationInfo,
    TLS_Ext_ServerName,
    TLS_Ext_SignatureAlgorithms,
    TLS_Ext_SupportedGroups,
    TLS_Ext_SupportedPointFormat,
    TLS_Ext_SupportedVersion_CH,
    TLS_Ext_Unknown,
)
from scapy.layers.tls.handshake import TLS13ClientHello, TLSClientHello
from scapy.layers.tls.keyexchange_tls13 import KeyShareEntry, TLS_Ext_KeyShare_CH
from scapy.packet import Packet

from tlsconform.ciphersuites import TLS12_SUITES, TLS13_SUITES

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
GROUPS = ["x25519", "secp256r1", "secp384r1"]


@dataclass(frozen=True)
class RawExtension:
    """An extension sent exactly as given: for malformed, unknown or duplicated bytes."""

    type: int
    data: bytes

    def packet(self) -> Packet:
        return TLS_Ext_Unknown(type=self.type, val=self.data)


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
    extra_extensions: list[RawExtension] = field(default_factory=list)
    omit_extensions: frozenset[int] = frozenset()

    def with_(self, **changes: object) -> Offer:
        return replace(self, **changes)


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


def sni_allowed(name: str) -> bool:
    """RFC 6066 3: literal IP addresses are not permitted in server_name."""
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return True
    return False


# Extension type numbers used below (RFC 8446 4.2 table).
EXT_SERVER_NAME = 0
EXT_SUPPORTED_GROUPS = 10
EXT_EC_POINT_FORMATS = 11
EXT_SIGNATURE_ALGORITHMS = 13
EXT_EXTENDED_MASTER_SECRET = 23
EXT_SUPPORTED_VERSIONS = 43
EXT_COOKIE = 44
EXT_KEY_SHARE = 51
EXT_RENEGOTIATION_INFO = 0xFF01


def extensions(offer: Offer, cookie: bytes | None = None) -> list[Packet]:
    """The scapy extension list; key_share entries make scapy keep the private keys."""
    exts: list[tuple[int, Packet]] = []
    if offer.server_name and sni_allowed(offer.server_name):
        names = [ServerName(servername=offer.server_name.encode())]
        exts.append((EXT_SERVER_NAME, TLS_Ext_ServerName(servernames=names)))
    if offer.supported_versions is not None:
        exts.append((EXT_SUPPORTED_VERSIONS,
                     TLS_Ext_SupportedVersion_CH(versions=offer.supported_versions)))
    exts.append((EXT_SUPPORTED_GROUPS, TLS_Ext_SupportedGroups(groups=offer.groups)))
    exts.append((EXT_EC_POINT_FORMATS, TLS_Ext_SupportedPointFormat(ecpl=[0])))
    exts.append((EXT_SIGNATURE_ALGORITHMS, TLS_Ext_SignatureAlgorithms(sig_algs=offer.sig_algs)))
    if offer.extended_master_secret:
        exts.append((EXT_EXTENDED_MASTER_SECRET, TLS_Ext_ExtendedMasterSecret()))
    if offer.renegotiation_info:
        exts.append((EXT_RENEGOTIATION_INFO, TLS_Ext_RenegotiationInfo()))
    if offer.supported_versions and TLS13 in offer.supported_versions:
        shares = [KeyShareEntry(group=g) for g in offer.key_shares]
        exts.append((EXT_KEY_SHARE, TLS_Ext_KeyShare_CH(client_shares=shares)))
        if cookie is not None:
            exts.append((EXT_COOKIE, TLS_Ext_Unknown(type=EXT_COOKIE, val=cookie)))
    kept = [ext for code, ext in exts if code not in offer.omit_extensions]
    return kept + [raw.packet() for raw in offer.extra_extensions]


def client_hello(offer: Offer, cookie: bytes | None = None,
                 random: bytes | None = None) -> Packet:
    """The ClientHello as a scapy message, ready for ``raw_stateful``.

    ``random`` repeats the first hello's random after a HelloRetryRequest (RFC 8446 4.1.2).
    """
    exts = extensions(offer, cookie)
    if offer.supported_versions and TLS13 in offer.supported_versions:
        fields = {"random_bytes": random} if random is not None else {}
        return TLS13ClientHello(version=offer.legacy_version, ciphers=offer.ciphers,
                                sid=offer.session_id, ext=exts, **fields)
    return TLSClientHello(version=offer.legacy_version, ciphers=offer.ciphers,
                          sid=offer.session_id, ext=exts)
