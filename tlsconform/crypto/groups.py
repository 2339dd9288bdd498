"""Named groups and key shares (RFC 8446 4.2.7, 4.2.8, 7.4; RFC 8422 5.1.1; RFC 7919).

A ``KeyShare`` is one side's ephemeral key for a group; ``shared`` computes the secret
from the peer's share, and raises ``KeyExchangeError`` naming the problem when the
peer's share is not a valid element of the group (a wrong length, a point off the
curve, a low-order x25519 value).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from cryptography.hazmat.primitives.asymmetric import dh, ec, x448, x25519


class KeyExchangeError(ValueError):
    """A peer's share or parameters are unusable: the text says why."""


@dataclass(frozen=True)
class Group:
    code: int
    name: str
    kind: str  # "x" (RFC 7748), "ec" (NIST curves), "ff" (RFC 7919 finite fields)
    size: int  # bytes of a field element (the key share is 2*size+1 for "ec")


GROUP_LIST = [
    Group(23, "secp256r1", "ec", 32),
    Group(24, "secp384r1", "ec", 48),
    Group(25, "secp521r1", "ec", 66),
    Group(29, "x25519", "x", 32),
    Group(30, "x448", "x", 56),
    Group(256, "ffdhe2048", "ff", 256),
    Group(257, "ffdhe3072", "ff", 384),
    Group(258, "ffdhe4096", "ff", 512),
    Group(259, "ffdhe6144", "ff", 768),
    Group(260, "ffdhe8192", "ff", 1024),
]
GROUPS = {g.code: g for g in GROUP_LIST}
BY_NAME = {g.name: g for g in GROUP_LIST}
CURVES = {23: ec.SECP256R1, 24: ec.SECP384R1, 25: ec.SECP521R1}

# RFC 7919 A: p = 2^b - 2^(b-64) + (floor(2^(b-130) * e) + X) * 2^64 - 1, generator 2.
_FFDHE_X = {256: (2048, 560316), 257: (3072, 2625351), 258: (4096, 5736041),
            259: (6144, 15705020), 260: (8192, 10965728)}


def group_code(group: str | int) -> int:
    """A group by name or code point; unknown names raise KeyError."""
    return group if isinstance(group, int) else BY_NAME[group].code


def group_name(code: int) -> str:
    group = GROUPS.get(code)
    if group is not None:
        return group.name
    if code & 0x0F0F == 0x0A0A and code >> 8 == code & 0xFF:
        return f"GREASE(0x{code:04x})"
    return f"group(0x{code:04x})"


@cache
def ffdhe_prime(code: int) -> int:
    """The RFC 7919 prime for an ffdhe group, computed from e as the RFC defines it."""
    bits, x = _FFDHE_X[code]
    guard = 64
    scale = 1 << (bits - 130 + guard)
    total, term, k = 0, scale, 0
    while term:  # scale * sum 1/k!, each term exact to within one unit
        total += term
        k += 1
        term //= k
    e_part = total >> guard
    return (1 << bits) - (1 << (bits - 64)) + ((e_part + x) << 64) - 1


@cache
def ffdhe_parameters(code: int) -> dh.DHParameters:
    return dh.DHParameterNumbers(ffdhe_prime(code), 2).parameters()


class KeyShare:
    """Our ephemeral key for one group, and the public value we send."""

    def __init__(self, group: int, dh_parameters: tuple[int, int] | None = None) -> None:
        """``dh_parameters`` (p, g) is for TLS 1.2 DHE, where the server picks the field."""
        self.group = group
        if dh_parameters is not None:
            p, g = dh_parameters
            self.size = (p.bit_length() + 7) // 8
            self._key = dh.DHParameterNumbers(p, g).parameters().generate_private_key()
            self.public = self._key.public_key().public_numbers().y.to_bytes(self.size, "big")
            return
        info = GROUPS.get(group)
        if info is None:
            raise KeyExchangeError(f"{group_name(group)} is not a group the engine implements")
        self.size = info.size
        if info.kind == "x":
            module = x25519.X25519PrivateKey if group == 29 else x448.X448PrivateKey
            self._key = module.generate()
            self.public = self._key.public_key().public_bytes_raw()
        elif info.kind == "ec":
            self._key = ec.generate_private_key(CURVES[group]())
            # serialization's package imports its SSH support (13 ms): only on first use
            from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

            self.public = self._key.public_key().public_bytes(
                encoding=Encoding.X962, format=PublicFormat.UncompressedPoint)
        else:
            self._key = ffdhe_parameters(group).generate_private_key()
            self.public = self._key.public_key().public_numbers().y.to_bytes(info.size, "big")

    def shared(self, peer: bytes, pad: bool = True) -> bytes:
        """The shared secret with the peer's public value.

        Finite-field secrets are left-padded to the size of p in TLS 1.3 (RFC 8446 7.4.1)
        and stripped of leading zeros in TLS 1.2 (RFC 5246 8.1.2): ``pad`` chooses.
        """
        key = self._key
        try:
            if isinstance(key, x25519.X25519PrivateKey | x448.X448PrivateKey):
                if len(peer) != self.size:
                    raise KeyExchangeError(f"{group_name(self.group)} share of {len(peer)} "
                                           f"bytes, not {self.size}")
                cls = x25519.X25519PublicKey if self.group == 29 else x448.X448PublicKey
                return key.exchange(cls.from_public_bytes(peer))
            if isinstance(key, ec.EllipticCurvePrivateKey):
                if len(peer) != 2 * self.size + 1 or peer[:1] != b"\x04":
                    raise KeyExchangeError(
                        f"{group_name(self.group)} share of {len(peer)} bytes starting "
                        f"{peer[:1].hex() or 'empty'}: not an uncompressed point "
                        f"(04, {2 * self.size} bytes)")
                point = ec.EllipticCurvePublicKey.from_encoded_point(key.curve, peer)
                return key.exchange(ec.ECDH(), point)
            numbers = key.parameters().parameter_numbers()
            size = (numbers.p.bit_length() + 7) // 8
            if pad and len(peer) != size:  # TLS 1.3: "padded with zeros to the size of p"
                raise KeyExchangeError(f"{group_name(self.group)} share of {len(peer)} bytes, "
                                       f"not the {size} of p (RFC 8446 4.2.8.1)")
            y = int.from_bytes(peer, "big")
            if not 1 < y < numbers.p - 1:
                raise KeyExchangeError(f"finite-field share outside 2..p-2 ({len(peer)} bytes)")
            secret = key.exchange(dh.DHPublicNumbers(y, numbers).public_key())
            return secret.rjust(size, b"\x00") if pad else secret.lstrip(b"\x00")
        except KeyExchangeError:
            raise
        except (ValueError, TypeError) as exc:
            raise KeyExchangeError(f"{group_name(self.group)} share is not a valid group "
                                   f"element: {exc}") from exc

