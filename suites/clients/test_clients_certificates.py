"""The server's certificate, as the client under test must check it (RFC 5280 6, RFC 9110
4.3.4, RFC 8446 4.4.2 and 6.2, RFC 5246 7.2.2, RFC 9325 4.5): a good chain completes, a
bad one is refused with the alert that names the problem."""

from tlsconform.scenario import cases
from tlsconform.server.scenario import each_version
from tlsconform.verdict.expect import alert, completes
from tlsconform.verdict.levels import Level

TOPIC = ("certificate_checks",)
# RFC 8446 6.2 / RFC 5246 7.2.2 define the alert for each problem; certificate_unknown is
# the catch-all both define for "some other (unspecified) issue" with a certificate.
EXPIRED = ("certificate_expired", "certificate_unknown")
UNKNOWN_CA = ("unknown_ca", "certificate_unknown")
BAD_NAME = ("bad_certificate", "certificate_unknown")
VALIDITY = ("The certificate validity period includes the current time. (RFC 5280 6.1.3 "
            "(a)(2); RFC 8446 6.2: certificate_expired: A certificate has expired or is not "
            "currently valid.)")

ROWS = [
    *each_version("good-chain-completes", rfc=("5280", "6.1"), topics=TOPIC,
                  requirement="a chain to the trusted root, naming the server, completes",
                  sentence="A certificate path that passes validation (RFC 5280 6.1) is "
                           "accepted: the client completes the handshake and sends its "
                           "request.", expect=completes()),
    *each_version("good-chain-via-intermediate-completes", rfc=("5280", "6.1"), topics=TOPIC,
                  server_cert="server-via-intermediate",
                  requirement="a leaf sent with the intermediate that issued it completes",
                  sentence="(a) for all x in {1, ..., n-1}, the subject of certificate x is "
                           "the issuer of certificate x+1; (b) certificate 1 is issued by "
                           "the trust anchor", expect=completes()),
    *each_version("ecdsa-certificate-completes", rfc=("8446", "4.4.2"), topics=TOPIC,
                  server_cert="server-ecdsa",
                  requirement="an ECDSA P-256 server certificate completes",
                  sentence="RFC 8446 9.1: A TLS-compliant application MUST support digital "
                           "signatures with rsa_pkcs1_sha256 (for certificates), "
                           "rsa_pss_rsae_sha256 (for CertificateVerify and certificates), and "
                           "ecdsa_secp256r1_sha256.", expect=completes()),
    *each_version("expired-certificate-refused", rfc=("5280", "6.1.3"), topics=TOPIC,
                  server_cert="server-expired",
                  requirement="an expired server certificate is refused with "
                              "certificate_expired", sentence=VALIDITY, expect=alert(*EXPIRED)),
    *each_version("not-yet-valid-certificate-refused", rfc=("5280", "6.1.3"), topics=TOPIC,
                  server_cert="server-not-yet-valid",
                  requirement="a server certificate that is not yet valid is refused with "
                              "certificate_expired", sentence=VALIDITY,
                  expect=alert(*EXPIRED)),
    *each_version("untrusted-certificate-refused", rfc=("5280", "6.1"), topics=TOPIC,
                  server_cert="server-untrusted",
                  requirement="a chain to a root the client does not trust is refused with "
                              "unknown_ca",
                  sentence="(b) certificate 1 is issued by the trust anchor (RFC 8446 6.2: "
                           "unknown_ca: A valid certificate chain or partial chain was "
                           "received, but the certificate was not accepted because the CA "
                           "certificate could not be located or could not be matched with a "
                           "known trust anchor.)", expect=alert(*UNKNOWN_CA)),
    *each_version("self-signed-certificate-refused", rfc=("5280", "6.1"), topics=TOPIC,
                  server_cert="server-self-signed",
                  requirement="a self-signed server certificate is refused with unknown_ca",
                  sentence="(b) certificate 1 is issued by the trust anchor",
                  expect=alert(*UNKNOWN_CA, "bad_certificate")),
    *each_version("wrong-name-refused", rfc=("9110", "4.3.4"), topics=TOPIC,
                  server_cert="server-wrong-name",
                  requirement="a certificate that does not name the server is refused with "
                              "bad_certificate",
                  sentence="If the certificate is not valid for the target URI's origin "
                           "server, a user agent MUST either obtain confirmation from the "
                           "user before proceeding (see Section 3.5) or terminate the "
                           "connection with a bad certificate error.",
                  expect=alert(*BAD_NAME)),
    *each_version("no-server-auth-usage-refused", rfc=("5280", "4.2.1.12"), topics=TOPIC,
                  server_cert="server-no-serverauth",
                  requirement="a certificate whose extended key usage excludes serverAuth "
                              "is refused with unsupported_certificate",
                  sentence="If the extension is present, then the certificate MUST only be "
                           "used for one of the purposes indicated.",
                  expect=alert("unsupported_certificate", "bad_certificate",
                               "certificate_unknown")),
    *each_version("non-ca-intermediate-refused", rfc=("5280", "6.1.4"), topics=TOPIC,
                  server_cert="server-bad-intermediate",
                  requirement="a leaf issued by an intermediate that is not a CA is refused",
                  sentence="(k) If certificate i is a version 3 certificate, verify that the "
                           "basicConstraints extension is present and that cA is set to TRUE.",
                  expect=alert("unknown_ca", "bad_certificate", "certificate_unknown")),
    *each_version("rsa-1024-certificate-refused", rfc=("9325", "4.5"), topics=TOPIC,
                  server_cert="server-weak-key", level=Level.SHOULD,
                  requirement="an RSA key of 1024 bits is refused (servers MUST use 2048 or "
                              "more; a client that accepts less does not hold them to it)",
                  sentence="When using RSA, servers MUST authenticate using certificates with "
                           "at least a 2048-bit modulus for the public key.",
                  expect=alert("insufficient_security", "bad_certificate",
                               "unsupported_certificate", "certificate_unknown",
                               "handshake_failure")),
]


@cases(*ROWS)
def test_clients_certificates(case, client_conformance):
    client_conformance.check(case)
