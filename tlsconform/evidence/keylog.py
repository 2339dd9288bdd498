"""The key log of a row's conversations, in SSLKEYLOGFILE format (CLIENT_RANDOM for
TLS 1.2, the traffic secrets for TLS 1.3), which Wireshark and tshark read."""

from __future__ import annotations

from tlsconform.evidence.conversations import conversations
from tlsconform.verdict.outcome import Outcome


def key_log(outcome: Outcome) -> str:
    """Every connection's lines; empty when no secret was ever derived."""
    lines = [line for conversation in conversations(outcome) for line in conversation.key_log]
    return "".join(f"{line}\n" for line in lines)
