"""Words for the key exchange: key_share entries as sent, the second ClientHello after a
HelloRetryRequest, and the TLS 1.2 ClientKeyExchange value (RFC 8446 4.1.2, 4.1.4, 4.2.8;
RFC 8422 5.7; RFC 7919).

A share this word makes invalid keeps the driver's real key for its group: if the server
accepts it, the driver says so ("accepts the client's share, which this row made
invalid") instead of failing later to decrypt.
"""

from __future__ import annotations

from collections.abc import Callable

from cryptography.hazmat.primitives.asymmetric import ec

from tlsconform.client.hello_bytes import HelloParts
from tlsconform.client.offer import Offer
from tlsconform.client.words.hello import hello_parts
from tlsconform.client.words.messages import replace_message
from tlsconform.crypto.groups import GROUPS as KNOWN
from tlsconform.crypto.groups import group_code, group_name
from tlsconform.messages import client_messages as cm
from tlsconform.messages import extensions as ext
from tlsconform.messages.codec import Reader, u16, vec16
from tlsconform.messages.server_messages import ServerHello
from tlsconform.mutation import Mutation, RetryEdit

Entries = list[tuple[int, bytes]]


def _entries(body: bytes) -> Entries:
    reader = Reader(Reader(body).vec16("client_shares"))
    out = []
    while reader.left:
        group = reader.u16("group")
        out.append((group, reader.vec16("key_exchange")))
    return out


def key_share_entries(label: str, edit: Callable[[Entries], Entries]) -> Mutation:
    """Rewrite the key_share extension's (group, key_exchange) entries as sent."""

    def apply(parts: HelloParts) -> None:
        body = parts.extension(ext.KEY_SHARE)
        if body is None:
            return
        new = vec16(b"".join(u16(g) + vec16(kx) for g, kx in edit(_entries(body))))
        parts.extensions = [(t, new if t == ext.KEY_SHARE else b) for t, b in parts.extensions]

    return hello_parts(label, apply)


def key_share_value(group: str | int, value: bytes, what: str) -> Mutation:
    """The share of ``group`` sent as exactly ``value`` (an invalid point, a wrong size)."""
    code = group_code(group)
    return key_share_entries(f"{group_name(code)} share {what}",
                             lambda entries: [(g, value if g == code else kx)
                                              for g, kx in entries])


def extra_key_share(group: str | int, value: bytes, what: str) -> Mutation:
    """One more entry after the others (a second share for a group, a share for a group
    supported_groups does not list)."""
    code = group_code(group)
    return key_share_entries(f"extra {group_name(code)} share {what}",
                             lambda entries: [*entries, (code, value)])


def duplicate_key_share(group: str | int) -> Mutation:
    """The share of ``group`` sent twice, the same value (so that whichever entry a server
    takes, the client holds its key)."""
    code = group_code(group)
    return key_share_entries(f"{group_name(code)} share twice", lambda entries: [
        *entries, *[(g, kx) for g, kx in entries if g == code]])


def reversed_key_shares() -> Mutation:
    """The entries in the reverse of supported_groups' order (RFC 8446 4.2.8)."""
    return key_share_entries("key shares in reverse order", lambda entries: entries[::-1])


def client_key_exchange_value(value: bytes, what: str) -> Mutation:
    """A TLS 1.2 ECDHE ClientKeyExchange carrying exactly this point."""

    def build(hs: object) -> bytes:
        hs.client_key_exchange()  # type: ignore[attr-defined]  # the driver's premaster
        return cm.client_key_exchange_ecdhe(value)

    return replace_message("ClientKeyExchange", build, f"ClientKeyExchange with {what}")


def client_key_exchange_dh_value(value: bytes, what: str) -> Mutation:
    """A TLS 1.2 DHE ClientKeyExchange carrying exactly this dh_Yc."""

    def build(hs: object) -> bytes:
        hs.client_key_exchange()  # type: ignore[attr-defined]
        return cm.client_key_exchange_dhe(value)

    return replace_message("ClientKeyExchange", build, f"ClientKeyExchange with {what}")


def retry_offer(label: str, edit: Callable[[Offer, ServerHello], Offer]) -> Mutation:
    """Change only the ClientHello that answers a HelloRetryRequest (``edit`` also sees
    the HelloRetryRequest)."""
    return RetryEdit(f"second ClientHello: {label}", edit)


def retry_without_selected_suite() -> Mutation:
    """The second ClientHello drops the suite the HelloRetryRequest selected."""
    return retry_offer("without the suite the HelloRetryRequest selected", lambda o, hrr: o.with_(
        ciphers=[c for c in o.ciphers if c != hrr.cipher]))


def retry_key_shares(*groups: str | int) -> Mutation:
    """The second ClientHello's shares (none: the first hello's empty key_share again)."""
    return retry_offer(f"key_shares={list(groups)}",
                       lambda o, hrr: o.with_(key_shares=list(groups)))


def retry_share_for_another_group() -> Mutation:
    """A share for an offered group other than the one the HelloRetryRequest asked for."""

    def edit(offer: Offer, hrr: ServerHello) -> Offer:
        body = hrr.ext(ext.KEY_SHARE)
        asked = ext.read_key_share_retry(body) if body is not None else None
        other = [g for g in offer.group_codes if g != asked and group_code(g) in KNOWN]
        return offer.with_(key_shares=other[:1])

    return retry_offer("a share for another group than the one asked for", edit)


def p256_point(kind: str) -> bytes:
    """An encoded P-256 point for key-share rows (RFC 8446 4.2.8.2: uncompressed, on the
    curve): "off-curve", "compressed", "short" (one byte missing), "infinity"."""
    key = ec.generate_private_key(ec.SECP256R1())
    numbers = key.public_key().public_numbers()
    x, y = numbers.x.to_bytes(32, "big"), numbers.y.to_bytes(32, "big")
    if kind == "off-curve":
        return b"\x04" + x + ((numbers.y + 1) % (1 << 256)).to_bytes(32, "big")
    if kind == "compressed":
        return bytes([2 + (numbers.y & 1)]) + x
    if kind == "short":
        return (b"\x04" + x + y)[:-1]
    if kind == "infinity":
        return b"\x00"
    raise ValueError(f"no point kind {kind!r}")


X25519_LOW_ORDER = {
    "zero": bytes(32),
    "one": b"\x01" + bytes(31),
}
"""x25519 public values of small order: the shared secret is all zeros (RFC 8446 7.4.2,
RFC 7748 6.1)."""


__all__ = ["X25519_LOW_ORDER", "client_key_exchange_dh_value", "client_key_exchange_value",
           "duplicate_key_share", "extra_key_share", "key_share_entries", "key_share_value",
           "p256_point", "retry_key_shares", "retry_offer", "retry_share_for_another_group",
           "retry_without_selected_suite", "reversed_key_shares"]
