"""A row that spans two connections to one target: the first makes a session, the second
(the row's own conversation) offers it back (RFC 5246 7.4.1.2, RFC 5077 3, RFC 8446 2.2).

``Resume`` says which kind of session (a TLS 1.2 session id, an RFC 5077 ticket, a TLS 1.3
PSK from a NewSessionTicket) and under which words the first conversation runs; its
``offer_back`` turns what that conversation left into the second one's offer, which the
row's words then change like any other offer.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass

from tlsconform.client.offer import Offer
from tlsconform.client.session import PSK_DHE_KE, PskOffer, Session
from tlsconform.mutation import Mutation

KINDS = ("session_id", "ticket", "psk")


@dataclass(frozen=True)
class Resume:
    """``kind``: "session_id", "ticket" (both TLS 1.2) or "psk" (TLS 1.3); ``first``: the
    words of the conversation that makes the session; ``modes``: the
    psk_key_exchange_modes both conversations offer; ``required``: a second conversation
    that completes without resuming leaves the row's condition unmet (resuming is the
    server's choice, RFC 5246 7.4.1.2, RFC 8446 4.2.11), so the row skips saying so."""

    kind: str
    first: Sequence[Mutation] = ()
    modes: tuple[int, ...] = (PSK_DHE_KE,)
    required: bool = False

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"Resume kind {self.kind!r} is not one of {KINDS}")

    @property
    def features(self) -> frozenset[str]:
        """What a profile can require of the target for this row to run (``require``)."""
        return frozenset({"resumption", *(["tickets"] if self.kind != "session_id" else [])})

    @property
    def what(self) -> str:
        return {"session_id": "a TLS 1.2 session id", "ticket": "an RFC 5077 session ticket",
                "psk": "a TLS 1.3 NewSessionTicket"}[self.kind]

    def first_offer(self, offer: Offer) -> Offer:
        """The offer of the conversation that makes the session: it asks for a ticket
        (RFC 5077 3.1: an empty SessionTicket) or says which PSK modes it can use (RFC 8446
        4.2.9: without them a server sends no ticket)."""
        if self.kind == "ticket":
            return offer.with_(session_ticket=b"")
        if self.kind == "psk":
            return offer.with_(psk_modes=self.modes)
        return offer

    def offer_back(self, offer: Offer, session: Session) -> Offer | str:
        """The second conversation's offer, or why there is nothing to offer back."""
        tls12 = session.tls12
        if self.kind == "session_id":
            if tls12 is None or not tls12.session_id:
                return "the first handshake left no session id"
            return offer.with_(session_id=tls12.session_id, resume12=tls12)
        if self.kind == "ticket":
            if tls12 is None or not tls12.ticket:
                return "the first handshake left no RFC 5077 ticket"
            # RFC 5077 3.4: a session id beside the ticket, echoed if the server resumes.
            return offer.with_(session_ticket=tls12.ticket, session_id=os.urandom(32),
                               resume12=tls12)
        if not session.tickets:
            return "the first handshake left no NewSessionTicket"
        return offer.with_(psk=PskOffer.of(session.tickets[0]), psk_modes=self.modes)
