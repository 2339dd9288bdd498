"""Version negotiation (RFC 8446 4.1.3, 4.2.1; RFC 8996)."""

from tlsconform.expect import alert
from tlsconform.mutations import legacy_version, supported_versions
from tlsconform.offer import TLS10, TLS11
from tlsconform.scenario import Case, cases

VERSIONS = [
    Case(id="tls12-legacy-tls10-only", version="tls12", rfc=("8996", "5"), topics=("versions",),
         requirement="a TLS 1.0 client (no supported_versions) is refused with protocol_version",
         mutations=[legacy_version(TLS10)], expect=alert("protocol_version")),
    Case(id="tls12-legacy-tls11-only", version="tls12", rfc=("8996", "5"), topics=("versions",),
         requirement="a TLS 1.1 client (no supported_versions) is refused with protocol_version",
         mutations=[legacy_version(TLS11)], expect=alert("protocol_version")),
    Case(id="tls13-supported-versions-unknown-only", version="tls13", rfc=("8446", "4.2.1"),
         topics=("versions",),
         requirement="supported_versions with no version the server knows: protocol_version",
         mutations=[supported_versions(0x0305, 0x7F7F)], expect=alert("protocol_version")),
]


@cases(*VERSIONS)
def test_versions(case, conformance):
    conformance.check(case)
