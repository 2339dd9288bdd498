"""The interface every mutation word implements: edit the offer, edit a flight."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tlsconform.flight import Flight
from tlsconform.offer import Offer

if TYPE_CHECKING:
    from tlsconform.handshake import Handshake


class Mutation:
    """A composable change to a conversation; the default changes nothing.

    ``stage`` names the flight: "hello", "retry-hello", "second" (the client's
    Certificate .. Finished) or "application".
    """

    def offer(self, offer: Offer) -> Offer:
        return offer

    def flight(self, stage: str, flight: Flight, hs: Handshake) -> Flight:
        return flight

    def __repr__(self) -> str:
        return getattr(self, "label", type(self).__name__)
