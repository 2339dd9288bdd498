"""Words about what the server signs and proves: ServerKeyExchange and CertificateVerify
signatures, the scheme they use, the Finished, and messages left out."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from tlsconform.client.words.messages import BytesEdit, flip_bit, flip_middle_bit, truncate
from tlsconform.crypto.signatures import scheme_name, sign, tls13_signed_content
from tlsconform.messages import server_encoding as se
from tlsconform.mutation import ChoiceEdit, FlightEdit, MessageEdit, Mutation
from tlsconform.wire.outgoing import Flight, Outgoing

if TYPE_CHECKING:
    from tlsconform.server.driver import ServerDriver

__all__ = [
    "corrupt_leaf_signature",
    "corrupt_signature",
    "empty_server_certificate",
    "extend_by",
    "extra_certificate",
    "flip_bit",
    "flip_middle_bit",
    "garbage_leaf",
    "leaf_not_first",
    "leaf_only",
    "omit_server",
    "server_chain",
    "server_finished",
    "server_phrase",
    "sign_with",
    "sign_with_unoffered",
    "signed_as_client",
    "ticket_before_finished",
    "ticket_extension",
    "truncate",
    "unsolicited_ticket",
]

ALWAYS_NAMED = ("ServerHello", "HelloRetryRequest", "EncryptedExtensions",
                "CertificateRequest", "ServerKeyExchange", "ServerHelloDone",
                "NewSessionTicket", "ApplicationData")


def server_phrase(name: str) -> str:
    """A server message as verdicts say it: "server Finished", "ServerHello"."""
    return name if name in ALWAYS_NAMED or " " in name else f"server {name}"


def _signature_edit(edit: Callable[[ServerDriver], bytes], label: str) -> Mutation:
    """Replace whichever message carries the server's signature in this version."""

    def apply(item: Outgoing, hs: ServerDriver) -> list[Outgoing]:
        return [item.with_(build=lambda: edit(hs), label=label)]

    class Both(Mutation):
        def flight(self, stage: str, flight: Flight, hs: ServerDriver) -> Flight:
            for name in ("ServerKeyExchange", "CertificateVerify"):
                flight = MessageEdit(label, name, apply).flight(stage, flight, hs)
            return flight

        def __repr__(self) -> str:
            return label

    return Both()


def _signed(hs: ServerDriver, scheme: int, content_edit: Callable[[bytes], bytes] | None = None,
            signature_edit: BytesEdit | None = None, side: str = "server") -> bytes:
    """The server's ServerKeyExchange (TLS 1.2) or CertificateVerify (TLS 1.3), signed
    with ``scheme`` over the right content (or an edited one), the signature edited."""
    if hs.choices.tls13:
        content = tls13_signed_content(side, hs.transcript_hash())
    else:
        if hs.share is None or hs.share.group != hs.choices.group:
            from tlsconform.crypto.groups import KeyShare

            hs.share = KeyShare(hs.choices.group)
        params = se.ecdhe_params(hs.choices.group, hs.share.public)
        content = hs.client_random + hs.server_random + params
    if content_edit is not None:
        content = content_edit(content)
    signature = sign(scheme, hs.identity.key, content)
    if signature_edit is not None:
        signature = signature_edit(signature)
    if hs.choices.tls13:
        return se.certificate_verify(scheme, signature)
    return se.server_key_exchange_ecdhe(params, scheme, signature)


def corrupt_signature() -> Mutation:
    """One bit of the signature flipped (RFC 5246 7.4.3, RFC 8446 4.4.3)."""
    return _signature_edit(lambda hs: _signed(hs, hs.choices.scheme,
                                              signature_edit=flip_middle_bit()),
                           "server signature with a flipped bit")


def sign_with(scheme: int) -> Mutation:
    return _signature_edit(lambda hs: _signed(hs, scheme),
                           f"server signature made with {scheme_name(scheme)}")


def sign_with_unoffered(*candidates: int) -> Mutation:
    """A correct signature, with the first of ``candidates`` (schemes our key can make)
    that the client did not offer."""

    def edit(hs: ServerDriver) -> bytes:
        offered = hs.choices.hello.schemes if hs.choices.hello is not None else []
        scheme = next((s for s in candidates if s not in offered), None)
        if scheme is None:
            hs.unmet("the client offers every signature scheme this row could use")
        hs.outcome.notes.append(f"signed with {scheme_name(scheme)}")
        return _signed(hs, scheme)

    return _signature_edit(edit, "server signature with a scheme the client did not offer")


def signed_as_client() -> Mutation:
    """TLS 1.3: a CertificateVerify over the client's context string (RFC 8446 4.4.3)."""
    return _signature_edit(lambda hs: _signed(hs, hs.choices.scheme, side="client"),
                           "server CertificateVerify signed with the client's context string")


def server_finished(edit: BytesEdit) -> Mutation:
    """The server's Finished with ``edit`` applied to the correct verify_data."""
    label = f"server Finished with verify_data {getattr(edit, 'label', 'edited')}"
    return MessageEdit(label, "Finished", lambda item, hs: [item.with_(
        build=lambda: se.finished(edit(hs.verify_data("server"))), label=label)])


def extend_by(extra: bytes) -> BytesEdit:
    def edit(data: bytes) -> bytes:
        return data + extra

    edit.label = f"extended by {len(extra)} byte{'s' if len(extra) > 1 else ''}"  # type: ignore[attr-defined]
    return edit


def omit_server(name: str, stage: str = "server-hello") -> Mutation:
    """Leave the server's ``name`` out; the message after it carries the label."""

    def edit(flight: Flight, hs: ServerDriver) -> Flight:
        out: Flight = []
        dropped = False
        for item in flight:
            if item.name == name:
                dropped = True
                continue
            if dropped and not item.label:
                item = item.with_(label=f"{server_phrase(item.name)} (with "
                                        f"{server_phrase(name)} left out)")
                dropped = False
            out.append(item)
        return out

    return FlightEdit(f"omit {server_phrase(name)}", stage, edit)


_ = flip_bit, truncate  # re-exported for rows


def ticket_before_finished() -> Mutation:
    """TLS 1.3: a NewSessionTicket inside the server's first flight, before its Finished
    (RFC 8446 4.6.1: only after the client's Finished)."""

    def edit(flight: Flight, hs: ServerDriver) -> Flight:
        names = [i.name for i in flight]
        at = names.index("Finished") if "Finished" in names else len(flight)
        item = Outgoing("NewSessionTicket", hs.new_session_ticket, transcript=False,
                        label="NewSessionTicket before server Finished")
        return [*flight[:at], item, *flight[at:]]

    return FlightEdit("NewSessionTicket before server Finished", "server-hello", edit)


def unsolicited_ticket() -> Mutation:
    """TLS 1.2: a NewSessionTicket although the ServerHello has no session_ticket
    extension (RFC 5077 3.3)."""
    from tlsconform.messages import extensions as ext

    return ChoiceEdit("NewSessionTicket without session_ticket in ServerHello",
                      lambda c: c.with_(ticket=True, server_hello_extensions=[
                          (t, b) for t, b in c.server_hello_extensions
                          if t != ext.SESSION_TICKET]))


def ticket_extension(code: int, body: bytes = b"") -> Mutation:
    """TLS 1.3: a NewSessionTicket carrying an extension (RFC 8446 4.6.1)."""
    return ChoiceEdit(f"NewSessionTicket with extension {code}",
                      lambda c: c.with_(ticket_extensions=[*c.ticket_extensions, (code, body)]))


def server_chain(edit: Callable[[list[bytes]], list[bytes]], label: str) -> Mutation:
    """The server's Certificate with its chain (DER, leaf first) rewritten by ``edit``."""

    def apply(item: Outgoing, hs: ServerDriver) -> list[Outgoing]:
        return [item.with_(build=lambda: se.certificate(edit(list(hs.identity.chain)),
                                                        hs.choices.tls13), label=label)]

    class ServerCertificate(Mutation):
        def flight(self, stage: str, flight: Flight, hs: ServerDriver) -> Flight:
            if stage != "server-hello":
                return flight
            return MessageEdit(label, "Certificate", apply).flight(stage, flight, hs)

        def __repr__(self) -> str:
            return label

    return ServerCertificate()


def empty_server_certificate() -> Mutation:
    return server_chain(lambda chain: [], "server Certificate with no certificates")


def corrupt_leaf_signature() -> Mutation:
    """The leaf's last byte (inside its signature value) flipped: the issuer's signature
    over it no longer verifies."""
    return server_chain(lambda chain: [flip_bit(-1)(chain[0]), *chain[1:]],
                        "server leaf certificate with its signature's last bit flipped")


def garbage_leaf() -> Mutation:
    return server_chain(lambda chain: [b"\x30\x03\x02\x01\x00", *chain[1:]],
                        "server leaf certificate that is no X.509 certificate")


def leaf_not_first() -> Mutation:
    return server_chain(lambda chain: [*chain[1:], chain[0]],
                        "server chain with the leaf after its issuer")


def leaf_only() -> Mutation:
    return server_chain(lambda chain: chain[:1], "server chain without its intermediate")


def extra_certificate(der: Callable[[], bytes], what: str) -> Mutation:
    return server_chain(lambda chain: [*chain, der()], f"server chain with {what} appended")
