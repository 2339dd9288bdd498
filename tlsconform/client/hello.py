"""The ClientHello an offer stands for, encoded (RFC 8446 4.1.2, RFC 5246 7.4.1.2)."""

from __future__ import annotations

import os

from tlsconform.client.offer import Offer, extensions
from tlsconform.crypto.groups import KeyExchangeError, KeyShare
from tlsconform.crypto.suites import is_grease
from tlsconform.messages import client_messages as cm


def key_share_entries(offer: Offer, shares: dict[int, KeyShare]) -> list[tuple[int, bytes]]:
    """(group, public value) for each key share the offer names, making the missing keys in
    ``shares``; a group the engine cannot compute gets a placeholder value (one zero byte
    for GREASE, RFC 8701 3)."""
    entries = []
    for group in offer.share_codes if offer.offers_tls13 else []:
        if group not in shares:
            try:
                shares[group] = KeyShare(group)
            except KeyExchangeError:
                entries.append((group, b"\x00" if is_grease(group) else os.urandom(32)))
                continue
        entries.append((group, shares[group].public))
    return entries


def client_hello(offer: Offer, random: bytes | None = None,
                 shares: dict[int, KeyShare] | None = None, cookie: bytes | None = None
                 ) -> bytes:
    """The encoded handshake message; ``shares`` collects the private keys."""
    entries = key_share_entries(offer, {} if shares is None else shares)
    return cm.client_hello(offer.legacy_version, random or os.urandom(32), offer.session_id,
                           offer.ciphers, offer.compression, extensions(offer, entries, cookie))
