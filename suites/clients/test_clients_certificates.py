"""The server's certificate, as the client under test must check it (RFC 5280 6, RFC 9110
4.3.4, RFC 8446 4.4.2 and 6.2, RFC 5246 7.2.2, RFC 9325 4.5): a good chain completes, a
bad one is refused with the alert that names the problem."""

from tlsconform.certs import ensure_pki
from tlsconform.client.identity import ClientIdentity
from tlsconform.scenario import cases
from tlsconform.server.scenario import each_version
from tlsconform.server.words import (
    corrupt_leaf_signature,
    empty_server_certificate,
    extra_certificate,
    garbage_leaf,
    leaf_not_first,
    leaf_only,
)
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

ORDER = {"tls12": ("5246", "7.4.2"), "tls13": ("8446", "4.4.2")}


def unrelated_certificate() -> bytes:
    """A CA certificate that has nothing to do with the server's chain."""
    pki = ensure_pki()
    return ClientIdentity(pki.cert("client-ca"), pki.key("client-ca")).chain[0]


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
    *each_version("empty-server-certificate-refused", topics=TOPIC, rfc=ORDER,
                  mutations=[empty_server_certificate()],
                  requirement="a server Certificate with no certificates is refused "
                              "(decode_error in TLS 1.3)",
                  sentence={"tls12": "certificate_list: This is a sequence (chain) of "
                                     "certificates. The sender's certificate MUST come first "
                                     "in the list.",
                            "tls13": "If the server supplies an empty Certificate message, "
                                     "the client MUST abort the handshake with a "
                                     "\"decode_error\" alert."},
                  alert_level={"tls12": None, "tls13": Level.MUST},
                  expect={"tls12": alert("decode_error", "bad_certificate",
                                         "handshake_failure", "certificate_unknown"),
                          "tls13": alert("decode_error")}),
    *each_version("garbage-leaf-refused", topics=TOPIC, rfc=("8446", "6.2"),
                  mutations=[garbage_leaf()],
                  requirement="a leaf that does not parse as a certificate is refused with "
                              "bad_certificate",
                  sentence="bad_certificate: A certificate was corrupt, contained signatures "
                           "that did not verify correctly, etc.",
                  expect=alert("bad_certificate", "decode_error", "certificate_unknown")),
    *each_version("leaf-signature-invalid-refused", topics=TOPIC, rfc=("5280", "6.1.3"),
                  mutations=[corrupt_leaf_signature()],
                  requirement="a leaf whose issuer's signature does not verify is refused "
                              "with bad_certificate",
                  sentence="(a)(1) The signature on the certificate can be verified using "
                           "working_public_key_algorithm, the working_public_key, and the "
                           "working_public_key_parameters. (RFC 8446 6.2: bad_certificate: "
                           "A certificate was corrupt, contained signatures that did not "
                           "verify correctly, etc.)",
                  expect=alert("bad_certificate", "decrypt_error", "certificate_unknown")),
    *each_version("leaf-not-first-refused", topics=TOPIC, rfc=ORDER,
                  server_cert="server-via-intermediate", mutations=[leaf_not_first()],
                  requirement="a chain whose first certificate is not the server's is "
                              "refused",
                  sentence={"tls12": "The sender's certificate MUST come first in the list.",
                            "tls13": "The sender's certificate MUST come in the first "
                                     "CertificateEntry in the list."},
                  # the first certificate is then taken for the server's: an intermediate
                  # CA without serverAuth, so unsupported_certificate names it too
                  expect=alert("bad_certificate", "decrypt_error", "illegal_parameter",
                               "unknown_ca", "certificate_unknown", "handshake_failure",
                               "unsupported_certificate")),
    *each_version("missing-intermediate-refused", topics=TOPIC, rfc=("5280", "6.1"),
                  server_cert="server-via-intermediate", mutations=[leaf_only()],
                  requirement="a leaf sent without the intermediate that issued it, which the "
                              "client does not have, is refused with unknown_ca",
                  sentence="(a) for all x in {1, ..., n-1}, the subject of certificate x is "
                           "the issuer of certificate x+1; (b) certificate 1 is issued by "
                           "the trust anchor",
                  expect=alert(*UNKNOWN_CA)),
    *each_version("extra-unrelated-certificate-accepted", topics=TOPIC, rfc=("8446", "4.4.2"),
                  server_cert="server-via-intermediate", level=Level.SHOULD,
                  mutations=[extra_certificate(unrelated_certificate,
                                               "an unrelated CA certificate")],
                  requirement="a chain with an extra certificate that is no part of the path "
                              "is accepted",
                  sentence="implementations SHOULD be prepared to handle potentially "
                           "extraneous certificates and arbitrary orderings from any TLS "
                           "version, with the exception of the end-entity certificate which "
                           "MUST be first.", expect=completes()),
]


@cases(*ROWS)
def test_clients_certificates(case, client_conformance):
    client_conformance.check(case)
