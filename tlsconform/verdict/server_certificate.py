"""Checks on the certificate chain a server presented (RFC 8446 4.4.2, RFC 5280).

Each check returns None when the chain passes, or one sentence saying what is wrong,
so a verdict can quote it.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from cryptography.exceptions import InvalidSignature

if TYPE_CHECKING:
    from cryptography import x509
# cryptography.x509 is imported by the checks when they run: it costs about 40 ms, which
# collecting the rows need not pay.

@dataclass(frozen=True)
class ServerChain:
    """What the server sent and what the client knows, at the moment of checking."""

    chain: list[x509.Certificate]
    server_name: str | None
    trusted: list[x509.Certificate]
    now: datetime
    min_days_left: int = 0
    offered_schemes: tuple[int, ...] = ()
    scheme: int | None = None

    @classmethod
    def from_der(cls, ders: list[bytes], **rest: object) -> ServerChain:
        from cryptography import x509

        return cls(chain=[x509.load_der_x509_certificate(d) for d in ders], **rest)

    @property
    def leaf(self) -> x509.Certificate:
        return self.chain[0]


Check = Callable[[ServerChain], str | None]


def _name(cert: x509.Certificate) -> str:
    return cert.subject.rfc4514_string()


def _issued_by(cert: x509.Certificate, issuer: x509.Certificate) -> bool:
    if cert.issuer != issuer.subject:
        return False
    try:
        cert.verify_directly_issued_by(issuer)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


def chain_validates(ctx: ServerChain) -> str | None:
    """Every certificate is signed by the next one up, ending at a trusted CA."""
    cert = ctx.leaf
    pool = ctx.chain[1:]
    for _ in range(len(ctx.chain) + 1):
        if any(_issued_by(cert, anchor) or cert == anchor for anchor in ctx.trusted):
            return None
        if _issued_by(cert, cert):
            return f"the chain ends at {_name(cert)}, a root the client does not trust"
        issuer = next((c for c in pool if c != cert and _issued_by(cert, c)), None)
        if issuer is None:
            return f"no trusted CA issued {_name(cert)} (issuer {cert.issuer.rfc4514_string()})"
        cert = issuer
    return "the chain loops"


def within_validity(ctx: ServerChain) -> str | None:
    """RFC 5280 4.1.2.5: now lies between notBefore and notAfter, for every certificate."""
    for cert in ctx.chain:
        if ctx.now < cert.not_valid_before_utc:
            return f"{_name(cert)} is not valid before {cert.not_valid_before_utc:%Y-%m-%d}"
        if ctx.now > cert.not_valid_after_utc:
            return f"{_name(cert)} expired on {cert.not_valid_after_utc:%Y-%m-%d}"
    return None


def enough_days_left(ctx: ServerChain) -> str | None:
    left = (ctx.leaf.not_valid_after_utc - ctx.now).days
    if left < 0:
        return f"the leaf expired {-left} days ago"
    if left < ctx.min_days_left:
        return f"the leaf expires in {left} days, fewer than the {ctx.min_days_left} required"
    return None


def covers_server_name(ctx: ServerChain) -> str | None:
    """RFC 6125 6.4 / RFC 5280 4.2.1.6: a subjectAltName entry matches the name we asked for."""
    from cryptography import x509

    name = ctx.server_name
    if not name:
        return None
    try:
        sans = ctx.leaf.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return f"the leaf has no subjectAltName, so it cannot cover {name}"
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        address = None
    if address is not None:
        if address in sans.get_values_for_type(x509.IPAddress):
            return None
    elif any(_dns_match(pattern, name) for pattern in sans.get_values_for_type(x509.DNSName)):
        return None
    return f"the leaf's subjectAltName {_san_text(sans)} does not cover {name}"


def _dns_match(pattern: str, name: str) -> bool:
    pattern, name = pattern.lower().rstrip("."), name.lower().rstrip(".")
    if pattern.startswith("*."):
        head, _, rest = name.partition(".")
        return bool(head) and rest == pattern[2:]
    return pattern == name


def _san_text(sans: x509.SubjectAlternativeName) -> str:
    return "[" + ", ".join(str(v.value) for v in sans) + "]"


def serves_server_auth(ctx: ServerChain) -> str | None:
    """RFC 5280 4.2.1.12: if the leaf restricts its usage, serverAuth must be among them."""
    from cryptography import x509
    from cryptography.x509.oid import ExtendedKeyUsageOID

    try:
        usages = ctx.leaf.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    except x509.ExtensionNotFound:
        return None
    if ExtendedKeyUsageOID.SERVER_AUTH in usages or ExtendedKeyUsageOID.ANY_EXTENDED_KEY_USAGE \
            in usages:
        return None
    return "the leaf's extendedKeyUsage lacks serverAuth"


def leaf_first(ctx: ServerChain) -> str | None:
    """RFC 8446 4.4.2: the sender's certificate comes first, each next one certifies the one
    before it."""
    from cryptography import x509

    try:
        constraints = ctx.leaf.extensions.get_extension_for_class(x509.BasicConstraints).value
        if constraints.ca:
            return f"the first certificate ({_name(ctx.leaf)}) is a CA certificate"
    except x509.ExtensionNotFound:
        pass
    for lower, upper in zip(ctx.chain, ctx.chain[1:], strict=False):
        if not _issued_by(lower, upper):
            return f"{_name(upper)} does not certify {_name(lower)}, which precedes it"
    return None


def scheme_was_offered(ctx: ServerChain) -> str | None:
    """RFC 8446 4.4.3 / RFC 5246 7.4.1.4.1: the server signs with a scheme the client offered."""
    if ctx.scheme is None:
        return "the server sent no signature"
    if ctx.scheme not in ctx.offered_schemes:
        return f"the server signed with scheme 0x{ctx.scheme:04x}, which the client did not offer"
    return None
