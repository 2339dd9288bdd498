"""A peer certificate's public key, read by ``cryptography`` once per certificate."""

from __future__ import annotations

from functools import lru_cache

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives.asymmetric.types import PublicKeyTypes


class CertificateError(ValueError):
    """The DER does not parse as an X.509 certificate with a usable key."""


@lru_cache(maxsize=256)
def public_key(der: bytes) -> PublicKeyTypes:
    from cryptography import x509  # imported on first use: collecting rows needs none

    try:
        return x509.load_der_x509_certificate(der).public_key()
    except (ValueError, TypeError, UnsupportedAlgorithm) as exc:  # e.g. an unknown key OID
        raise CertificateError(f"the certificate does not parse: {exc}") from exc
