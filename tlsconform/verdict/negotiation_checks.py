"""Checks of what a completed handshake negotiated beyond version and suite: a
HelloRetryRequest, an extension's answer, record sizes a limit bounds, the DH group.

Each is a ``Check`` for ``completes_with`` and ``completes_or_refuses``. The rules every
handshake must keep (an extension the client did not offer, a value out of range) are
the driver's (``tlsconform.client.server_extensions``); these are what one row asks for.
"""

from __future__ import annotations

from collections.abc import Callable

from tlsconform.crypto.groups import ffdhe_prime, group_code
from tlsconform.messages.extensions import extension_name
from tlsconform.verdict.expect import Check
from tlsconform.verdict.outcome import Outcome

HANDSHAKE, APPLICATION_DATA = 22, 23
TLS13_TAG = 16  # the AEAD tag of every TLS 1.3 suite the engine offers by default


def _answer(outcome: Outcome, code: int) -> bytes | None:
    """The body of the server's answer to extension ``code`` (ServerHello or
    EncryptedExtensions), or None."""
    for message in outcome.messages:
        if message.name in ("ServerHello", "EncryptedExtensions"):
            for ext_type, body in message.extensions:
                if ext_type == code:
                    return body
    return None


def hello_retry_requested() -> Check:
    """RFC 8446 4.1.1: without a usable key share the server asks for one."""

    def problem(outcome: Outcome) -> str | None:
        if "HelloRetryRequest" not in outcome.server_messages:
            return "the server completed without a HelloRetryRequest"
        return None

    return Check("a HelloRetryRequest first", problem)


def answered(code: int, value: Callable[[bytes], str | None] | None = None,
             label: str = "") -> Check:
    """The server answers extension ``code``; ``value`` finds fault with its body."""
    name = extension_name(code)

    def problem(outcome: Outcome) -> str | None:
        body = _answer(outcome, code)
        if body is None:
            return f"the server did not answer {name}"
        return value(body) if value else None

    return Check(label or f"{name} answered", problem)


def not_answered(code: int, label: str = "") -> Check:
    name = extension_name(code)

    def problem(outcome: Outcome) -> str | None:
        if _answer(outcome, code) is not None:
            return f"the server answered {name}"
        return None

    return Check(label or f"no {name} in the answer", problem)


def empty_body(body: bytes) -> str | None:
    return f"its body has {len(body)} bytes, not none" if body else None


def records_within(code: int, limit_of: Callable[[bytes], int], what: str,
                   protected_only: bool = False) -> Check:
    """When the server answers extension ``code``, none of its records holds more than the
    limit its answer sets; when it does not answer, nothing is asked of its records (both
    extensions are optional for a server).

    max_fragment_length (RFC 6066 4) bounds every record's plaintext, handshake records
    too, from the record after the one that carried the ServerHello (which accepted the
    limit). record_size_limit (RFC 8449 4, ``protected_only``) bounds protected records
    only, and in TLS 1.3 counts the whole TLSInnerPlaintext (content type and padding)."""

    def problem(outcome: Outcome) -> str | None:
        body = _answer(outcome, code)
        if body is None:
            return None
        limit = limit_of(body)
        for record in outcome.records[1:]:
            if protected_only and not record.protected:
                continue
            if outcome.version == 0x0304 and protected_only:
                size, shown = record.length - TLS13_TAG, "inner plaintext"
            elif record.plaintext_length is not None:
                size, shown = record.plaintext_length, "plaintext"
            else:
                continue
            if size > limit:
                return (f"a server record of type {record.inner_type or record.content_type} "
                        f"holds {size} bytes of {shown}, above the {limit} its {what} sets")
        return None

    return Check(f"records within the {what} the server accepted", problem)


def dh_group(name: str) -> Check:
    """TLS 1.2 DHE with the RFC 7919 group the client named: the ServerKeyExchange's p is
    that group's prime."""
    prime = ffdhe_prime(group_code(name))

    def problem(outcome: Outcome) -> str | None:
        p = outcome.dh_prime
        if p is None:
            return "no DHE ServerKeyExchange"
        if p != prime:
            return f"the server's DH prime ({p.bit_length()} bits) is not {name}'s"
        return None

    return Check(f"the {name} prime (RFC 7919)", problem)
