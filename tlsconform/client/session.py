"""What a completed conversation leaves to resume, and how a later ClientHello offers it
back (RFC 5246 7.4.1.2, RFC 5077 3, RFC 8446 4.2.11, 4.6.1, RFC 7627 5.3).

A TLS 1.2 conversation leaves a ``Tls12Session`` (its id, master secret, suite, version,
whether it used the extended master secret, an RFC 5077 ticket if the server sent one). A
TLS 1.3 one leaves ``Ticket``s, one per NewSessionTicket, each with the PSK it stands for.
``PskOffer`` is the pre_shared_key a ClientHello carries; the driver computes its binder
from the hello as encoded (RFC 8446 4.2.11.2), after every word's edits.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from tlsconform.crypto.schedule import HASH_LEN
from tlsconform.messages.codec import vec8, vec16

PSK_KE, PSK_DHE_KE = 0, 1  # RFC 8446 4.2.9


@dataclass(frozen=True)
class Tls12Session:
    version: int
    suite: int
    session_id: bytes
    master_secret: bytes
    ems: bool
    ticket: bytes | None = None  # RFC 5077 NewSessionTicket.ticket
    ticket_lifetime: int | None = None


@dataclass(frozen=True)
class Ticket:
    """One TLS 1.3 NewSessionTicket and what it means to the client."""

    suite: int  # of the connection that issued it: its hash is the PSK's (RFC 8446 4.6.1)
    hash: str
    ticket: bytes
    lifetime: int
    age_add: int
    nonce: bytes
    psk: bytes
    received: float  # time.monotonic() when it arrived
    max_early_data: int | None = None  # its early_data extension, if any

    def obfuscated_age(self, now: float | None = None) -> int:
        """RFC 8446 4.2.11.1: milliseconds since it arrived, plus ticket_age_add."""
        age_ms = int(((now or time.monotonic()) - self.received) * 1000)
        return (age_ms + self.age_add) % (1 << 32)


@dataclass
class Session:
    """What one conversation left: a TLS 1.2 session, TLS 1.3 tickets, or nothing."""

    tls12: Tls12Session | None = None
    tickets: list[Ticket] = field(default_factory=list)


BinderEdit = Callable[[bytes], bytes]


@dataclass(frozen=True)
class PskOffer:
    """The pre_shared_key extension of a TLS 1.3 ClientHello: identities (ticket, obfuscated
    age), one of which (``binds``) the client can prove with ``secret`` under ``hash``; the
    other identities get binders of the right size that prove nothing."""

    identities: tuple[tuple[bytes, int], ...]
    secret: bytes
    hash: str
    binds: int = 0
    binder_edit: BinderEdit | None = None  # a word's change of the computed binder
    suite: int | None = None  # the suite of the connection that made the ticket
    max_early_data: int | None = None  # the ticket's max_early_data_size, if it allows 0-RTT

    @classmethod
    def of(cls, ticket: Ticket) -> PskOffer:
        return cls(((ticket.ticket, ticket.obfuscated_age()),), ticket.psk, ticket.hash,
                   suite=ticket.suite, max_early_data=ticket.max_early_data)

    def with_(self, **changes: object) -> PskOffer:
        return replace(self, **changes)

    def encode(self, binders: list[bytes] | None = None) -> bytes:
        """The extension body; ``binders`` default to zeros of the hash's size (the
        placeholder the binder is computed over, RFC 8446 4.2.11.2)."""
        size = HASH_LEN[self.hash]
        identities = b"".join(vec16(identity) + age.to_bytes(4, "big")
                              for identity, age in self.identities)
        binders = binders or [bytes(size)] * len(self.identities)
        return vec16(identities) + vec16(b"".join(vec8(b) for b in binders))

    def binders_length(self) -> int:
        """Bytes the binders vector takes at the end of the ClientHello."""
        return 2 + len(self.identities) * (1 + HASH_LEN[self.hash])


