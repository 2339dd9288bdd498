"""Mint one X.509 certificate plus its fresh key.

Kept free of any cache or profile knowledge: the suite also calls it at run time to mint client
certificates from a CA certificate and key the user supplies.
"""

import ipaddress
from collections.abc import Sequence
from datetime import datetime
from typing import TypeAlias

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa
from cryptography.hazmat.primitives.asymmetric.types import CertificateIssuerPrivateKeyTypes
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID, ObjectIdentifier

PrivateKey: TypeAlias = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey
KEY_TYPES = ("ecdsa-p256", "rsa-2048", "rsa-1024")
_RSA_BITS = {"rsa-2048": 2048, "rsa-1024": 1024}  # rsa-1024 only to be rejected as too weak


def generate_key(key_type: str) -> PrivateKey:
    """Return a new private key of one of KEY_TYPES."""
    if key_type == "ecdsa-p256":
        return ec.generate_private_key(ec.SECP256R1())
    if key_type in _RSA_BITS:
        return rsa.generate_private_key(public_exponent=65537, key_size=_RSA_BITS[key_type])
    raise ValueError(f"unknown key type {key_type!r}, expected one of {', '.join(KEY_TYPES)}")


def mint_certificate(
    *,
    subject_cn: str,
    issuer_cert: x509.Certificate | None,
    issuer_key: CertificateIssuerPrivateKeyTypes | None,
    key_type: str = "ecdsa-p256",
    not_before: datetime,
    not_after: datetime,
    eku: Sequence[ObjectIdentifier] | None,
    san_dns: Sequence[str] = (),
    san_ip: Sequence[str] = (),
    is_ca: bool = False,
    allow_non_ca_issuer: bool = False,
) -> tuple[x509.Certificate, PrivateKey]:
    """Create a key of `key_type` and a certificate for it, signed by the issuer or by itself.

    `issuer_cert` and `issuer_key` go together; both None means self-signed. An empty or None
    `eku` leaves the ExtendedKeyUsage extension out (an empty one is invalid per RFC 5280).
    An issuer that is no CA is refused unless `allow_non_ca_issuer` asks for such a bad chain.
    """
    if (issuer_cert is None) != (issuer_key is None):
        raise ValueError("give issuer_cert and issuer_key together, or neither for self-signed")
    if issuer_cert is not None and not allow_non_ca_issuer and not _is_ca(issuer_cert):
        raise ValueError("issuer_cert is no CA (basicConstraints lacks CA:true)")
    if not_after <= not_before:
        raise ValueError("not_after must be later than not_before")

    key = generate_key(key_type)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject_cn)])
    if issuer_cert is None or issuer_key is None:
        issuer_name, signing_key = subject, key
        authority_key_id = x509.AuthorityKeyIdentifier.from_issuer_public_key(key.public_key())
    else:
        _require_matching_key(issuer_cert, issuer_key)
        issuer_name, signing_key = issuer_cert.subject, issuer_key
        authority_key_id = _authority_key_id(issuer_cert)

    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=is_ca, path_length=None), critical=True)
        .add_extension(_key_usage(key, is_ca=is_ca, eku=eku), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(authority_key_id, critical=False)
    )
    if eku:
        builder = builder.add_extension(x509.ExtendedKeyUsage(list(eku)), critical=False)
    names: list[x509.GeneralName] = [x509.DNSName(name) for name in san_dns]
    names += [x509.IPAddress(ipaddress.ip_address(address)) for address in san_ip]
    if names:
        builder = builder.add_extension(x509.SubjectAlternativeName(names), critical=False)
    return builder.sign(signing_key, _signature_hash(signing_key)), key


def _key_usage(
    key: PrivateKey, *, is_ca: bool, eku: Sequence[ObjectIdentifier] | None
) -> x509.KeyUsage:
    """CAs only sign certificates and CRLs; RSA servers may also need RSA key transport."""
    key_encipherment = (
        not is_ca
        and isinstance(key, rsa.RSAPrivateKey)
        and ExtendedKeyUsageOID.SERVER_AUTH in (eku or ())
    )
    return x509.KeyUsage(
        digital_signature=not is_ca,
        content_commitment=False,
        key_encipherment=key_encipherment,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=is_ca,
        crl_sign=is_ca,
        encipher_only=False,
        decipher_only=False,
    )


def _is_ca(cert: x509.Certificate) -> bool:
    """basicConstraints CA:true; a v1 certificate, which has no extensions, counts as a CA
    the way verifiers such as OpenSSL still accept legacy v1 roots."""
    try:
        return cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    except x509.ExtensionNotFound:
        return cert.version is x509.Version.v1


def _authority_key_id(issuer_cert: x509.Certificate) -> x509.AuthorityKeyIdentifier:
    """Copy the issuer's own key identifier so chain builders can match it byte for byte."""
    try:
        ski = issuer_cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    except x509.ExtensionNotFound:
        return x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_cert.public_key())
    return x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski)


def _require_matching_key(
    issuer_cert: x509.Certificate, issuer_key: CertificateIssuerPrivateKeyTypes
) -> None:
    """Fail early on a mismatched user-supplied CA pair instead of minting unverifiable certs."""
    der, spki = serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    cert_spki = issuer_cert.public_key().public_bytes(der, spki)
    if cert_spki != issuer_key.public_key().public_bytes(der, spki):
        raise ValueError("issuer_key does not belong to issuer_cert")


def _signature_hash(key: CertificateIssuerPrivateKeyTypes) -> hashes.SHA256 | None:
    """SHA-256 everywhere, except EdDSA keys (a user's CA may be one), which take no hash."""
    if isinstance(key, ed25519.Ed25519PrivateKey | ed448.Ed448PrivateKey):
        return None
    return hashes.SHA256()
