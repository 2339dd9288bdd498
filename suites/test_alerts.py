"""The alert rules themselves (RFC 8446 6 and 6.2, RFC 5246 7.2.2): whatever the fault, the
error alert is sent at the fatal level, and after it the server sends nothing more and
closes the connection.

Each row is a representative bad input; which alert it deserves is the business of the
topic files. Here any error alert passes, but only if it is fatal and followed by a close.
"""

from tlsconform.client.words import (
    application_data_instead_of,
    cipher_suite_bytes,
    ciphers,
    corrupt_record,
    finished,
    flip_bit,
)
from tlsconform.scenario import cases, each_version
from tlsconform.verdict.expect import aborts_cleanly

RFC = {"tls12": ("5246", "7.2.2"), "tls13": ("8446", "6.2")}
SENTENCE = {
    "tls12": ("Whenever an implementation encounters a condition which is defined as a fatal "
              "alert, it MUST send the appropriate alert prior to closing the connection. ... "
              "Upon transmission or receipt of a fatal alert message, both parties "
              "immediately close the connection."),
    "tls13": ("Whenever an implementation encounters a fatal error condition, it SHOULD send "
              "an appropriate fatal alert and MUST close the connection without sending or "
              "receiving any additional data. (6: All the alerts listed in Section 6.2 MUST be "
              "sent with AlertLevel=fatal.)"),
}
BAD_INPUTS = [
    ("no-common-cipher-suite", "a ClientHello with no cipher suite in common",
     [ciphers(0x0A0A, 0xFEFE)], {}),
    ("malformed-client-hello", "a ClientHello whose cipher_suites has an odd length",
     [cipher_suite_bytes(b"\x13\x01\xc0", "cipher_suites of 3 bytes")], {}),
    ("wrong-finished", "a client Finished with one bit of verify_data flipped",
     [finished(flip_bit(-1))], {}),
    ("corrupted-record", "a protected record whose authentication tag does not verify",
     [corrupt_record("Finished")], {}),
    ("premature-application-data", "application data in place of the client Finished",
     [application_data_instead_of("Finished")], {}),
    ("untrusted-client-certificate", "a client certificate from an unknown CA",
     [], {"client_cert": "untrusted", "client_auth": True}),
]

ALERTS = [
    case
    for name, what, mutations, extra in BAD_INPUTS
    for case in each_version(f"{name}-aborts-cleanly", rfc=RFC, topics=("alerts",),
                             sentence=SENTENCE,
                             requirement=f"{what}: a fatal error alert, then nothing more "
                                         "and a close",
                             mutations=mutations, expect=aborts_cleanly(), **extra)
]


@cases(*ALERTS)
def test_alerts(case, conformance):
    conformance.check(case)
