"""Rules every ClientHello a client sends must obey, checked passively: the conversation
goes on as a correct server's would, and the row judges what the client offered.

Each rule is a function of one decoded ClientHello that returns what is wrong, or None;
``NotApplicable`` says the rule does not bind this client (it does not offer TLS 1.2),
and the row then skips saying so.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable

from tlsconform.crypto.groups import group_name
from tlsconform.crypto.suites import is_grease, suite_name
from tlsconform.crypto.weak_suites import ANONYMOUS, EXPORT_OR_DES, NULL_ENCRYPTION, RC4
from tlsconform.messages import extensions as ext
from tlsconform.messages.client_decoding import ClientHello, client_hello
from tlsconform.messages.codec import DecodeError, Reader
from tlsconform.verdict.expect import Expectation, Grade, Verdict
from tlsconform.verdict.outcome import Outcome, version_name
from tlsconform.wire.events import Malformed

TLS12, TLS13 = 0x0303, 0x0304
Rule = Callable[[ClientHello], str | None]


class NotApplicable(Exception):
    """The rule does not bind this client; the text says why."""


class HelloObeys(Expectation):
    """Every ClientHello the client sent obeys ``rule`` (whatever happened after)."""

    def __init__(self, text: str, rule: Rule) -> None:
        self.text = f"every ClientHello: {text}"
        self.rule = rule

    def judge(self, outcome: Outcome) -> Verdict:
        if isinstance(outcome.event, Malformed) and outcome.event.name == "ClientHello":
            return Verdict(Grade.fail, self.text, outcome.describe(),
                           "the ClientHello does not decode")
        if not outcome.hellos:
            return Verdict(Grade.fail, self.text, outcome.describe(),
                           "the client sent no ClientHello")
        for n, raw in enumerate(outcome.hellos, 1):
            which = "ClientHello" if len(outcome.hellos) == 1 else f"ClientHello {n}"
            try:
                problem = self.rule(client_hello(raw[4:]))
            except DecodeError as exc:
                problem = f"does not decode: {exc}"
            except NotApplicable as exc:
                outcome.unmet = str(exc)  # the row skips, saying so
                return Verdict(Grade.strict, self.text, f"not applicable: {exc}")
            if problem:
                outcome.finding = f"{which} {problem}"  # what a deviation records
                return Verdict(Grade.fail, self.text, outcome.finding)
        count = "the ClientHello" if len(outcome.hellos) == 1 \
            else f"all {len(outcome.hellos)} ClientHellos"
        return Verdict(Grade.strict, self.text, f"{count} obeyed it")


def hello_obeys(text: str, rule: Rule) -> Expectation:
    return HelloObeys(text, rule)


# -- the rules ------------------------------------------------------------------------
def offers_tls13(hello: ClientHello) -> bool:
    return TLS13 in hello.versions


def offers_tls12(hello: ClientHello) -> bool:
    versions = hello.versions
    return TLS12 in versions if versions else hello.legacy_version >= TLS12


def no_duplicate_extensions(hello: ClientHello) -> str | None:
    dups = ext.duplicates(hello.extensions)
    return f"carries {', '.join(ext.extension_name(d) for d in dups)} more than once" \
        if dups else None


def legacy_version_with_supported_versions(hello: ClientHello) -> str | None:
    if not offers_tls13(hello):
        raise NotApplicable("the client does not offer TLS 1.3")
    if hello.legacy_version != TLS12:
        return (f"offers TLS 1.3 with legacy_version {version_name(hello.legacy_version)} "
                "(0x%04x), not 0x0303" % hello.legacy_version)
    return None


def grease_well_formed(hello: ClientHello) -> str | None:
    """Values of the GREASE pattern are the 16 reserved ones, and a GREASE key share is
    for a group the client lists."""
    looks = [("cipher suite", c) for c in hello.ciphers]
    looks += [("extension", t) for t, _ in hello.extensions]
    looks += [("group", g) for g in hello.groups]
    looks += [("signature scheme", s) for s in hello.schemes]
    looks += [("version", v) for v in hello.versions]
    for what, value in looks:
        if value & 0x0F0F == 0x0A0A and not is_grease(value):
            return f"offers {what} 0x{value:04x}, of GREASE's form but not a GREASE value"
    groups = hello.groups
    for group, _ in hello.key_shares:
        if is_grease(group) and group not in groups:
            return f"sends a key share for GREASE group 0x{group:04x} it does not list"
    return None


def secure_renegotiation_signal(hello: ClientHello) -> str | None:
    if not offers_tls12(hello):
        raise NotApplicable("the client does not offer TLS 1.2")
    if 0x00FF in hello.ciphers or hello.ext(ext.RENEGOTIATION_INFO) is not None:
        return None
    return ("offers TLS 1.2 without renegotiation_info or "
            "TLS_EMPTY_RENEGOTIATION_INFO_SCSV")


def _suites_in(hello: ClientHello, codes: frozenset[int], what: str) -> str | None:
    offered = [c for c in hello.ciphers if c in codes]
    if not offered:
        return None
    return f"offers {what}: {', '.join(suite_name(c) for c in offered)}"


def no_null_suites(hello: ClientHello) -> str | None:
    return _suites_in(hello, NULL_ENCRYPTION, "NULL-encryption suites")


def no_rc4_suites(hello: ClientHello) -> str | None:
    return _suites_in(hello, RC4, "RC4 suites")


def no_export_suites(hello: ClientHello) -> str | None:
    return _suites_in(hello, EXPORT_OR_DES, "export-grade or single-DES suites")


def no_anonymous_suites(hello: ClientHello) -> str | None:
    return _suites_in(hello, ANONYMOUS, "anonymous (unauthenticated) suites")


def session_id_length(hello: ClientHello) -> str | None:
    # the decoder refuses a longer one, which HelloObeys reports as undecodable
    return None if len(hello.session_id) <= 32 else \
        f"has a legacy_session_id of {len(hello.session_id)} bytes"


def key_shares_for_offered_groups(hello: ClientHello) -> str | None:
    if not offers_tls13(hello):
        raise NotApplicable("the client does not offer TLS 1.3")
    groups = hello.groups
    shares = [g for g, _ in hello.key_shares]
    stray = [g for g in shares if g not in groups]
    if stray:
        return (f"sends key shares for {', '.join(group_name(g) for g in stray)}, not in its "
                "supported_groups")
    return None


def key_shares_once_in_order(hello: ClientHello) -> str | None:
    if not offers_tls13(hello):
        raise NotApplicable("the client does not offer TLS 1.3")
    shares = [g for g, _ in hello.key_shares]
    if len(set(shares)) != len(shares):
        return f"sends more than one key share for a group: {[group_name(g) for g in shares]}"
    order = [g for g in hello.groups if g in shares]
    if order != shares:
        return (f"sends key shares in the order {[group_name(g) for g in shares]}, not "
                f"that of supported_groups {[group_name(g) for g in order]}")
    return None


def tls13_compression_null(hello: ClientHello) -> str | None:
    if not offers_tls13(hello):
        raise NotApplicable("the client does not offer TLS 1.3")
    if hello.compression != b"\x00":
        return f"offers TLS 1.3 with compression methods {list(hello.compression)}, not [0]"
    return None


def tls13_mandatory_extensions(hello: ClientHello) -> str | None:
    """RFC 8446 9.2: without a PSK, signature_algorithms and supported_groups; with
    key_share, supported_groups."""
    if not offers_tls13(hello):
        raise NotApplicable("the client does not offer TLS 1.3")
    missing = []
    if hello.ext(ext.PRE_SHARED_KEY) is None:
        missing += [ext.extension_name(t) for t in (ext.SIGNATURE_ALGORITHMS,
                                                    ext.SUPPORTED_GROUPS)
                    if hello.ext(t) is None]
    if hello.ext(ext.KEY_SHARE) is not None and hello.ext(ext.SUPPORTED_GROUPS) is None \
            and ext.extension_name(ext.SUPPORTED_GROUPS) not in missing:
        missing.append(ext.extension_name(ext.SUPPORTED_GROUPS))
    return f"offers TLS 1.3 without {', '.join(missing)}" if missing else None


def no_obsolete_versions(hello: ClientHello) -> str | None:
    """RFC 8996: no TLS 1.0 or 1.1, in legacy_version or supported_versions."""
    if hello.legacy_version < TLS12 and not hello.versions:
        return f"has legacy_version {version_name(hello.legacy_version)}"
    old = [v for v in hello.versions if not is_grease(v) and v < TLS12]
    if old:
        return f"offers {', '.join(version_name(v) for v in old)} in supported_versions"
    return None


def sni_is_a_host_name(hello: ClientHello) -> str | None:
    """RFC 6066 3: a HostName is ASCII, without a trailing dot, and not an IP literal."""
    body = hello.ext(ext.SERVER_NAME)
    if body is None:
        raise NotApplicable("the client sends no server_name")
    r = Reader(body)
    names = Reader(r.vec16("server_name_list", minimum=1))
    r.done("server_name")
    while names.left:
        kind = names.u8("name_type")
        name = names.vec16("HostName", minimum=1)
        if kind != 0:
            continue
        try:
            text = name.decode("ascii")
        except UnicodeDecodeError:
            return f"sends a HostName that is not ASCII: {name!r}"
        if text.endswith("."):
            return f"sends HostName {text!r} with a trailing dot"
        try:
            ipaddress.ip_address(text)
        except ValueError:
            continue
        return f"sends the IP literal {text!r} as a HostName"
    return None


def ec_point_formats_uncompressed(hello: ClientHello) -> str | None:
    body = hello.ext(ext.EC_POINT_FORMATS)
    if body is None:
        raise NotApplicable("the client sends no ec_point_formats")
    r = Reader(body)
    formats = r.vec8("ec_point_format_list", minimum=1)
    r.done("ec_point_formats")
    return None if 0 in formats else \
        f"sends ec_point_formats {list(formats)} without uncompressed(0)"


def offers_extended_master_secret(hello: ClientHello) -> str | None:
    if not offers_tls12(hello):
        raise NotApplicable("the client does not offer TLS 1.2")
    return None if hello.ext(ext.EXTENDED_MASTER_SECRET) is not None else \
        "offers TLS 1.2 without extended_master_secret"
