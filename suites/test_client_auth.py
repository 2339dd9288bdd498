"""Client certificates where the server requires them (RFC 8446 4.3.2, 4.4.2.4, 4.4.3, 6.2;
RFC 5246 7.4.4, 7.4.6, 7.4.8, 7.2.2; RFC 5280 4.2.1.12).

Certificate faults expect the alert the RFC defines for them; any other abort, such as
bad_certificate, certificate_unknown or access_denied where the RFC names a more specific
alert, grades conceptual (``alert`` grades every other abort so).
"""

from tlsconform.client.words import (
    corrupt_signature,
    empty_certificate,
    omit,
    signature_scheme,
    signature_scheme_not_offered,
    unsolicited_certificate,
)
from tlsconform.scenario import Case, cases, each_version
from tlsconform.verdict.expect import alert

AUTH = {"topics": ("client_certificates",), "client_auth": True}
REFUSED = {"tls12": ("5246", "7.4.6"), "tls13": ("8446", "4.4.2.4")}  # an unacceptable chain
ALERT_DEFINED = {"tls12": ("5246", "7.2.2"), "tls13": ("8446", "6.2")}  # the alert's definition
# ECDSA schemes a P-256 client key can sign with but that servers seldom offer:
# ecdsa_sha1 and ecdsa_sha224 (the scheme actually used is the first one not offered).
UNOFFERED_ECDSA = (0x0203, 0x0303)
RSA_PKCS1_SHA256 = 0x0401

CLIENT_AUTH = [
    # -- no certificate -------------------------------------------------------------------
    Case(id="tls13-empty-certificate", version="tls13", rfc=("8446", "4.4.2.4"),
         client_cert="valid", **AUTH,
         requirement="no client certificate where one is required: certificate_required",
         mutations=[empty_certificate()], expect=alert("certificate_required")),
    Case(id="tls12-empty-certificate", version="tls12", rfc=("5246", "7.4.6"),
         client_cert="valid", **AUTH,
         requirement="no client certificate where one is required: handshake_failure",
         mutations=[empty_certificate()], expect=alert("handshake_failure")),
    Case(id="tls13-certificate-omitted", version="tls13", rfc=("8446", "4"),
         client_cert="valid", **AUTH,
         requirement="Certificate and CertificateVerify left out after a CertificateRequest: "
                     "Finished arrives out of order, unexpected_message",
         mutations=[omit("Certificate"), omit("CertificateVerify")],
         expect=alert("unexpected_message")),
    Case(id="tls12-certificate-omitted", version="tls12", rfc=("5246", "7.4.6"),
         client_cert="valid", **AUTH,
         requirement="Certificate and CertificateVerify left out after a CertificateRequest: "
                     "ClientKeyExchange arrives out of order, unexpected_message",
         mutations=[omit("Certificate"), omit("CertificateVerify")],
         expect=alert("unexpected_message")),
    # -- certificates the server must not accept ---------------------------------------------
    *each_version("expired-certificate", rfc=REFUSED, client_cert="expired",
                  **AUTH,
                  requirement="an expired client certificate is refused with "
                              "certificate_expired",
                  expect=alert("certificate_expired")),
    *each_version("not-yet-valid-certificate", rfc=ALERT_DEFINED,
                  client_cert="not-yet-valid", **AUTH,
                  requirement="a client certificate that is not yet valid is refused with "
                              "certificate_expired ('has expired or is not currently valid')",
                  expect=alert("certificate_expired")),
    *each_version("untrusted-certificate", rfc=REFUSED, client_cert="untrusted",
                  **AUTH,
                  requirement="a client certificate from an unknown CA is refused with "
                              "unknown_ca",
                  expect=alert("unknown_ca")),
    *each_version("self-signed-certificate", rfc=ALERT_DEFINED, client_cert="self-signed",
                  **AUTH,
                  requirement="a self-signed client certificate is no known trust anchor: "
                              "unknown_ca",
                  expect=alert("unknown_ca")),
    *each_version("certificate-without-client-auth-usage", rfc=("5280", "4.2.1.12"),
                  client_cert="no-clientauth", **AUTH,
                  requirement="a client certificate whose extended key usage excludes "
                              "clientAuth is refused with unsupported_certificate, "
                              "bad_certificate or certificate_unknown (RFC 8446 6.2 names no "
                              "more specific alert)",
                  expect=alert("unsupported_certificate", "bad_certificate",
                               "certificate_unknown")),
    # -- CertificateVerify ------------------------------------------------------------------
    *each_version("certificate-verify-bad-signature",
                  rfc={"tls12": ("5246", "7.4.8"), "tls13": ("8446", "4.4.3")},
                  client_cert="valid", **AUTH,
                  requirement="a CertificateVerify signature that does not verify: "
                              "decrypt_error",
                  mutations=[corrupt_signature()], expect=alert("decrypt_error")),
    Case(id="tls13-certificate-verify-omitted", version="tls13", rfc=("8446", "4.4.3"),
         client_cert="valid", **AUTH,
         requirement="a non-empty client Certificate without CertificateVerify: Finished "
                     "arrives out of order, unexpected_message",
         mutations=[omit("CertificateVerify")], expect=alert("unexpected_message")),
    Case(id="tls12-certificate-verify-omitted", version="tls12", rfc=("5246", "7.4.8"),
         client_cert="valid", **AUTH,
         requirement="a client Certificate without CertificateVerify: ChangeCipherSpec "
                     "arrives out of order, unexpected_message",
         mutations=[omit("CertificateVerify")], expect=alert("unexpected_message")),
    Case(id="tls13-certificate-verify-scheme-not-offered", version="tls13",
         rfc=("8446", "4.4.3"), client_cert="valid", **AUTH,
         requirement="CertificateVerify signed with a scheme the CertificateRequest did not "
                     "offer: semantically invalid, illegal_parameter (RFC 8446 6)",
         mutations=[signature_scheme_not_offered(*UNOFFERED_ECDSA)],
         expect=alert("illegal_parameter")),
    Case(id="tls12-certificate-verify-scheme-not-offered", version="tls12",
         rfc=("5246", "7.4.8"), client_cert="valid", **AUTH,
         requirement="CertificateVerify signed with a scheme the CertificateRequest did not "
                     "offer; RFC 5246 names no alert: illegal_parameter (a field inconsistent "
                     "with another) or handshake_failure (unacceptable parameters)",
         mutations=[signature_scheme_not_offered(*UNOFFERED_ECDSA)],
         expect=alert("illegal_parameter", "handshake_failure")),
    Case(id="tls13-certificate-verify-rsa-pkcs1", version="tls13", rfc=("8446", "4.4.3"),
         client_cert="valid-rsa", **AUTH,
         requirement="an RSA CertificateVerify MUST use RSASSA-PSS: rsa_pkcs1_sha256 is "
                     "refused with illegal_parameter",
         mutations=[signature_scheme(RSA_PKCS1_SHA256)], expect=alert("illegal_parameter")),
    # -- a certificate nobody asked for (any certificate will do: it is not even read) ----
    Case(id="tls13-unsolicited-certificate", version="tls13", rfc=("8446", "4"),
         topics=("client_certificates",), client_cert="self-signed",
         requirement="a client Certificate the server did not request arrives where Finished "
                     "is due: unexpected_message",
         mutations=[unsolicited_certificate()], expect=alert("unexpected_message")),
    Case(id="tls12-unsolicited-certificate", version="tls12", rfc=("5246", "7.4.6"),
         topics=("client_certificates",), client_cert="self-signed",
         requirement="a client Certificate the server did not request ('only sent if the "
                     "server requests a certificate'): unexpected_message",
         mutations=[unsolicited_certificate()], expect=alert("unexpected_message")),
]


@cases(*CLIENT_AUTH)
def test_client_auth(case, conformance):
    conformance.check(case)
