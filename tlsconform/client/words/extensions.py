"""Words for the ClientHello's extensions, one per extension the suite tests (RFC 6066,
7301, 7366, 7685, 8449, 8701, RFC 8446 4.2): what the client offers and in what shape."""

from __future__ import annotations

from tlsconform.client.offer import Offer, RawExtension
from tlsconform.messages import extensions as ext
from tlsconform.messages.codec import u8, vec8, vec16
from tlsconform.mutation import Mutation, OfferEdit

GREASE = 0x0A0A  # RFC 8701 2: the first reserved value of suites, groups, schemes, versions
GREASE_PSK_MODE = 0x0B  # RFC 8701 2: the first reserved PSK key exchange mode
GREASE_ALPN = b"\x0a\x0a"  # RFC 8701 2: a reserved ALPN identifier


def _raw(offer_extensions: list[RawExtension], code: int, body: bytes) -> list[RawExtension]:
    return [*offer_extensions, RawExtension(code, body)]


def alpn(*protocols: bytes) -> Mutation:
    return OfferEdit(f"ALPN {[p.decode('latin-1') for p in protocols]}",
                     lambda o: o.with_(alpn=tuple(protocols)))


def alpn_bytes(body: bytes, label: str) -> Mutation:
    """An ALPN extension of exactly these bytes (an empty list, an empty name)."""
    return OfferEdit(label, lambda o: o.with_(
        alpn=(), extra_extensions=_raw(o.extra_extensions, ext.ALPN, body)))


def max_fragment_length(code: int) -> Mutation:
    return OfferEdit(f"max_fragment_length={code}",
                     lambda o: o.with_(max_fragment_length=code))


def record_size_limit(limit: int) -> Mutation:
    return OfferEdit(f"record_size_limit={limit}", lambda o: o.with_(record_size_limit=limit))


def encrypt_then_mac() -> Mutation:
    return OfferEdit("encrypt_then_mac", lambda o: o.with_(encrypt_then_mac=True))


def status_request() -> Mutation:
    return OfferEdit("status_request (OCSP)", lambda o: o.with_(status_request=True))


def padding(size: int) -> Mutation:
    return OfferEdit(f"padding of {size} bytes", lambda o: o.with_(padding=size))


def signature_algorithms(*schemes: int) -> Mutation:
    return OfferEdit(f"signature_algorithms={[hex(s) for s in schemes]}",
                     lambda o: o.with_(sig_algs=list(schemes)))


def signature_algorithms_cert(*schemes: int) -> Mutation:
    return OfferEdit(f"signature_algorithms_cert={[hex(s) for s in schemes]}",
                     lambda o: o.with_(signature_algorithms_cert=tuple(schemes)))


def server_names(*entries: tuple[int, bytes]) -> Mutation:
    """A server_name extension listing exactly these (name_type, name) entries (RFC 6066 3),
    in place of the one the offer would send."""
    body = vec16(b"".join(u8(kind) + vec16(name) for kind, name in entries))
    shown = ", ".join(f"{kind}:{name.decode('latin-1')!r}" for kind, name in entries)
    return OfferEdit(f"server_name [{shown}]", lambda o: o.with_(
        omit_extensions=o.omit_extensions | {ext.SERVER_NAME},
        extra_extensions=_raw(o.extra_extensions, ext.SERVER_NAME, body)))


def psk_key_exchange_modes(*modes: int) -> Mutation:
    return OfferEdit(f"psk_key_exchange_modes={list(modes)}", lambda o: o.with_(
        extra_extensions=_raw(o.extra_extensions, ext.PSK_KEY_EXCHANGE_MODES,
                              ext.psk_modes(list(modes)))))


def unknown_pre_shared_key(hash_len: int = 32) -> Mutation:
    """A pre_shared_key offering one identity no server issued, with a binder of the right
    size: a server that does not find it goes on with a full handshake (RFC 8446 4.2.11).
    It is appended, so it is the last extension unless a word moves another behind it."""
    identity = vec16(b"tlsconform: no such ticket") + (0).to_bytes(4, "big")
    body = vec16(identity) + vec16(vec8(bytes(hash_len)))
    return OfferEdit("pre_shared_key with an unknown identity", lambda o: o.with_(
        extra_extensions=_raw(o.extra_extensions, ext.PRE_SHARED_KEY, body)))


def grease_suite() -> Mutation:
    return OfferEdit("GREASE cipher suite first", lambda o: o.with_(ciphers=[GREASE, *o.ciphers]))


def grease_extension(data: bytes = b"") -> Mutation:
    label = f"GREASE extension ({len(data)} bytes)"
    return OfferEdit(label, lambda o: o.with_(
        extra_extensions=[RawExtension(GREASE, data), *o.extra_extensions]))


def grease_group(share: bool = False) -> Mutation:
    """A GREASE group first in supported_groups, with (RFC 8701 3: one byte) a share."""
    def edit(o: Offer) -> Offer:
        changed = o.with_(groups=[GREASE, *o.groups])
        if share:
            changed = changed.with_(key_shares=[GREASE, *changed.key_shares])
        return changed

    return OfferEdit("GREASE group" + (" with a key share" if share else ""), edit)


def grease_signature_algorithm() -> Mutation:
    return OfferEdit("GREASE signature scheme first",
                     lambda o: o.with_(sig_algs=[GREASE, *o.sig_algs]))


def grease_version() -> Mutation:
    return OfferEdit("GREASE version first in supported_versions", lambda o: o.with_(
        supported_versions=[GREASE, *(o.supported_versions or [])]))


def grease_psk_mode() -> Mutation:
    """psk_key_exchange_modes with a GREASE mode before psk_dhe_ke(1)."""
    return psk_key_exchange_modes(GREASE_PSK_MODE, 1)


def grease_alpn() -> Mutation:
    return OfferEdit("GREASE ALPN protocol first", lambda o: o.with_(
        alpn=(GREASE_ALPN, *(o.alpn or (b"http/1.1",)))))


def extended_master_secret_bytes(body: bytes) -> Mutation:
    """extended_master_secret with a body, where RFC 7627 5.1 says it is empty."""
    return OfferEdit(f"extended_master_secret of {len(body)} bytes", lambda o: o.with_(
        extended_master_secret=False,
        extra_extensions=_raw(o.extra_extensions, ext.EXTENDED_MASTER_SECRET, body)))


def renegotiation_info_bytes(body: bytes, label: str) -> Mutation:
    """renegotiation_info of exactly these bytes in place of the empty one."""
    return OfferEdit(label, lambda o: o.with_(
        renegotiation_info=False,
        extra_extensions=_raw(o.extra_extensions, ext.RENEGOTIATION_INFO, body)))


EMPTY_RENEGOTIATION_INFO_SCSV = 0x00FF


def renegotiation_scsv(extension: bool) -> Mutation:
    """TLS_EMPTY_RENEGOTIATION_INFO_SCSV in the suites, with or without the extension."""
    return OfferEdit(f"renegotiation SCSV{' and extension' if extension else ' alone'}",
                     lambda o: o.with_(ciphers=[*o.ciphers, EMPTY_RENEGOTIATION_INFO_SCSV],
                                       renegotiation_info=extension))


__all__ = ["EMPTY_RENEGOTIATION_INFO_SCSV", "GREASE", "GREASE_ALPN", "GREASE_PSK_MODE", "alpn",
           "alpn_bytes", "encrypt_then_mac", "extended_master_secret_bytes", "grease_alpn",
           "grease_extension", "grease_group", "grease_psk_mode", "grease_signature_algorithm",
           "grease_suite", "grease_version", "max_fragment_length", "padding",
           "psk_key_exchange_modes", "record_size_limit", "renegotiation_info_bytes",
           "renegotiation_scsv", "server_names", "signature_algorithms",
           "signature_algorithms_cert", "status_request", "unknown_pre_shared_key"]
