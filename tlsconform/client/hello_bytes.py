"""Byte-level edits of an encoded ClientHello, for inputs scapy would not build or keep.

The layout is RFC 8446 4.1.2 / RFC 5246 7.4.1.2: type(1) length(3) version(2)
random(32) session_id<0..32> cipher_suites<2..2^16-2> compression<1..2^8-1>
extensions<8..2^16-1>. Lengths are recomputed after each edit unless told not to.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class HelloParts:
    head: bytes  # version + random
    session_id: bytes
    cipher_suites: bytes  # the vector body, without its length
    compression: bytes
    extensions: list[tuple[int, bytes]]  # (type, body) in order

    def encode(self, cipher_len: int | None = None) -> bytes:
        suites_len = len(self.cipher_suites) if cipher_len is None else cipher_len
        exts = b"".join(t.to_bytes(2, "big") + len(b).to_bytes(2, "big") + b
                        for t, b in self.extensions)
        body = (self.head + bytes([len(self.session_id)]) + self.session_id
                + suites_len.to_bytes(2, "big") + self.cipher_suites
                + bytes([len(self.compression)]) + self.compression
                + len(exts).to_bytes(2, "big") + exts)
        return b"\x01" + len(body).to_bytes(3, "big") + body


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
