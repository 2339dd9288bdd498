"""Mutation words: small, composable edits of the offer and of any client message.

A scenario lists words (``ciphers(0x0a0a)``, ``finished(flip_bit(-1))``,
``omit("Certificate")``); the handshake driver applies them in order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from scapy.layers.tls.handshake import TLSFinished
from scapy.layers.tls.record import TLSApplicationData

from tlsconform.flight import Flight, Outgoing
from tlsconform.hello_bytes import HelloParts, parse_client_hello
from tlsconform.identity import ClientIdentity
from tlsconform.mutation import Mutation
from tlsconform.offer import Offer, RawExtension

if TYPE_CHECKING:
    from tlsconform.handshake import Handshake

BytesEdit = Callable[[bytes], bytes]


@dataclass(repr=False)
class OfferEdit(Mutation):
    label: str
    edit: Callable[[Offer], Offer]

    def offer(self, offer: Offer) -> Offer:
        return self.edit(offer)


@dataclass(repr=False)
class MessageEdit(Mutation):
    """Rewrite every outgoing message called ``name`` (in whichever flight it travels)."""

    label: str
    name: str
    edit: Callable[[Outgoing, Handshake], list[Outgoing]]

    def flight(self, stage: str, flight: Flight, hs: Handshake) -> Flight:
        out: Flight = []
        for item in flight:
            out += self.edit(item, hs) if item.name == self.name else [item]
        return out


@dataclass(repr=False)
class FlightEdit(Mutation):
    label: str
    stage: str
    edit: Callable[[Flight, Handshake], Flight]

    def flight(self, stage: str, flight: Flight, hs: Handshake) -> Flight:
        return self.edit(flight, hs) if stage == self.stage else flight


# -- the offer ---------------------------------------------------------------------
def ciphers(*codes: int) -> Mutation:
    return OfferEdit(f"ciphers={[hex(c) for c in codes]}", lambda o: o.with_(ciphers=list(codes)))


def add_ciphers(*codes: int) -> Mutation:
    return OfferEdit(f"+ciphers={[hex(c) for c in codes]}",
                     lambda o: o.with_(ciphers=list(codes) + o.ciphers))


def legacy_version(version: int) -> Mutation:
    return OfferEdit(f"legacy_version=0x{version:04x}", lambda o: o.with_(legacy_version=version))


def record_version(version: int) -> Mutation:
    """The legacy_record_version of the record carrying the ClientHello."""
    return OfferEdit(f"record_version=0x{version:04x}", lambda o: o.with_(record_version=version))


def supported_versions(*versions: int) -> Mutation:
    """Replace supported_versions; with no argument, leave the extension out."""
    value = list(versions) or None
    return OfferEdit(f"supported_versions={[hex(v) for v in versions]}",
                     lambda o: o.with_(supported_versions=value))


def extension(ext_type: int, data: bytes) -> Mutation:
    """Append an extension with exactly these bytes (unknown, malformed or duplicated)."""
    raw = RawExtension(ext_type, data)
    return OfferEdit(f"ext {ext_type}={data.hex()}",
                     lambda o: o.with_(extra_extensions=[*o.extra_extensions, raw]))


def omit_extension(ext_type: int) -> Mutation:
    return OfferEdit(f"no ext {ext_type}",
                     lambda o: o.with_(omit_extensions=o.omit_extensions | {ext_type}))


def extended_master_secret(on: bool) -> Mutation:
    return OfferEdit(f"ems={on}", lambda o: o.with_(extended_master_secret=on))


def key_shares(*groups: str | int) -> Mutation:
    return OfferEdit(f"key_shares={list(groups)}", lambda o: o.with_(key_shares=list(groups)))


def groups(*names: str | int) -> Mutation:
    return OfferEdit(f"groups={list(names)}", lambda o: o.with_(groups=list(names)))


def hello_bytes(label: str, edit: Callable[[HelloParts], bytes]) -> Mutation:
    """Re-encode the ClientHello from its parts: odd vector lengths and the like.

    The session never sees these bytes, so the conversation cannot go past the
    server's first answer; that is all a decode_error scenario needs.
    """

    def apply(item: Outgoing, hs: Handshake) -> list[Outgoing]:
        return [item.with_(encode=lambda raw: edit(parse_client_hello(raw)))]

    return MessageEdit(label, "ClientHello", apply)


def cipher_suite_bytes(data: bytes, label: str) -> Mutation:
    """The ClientHello's cipher_suites vector with exactly this body (length recomputed)."""
    return hello_bytes(label, lambda parts: replace(parts, cipher_suites=data).encode())


# -- any message --------------------------------------------------------------------
def omit(name: str) -> Mutation:
    return MessageEdit(f"omit {name}", name, lambda item, hs: [])


def replace_message(name: str, build: Callable[[Handshake], object], label: str) -> Mutation:
    return MessageEdit(label, name, lambda item, hs: [item.with_(build=lambda: build(hs))])


def plaintext(name: str) -> Mutation:
    """Send a message in a plaintext record where it belongs in an encrypted one."""
    return MessageEdit(f"{name} in plaintext", name,
                       lambda item, hs: [item.with_(encrypted=False)])


def fragment(name: str, *cuts: int) -> Mutation:
    """Split a plaintext message across records after the given byte offsets."""
    return MessageEdit(f"{name} split at {list(cuts)}", name,
                       lambda item, hs: [item.with_(fragments=tuple(cuts))])


def duplicate(name: str) -> Mutation:
    """Send ``name`` twice in a row (the copy is built afresh from the session)."""
    return MessageEdit(f"{name} sent twice", name, lambda item, hs: [item, item])


def corrupt_record(name: str, byte: int = -1) -> Mutation:
    """Flip one bit of the record carrying ``name`` after it was sealed: under record
    protection the AEAD tag or MAC no longer verifies."""

    def tamper(record: bytes) -> bytes:
        return flip_bit(byte)(record)

    return MessageEdit(f"record of {name} corrupted at byte {byte}", name,
                       lambda item, hs: [item.with_(tamper=tamper)])


def move(name: str, before: str) -> Mutation:
    """Send ``name`` right before ``before`` in the same flight (out of order)."""

    def edit(flight: Flight, hs: Handshake) -> Flight:
        moving = [i for i in flight if i.name == name]
        rest = [i for i in flight if i.name != name]
        at = next((n for n, i in enumerate(rest) if i.name == before), len(rest))
        return rest[:at] + moving + rest[at:]

    return FlightEdit(f"{name} before {before}", "second", edit)


# -- Finished -----------------------------------------------------------------------
def finished(edit: BytesEdit, label: str | None = None) -> Mutation:
    """Send Finished with ``edit`` applied to the correct verify_data."""
    return replace_message(
        "Finished", lambda hs: TLSFinished(vdata=edit(hs.verify_data())),
        label or f"Finished verify_data {getattr(edit, 'label', 'edited')}")


def flip_bit(index: int, bit: int = 0) -> BytesEdit:
    def edit(data: bytes) -> bytes:
        out = bytearray(data)
        out[index] ^= 1 << bit
        return bytes(out)

    edit.label = f"bit {bit} of byte {index} flipped"  # type: ignore[attr-defined]
    return edit


def flip_middle_bit(bit: int = 0) -> BytesEdit:
    """Flip a bit of the middle byte, whatever the length (12, 32 or 48 bytes)."""

    def edit(data: bytes) -> bytes:
        return flip_bit(len(data) // 2, bit)(data)

    edit.label = f"bit {bit} of the middle byte flipped"  # type: ignore[attr-defined]
    return edit


def truncate(length: int) -> BytesEdit:
    """Keep the first ``length`` bytes; a negative length drops that many from the end."""

    def edit(data: bytes) -> bytes:
        return data[:length]

    edit.label = (f"truncated to {length} bytes" if length >= 0  # type: ignore[attr-defined]
                  else f"shortened by {-length} byte{'s' if length < -1 else ''}")
    return edit


def extend(extra: bytes) -> BytesEdit:
    def edit(data: bytes) -> bytes:
        return data + extra

    edit.label = f"extended by {len(extra)} bytes"  # type: ignore[attr-defined]
    return edit


def application_data_instead_of(name: str, data: bytes = b"GET / HTTP/1.0\r\n\r\n") -> Mutation:
    return replace_message(name, lambda hs: TLSApplicationData(data=data),
                           f"application data instead of {name}")


# -- client authentication ------------------------------------------------------------
def corrupt_signature(byte: int = -1) -> Mutation:
    """CertificateVerify whose signature has one bit flipped."""

    def build(hs: Handshake) -> object:
        msg = hs.certificate_verify()
        msg.sig.sig_val = flip_bit(byte)(bytes(msg.sig.sig_val))
        return msg

    return replace_message("CertificateVerify", build, "CertificateVerify signature corrupted")


def signature_scheme(scheme: int) -> Mutation:
    """Sign CertificateVerify with ``scheme`` whatever the server offered."""
    return replace_message("CertificateVerify", lambda hs: hs.certificate_verify(scheme),
                           f"CertificateVerify with scheme 0x{scheme:04x}")


def signature_scheme_not_offered(*candidates: int) -> Mutation:
    """Sign CertificateVerify with the first of ``candidates`` the CertificateRequest did not
    offer (the candidates must suit the client key); none left is noted, and the offered
    scheme is used, which a verdict then shows as a completed handshake."""

    def build(hs: Handshake) -> object:
        offered = hs.offered_signature_schemes()
        unoffered = [c for c in candidates if c not in offered]
        if not unoffered:
            hs.outcome.notes.append(f"every candidate scheme was offered: {offered}")
            return hs.certificate_verify()
        return hs.certificate_verify(unoffered[0])

    label = f"CertificateVerify with a scheme not offered from {[hex(c) for c in candidates]}"
    return replace_message("CertificateVerify", build, label)


def empty_certificate() -> Mutation:
    """An empty client Certificate (and so no CertificateVerify)."""

    def edit(flight: Flight, hs: Handshake) -> Flight:
        out = [i for i in flight if i.name != "CertificateVerify"]
        return [i.with_(build=lambda: hs.client_certificate(None, empty=True))
                if i.name == "Certificate" else i for i in out]

    return FlightEdit("empty client Certificate", "second", edit)


def unsolicited_certificate(identity: ClientIdentity | None = None) -> Mutation:
    """A client Certificate although the server did not ask for one (default: the case's
    own client identity)."""

    def edit(flight: Flight, hs: Handshake) -> Flight:
        first = next(n for n, i in enumerate(flight)
                     if i.name in ("ClientKeyExchange", "Finished"))
        cert = Outgoing("Certificate", lambda: hs.client_certificate(identity),
                        encrypted=hs.tls13)
        return [*flight[:first], cert, *flight[first:]]

    return FlightEdit("unsolicited client Certificate", "second", edit)
