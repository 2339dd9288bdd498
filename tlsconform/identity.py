"""A client certificate and key in the form scapy signs with, loaded once per process."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from scapy.layers.tls.cert import Cert, PrivKey, PrivKeyECDSA

# Signature schemes we can produce, best first, per key kind (RFC 8446 4.2.3).
SCHEMES = {
    "ecdsa": [0x0403],  # ecdsa_secp256r1_sha256 (the PKI's client keys are P-256)
    "rsa": [0x0804, 0x0805, 0x0401, 0x0501],  # rsa_pss_rsae_*, then PKCS#1 (TLS 1.2 only)
}
TLS13_FORBIDDEN = {0x0401, 0x0501, 0x0601, 0x0201}  # RFC 8446 4.4.3: no PKCS#1 v1.5 in CV


@dataclass(frozen=True)
class ClientIdentity:
    """Paths of a PEM certificate and its private key."""

    cert_path: Path
    key_path: Path

    @property
    def cert(self) -> Cert:
        return _load_cert(str(self.cert_path))

    @property
    def key(self) -> PrivKey:
        return _load_key(str(self.key_path))

    @property
    def kind(self) -> str:
        return "ecdsa" if isinstance(self.key, PrivKeyECDSA) else "rsa"

    def scheme_for(self, offered: list[int], tls13: bool) -> int | None:
        """The first scheme we can sign with that the server offered, or None."""
        for scheme in SCHEMES[self.kind]:
            if scheme in offered and not (tls13 and scheme in TLS13_FORBIDDEN):
                return scheme
        return None


@cache
def _load_cert(path: str) -> Cert:
    return Cert(path)


@cache
def _load_key(path: str) -> PrivKey:
    """scapy cannot read PKCS#8 EC keys: hand it the traditional OpenSSL encoding."""
    key = serialization.load_pem_private_key(Path(path).read_bytes(), password=None)
    return PrivKey(key.private_bytes(serialization.Encoding.PEM,
                                     serialization.PrivateFormat.TraditionalOpenSSL,
                                     serialization.NoEncryption()))
