"""Words about sessions and life after the handshake: the ticket, PSK identity, binder and
age a resuming ClientHello offers back; 0-RTT data; KeyUpdate; what a renegotiating
ClientHello carries. They edit the offer ``Resume.offer_back`` made, or the flights after
the handshake, like any other word."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from tlsconform.client.keys import Keys
from tlsconform.client.offer import Offer, RawExtension
from tlsconform.crypto.suites import SUITES, TLS13_SUITES
from tlsconform.crypto.suites import (
    TLS_EMPTY_RENEGOTIATION_INFO_SCSV as EMPTY_RENEGOTIATION_INFO_SCSV,
)
from tlsconform.messages import client_messages as cm
from tlsconform.messages import extensions as ext
from tlsconform.messages.codec import vec8
from tlsconform.mutation import FlightEdit, MessageEdit, Mutation, OfferEdit
from tlsconform.wire.outgoing import APPLICATION_DATA, Flight, Outgoing

if TYPE_CHECKING:
    from tlsconform.client.driver import ClientDriver


def _flip_middle(data: bytes) -> bytes:
    if not data:
        return data
    at = len(data) // 2
    return data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1:]


def _psk(offer: Offer, edit: object) -> Offer:
    """``edit`` applied to the offer's PSK; an offer without one is left alone (the row's
    precondition, a session to offer back, is then unmet)."""
    if offer.psk is None:
        return offer
    return offer.with_(psk=edit(offer.psk))  # type: ignore[operator]


# -- TLS 1.2 tickets and TLS 1.3 identities -----------------------------------------------
def corrupt_ticket() -> Mutation:
    """One bit flipped in the middle of the ticket offered back (RFC 5077 ticket or TLS
    1.3 PSK identity): no server can decrypt it (RFC 5077 3.4, RFC 8446 4.2.11)."""
    def edit(offer: Offer) -> Offer:
        if offer.session_ticket:
            return offer.with_(session_ticket=_flip_middle(offer.session_ticket))
        return _psk(offer, lambda p: p.with_(identities=tuple(
            (_flip_middle(ticket), age) for ticket, age in p.identities)))
    return OfferEdit("the ticket offered back with one bit flipped", edit)


def foreign_ticket() -> Mutation:
    """Random bytes of the ticket's length in its place: a ticket the server never made."""
    def edit(offer: Offer) -> Offer:
        if offer.session_ticket:
            return offer.with_(session_ticket=os.urandom(len(offer.session_ticket)))
        return _psk(offer, lambda p: p.with_(identities=tuple(
            (os.urandom(len(ticket)), age) for ticket, age in p.identities)))
    return OfferEdit("a ticket the server never issued", edit)


def forget_session_id() -> Mutation:
    """Offer the TLS 1.2 session back under another session id (one the server never
    gave): a session-id resumption becomes a fresh one."""
    return OfferEdit("a session id the server never gave", lambda o: o.with_(
        session_id=os.urandom(32)))


def unknown_identity_first() -> Mutation:
    """A PSK identity the server never issued before the real one, whose binder is now the
    second (RFC 8446 4.2.11: the server may select any identity it can validate)."""
    return OfferEdit("an unknown PSK identity before the real one", lambda o: _psk(
        o, lambda p: p.with_(identities=((b"tlsconform: no such ticket", 0),
                                             *p.identities), binds=p.binds + 1)))


def binder(edit: object, what: str) -> Mutation:
    """The binder as computed, then changed by ``edit`` (RFC 8446 4.2.11.2)."""
    return OfferEdit(f"the PSK binder {what}", lambda o: _psk(
        o, lambda p: p.with_(binder_edit=edit)))


def wrong_binder() -> Mutation:
    return binder(_flip_middle, "with one bit flipped")


def ticket_age(delta_ms: int) -> Mutation:
    """The obfuscated ticket age moved by ``delta_ms`` (RFC 8446 4.2.11.1, 8.3)."""
    return OfferEdit(f"obfuscated_ticket_age {delta_ms:+d} ms", lambda o: _psk(
        o, lambda p: p.with_(identities=tuple(
            (ticket, (age + delta_ms) % (1 << 32)) for ticket, age in p.identities))))


def psk_modes(*modes: int) -> Mutation:
    """The psk_key_exchange_modes the resuming hello offers; none leaves it out."""
    return OfferEdit(f"psk_key_exchange_modes={list(modes)}", lambda o: o.with_(
        psk_modes=tuple(modes)))


def suites_of_another_hash() -> Mutation:
    """Only TLS 1.3 suites whose hash is not the PSK's: the server cannot use the PSK with
    any of them (RFC 8446 4.2.11)."""
    def edit(offer: Offer) -> Offer:
        if offer.psk is None:
            return offer
        other = [c for c in TLS13_SUITES if SUITES[c].hash != offer.psk.hash]
        return offer.with_(ciphers=other)
    return OfferEdit("only suites of another hash than the PSK's", edit)


# -- 0-RTT (RFC 8446 4.2.10) --------------------------------------------------------------
def early_data() -> Mutation:
    """early_data in the ClientHello and, with a PSK, the request as 0-RTT data."""
    return OfferEdit("early_data with the request as 0-RTT data",
                     lambda o: o.with_(early_data=True))


def early_data_records(count: int, size: int) -> Mutation:
    """``count`` more 0-RTT records of ``size`` bytes after the early request."""
    def edit(flight: Flight, hs: ClientDriver) -> Flight:
        if hs.offer.psk is None or not hs.offer.early_data:  # no 0-RTT keys to send under
            return flight
        extra = [Outgoing("ApplicationData", lambda: bytes(size), content_type=APPLICATION_DATA,
                          label=f"{count} records of {size} bytes of 0-RTT data")
                 for _ in range(count)]
        return [*flight, *extra]
    return FlightEdit(f"{count} more 0-RTT records of {size} bytes", "hello", edit)


def early_data_beyond_limit() -> Mutation:
    """0-RTT records that, with the early request, carry one byte more than the ticket's
    max_early_data_size (RFC 8446 4.6.1); a ticket that states none leaves it unmet."""
    def edit(flight: Flight, hs: ClientDriver) -> Flight:
        psk = hs.offer.psk
        if not hs.offer.early_data or psk is None or psk.max_early_data is None:
            hs.unmet("the ticket states no max_early_data_size")
        left = psk.max_early_data + 1 - len(hs.request)
        extra = []
        while left > 0:
            size = min(left, 16384)
            extra.append(Outgoing("ApplicationData", lambda size=size: bytes(size),
                                  content_type=APPLICATION_DATA,
                                  label="0-RTT data beyond max_early_data_size"))
            left -= size
        return [*flight, *extra]
    return FlightEdit("0-RTT data one byte beyond max_early_data_size", "hello", edit)


def end_of_early_data_skipped() -> Mutation:
    """No EndOfEarlyData, though the client's keys move on to the handshake keys as if it
    had been sent: the server, still reading 0-RTT, cannot decrypt the Finished. (``omit``
    leaves the early keys on, so the Finished arrives as 0-RTT where EndOfEarlyData was
    due.)"""
    def edit(item: Outgoing, hs: ClientDriver) -> list[Outgoing]:
        return [item.with_(record=lambda sealer: b"", label="no EndOfEarlyData")]
    return MessageEdit("no EndOfEarlyData, the Finished under the handshake keys",
                       "EndOfEarlyData", edit)


# -- KeyUpdate (RFC 8446 4.6.3) -----------------------------------------------------------
def key_updates(request_update: int = 0, count: int = 1, joined: bool = False) -> Mutation:
    """``count`` KeyUpdates before the request, our write keys moving on after each;
    ``joined`` puts them in one record (RFC 8446 5.1 forbids that: a message before a key
    change must end its record)."""
    what = {0: "update_not_requested", 1: "update_requested"}.get(
        request_update, f"request_update={request_update}")
    label = f"{count} KeyUpdate({what})" + (" in one record" if joined else "")

    def edit(flight: Flight, hs: ClientDriver) -> Flight:
        updates = [Outgoing("KeyUpdate", lambda: cm.key_update(request_update),
                            after=Keys.next_write_keys, label=label, transcript=False,
                            join=joined and n < count - 1)
                   for n in range(count)]
        names = [item.name for item in flight]
        at = names.index("ApplicationData") if "ApplicationData" in names else len(flight)
        return [*flight[:at], *updates, *flight[at:]]
    return FlightEdit(f"{label} after the handshake", "application", edit)


# -- renegotiation (RFC 5746) -------------------------------------------------------------
def renegotiation_verify_data(what: str) -> Mutation:
    """The renegotiating hello's renegotiation_info with the client verify_data changed:
    "flipped" (one bit) or "empty" (as in an initial handshake); the server's answer is
    still checked against the true verify_data."""
    def edit(offer: Offer) -> Offer:
        if offer.renegotiation is None:
            return offer
        client = offer.renegotiation[0]
        sent = _flip_middle(client) if what == "flipped" else b""
        raw = RawExtension(ext.RENEGOTIATION_INFO, vec8(sent))
        return offer.with_(renegotiation_info=False,
                           extra_extensions=[*offer.extra_extensions, raw])
    return OfferEdit(f"renegotiation_info with the client verify_data {what}", edit)


def scsv_in_renegotiation() -> Mutation:
    """TLS_EMPTY_RENEGOTIATION_INFO_SCSV in a renegotiating hello (RFC 5746 3.5: the client
    MUST NOT include it there)."""
    return OfferEdit("the renegotiation SCSV in a renegotiating hello", lambda o: o.with_(
        ciphers=[*o.ciphers, EMPTY_RENEGOTIATION_INFO_SCSV]))


def no_renegotiation_info() -> Mutation:
    """A renegotiating hello without renegotiation_info (insecure renegotiation)."""
    return OfferEdit("no renegotiation_info in a renegotiating hello", lambda o: o.with_(
        renegotiation_info=False))


__all__ = [
    "binder",
    "corrupt_ticket",
    "early_data",
    "early_data_beyond_limit",
    "early_data_records",
    "end_of_early_data_skipped",
    "foreign_ticket",
    "forget_session_id",
    "key_updates",
    "no_renegotiation_info",
    "psk_modes",
    "renegotiation_verify_data",
    "scsv_in_renegotiation",
    "suites_of_another_hash",
    "ticket_age",
    "unknown_identity_first",
    "wrong_binder",
]
