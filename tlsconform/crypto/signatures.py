"""Signature schemes (RFC 8446 4.2.3, RFC 5246 7.4.1.4.1): sign and verify with
``cryptography``, and the content TLS 1.3 signs in CertificateVerify (RFC 8446 4.4.3)."""

from __future__ import annotations

from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, padding, rsa
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes, PublicKeyTypes

HASHES = {"md5": hashes.MD5, "sha1": hashes.SHA1, "sha224": hashes.SHA224,
          "sha256": hashes.SHA256, "sha384": hashes.SHA384, "sha512": hashes.SHA512}


@dataclass(frozen=True)
class Scheme:
    code: int
    name: str
    kind: str  # "pkcs1", "pss_rsae", "pss_pss", "ecdsa", "eddsa"
    hash: str | None
    curve: str | None = None  # the curve TLS 1.3 binds an ECDSA scheme to

    @property
    def tls13_allowed(self) -> bool:
        """RFC 8446 4.4.3: no PKCS#1 v1.5 and no SHA-1 / SHA-224 in CertificateVerify."""
        return self.kind != "pkcs1" and self.hash not in ("sha1", "sha224")


SCHEME_LIST = [
    Scheme(0x0201, "rsa_pkcs1_sha1", "pkcs1", "sha1"),
    Scheme(0x0301, "rsa_pkcs1_sha224", "pkcs1", "sha224"),
    Scheme(0x0401, "rsa_pkcs1_sha256", "pkcs1", "sha256"),
    Scheme(0x0501, "rsa_pkcs1_sha384", "pkcs1", "sha384"),
    Scheme(0x0601, "rsa_pkcs1_sha512", "pkcs1", "sha512"),
    Scheme(0x0203, "ecdsa_sha1", "ecdsa", "sha1"),
    Scheme(0x0303, "ecdsa_sha224", "ecdsa", "sha224"),
    Scheme(0x0403, "ecdsa_secp256r1_sha256", "ecdsa", "sha256", "secp256r1"),
    Scheme(0x0503, "ecdsa_secp384r1_sha384", "ecdsa", "sha384", "secp384r1"),
    Scheme(0x0603, "ecdsa_secp521r1_sha512", "ecdsa", "sha512", "secp521r1"),
    Scheme(0x0804, "rsa_pss_rsae_sha256", "pss_rsae", "sha256"),
    Scheme(0x0805, "rsa_pss_rsae_sha384", "pss_rsae", "sha384"),
    Scheme(0x0806, "rsa_pss_rsae_sha512", "pss_rsae", "sha512"),
    Scheme(0x0807, "ed25519", "eddsa", None),
    Scheme(0x0808, "ed448", "eddsa", None),
    Scheme(0x0809, "rsa_pss_pss_sha256", "pss_pss", "sha256"),
    Scheme(0x080A, "rsa_pss_pss_sha384", "pss_pss", "sha384"),
    Scheme(0x080B, "rsa_pss_pss_sha512", "pss_pss", "sha512"),
]
SCHEMES = {s.code: s for s in SCHEME_LIST}

TLS13_CONTEXT = {"server": b"TLS 1.3, server CertificateVerify",
                 "client": b"TLS 1.3, client CertificateVerify"}


def scheme_name(code: int) -> str:
    scheme = SCHEMES.get(code)
    return f"{scheme.name}(0x{code:04x})" if scheme else f"0x{code:04x}"


def tls13_signed_content(side: str, transcript_hash: bytes) -> bytes:
    """RFC 8446 4.4.3: 64 spaces, the context string, a zero byte, the transcript hash."""
    return b" " * 64 + TLS13_CONTEXT[side] + b"\x00" + transcript_hash


def key_suits(scheme: Scheme, key: PublicKeyTypes | PrivateKeyTypes) -> str | None:
    """Why ``key`` cannot produce or check ``scheme`` signatures, or None when it can."""
    if scheme.kind in ("pkcs1", "pss_rsae", "pss_pss"):
        ok = isinstance(key, rsa.RSAPublicKey | rsa.RSAPrivateKey)
    elif scheme.kind == "ecdsa":
        ok = isinstance(key, ec.EllipticCurvePublicKey | ec.EllipticCurvePrivateKey)
    elif scheme.code == 0x0807:
        ok = isinstance(key, ed25519.Ed25519PublicKey | ed25519.Ed25519PrivateKey)
    else:
        ok = isinstance(key, ed448.Ed448PublicKey | ed448.Ed448PrivateKey)
    return None if ok else f"{scheme.name} does not suit a {type(key).__name__}"


def _padding(scheme: Scheme) -> padding.AsymmetricPadding:
    if scheme.kind == "pkcs1":
        return padding.PKCS1v15()
    return padding.PSS(mgf=padding.MGF1(HASHES[scheme.hash]()),
                       salt_length=HASHES[scheme.hash].digest_size)


def sign(code: int, key: PrivateKeyTypes, content: bytes) -> bytes:
    scheme = SCHEMES[code]
    problem = key_suits(scheme, key)
    if problem:
        raise ValueError(problem)
    if scheme.kind == "eddsa":
        return key.sign(content)  # type: ignore[union-attr,call-arg]
    if scheme.kind == "ecdsa":
        return key.sign(content, ec.ECDSA(HASHES[scheme.hash]()))  # type: ignore[union-attr,call-arg]
    return key.sign(content, _padding(scheme), HASHES[scheme.hash]())  # type: ignore[union-attr,call-arg]


def verify(code: int, key: PublicKeyTypes, signature: bytes, content: bytes) -> str | None:
    """None when ``signature`` over ``content`` verifies, else why it does not."""
    scheme = SCHEMES.get(code)
    if scheme is None:
        return f"unknown signature scheme 0x{code:04x}"
    problem = key_suits(scheme, key)
    if problem:
        return problem
    try:
        if scheme.kind == "eddsa":
            key.verify(signature, content)  # type: ignore[union-attr,call-arg]
        elif scheme.kind == "ecdsa":
            key.verify(signature, content, ec.ECDSA(HASHES[scheme.hash]()))  # type: ignore[union-attr,call-arg]
        else:
            key.verify(signature, content, _padding(scheme), HASHES[scheme.hash]())  # type: ignore[union-attr,call-arg]
    except InvalidSignature:
        return f"the {scheme.name} signature does not verify"
    except (ValueError, TypeError, UnsupportedAlgorithm) as exc:
        return f"the {scheme.name} signature cannot be checked: {exc}"
    return None

