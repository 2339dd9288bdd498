"""Cipher suite negotiation (RFC 5246 7.4.1.2-3, RFC 8446 4.1.1)."""

from tlsconform.expect import alert
from tlsconform.mutations import ciphers
from tlsconform.scenario import Case, cases

UNASSIGNED = (0x0A0A, 0xFEFE)  # a GREASE value and an unassigned code point

CIPHER_SUITES = [
    Case(id="tls12-only-unsupported-suites", version="tls12", rfc=("5246", "7.4.1.3"),
         topics=("cipher_suites",),
         requirement="no suite in common: the server aborts with handshake_failure",
         mutations=[ciphers(*UNASSIGNED)], expect=alert("handshake_failure")),
    Case(id="tls13-only-unsupported-suites", version="tls13", rfc=("8446", "4.1.1"),
         topics=("cipher_suites",),
         requirement="no suite in common: the server aborts with a handshake_failure "
                     "or insufficient_security alert",
         mutations=[ciphers(*UNASSIGNED)],
         expect=alert("handshake_failure", "insufficient_security")),
]


@cases(*CIPHER_SUITES)
def test_cipher_suites(case, conformance):
    conformance.check(case)
