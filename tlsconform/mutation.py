"""The interface every mutation word implements, for either driver, and the shapes words
take: an edit of the client's offer (of the first ClientHello, or of the one after a
HelloRetryRequest), of the server's choices, of every message of a name, or of a whole
flight. A word edits what its driver sends; the hooks of the other side stay no-ops."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tlsconform.client.offer import Offer
from tlsconform.messages.server_messages import ServerHello
from tlsconform.wire.outgoing import Flight, Outgoing

if TYPE_CHECKING:
    from tlsconform.server.choices import Choices
    from tlsconform.wire.conversation import Conversation

STAGES = ("hello", "retry-hello", "second", "application")
SERVER_STAGES = ("retry", "server-hello", "server-finished", "response", "closing")


class Mutation:
    """A composable change to a conversation; the default changes nothing.

    ``stage`` names the flight. The client's: "hello", "retry-hello", "second" (its
    Certificate .. Finished) or "application" (each request after the handshake). The
    server's: "retry" (a HelloRetryRequest), "server-hello" (ServerHello .. Finished in
    TLS 1.3, .. ServerHelloDone in TLS 1.2), "server-finished" (TLS 1.2: ChangeCipherSpec,
    Finished), "response" (the answer to the request) and "closing".
    """

    def offer(self, offer: Offer) -> Offer:
        return offer

    def retry_offer(self, offer: Offer, retry: ServerHello) -> Offer:
        """The offer of the ClientHello that answers ``retry`` (a HelloRetryRequest), its
        key_shares already set to the group the server asked for."""
        return offer

    def choose(self, choices: Choices) -> Choices:
        """The server's choices for this ClientHello (version, suite, group, extensions)."""
        return choices

    def flight(self, stage: str, flight: Flight, hs: Conversation) -> Flight:
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
class ChoiceEdit(Mutation):
    """Change what the server chooses (a server word)."""

    label: str
    edit: Callable[[Choices], Choices]

    def choose(self, choices: Choices) -> Choices:
        return self.edit(choices)


@dataclass(repr=False)
class MessageEdit(Mutation):
    """Rewrite every outgoing message called ``name`` (in whichever flight it travels)."""

    label: str
    name: str
    edit: Callable[[Outgoing, Conversation], list[Outgoing]]

    def flight(self, stage: str, flight: Flight, hs: Conversation) -> Flight:
        out: Flight = []
        for item in flight:
            out += self.edit(item, hs) if item.name == self.name else [item]
        return out


@dataclass(repr=False)
class FlightEdit(Mutation):
    label: str
    stage: str
    edit: Callable[[Flight, Conversation], Flight]

    def flight(self, stage: str, flight: Flight, hs: Conversation) -> Flight:
        return self.edit(flight, hs) if stage == self.stage else flight
