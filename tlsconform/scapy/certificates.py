"""Received certificates read by ``cryptography`` instead of scapy's pure-Python X.509 parser.

scapy builds a full ``Cert`` (an ASN.1 tree of every field and extension) for each
certificate in every Certificate message it dissects: about 60% of a handshake's time. The
TLS code downstream only needs the DER bytes (to re-serialise) and the public key (to check
the ServerKeyExchange / CertificateVerify signature, or to encrypt an RSA premaster secret).
``DerCert`` provides those at once from ``cryptography`` and builds scapy's full view only if
something asks for another attribute, so ``tlsSession.server_certs[0]`` still behaves as a
scapy ``Cert`` (``subject_str``, ``tbsCertificate``, ``isIssuer`` ... all work) and the
signature checks run scapy's own ``verify`` code on the same public key.

Certificates we send are untouched: ``Cert(path)`` still parses with scapy and serialises
as before. DER that ``cryptography`` refuses is handed to scapy, so a certificate is refused
exactly when scapy refuses it, unless scapy's parser is stricter than ``cryptography``'s: such
a certificate now parses, and only reading one of its X.509 fields raises.
"""

from __future__ import annotations

import struct
from functools import cached_property
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from scapy.layers.tls import handshake
from scapy.layers.tls.cert import Cert, PubKey, PubKeyECDSA, PubKeyEdDSA, PubKeyRSA
from scapy.layers.x509 import X509_Cert

# Attributes of DerCert itself; anything else missing means "build scapy's full view".
_OWN = frozenset({"_der", "_full_view_built", "frmt", "marker"})


class DerCert(Cert):
    """A scapy ``Cert`` whose X.509 fields are parsed by scapy only when first read.

    A subclass, so scapy's ``isinstance(x, Cert)`` checks (serialisation of the Certificate
    message, CertList) keep treating it as a certificate.
    """

    _der: bytes

    @classmethod
    def from_der(cls, der: bytes) -> Cert:
        """Like scapy's ``Cert(der)``; DER that ``cryptography`` refuses goes to scapy, which
        then accepts or rejects it exactly as before."""
        try:
            public_key = x509.load_der_x509_certificate(der).public_key()
            pubkey = scapy_public_key(public_key)
        except Exception:
            return Cert(der)
        cert = object.__new__(cls)  # skip scapy's metaclass, which would parse the DER
        cert._der, cert.frmt, cert.marker = der, "DER", "CERTIFICATE"
        cert._full_view_built = False
        cert.__dict__["pubkey"] = pubkey
        return cert

    @cached_property
    def x509Cert(self) -> X509_Cert:  # scapy's attribute name
        parsed = X509_Cert(self._der)
        parsed.remove_payload()
        return parsed

    @property
    def der(self) -> bytes:
        # Someone may have edited the parsed view (scapy allows it): then serialise that.
        if "x509Cert" in self.__dict__:
            return bytes(self.__dict__["x509Cert"])
        return self._der

    def __getattr__(self, name: str) -> Any:
        """Serial, subject, validity, extensions ...: filled in by scapy's own importer."""
        if name.startswith("__") or name in _OWN or self.__dict__.get("_full_view_built", True):
            raise AttributeError(name)
        self._full_view_built = True
        pubkey = self.__dict__["pubkey"]
        self.import_from_asn1pkt(self.x509Cert)
        self.pubkey = pubkey  # same key; keep the object signatures were checked with
        return getattr(self, name)


def scapy_public_key(key: Any) -> PubKey:
    """scapy's PubKey wrapper around a ``cryptography`` public key, without ASN.1 parsing."""
    if isinstance(key, rsa.RSAPublicKey):
        pubkey = PubKeyRSA(cryptography_obj=key)
        numbers = key.public_numbers()
        # What scapy's RSA import sets for its legacy MD5-SHA1 (TLS 1.0/1.1) verification.
        pubkey._modulus, pubkey._pubExp = numbers.n, numbers.e
        pubkey._modulusLen = numbers.n.bit_length()
    elif isinstance(key, ec.EllipticCurvePublicKey):
        pubkey = PubKeyECDSA(cryptography_obj=key)
    elif isinstance(key, ed25519.Ed25519PublicKey | ed448.Ed448PublicKey):
        pubkey = PubKeyEdDSA(cryptography_obj=key)
    else:  # DSA, ML-DSA ...: rare here; scapy's importer decides as before
        return PubKey(key.public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo))
    pubkey.frmt = "DER"
    return pubkey


def _cert_list_getfield(self: Any, pkt: Any, s: bytes) -> tuple[bytes, list[tuple[int, Cert]]]:
    """``_ASN1CertListField.getfield`` (TLS 1.2 Certificate) with ``DerCert.from_der``."""
    length = self.length_from(pkt) if self.length_from is not None else None
    body, rest = (s[:length], s[length:]) if length is not None else (s, b"")
    certs = []
    while body:
        cert_len = struct.unpack("!I", b"\x00" + body[:3])[0]
        certs.append((cert_len, DerCert.from_der(body[3:3 + cert_len])))
        body = body[3 + cert_len:]
    return body + rest, certs


def _cert_getfield(self: Any, pkt: Any, s: bytes) -> tuple[bytes, tuple[int, Cert]]:
    """``_ASN1CertField.getfield`` (one TLS 1.3 CertificateEntry) with ``DerCert.from_der``."""
    length = self.length_from(pkt) if self.length_from is not None else None
    body, rest = (s[:length], s[length:]) if length is not None else (s, b"")
    cert_len = struct.unpack("!I", b"\x00" + body[:3])[0]
    cert = (cert_len, DerCert.from_der(body[3:3 + cert_len]))
    return body[3 + cert_len:] + rest, cert


def install() -> None:
    """Dissect Certificate messages (TLS 1.2 and 1.3) into ``DerCert`` objects."""
    handshake._ASN1CertListField.getfield = _cert_list_getfield
    handshake._ASN1CertField.getfield = _cert_getfield
