"""Version negotiation and downgrade protection (RFC 8446 4.1.3, 4.2.1, 5.1, D.1-D.2;
RFC 5246 E.1; RFC 8996; RFC 7568; RFC 7507).

The scenarios assume a server that supports TLS 1.2 and TLS 1.3, as every local target
does: the downgrade sentinel and the fallback signal are only required of such servers.
"""

from tlsconform.client.offer import TLS10, TLS11, TLS12, TLS13
from tlsconform.client.words import add_ciphers, legacy_version, record_version, supported_versions
from tlsconform.crypto.suites import TLS_FALLBACK_SCSV
from tlsconform.scenario import Case, cases
from tlsconform.verdict.expect import (
    alert,
    completes,
    completes_or_refuses,
    completes_with,
    downgrade_sentinel,
    negotiated,
)

SSL30 = 0x0300
OLD_VERSIONS = [(SSL30, "ssl30", ("7568", "3")), (TLS10, "tls10", ("8996", "4")),
                (TLS11, "tls11", ("8996", "5"))]

VERSIONS = [
    # -- only versions the server must not or cannot negotiate --------------------------
    Case(id="tls12-legacy-ssl30-only", version="tls12", rfc=("7568", "3"), topics=("versions",),
         requirement="an SSL 3.0 client (no supported_versions) is refused with "
                     "protocol_version (also RFC 8446 D.2)",
         mutations=[legacy_version(SSL30)], expect=alert("protocol_version")),
    Case(id="tls12-legacy-tls10-only", version="tls12", rfc=("8996", "4"), topics=("versions",),
         requirement="a TLS 1.0 client (no supported_versions) is refused with protocol_version",
         mutations=[legacy_version(TLS10)], expect=alert("protocol_version")),
    Case(id="tls12-legacy-tls11-only", version="tls12", rfc=("8996", "5"), topics=("versions",),
         requirement="a TLS 1.1 client (no supported_versions) is refused with protocol_version",
         mutations=[legacy_version(TLS11)], expect=alert("protocol_version")),
    *[Case(id=f"tls12-supported-versions-{name}-only", version="tls12", rfc=rfc,
           topics=("versions",),
           requirement=f"supported_versions listing only 0x{code:04x}: the server uses only "
                       "the extension (RFC 8446 4.2.1) and refuses with protocol_version",
           mutations=[supported_versions(code)], expect=alert("protocol_version"))
      for code, name, rfc in OLD_VERSIONS],
    Case(id="tls12-supported-versions-unknown-only", version="tls12", rfc=("8446", "4.2.1"),
         topics=("versions",),
         requirement="supported_versions with no version the server knows (and a TLS 1.2 "
                     "legacy_version, which it must not use): protocol_version",
         mutations=[supported_versions(0x0305, 0x7F7F)], expect=alert("protocol_version")),
    Case(id="tls13-supported-versions-unknown-only", version="tls13", rfc=("8446", "4.2.1"),
         topics=("versions",),
         requirement="supported_versions with no version the server knows: protocol_version",
         mutations=[supported_versions(0x0305, 0x7F7F)], expect=alert("protocol_version")),
    # -- version tolerance ---------------------------------------------------------------
    *[Case(id=f"tls12-legacy-version-{code:04x}", version="tls12", rfc=("8446", "4.2.1"),
           topics=("versions",),
           requirement=f"legacy_version 0x{code:04x} without supported_versions: the server "
                       "negotiates TLS 1.2 (RFC 5246 E.1), or aborts (a MAY of RFC 8446 "
                       "4.2.1) with protocol_version",
           mutations=[legacy_version(code)],
           expect=completes_or_refuses("protocol_version", check=negotiated(TLS12)))
      for code in (TLS13, 0x0305, 0x03FF)],
    Case(id="tls13-supported-versions-grease-ignored", version="tls13", rfc=("8446", "4.2.1"),
         topics=("versions",),
         requirement="a GREASE value (RFC 8701) before 0x0304 in supported_versions is ignored",
         mutations=[supported_versions(0x1A1A, TLS13)],
         expect=completes_with(negotiated(TLS13))),
    Case(id="tls13-supported-versions-future-ignored", version="tls13", rfc=("8446", "4.2.1"),
         topics=("versions",),
         requirement="unknown future versions before 0x0304 in supported_versions are ignored",
         mutations=[supported_versions(0x0305, 0x03FF, TLS13)],
         expect=completes_with(negotiated(TLS13))),
    # -- downgrade protection -----------------------------------------------------------
    Case(id="tls12-downgrade-sentinel", version="tls12", rfc=("8446", "4.1.3"),
         topics=("versions",), requires=("tls13",),
         requirement="a TLS 1.3 server negotiating TLS 1.2 ends ServerHello.random with "
                     "44 4F 57 4E 47 52 44 01",
         expect=completes_with(downgrade_sentinel(present=True))),
    Case(id="tls13-no-downgrade-sentinel", version="tls13", rfc=("8446", "4.1.3"),
         topics=("versions",),
         requirement="a TLS 1.3 ServerHello.random carries no downgrade sentinel",
         expect=completes_with(downgrade_sentinel(present=False))),
    Case(id="tls12-fallback-scsv", version="tls12", rfc=("7507", "3"), topics=("versions",),
         requires=("tls13",),
         requirement="TLS_FALLBACK_SCSV in a TLS 1.2 hello to a server that supports TLS 1.3: "
                     "inappropriate_fallback",
         mutations=[add_ciphers(TLS_FALLBACK_SCSV)], expect=alert("inappropriate_fallback")),
    # -- the record layer's version field ---------------------------------------------------
    *[Case(id=f"{version}-record-version-{code:04x}", version=version, rfc=rfc,
           topics=("versions",),
           requirement=f"a ClientHello record with legacy_record_version 0x{code:04x} is "
                       "accepted: the field is ignored",
           mutations=[record_version(code)], expect=completes())
      for version, rfc in (("tls12", ("5246", "E.1")), ("tls13", ("8446", "5.1")))
      for code in (SSL30, TLS10, TLS12)],
]


@cases(*VERSIONS)
def test_versions(case, conformance):
    conformance.check(case)
