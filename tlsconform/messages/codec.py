"""Bounded reading and plain writing of TLS vectors (RFC 8446 3, RFC 5246 4).

Every read checks the bytes that are left, so a hostile peer's lengths turn into a
``DecodeError`` that names the field, never an IndexError or a silent short read.
"""

from __future__ import annotations


class DecodeError(ValueError):
    """The bytes do not decode as the structure says: the text names the field."""


class Reader:
    """Reads fields off the front of ``data``; ``field`` names what is being read."""

    __slots__ = ("data", "pos")

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    @property
    def left(self) -> int:
        return len(self.data) - self.pos

    def take(self, n: int, field: str) -> bytes:
        if n > self.left:
            raise DecodeError(f"{field}: needs {n} bytes, {self.left} left")
        out = self.data[self.pos:self.pos + n]
        self.pos += n
        return out

    def uint(self, size: int, field: str) -> int:
        return int.from_bytes(self.take(size, field), "big")

    def u8(self, field: str) -> int:
        return self.uint(1, field)

    def u16(self, field: str) -> int:
        return self.uint(2, field)

    def u24(self, field: str) -> int:
        return self.uint(3, field)

    def vector(self, size: int, field: str, minimum: int = 0, maximum: int | None = None
               ) -> bytes:
        """A vector with a ``size``-byte length prefix, within [minimum, maximum]."""
        length = self.uint(size, f"{field} length")
        if length > self.left:
            raise DecodeError(f"{field}: length {length} exceeds the {self.left} bytes left")
        if length < minimum or (maximum is not None and length > maximum):
            bound = f"{minimum}..{maximum}" if maximum is not None else f"at least {minimum}"
            raise DecodeError(f"{field}: length {length} is outside {bound}")
        return self.take(length, field)

    def vec8(self, field: str, minimum: int = 0, maximum: int | None = None) -> bytes:
        return self.vector(1, field, minimum, maximum)

    def vec16(self, field: str, minimum: int = 0, maximum: int | None = None) -> bytes:
        return self.vector(2, field, minimum, maximum)

    def vec24(self, field: str, minimum: int = 0, maximum: int | None = None) -> bytes:
        return self.vector(3, field, minimum, maximum)

    def rest(self) -> bytes:
        return self.take(self.left, "rest")

    def done(self, what: str) -> None:
        """Nothing may follow ``what``."""
        if self.left:
            raise DecodeError(f"{self.left} trailing bytes after {what}")


def u8(n: int) -> bytes:
    return n.to_bytes(1, "big")


def u16(n: int) -> bytes:
    return n.to_bytes(2, "big")


def u24(n: int) -> bytes:
    return n.to_bytes(3, "big")


def vec8(body: bytes) -> bytes:
    return u8(len(body)) + body


def vec16(body: bytes) -> bytes:
    return u16(len(body)) + body


def vec24(body: bytes) -> bytes:
    return u24(len(body)) + body


def u16_list(values: list[int]) -> bytes:
    """A vector of 2-byte values with its 2-byte length (cipher suites, groups, schemes)."""
    return vec16(b"".join(u16(v) for v in values))


def read_u16_list(data: bytes, field: str) -> list[int]:
    if len(data) % 2:
        raise DecodeError(f"{field}: odd length {len(data)}")
    return [int.from_bytes(data[i:i + 2], "big") for i in range(0, len(data), 2)]
