"""Byte-level edits of an encoded ClientHello, for inputs no well-formed offer produces.

The layout is RFC 8446 4.1.2 / RFC 5246 7.4.1.2: type(1) length(3) version(2)
random(32) session_id<0..32> cipher_suites<2..2^16-2> compression<1..2^8-1>
extensions<8..2^16-1>. Every length is recomputed from the parts, then moved by the
deltas in ``skew`` (a field's length field that lies) and ``extension_skew`` (one
extension's own length field); ``trailing`` follows the extensions block.
"""

from __future__ import annotations

from dataclasses import dataclass, field

FIELDS = ("session_id", "cipher_suites", "compression", "extensions")
"""The ClientHello's vectors whose length fields ``skew`` can move."""


@dataclass
class HelloParts:
    head: bytes  # version + random
    session_id: bytes
    cipher_suites: bytes  # the vector body, without its length
    compression: bytes
    extensions: list[tuple[int, bytes]]  # (type, body) in order
    skew: dict[str, int] = field(default_factory=dict)  # field name -> length delta
    extension_skew: dict[int, int] = field(default_factory=dict)  # ext type -> delta
    trailing: bytes = b""

    def encode(self) -> bytes:
        def length(name: str, value: int, size: int) -> bytes:
            return ((value + self.skew.get(name, 0)) % (1 << (8 * size))).to_bytes(size, "big")

        exts = b"".join(
            t.to_bytes(2, "big")
            + ((len(b) + self.extension_skew.get(t, 0)) % 65536).to_bytes(2, "big") + b
            for t, b in self.extensions)
        body = (self.head + length("session_id", len(self.session_id), 1) + self.session_id
                + length("cipher_suites", len(self.cipher_suites), 2) + self.cipher_suites
                + length("compression", len(self.compression), 1) + self.compression
                + length("extensions", len(exts), 2) + exts + self.trailing)
        return b"\x01" + len(body).to_bytes(3, "big") + body

    def extension(self, ext_type: int) -> bytes | None:
        return next((b for t, b in self.extensions if t == ext_type), None)


def parse_client_hello(msg: bytes) -> HelloParts:
    """Split a well-formed ClientHello handshake message into editable parts."""
    body = msg[4:]
    pos = 34
    head = body[:pos]
    sid_len = body[pos]
    session_id = body[pos + 1:pos + 1 + sid_len]
    pos += 1 + sid_len
    suites_len = int.from_bytes(body[pos:pos + 2], "big")
    cipher_suites = body[pos + 2:pos + 2 + suites_len]
    pos += 2 + suites_len
    comp_len = body[pos]
    compression = body[pos + 1:pos + 1 + comp_len]
    pos += 1 + comp_len
    extensions = []
    if pos < len(body):
        end = pos + 2 + int.from_bytes(body[pos:pos + 2], "big")
        pos += 2
        while pos < end:
            ext_type = int.from_bytes(body[pos:pos + 2], "big")
            ext_len = int.from_bytes(body[pos + 2:pos + 4], "big")
            extensions.append((ext_type, body[pos + 4:pos + 4 + ext_len]))
            pos += 4 + ext_len
    return HelloParts(head, session_id, cipher_suites, compression, extensions)


def extension_types(msg: bytes) -> set[int] | None:
    """The extension types a ClientHello as sent carries; None when it does not parse
    (a row that broke it on purpose), so that callers fall back to the offer."""
    try:
        parts = parse_client_hello(msg)
    except (IndexError, ValueError):
        return None
    return {t for t, _ in parts.extensions}
