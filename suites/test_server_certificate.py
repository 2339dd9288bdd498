"""The server's certificate chain (RFC 8446 4.4.2, 4.4.3; RFC 5280; RFC 6125).

One handshake per version is inspected; each check is a row. Start a local server with
``--server-cert server-expired`` (or -untrusted, -wrong-name) to watch them fail.
"""

import pytest

from tlsconform.verdict import server_certificate as sc

CHECKS = [
    ("chain-validates", ("5280", "6"), sc.chain_validates, True),
    ("within-validity", ("5280", "4.1.2.5"), sc.within_validity, False),
    ("enough-days-left", ("5280", "4.1.2.5"), sc.enough_days_left, False),
    ("covers-server-name", ("6125", "6.4"), sc.covers_server_name, False),
    ("server-auth-usage", ("5280", "4.2.1.12"), sc.serves_server_auth, False),
    ("leaf-first", ("8446", "4.4.2"), sc.leaf_first, False),
    ("signature-scheme-offered", ("8446", "4.4.3"), sc.scheme_was_offered, False),
]

ROWS = [
    pytest.param(version, check, needs_trust, id=f"{version}-{name}",
                 marks=[pytest.mark.rfc(*rfc), getattr(pytest.mark, version),
                        pytest.mark.server_certificate])
    for version in ("tls12", "tls13")
    for name, rfc, check, needs_trust in CHECKS
]


@pytest.mark.parametrize(("version", "check", "needs_trust"), ROWS)
def test_server_certificate(version, check, needs_trust, conformance):
    conformance.check_chain(version, check, needs_trust)
