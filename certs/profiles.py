"""The test PKI as a declarative table: one Profile per certificate the suite relies on.

Bump PROFILE_VERSION whenever a profile changes, so cached PKIs built from the old table are
regenerated instead of silently reused.
"""

from dataclasses import dataclass, replace
from typing import Literal

from cryptography.x509.oid import ExtendedKeyUsageOID, ObjectIdentifier

PROFILE_VERSION = 2

State = Literal["expired", "valid", "not-yet-valid"]

SERVER_AUTH = ExtendedKeyUsageOID.SERVER_AUTH
CLIENT_AUTH = ExtendedKeyUsageOID.CLIENT_AUTH


@dataclass(frozen=True)
class Profile:
    """One certificate; validity is in days relative to the moment the PKI is built."""

    name: str
    subject_cn: str
    issuer: str | None  # profile name of the issuing CA; None means self-signed
    key_type: str
    not_before_days: int
    not_after_days: int
    eku: tuple[ObjectIdentifier, ...] | None = None
    san_dns: tuple[str, ...] = ()
    san_ip: tuple[str, ...] = ()
    is_ca: bool = False
    # Only for profiles meant to be mis-issued: let minting sign with an issuer that is no CA.
    issuer_may_be_non_ca: bool = False

    @property
    def intended_state(self) -> State:
        """What a verifier should conclude about this certificate's dates right after building."""
        if self.not_after_days <= 0:
            return "expired"
        if self.not_before_days > 0:
            return "not-yet-valid"
        return "valid"


# CAs reach back a year so the expired leaves still fall inside their issuer's validity:
# the only thing wrong with `server-expired` should be its own dates.
_ROOT_CA = Profile("root-ca", "tlsconform Test Root CA", None, "rsa-2048", -365, 3650, is_ca=True)
_SERVER_RSA = Profile(
    "server-rsa",
    "tlsconform server",  # deliberately not a host name, so CN fallback can never match
    "root-ca",
    "rsa-2048",
    -1,
    365,
    eku=(SERVER_AUTH,),
    san_dns=("localhost",),
    san_ip=("127.0.0.1", "::1"),
)
_INTERMEDIATE_CA = replace(
    _ROOT_CA, name="intermediate-ca", subject_cn="tlsconform Intermediate CA", issuer="root-ca"
)
_CLIENT_VALID = Profile(
    "client-valid", "tlsconform client", "client-ca", "ecdsa-p256", -1, 365, eku=(CLIENT_AUTH,)
)

# Issuers come before the certificates they sign, so the table can be built top to bottom.
PROFILES: tuple[Profile, ...] = (
    _ROOT_CA,
    replace(_ROOT_CA, name="untrusted-ca", subject_cn="tlsconform Untrusted CA"),
    replace(_ROOT_CA, name="client-ca", subject_cn="tlsconform Client CA"),
    _SERVER_RSA,
    replace(_SERVER_RSA, name="server-ecdsa", key_type="ecdsa-p256"),
    replace(_SERVER_RSA, name="server-expired", not_before_days=-60, not_after_days=-30),
    replace(_SERVER_RSA, name="server-untrusted", issuer="untrusted-ca"),
    replace(_SERVER_RSA, name="server-wrong-name", san_dns=("wrong.example.invalid",), san_ip=()),
    # For testing TLS clients: server certificates a correct client must reject, each for one
    # reason only. RSA-1024 is 80-bit security: OpenSSL refuses it from security level 2 (the
    # default since OpenSSL 3.2 and in Debian's, Fedora's configuration) but accepts it at 1.
    replace(_SERVER_RSA, name="server-not-yet-valid", not_before_days=30, not_after_days=395),
    replace(_SERVER_RSA, name="server-no-serverauth", eku=(CLIENT_AUTH,)),
    replace(_SERVER_RSA, name="server-self-signed", issuer=None),
    replace(_SERVER_RSA, name="server-weak-key", key_type="rsa-1024"),
    # A good leaf one intermediate below the root: its chain file carries the intermediate.
    _INTERMEDIATE_CA,
    replace(_SERVER_RSA, name="server-via-intermediate", issuer="intermediate-ca"),
    # A would-be intermediate that is no CA (CA:false, no keyCertSign), and a leaf it signed.
    replace(
        _INTERMEDIATE_CA,
        name="intermediate-not-ca",
        subject_cn="tlsconform Intermediate Not A CA",
        is_ca=False,
    ),
    replace(
        _SERVER_RSA,
        name="server-bad-intermediate",
        issuer="intermediate-not-ca",
        issuer_may_be_non_ca=True,
    ),
    _CLIENT_VALID,
    replace(_CLIENT_VALID, name="client-valid-rsa", key_type="rsa-2048"),
    replace(_CLIENT_VALID, name="client-expired", not_before_days=-60, not_after_days=-30),
    replace(_CLIENT_VALID, name="client-not-yet-valid", not_before_days=30, not_after_days=395),
    replace(_CLIENT_VALID, name="client-self-signed", issuer=None),
    replace(_CLIENT_VALID, name="client-untrusted", issuer="untrusted-ca"),
    replace(_CLIENT_VALID, name="client-no-clientauth", eku=(SERVER_AUTH,)),
)

PROFILES_BY_NAME: dict[str, Profile] = {profile.name: profile for profile in PROFILES}
CERT_NAMES: tuple[str, ...] = tuple(PROFILES_BY_NAME)
