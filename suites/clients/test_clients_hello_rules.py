"""Rules every ClientHello the client sends must obey, checked passively while a correct
server completes the handshake (RFC 8446 4.1.2, 4.2, 4.2.8, 9.2; RFC 5246 7.4.1.2, A.5;
RFC 5746 3.4; RFC 8701 2, 3.1; RFC 9325 4.1; RFC 8996 5; RFC 6066 3; RFC 8422 5.1.2;
RFC 7627 5.1)."""

from tlsconform.scenario import cases
from tlsconform.server.scenario import ClientCase
from tlsconform.verdict import client_hello_checks as rules
from tlsconform.verdict.client_hello_checks import hello_obeys
from tlsconform.verdict.levels import Level

TOPIC = ("hello_rules",)


def rule(name: str, version: str, rfc: tuple[str, str], text: str, check: rules.Rule,
         sentence: str, level: Level = Level.MUST) -> ClientCase:
    """A passive row: ``version`` says which version's rule it is; the conversation plays
    whichever version the client offers."""
    return ClientCase(id=f"{version}-hello-{name}", version=version, rfc=rfc, topics=TOPIC,
                      requirement=f"every ClientHello: {text}", sentence=sentence,
                      level=level, negotiate="any", expect=hello_obeys(text, check))


ROWS = [
    rule("no-duplicate-extensions", "tls13", ("8446", "4.2"), "no extension type twice",
         rules.no_duplicate_extensions,
         "There MUST NOT be more than one extension of the same type in a given extension "
         "block."),
    rule("legacy-version-0303", "tls13", ("8446", "4.1.2"),
         "legacy_version 0x0303 when it offers TLS 1.3 in supported_versions",
         rules.legacy_version_with_supported_versions,
         "In TLS 1.3, the client indicates its version preferences in the "
         "\"supported_versions\" extension (Section 4.2.1) and the legacy_version field MUST "
         "be set to 0x0303, which is the version number for TLS 1.2."),
    rule("grease-well-formed", "tls13", ("8701", "3.1"),
         "GREASE values only of the sixteen reserved ones, a GREASE key share only for a "
         "group it lists", rules.grease_well_formed,
         "A client MAY select one or more GREASE named group values and advertise them in "
         "the \"supported_groups\" extension, if sent. It MAY also send KeyShareEntry values "
         "for a subset of those selected in the \"key_share\" extension."),
    rule("secure-renegotiation-signal", "tls12", ("5746", "3.4"),
         "renegotiation_info or TLS_EMPTY_RENEGOTIATION_INFO_SCSV when it offers TLS 1.2",
         rules.secure_renegotiation_signal,
         "The client MUST include either an empty \"renegotiation_info\" extension, or the "
         "TLS_EMPTY_RENEGOTIATION_INFO_SCSV signaling cipher suite value in the ClientHello."),
    rule("no-null-suites", "tls12", ("9325", "4.1"), "no NULL-encryption suite",
         rules.no_null_suites,
         "Implementations MUST NOT negotiate the cipher suites with NULL encryption."),
    rule("no-rc4-suites", "tls12", ("9325", "4.1"), "no RC4 suite", rules.no_rc4_suites,
         "Implementations MUST NOT negotiate RC4 cipher suites."),
    rule("no-export-suites", "tls12", ("9325", "4.1"),
         "no export-grade or single-DES suite", rules.no_export_suites,
         "Implementations MUST NOT negotiate cipher suites offering less than 112 bits of "
         "security, including so-called \"export-level\" encryption (which provide 40 or 56 "
         "bits of security)."),
    rule("no-anonymous-suites", "tls12", ("5246", "A.5"), "no anonymous (DH_anon, ECDH_anon) "
         "suite", rules.no_anonymous_suites,
         "These cipher suites MUST NOT be used by TLS 1.2 implementations unless the "
         "application layer has specifically requested to allow anonymous key exchange."),
    rule("session-id-at-most-32-bytes", "tls13", ("8446", "4.1.2"),
         "a legacy_session_id of at most 32 bytes", rules.session_id_length,
         "opaque legacy_session_id<0..32>;"),
    rule("key-shares-for-offered-groups", "tls13", ("8446", "4.2.8"),
         "key shares only for groups in supported_groups", rules.key_shares_for_offered_groups,
         "Clients MUST NOT offer any KeyShareEntry values for groups not listed in the "
         "client's \"supported_groups\" extension."),
    rule("key-shares-once-in-order", "tls13", ("8446", "4.2.8"),
         "at most one key share per group, in supported_groups' order",
         rules.key_shares_once_in_order,
         "Each KeyShareEntry value MUST correspond to a group offered in the "
         "\"supported_groups\" extension and MUST appear in the same order. ... Clients MUST "
         "NOT offer multiple KeyShareEntry values for the same group."),
    rule("compression-null-only", "tls13", ("8446", "4.1.2"),
         "exactly the null compression method when it offers TLS 1.3",
         rules.tls13_compression_null,
         "For every TLS 1.3 ClientHello, this vector MUST contain exactly one byte, set to "
         "zero, which corresponds to the \"null\" compression method in prior versions of "
         "TLS."),
    rule("mandatory-extensions", "tls13", ("8446", "9.2"),
         "signature_algorithms and supported_groups when it offers TLS 1.3 without a PSK",
         rules.tls13_mandatory_extensions,
         "If not containing a \"pre_shared_key\" extension, it MUST contain both a "
         "\"signature_algorithms\" extension and a \"supported_groups\" extension. If "
         "containing a \"key_share\" extension, it MUST also contain a \"supported_groups\" "
         "extension."),
    rule("no-tls10-or-tls11", "tls12", ("8996", "5"),
         "no TLS 1.0 or 1.1 offered, in legacy_version or supported_versions",
         rules.no_obsolete_versions,
         "TLS 1.1 MUST NOT be used. Negotiation of TLS 1.1 from any version of TLS MUST NOT "
         "be permitted."),
    rule("server-name-is-a-host-name", "tls13", ("6066", "3"),
         "a server_name that is an ASCII host name without a trailing dot, not an IP literal",
         rules.sni_is_a_host_name,
         "The hostname is represented as a byte string using ASCII encoding without a "
         "trailing dot. ... Literal IPv4 and IPv6 addresses are not permitted in "
         "\"HostName\"."),
    rule("ec-point-formats-uncompressed", "tls12", ("8422", "5.1.2"),
         "ec_point_formats, when sent, with the uncompressed format",
         rules.ec_point_formats_uncompressed,
         "If the client sends the extension and the extension does not contain the "
         "uncompressed point format, and the client has used the Supported Groups extension "
         "to indicate support for any of the standard elliptic curves, then the server MUST "
         "abort the handshake and return an illegal_parameter alert."),
    rule("extended-master-secret-offered", "tls12", ("7627", "5.1"),
         "extended_master_secret when it offers TLS 1.2",
         rules.offers_extended_master_secret,
         "Implementation note: ... a client implementation that supports this extension "
         "SHOULD include it in every ClientHello... (5.1: If the client and server agree on "
         "this extension and a full handshake takes place, both client and server MUST use "
         "the extended master secret derivation algorithm)", level=Level.SHOULD),
]


@cases(*ROWS)
def test_clients_hello_rules(case, client_conformance):
    client_conformance.check(case)
