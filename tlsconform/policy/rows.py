"""Policy rows: one short conversation per candidate a profile rules on (a version, a
suite, a group, SHA-1 signatures, the certificate's key and lifetime, an extension), and
the judgement of what the target did against the profile.

A row offers exactly the candidate (only that suite, only that group) so that the server's
ServerHello says whether it accepts it; accepting what the profile forbids, or refusing what
it requires, fails the row with the rule and what the server did.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from cryptography.hazmat.primitives.asymmetric import ec, rsa

if TYPE_CHECKING:
    from cryptography import x509

from tlsconform.client.words import (
    ciphers,
    groups,
    key_shares,
    legacy_version,
    signature_algorithms,
)
from tlsconform.crypto.groups import GROUPS, group_name
from tlsconform.crypto.suites import SUITES, TLS12_SUITES, suite_name
from tlsconform.messages import extensions as ext
from tlsconform.mutation import Mutation
from tlsconform.policy.profile import VERSIONS, Profile
from tlsconform.verdict.outcome import Outcome, version_name

VERSION_CODES = {"tls10": 0x0301, "tls11": 0x0302, "tls12": 0x0303, "tls13": 0x0304}
SHA1_SCHEMES = (0x0201, 0x0203)  # rsa_pkcs1_sha1, ecdsa_sha1
RSA_SCHEMES = (0x0804, 0x0805, 0x0806, 0x0401, 0x0501, 0x0601)
ECDSA_SCHEMES = (0x0403, 0x0503, 0x0603)
Judge = Callable[[Outcome], tuple[str | None, str | None]]  # (problem, why it skips)


@dataclass(frozen=True)
class PolicyRow:
    """``version`` is the offer the probe starts from ("tls12"/"tls13"); ``judge`` returns
    the violation (None: compliant) or a reason the row cannot be judged here."""

    id: str
    rule: str
    version: str
    mutations: Sequence[Mutation]
    judge: Judge


def _server_group(outcome: Outcome) -> int | None:
    for message in outcome.messages:
        if message.name == "ServerHello":
            for code, body in message.extensions:
                if code == ext.KEY_SHARE and len(body) >= 2:
                    return int.from_bytes(body[:2], "big")
    return None


def _leaf(outcome: Outcome) -> x509.Certificate | None:
    if not outcome.server_certificates:
        return None
    try:
        from cryptography import x509  # when a policy row runs

        return x509.load_der_x509_certificate(outcome.server_certificates[0])
    except ValueError:
        return None


def _refuses(what: str, accepted: Callable[[Outcome], bool], title: str) -> Judge:
    def judge(outcome: Outcome) -> tuple[str | None, str | None]:
        if accepted(outcome):
            return f"{title} forbids {what}; the server accepted it: {outcome.describe()}", None
        return None, None
    return judge


def _accepts(what: str, accepted: Callable[[Outcome], bool], title: str) -> Judge:
    def judge(outcome: Outcome) -> tuple[str | None, str | None]:
        if not accepted(outcome):
            return f"{title} requires {what}; the server refused it: {outcome.describe()}", None
        return None, None
    return judge


def _probe_version(profile: Profile) -> str:
    allowed = profile.versions or VERSIONS
    return "tls13" if "tls13" in allowed else "tls12"


def version_rows(profile: Profile) -> list[PolicyRow]:
    if profile.versions is None:
        return []
    rows = []
    for name in VERSIONS:
        if name in profile.versions:
            continue
        code = VERSION_CODES[name]
        # Old versions meet old suites: offer CBC ones too, so a refusal is the version's.
        words: list[Mutation] = [] if name == "tls13" else [legacy_version(code), ciphers(
            *TLS12_SUITES, *(c for c, s in SUITES.items() if s.cipher.endswith("cbc")))]
        rows.append(PolicyRow(
            f"version-{name}", f"allowed versions: {', '.join(profile.versions)}",
            "tls13" if name == "tls13" else "tls12", words,
            _refuses(version_name(code), lambda o, c=code: o.version == c, profile.title)))
    return rows


def suite_rows(profile: Profile) -> list[PolicyRow]:
    rows = []
    allowed = profile.versions or VERSIONS
    for code, suite in sorted(SUITES.items()):
        why = profile.suite_rule(code)
        if why is None or ("tls13" if suite.tls13 else "tls12") not in allowed:
            continue  # a version the profile forbids is its own row
        version = "tls13" if suite.tls13 else "tls12"
        words: list[Mutation] = [ciphers(code)]
        if suite.kex == "dhe":
            words.append(groups("ffdhe2048", "x25519", "secp256r1"))
        rows.append(PolicyRow(
            f"suite-{code:#06x}", f"forbidden: {why}", version, words,
            _refuses(suite_name(code), lambda o, c=code: o.cipher == c, profile.title)))
    return rows


def group_rows(profile: Profile) -> list[PolicyRow]:
    """TLS 1.3 where the profile allows it (the key_share names the group the server
    chose); otherwise TLS 1.2 ECDHE, whose ServerKeyExchange must use the one offered."""
    version = _probe_version(profile)
    rows = []
    for code in sorted(GROUPS):
        info = GROUPS[code]
        if version == "tls12" and info.kind == "ff":
            continue  # TLS 1.2 FFDHE groups are judged by min_dh_bits
        forbidden = profile.groups is not None and code not in profile.groups
        required = code in profile.require_groups
        if not (forbidden or required):
            continue
        words: list[Mutation] = [groups(code)]
        if version == "tls13":
            words.append(key_shares(code))

            def accepted(o: Outcome, c: int = code) -> bool:
                return _server_group(o) == c
        else:
            def accepted(o: Outcome) -> bool:
                return o.cipher in SUITES and SUITES[o.cipher].kex == "ecdhe" and bool(
                    o.server_messages) and "ServerKeyExchange" in o.server_messages
        name = group_name(code)
        judge = (_refuses(f"the group {name}", accepted, profile.title) if forbidden
                 else _accepts(f"the group {name}", accepted, profile.title))
        rule = "allowed groups" if forbidden else "required groups"
        rows.append(PolicyRow(f"group-{info.name}", rule, version, words, judge))
    return rows


def signature_rows(profile: Profile) -> list[PolicyRow]:
    if "sha1_signatures" not in profile.forbid or "tls12" not in (profile.versions or VERSIONS):
        return []
    return [PolicyRow(
        "signature-sha1", "forbidden: SHA-1 signatures", "tls12",
        [signature_algorithms(*SHA1_SCHEMES)],
        _refuses("SHA-1 signatures", lambda o: o.server_signature_scheme in SHA1_SCHEMES,
                 profile.title))]


def _key_judge(profile: Profile, kind: str) -> Judge:
    def judge(outcome: Outcome) -> tuple[str | None, str | None]:
        leaf = _leaf(outcome)
        if leaf is None:
            return None, f"the server has no {kind.upper()} certificate for this offer " \
                         f"({outcome.describe()})"
        key = leaf.public_key()
        if isinstance(key, rsa.RSAPublicKey) and key.key_size < profile.min_rsa_bits:
            return (f"{profile.title} requires RSA keys of at least {profile.min_rsa_bits} "
                    f"bits; the server's certificate has {key.key_size}"), None
        if isinstance(key, ec.EllipticCurvePublicKey) and key.curve.key_size < \
                profile.min_ec_bits:
            return (f"{profile.title} requires EC keys of at least {profile.min_ec_bits} "
                    f"bits; the server's certificate is on {key.curve.name}"), None
        return None, None
    return judge


def certificate_rows(profile: Profile) -> list[PolicyRow]:
    version = _probe_version(profile)
    rows = []
    if profile.min_rsa_bits or profile.min_ec_bits:
        for kind, schemes in (("rsa", RSA_SCHEMES), ("ecdsa", ECDSA_SCHEMES)):
            rows.append(PolicyRow(f"certificate-{kind}-key", "minimum key sizes", version,
                                  [signature_algorithms(*schemes)], _key_judge(profile, kind)))
    if profile.min_days_left or profile.max_lifespan_days:
        def judge(outcome: Outcome) -> tuple[str | None, str | None]:
            leaf = _leaf(outcome)
            if leaf is None:
                return None, f"no certificate to judge ({outcome.describe()})"
            left = (leaf.not_valid_after_utc - datetime.now(UTC)).days
            span = (leaf.not_valid_after_utc - leaf.not_valid_before_utc).days
            if profile.min_days_left and left < profile.min_days_left:
                return (f"{profile.title} requires {profile.min_days_left} days left on the "
                        f"certificate; it has {left}"), None
            if profile.max_lifespan_days and span > profile.max_lifespan_days:
                return (f"{profile.title} allows certificates valid at most "
                        f"{profile.max_lifespan_days} days; the server's is valid {span}"), None
            return None, None
        rows.append(PolicyRow("certificate-validity", "certificate lifetime", version, [],
                              judge))
    return rows


def dh_rows(profile: Profile) -> list[PolicyRow]:
    dhe = [c for c, s in SUITES.items() if s.kex == "dhe" and profile.suite_rule(c) is None]
    if not profile.min_dh_bits or not dhe or "tls12" not in (profile.versions or VERSIONS):
        return []

    def judge(outcome: Outcome) -> tuple[str | None, str | None]:
        if outcome.dh_prime is None:
            return None, f"the server negotiates no DHE suite ({outcome.describe()})"
        bits = outcome.dh_prime.bit_length()
        if bits < profile.min_dh_bits:
            return (f"{profile.title} requires DH groups of at least {profile.min_dh_bits} "
                    f"bits; the server's ServerKeyExchange uses {bits}"), None
        return None, None
    return [PolicyRow("dh-size", "minimum key sizes", "tls12",
                      [ciphers(*dhe), groups("ffdhe2048", "x25519")], judge)]


def extension_rows(profile: Profile) -> list[PolicyRow]:
    codes = {"extended_master_secret": ext.EXTENDED_MASTER_SECRET,
             "secure_renegotiation": ext.RENEGOTIATION_INFO}
    rows = []
    for name in (n for n in profile.require if n in codes):
        def answered(o: Outcome, code: int = codes[name]) -> bool:
            return any(m.name == "ServerHello" and any(c == code for c, _ in m.extensions)
                       for m in o.messages)
        rows.append(PolicyRow(f"extension-{name}", "required extensions", "tls12", [],
                              _accepts(name, answered, profile.title)))
    return rows


def policy_rows(profile: Profile) -> list[PolicyRow]:
    return [*version_rows(profile), *suite_rows(profile), *group_rows(profile),
            *signature_rows(profile), *certificate_rows(profile), *dh_rows(profile),
            *extension_rows(profile)]
