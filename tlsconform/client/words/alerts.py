"""Words about alerts the client sends and how it ends the connection (RFC 8446 6,
RFC 5246 7.2): close_notify, warning and fatal alerts, undefined descriptions and
levels, at any point of the conversation."""

from __future__ import annotations

from tlsconform.client.words.messages import Insert, _phrase, alert, instead_of
from tlsconform.messages.alerts import alert_name
from tlsconform.mutation import Mutation

WARNING, FATAL = 1, 2
CLOSE_NOTIFY = 0


def _what(description: int, level: int) -> str:
    shown = {WARNING: "warning", FATAL: "fatal"}.get(level, f"level-{level}")
    return f"{shown} alert {alert_name(description)}"


def alert_instead_of(name: str, description: int, level: int = FATAL) -> Mutation:
    """An alert where ``name`` was due (the client sends nothing after a fatal alert)."""
    return instead_of(name, alert(description, level), _what(description, level))


def alert_before(name: str, description: int, level: int = WARNING,
                 stage: str = "second") -> Mutation:
    """An alert right before ``name`` in ``stage``'s flight."""
    what = _what(description, level)
    return Insert(f"{what} before {_phrase(name)}", stage, alert(description, level),
                  before=name)


def alert_before_request(description: int, level: int = WARNING) -> Mutation:
    """An alert after the handshake, in the same flight as (and before) the request."""
    return alert_before("ApplicationData", description, level, stage="application")


def close_notify_instead_of_request() -> Mutation:
    return alert_instead_of("ApplicationData", CLOSE_NOTIFY, WARNING)


def close_notify_before_request() -> Mutation:
    """close_notify, then the request anyway: data after a closure alert MUST be ignored
    (RFC 8446 6.1)."""
    return alert_before_request(CLOSE_NOTIFY, WARNING)


def close_notify_after_reply() -> Mutation:
    """Once the request is answered, the client closes with close_notify (the driver reads
    what follows when the row asks for the closure)."""
    return Insert(f"{_what(CLOSE_NOTIFY, WARNING)} after the reply", "closing",
                  alert(CLOSE_NOTIFY, WARNING))


__all__ = ["CLOSE_NOTIFY", "FATAL", "WARNING", "alert_before", "alert_before_request",
           "alert_instead_of", "close_notify_after_reply", "close_notify_before_request",
           "close_notify_instead_of_request"]
