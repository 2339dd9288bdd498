"""The TCP connections of one row's outcome: a resuming row made two, a renegotiation
shares its connection with the first handshake."""

from __future__ import annotations

from dataclasses import dataclass

from tlsconform.verdict.outcome import Outcome


@dataclass(frozen=True)
class Conversation:
    """One TCP connection: its outcome and the key log lines of every handshake in it."""

    title: str
    outcome: Outcome

    @property
    def key_log(self) -> list[str]:
        lines = list(self.outcome.key_log)
        if self.outcome.renegotiation is not None:
            lines += self.outcome.renegotiation.key_log
        return lines


def conversations(outcome: Outcome) -> list[Conversation]:
    """In the order they happened: the conversation that made the session, then the row's."""
    found = []
    if outcome.first is not None:
        found.append(Conversation("connection 1: makes the session offered back", outcome.first))
    title = f"connection {len(found) + 1}: the row's conversation" if found else "connection 1"
    found.append(Conversation(title, outcome))
    return found
