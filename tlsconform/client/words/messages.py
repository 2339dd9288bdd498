"""Words about messages: leave one out, replace it, move it, send it twice, or send any
message anywhere: before the ClientHello, between any two messages of a flight, after the
handshake. Message makers (``change_cipher_spec()``, ``client_hello()`` ...) build what
such words send; each takes the driver, so it is built at send time, in order."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tlsconform.client.identity import ClientIdentity
from tlsconform.messages import client_messages as cm
from tlsconform.messages.handshake import BY_NAME, frame
from tlsconform.mutation import FlightEdit, MessageEdit, Mutation
from tlsconform.wire.outgoing import (
    ALERT,
    APPLICATION_DATA,
    CHANGE_CIPHER_SPEC,
    Flight,
    Outgoing,
)

if TYPE_CHECKING:
    from scapy.packet import Packet

    from tlsconform.client.driver import ClientDriver

BytesEdit = Callable[[bytes], bytes]
Maker = Callable[["ClientDriver"], Outgoing]
HTTP_GET = b"GET / HTTP/1.0\r\n\r\n"


def _phrase(name: str) -> str:
    return name if name.startswith("Client") or name in ("ApplicationData",) else \
        f"client {name}"


# -- message makers -----------------------------------------------------------------------
def change_cipher_spec(protected: bool | None = None) -> Maker:
    """A ChangeCipherSpec that changes no keys (``protected=True``: under the current
    TLS 1.3 keys, as an encrypted record with inner type 20)."""
    return lambda hs: Outgoing("ChangeCipherSpec", lambda: b"\x01",
                               content_type=CHANGE_CIPHER_SPEC, protected=protected)


def finished_message() -> Maker:
    """A Finished with the verify_data due at this point (zeros before there are keys)."""

    def build(hs: ClientDriver) -> bytes:
        try:
            return cm.finished(hs.verify_data())
        except (AssertionError, KeyError):
            return cm.finished(bytes(12))

    return lambda hs: Outgoing("Finished", lambda: build(hs))


def application_data(data: bytes = HTTP_GET) -> Maker:
    return lambda hs: Outgoing("ApplicationData", lambda: data, content_type=APPLICATION_DATA)


def client_hello() -> Maker:
    """Another ClientHello for the current offer (same random and key shares)."""
    return lambda hs: Outgoing("ClientHello", hs.client_hello)


def client_key_exchange() -> Maker:
    """A ClientKeyExchange for the negotiated key exchange (an x25519 share otherwise:
    e.g. a TLS 1.2 message inside a TLS 1.3 handshake)."""
    return lambda hs: Outgoing("ClientKeyExchange", hs.client_key_exchange)


def certificate(identity: ClientIdentity | None = None, empty: bool = False) -> Maker:
    return lambda hs: Outgoing("Certificate", lambda: hs.client_certificate(identity, empty))


def handshake(name: str, body: bytes = b"") -> Maker:
    """Any handshake message by name (or number), with exactly this body."""
    code = BY_NAME[name] if isinstance(name, str) else name
    return lambda hs: Outgoing(str(name), lambda: frame(code, body))


def alert(description: int, level: int = 2) -> Maker:
    """An alert record (under the current keys once there are any)."""
    return lambda hs: Outgoing("Alert", lambda: bytes([level, description]), content_type=ALERT)


def key_update(request_update: int = 0) -> Maker:
    return lambda hs: Outgoing("KeyUpdate", lambda: cm.key_update(request_update))


# -- sending any message anywhere -----------------------------------------------------------
@dataclass(repr=False)
class Insert(Mutation):
    """Send ``make``'s message in ``stage``'s flight, before or after the first message of a
    name (at the end of the flight when neither is given)."""

    label: str
    stage: str
    make: Maker
    before: str | None = None
    after: str | None = None

    def flight(self, stage: str, flight: Flight, hs: ClientDriver) -> Flight:
        if stage != self.stage:
            return flight
        # An injected message stays out of our transcript: a server that rejects it never
        # hashes it, and one that answers before reading it computes without it.
        item = self.make(hs).with_(label=self.label, transcript=False)
        names = [i.name for i in flight]
        if self.before is not None:
            at = names.index(self.before) if self.before in names else len(flight)
        elif self.after is not None:
            at = names.index(self.after) + 1 if self.after in names else len(flight)
        else:
            at = len(flight)
        return [*flight[:at], item, *flight[at:]]


def send(make: Maker, stage: str, what: str, before: str | None = None,
         after: str | None = None) -> Mutation:
    """``what`` names the message for verdicts, e.g. "ChangeCipherSpec"."""
    where = (f" before {_phrase(before)}" if before else f" after {_phrase(after)}" if after
             else f" at the end of the {stage} flight")
    return Insert(f"{what}{where}", stage, make, before, after)


def before_hello(make: Maker, what: str) -> Mutation:
    return send(make, "hello", what, before="ClientHello")


def after_hello(make: Maker, what: str) -> Mutation:
    """Right after the ClientHello, before the server has answered it."""
    return send(make, "hello", what, after="ClientHello")


def in_flight(make: Maker, what: str, before: str | None = None, after: str | None = None
              ) -> Mutation:
    """In the client's second flight (Certificate .. Finished)."""
    return send(make, "second", what, before=before, after=after)


def after_handshake(make: Maker, what: str) -> Mutation:
    """After the handshake, before the request."""
    return Insert(f"{what} after the handshake", "application", make, before="ApplicationData")


def instead_of(name: str, make: Maker, what: str) -> Mutation:
    """Send ``make``'s message in place of every message called ``name``."""
    return MessageEdit(f"{what} in place of {_phrase(name)}", name,
                       lambda item, hs: [make(hs).with_(label=f"{what} in place of "
                                                              f"{_phrase(name)}")])


# -- any message --------------------------------------------------------------------
def omit(name: str) -> Mutation:
    """Leave ``name`` out; the message after it says so in verdicts."""

    def edit(flight: Flight, hs: ClientDriver) -> Flight:
        out: Flight = []
        dropped = False
        for item in flight:
            if item.name == name:
                dropped = True
                continue
            if dropped and not item.label:
                item = item.with_(label=f"{_phrase(item.name)} (with {name} left out)")
                dropped = False
            out.append(item)
        return out

    return _AnyStage(f"omit {name}", edit)


@dataclass(repr=False)
class _AnyStage(Mutation):
    label: str
    edit: Callable[[Flight, ClientDriver], Flight]

    def flight(self, stage: str, flight: Flight, hs: ClientDriver) -> Flight:
        return self.edit(flight, hs)


def replace_message(name: str, build: Callable[[ClientDriver], object], label: str) -> Mutation:
    return MessageEdit(label, name,
                       lambda item, hs: [item.with_(build=lambda: build(hs), label=label)])


def edit_message(name: str, edit: Callable[[Packet], Packet], label: str) -> Mutation:
    """Edit ``name`` as a scapy packet: the message as the driver would send it is
    dissected by scapy's class for it, ``edit`` changes fields (or returns a new packet),
    and the result is sent as scapy encodes it (lengths recomputed unless set)."""

    def apply(item: Outgoing, hs: ClientDriver) -> list[Outgoing]:
        build = item.build

        def edited() -> Packet:
            from tlsconform.scapy.dissect import as_packet  # scapy only for this word

            msg = build()
            raw = msg if isinstance(msg, bytes) else bytes(msg)
            return edit(as_packet(raw, hs.speaks_tls13))

        return [item.with_(build=edited, label=label)]

    return MessageEdit(label, name, apply)


def plaintext(name: str) -> Mutation:
    """Send a message in a plaintext record where it belongs in a protected one."""
    label = f"{_phrase(name)} in a plaintext record"
    return MessageEdit(label, name,
                       lambda item, hs: [item.with_(protected=False, label=label)])


def fragment(name: str, *cuts: int) -> Mutation:
    """Split a message across records after the given byte offsets (protected or not)."""
    label = f"{_phrase(name)} split at {list(cuts)}"
    return MessageEdit(label, name,
                       lambda item, hs: [item.with_(fragments=tuple(cuts), label=label)])


def duplicate(name: str) -> Mutation:
    """Send ``name`` twice in a row (the copy is built afresh, and kept out of our
    transcript like any injected message)."""
    return MessageEdit(f"{name} sent twice", name,
                       lambda item, hs: [item, item.with_(label=f"{_phrase(name)} sent twice",
                                                          transcript=False, after=None)])


def corrupt_record(name: str, byte: int = -1) -> Mutation:
    """Flip one bit of the record carrying ``name`` after it was sealed: under record
    protection the AEAD tag or MAC no longer verifies."""

    def tamper(record: bytes) -> bytes:
        return flip_bit(byte)(record)

    label = f"record of {_phrase(name)} corrupted at byte {byte}"
    return MessageEdit(label, name, lambda item, hs: [item.with_(tamper=tamper, label=label)])


def move(name: str, before: str) -> Mutation:
    """Send ``name`` right before ``before`` in the same flight (out of order)."""

    def edit(flight: Flight, hs: ClientDriver) -> Flight:
        label = f"{_phrase(name)} before {_phrase(before)}"
        moving = [i.with_(label=label) for i in flight if i.name == name]
        rest = [i for i in flight if i.name != name]
        at = next((n for n, i in enumerate(rest) if i.name == before), len(rest))
        return rest[:at] + moving + rest[at:]

    return FlightEdit(f"{name} before {before}", "second", edit)


# -- Finished -----------------------------------------------------------------------
def finished(edit: BytesEdit, label: str | None = None) -> Mutation:
    """Send Finished with ``edit`` applied to the correct verify_data."""
    text = label or f"client Finished with verify_data {getattr(edit, 'label', 'edited')}"
    return replace_message("Finished", lambda hs: cm.finished(edit(hs.verify_data())), text)


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


def application_data_instead_of(name: str, data: bytes = HTTP_GET) -> Mutation:
    return instead_of(name, application_data(data), "ApplicationData")


# -- client authentication ------------------------------------------------------------
def _with_signature(hs: ClientDriver, scheme: int | None, edit: BytesEdit | None) -> bytes:
    """A CertificateVerify signed with ``scheme`` (or the offered one), signature edited."""
    assert hs.identity is not None
    chosen = scheme or hs.identity.scheme_for(hs.offered_signature_schemes(), hs.tls13) \
        or hs.identity.schemes()[0]
    signature = hs.signature(chosen)
    return cm.certificate_verify(chosen, edit(signature) if edit else signature)


def corrupt_signature(byte: int = -1) -> Mutation:
    """CertificateVerify whose signature has one bit flipped."""
    return replace_message("CertificateVerify",
                           lambda hs: _with_signature(hs, None, flip_bit(byte)),
                           "CertificateVerify with its signature corrupted")


def signature_scheme(scheme: int) -> Mutation:
    """Sign CertificateVerify with ``scheme`` whatever the server offered."""
    return replace_message("CertificateVerify", lambda hs: hs.certificate_verify(scheme),
                           f"CertificateVerify with scheme 0x{scheme:04x}")


def signature_scheme_not_offered(*candidates: int) -> Mutation:
    """Sign CertificateVerify with the first of ``candidates`` the CertificateRequest did not
    offer (the candidates must suit the client key). When the server offers them all, the
    row's condition cannot be created: it skips, saying so."""

    def build(hs: ClientDriver) -> bytes:
        offered = hs.offered_signature_schemes()
        unoffered = [c for c in candidates if c not in offered]
        if not unoffered:
            hs.unmet("the CertificateRequest offers every candidate scheme "
                     f"({', '.join(f'0x{c:04x}' for c in candidates)}): none is left to sign "
                     "with unoffered")
        return hs.certificate_verify(unoffered[0])

    label = f"CertificateVerify with a scheme not offered from {[hex(c) for c in candidates]}"
    return replace_message("CertificateVerify", build, label)


def empty_certificate() -> Mutation:
    """An empty client Certificate (and so no CertificateVerify)."""

    def edit(flight: Flight, hs: ClientDriver) -> Flight:
        out = [i for i in flight if i.name != "CertificateVerify"]
        return [i.with_(build=lambda: hs.client_certificate(None, empty=True),
                        label="empty client Certificate")
                if i.name == "Certificate" else i for i in out]

    return FlightEdit("empty client Certificate", "second", edit)


def unsolicited_certificate(identity: ClientIdentity | None = None) -> Mutation:
    """A client Certificate although the server did not ask for one (default: the case's
    own client identity)."""

    def edit(flight: Flight, hs: ClientDriver) -> Flight:
        first = next(n for n, i in enumerate(flight)
                     if i.name in ("ClientKeyExchange", "Finished"))
        cert = Outgoing("Certificate", lambda: hs.client_certificate(identity),
                        label="unsolicited client Certificate")
        return [*flight[:first], cert, *flight[first:]]

    return FlightEdit("unsolicited client Certificate", "second", edit)


__all__ = ["after_handshake", "after_hello", "alert", "application_data",
           "application_data_instead_of", "before_hello", "certificate", "change_cipher_spec",
           "client_hello", "client_key_exchange", "corrupt_record", "corrupt_signature",
           "duplicate", "edit_message", "empty_certificate", "extend", "finished",
           "finished_message",
           "flip_bit", "flip_middle_bit", "fragment", "handshake", "in_flight", "instead_of",
           "key_update", "move", "omit", "plaintext", "replace_message", "send",
           "signature_scheme", "signature_scheme_not_offered", "truncate",
           "unsolicited_certificate"]
