"""A certificate and its private key, loaded once per process, in the form the engine
signs with (``cryptography``) and sends (DER)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes

# Signature schemes we can produce, best first, per key kind (RFC 8446 4.2.3).
SCHEMES = {
    "ecdsa": [0x0403, 0x0503, 0x0603],  # by curve: see scheme_for
    "rsa": [0x0804, 0x0805, 0x0401, 0x0501],  # rsa_pss_rsae_*, then PKCS#1 (TLS 1.2 only)
}
TLS13_FORBIDDEN = {0x0401, 0x0501, 0x0601, 0x0201}  # RFC 8446 4.4.3: no PKCS#1 v1.5 in CV
CURVE_SCHEME = {"secp256r1": 0x0403, "secp384r1": 0x0503, "secp521r1": 0x0603}


@dataclass(frozen=True)
class ClientIdentity:
    """Paths of a PEM certificate (the leaf, optionally followed by its chain) and key."""

    cert_path: Path
    key_path: Path

    @property
    def chain(self) -> list[bytes]:
        """DER of the leaf and any certificates after it in the PEM file."""
        return _load_chain(str(self.cert_path))

    @property
    def key(self) -> PrivateKeyTypes:
        return _load_key(str(self.key_path))

    @property
    def kind(self) -> str:
        return "ecdsa" if isinstance(self.key, ec.EllipticCurvePrivateKey) else "rsa"

    def schemes(self) -> list[int]:
        key = self.key
        if isinstance(key, ec.EllipticCurvePrivateKey):
            return [CURVE_SCHEME.get(key.curve.name, 0x0403)]
        return list(SCHEMES["rsa"]) if isinstance(key, rsa.RSAPrivateKey) else []

    def scheme_for(self, offered: list[int], tls13: bool) -> int | None:
        """The first scheme we can sign with that the peer offered, or None."""
        for scheme in self.schemes():
            if scheme in offered and not (tls13 and scheme in TLS13_FORBIDDEN):
                return scheme
        return None


@cache
def _load_chain(path: str) -> list[bytes]:
    from cryptography import x509  # on first use: collecting rows needs none
    from cryptography.hazmat.primitives import serialization

    certs = x509.load_pem_x509_certificates(Path(path).read_bytes())
    return [c.public_bytes(serialization.Encoding.DER) for c in certs]


@cache
def _load_key(path: str) -> PrivateKeyTypes:
    from cryptography.hazmat.primitives import serialization

    return serialization.load_pem_private_key(Path(path).read_bytes(), password=None)
