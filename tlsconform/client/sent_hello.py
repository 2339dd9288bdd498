"""What the ClientHello offered as it went over the wire, after every word's edits.

The checks of the server's answer compare it with this, never with the offer: a row that
duplicates an extension, changes a key share's bytes or breaks a length sent something
else than the offer says.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tlsconform.client.hello_bytes import parse_client_hello
from tlsconform.messages import extensions as ext
from tlsconform.messages.codec import DecodeError, Reader


@dataclass
class SentHello:
    """``extensions``: type -> body (the first of duplicates); ``key_shares``: group ->
    public value as sent (the first entry of a group); ``ciphers``: the suites as sent;
    ``parsed``: False when the bytes do not parse (the row broke them), and the rest is
    empty."""

    extensions: dict[int, bytes] = field(default_factory=dict)
    key_shares: dict[int, bytes] = field(default_factory=dict)
    parsed: bool = False
    ciphers: list[int] = field(default_factory=list)

    @classmethod
    def of(cls, message: bytes) -> SentHello:
        try:
            parts = parse_client_hello(message)
        except (IndexError, ValueError):
            return cls()
        extensions: dict[int, bytes] = {}
        for code, body in parts.extensions:
            extensions.setdefault(code, body)
        shares: dict[int, bytes] = {}
        body = extensions.get(ext.KEY_SHARE)
        if body is not None:
            try:
                entries = Reader(Reader(body).vec16("client_shares"))
                while entries.left:
                    group = entries.u16("group")
                    shares.setdefault(group, entries.vec16("key_exchange"))
            except DecodeError:
                pass
        suites = parts.cipher_suites
        ciphers = [int.from_bytes(suites[i:i + 2], "big") for i in range(0, len(suites) - 1, 2)]
        return cls(extensions, shares, True, ciphers)
