"""The interface every mutation word implements, and the shapes words take: an edit of the
offer (of the first ClientHello, or of the one after a HelloRetryRequest), of every message
of a name, or of a whole flight."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tlsconform.client.offer import Offer
from tlsconform.messages.server_messages import ServerHello
from tlsconform.wire.outgoing import Flight, Outgoing

if TYPE_CHECKING:
    from tlsconform.client.driver import ClientDriver

STAGES = ("hello", "retry-hello", "second", "application")


class Mutation:
    """A composable change to a conversation; the default changes nothing.

    ``stage`` names the flight: "hello", "retry-hello", "second" (the client's
    Certificate .. Finished) or "application" (each request after the handshake).
    """

    def offer(self, offer: Offer) -> Offer:
        return offer

    def retry_offer(self, offer: Offer, retry: ServerHello) -> Offer:
        """The offer of the ClientHello that answers ``retry`` (a HelloRetryRequest), its
        key_shares already set to the group the server asked for."""
        return offer

    def flight(self, stage: str, flight: Flight, hs: ClientDriver) -> Flight:
        return flight

    def __repr__(self) -> str:
        return getattr(self, "label", type(self).__name__)


@dataclass(repr=False)
class OfferEdit(Mutation):
    label: str
    edit: Callable[[Offer], Offer]

    def offer(self, offer: Offer) -> Offer:
        return self.edit(offer)


@dataclass(repr=False)
class RetryEdit(Mutation):
    """Change the second ClientHello only: what RFC 8446 4.1.2 says must stay the same."""

    label: str
    edit: Callable[[Offer, ServerHello], Offer]

    def retry_offer(self, offer: Offer, retry: ServerHello) -> Offer:
        return self.edit(offer, retry)


@dataclass(repr=False)
class MessageEdit(Mutation):
    """Rewrite every outgoing message called ``name`` (in whichever flight it travels)."""

    label: str
    name: str
    edit: Callable[[Outgoing, ClientDriver], list[Outgoing]]

    def flight(self, stage: str, flight: Flight, hs: ClientDriver) -> Flight:
        out: Flight = []
        for item in flight:
            out += self.edit(item, hs) if item.name == self.name else [item]
        return out


@dataclass(repr=False)
class FlightEdit(Mutation):
    label: str
    stage: str
    edit: Callable[[Flight, ClientDriver], Flight]

    def flight(self, stage: str, flight: Flight, hs: ClientDriver) -> Flight:
        return self.edit(flight, hs) if stage == self.stage else flight
