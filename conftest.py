"""pytest wiring: the suite's options, fixtures and markers (see fixtures/)."""

import pytest

pytest_plugins = [
    "fixtures.options",
    "fixtures.targets",
    "fixtures.identities",
    "fixtures.deviations",
    "fixtures.preflight",
    "fixtures.deviation_drafts",
    "fixtures.target_loss",
    "fixtures.run_summary",
    "fixtures.conformance",
    "fixtures.evidence",
    "fixtures.reports",
    "fixtures.profiles",
]

MARKERS = {
    "rfc(number, section)": "the RFC clause a scenario checks",
    "tls12": "a TLS 1.2 scenario",
    "tls13": "a TLS 1.3 scenario",
    "client_auth": "needs a target that requires client certificates",
    "cipher_suites": "cipher suite negotiation",
    "versions": "version negotiation and downgrade protection",
    "client_certificates": "client certificate validation",
    "finished": "Finished message verification",
    "server_certificate": "the server's certificate chain",
    "handshake": "complete handshakes",
    "alerts": "alert rules: error alerts are fatal and followed by a close",
    "state_machine": "messages out of place: before the hello, twice, skipped, of the other "
                     "version or side",
    "record_layer": "records: content types, sizes, protection, padding, fragmentation",
    "alert_protocol": "alerts the client sends, and how the server ends a connection",
    "client_hello": "the ClientHello's structure: lengths, trailing bytes, compression, "
                    "duplicate, unknown and many extensions",
    "key_share": "supported_groups and key_share: invalid shares, HelloRetryRequest, no "
                 "common group",
    "extensions": "signature_algorithms, the RFC 8446 9.2 rules, server_name, ALPN, EMS, "
                  "renegotiation_info, ETM, fragment and record limits, padding, OCSP, GREASE, "
                  "and what the server answers",
    "key_exchange": "ECDHE-ECDSA, FFDHE and static RSA key exchange",
    "resumption": "TLS 1.2 session ids and tickets, TLS 1.3 PSKs offered back",
    "early_data": "TLS 1.3 0-RTT data and what the server does with it",
    "key_update": "TLS 1.3 KeyUpdate after the handshake",
    "renegotiation": "TLS 1.2 renegotiation (RFC 5746) and handshakes after the handshake",
    "known_deviation": "a case the implementation under test is known to fail",
    "policy": "a deployment profile's rule (--profile), not an RFC's",
}


def pytest_configure(config: pytest.Config) -> None:
    for name, text in MARKERS.items():
        config.addinivalue_line("markers", f"{name}: {text}")
