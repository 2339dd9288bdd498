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
from tlsconform.verdict.expect import aborts_cleanly, alert
from tlsconform.verdict.levels import Level

AUTH = {"topics": ("client_certificates",), "client_auth": True}
REFUSED = {"tls12": ("5246", "7.4.6"), "tls13": ("8446", "4.4.2.4")}  # an unacceptable chain
ALERT_DEFINED = {"tls12": ("5246", "7.2.2"), "tls13": ("8446", "6.2")}  # the alert's definition
# ECDSA schemes a P-256 client key can sign with but that servers seldom offer:
# ecdsa_sha1 and ecdsa_sha224 (the scheme actually used is the first one not offered).
UNOFFERED_ECDSA = (0x0203, 0x0303)
RSA_PKCS1_SHA256 = 0x0401

EMPTY = {"tls12": ("If the client does not send any certificates, the server MAY at its "
                   "discretion either continue the handshake without client authentication, "
                   "or respond with a fatal handshake_failure alert."),  # RFC 5246 7.4.6
         "tls13": ("If the client does not send any certificates (i.e., it sends an empty "
                   "Certificate message), the server MAY at its discretion either continue "
                   "the handshake without client authentication or abort the handshake with "
                   "a \"certificate_required\" alert.")}  # RFC 8446 4.4.2.4
UNACCEPTABLE = {"tls12": ("If some aspect of the certificate chain was unacceptable (e.g., it "
                          "was not signed by a known, trusted CA), the server MAY at its "
                          "discretion either continue the handshake (considering the client "
                          "unauthenticated) or send a fatal alert."),  # RFC 5246 7.4.6
                "tls13": ("Also, if some aspect of the certificate chain was unacceptable "
                          "(e.g., it was not signed by a known, trusted CA), the server MAY at "
                          "its discretion either continue the handshake (considering the "
                          "client unauthenticated) or abort the handshake.")}  # 8446 4.4.2.4
# A server that requires client certificates has used that discretion: it aborts. Which
# alert is the one RFC 8446 6.2 / RFC 5246 7.2.2 define for the fault (a MUST in TLS 1.2,
# a SHOULD in TLS 1.3).
ORDER = {"tls12": "Protocol messages MUST be sent in the order defined in Section 7.4 (RFC "
                  "5246 7.3); an inappropriate message is unexpected_message (7.2.2).",
         "tls13": ("A peer which receives a handshake message in an unexpected order MUST "
                   "abort the handshake with an \"unexpected_message\" alert.")}  # RFC 8446 4
ORDER_LEVEL = {"tls12": None, "tls13": Level.MUST}
VERIFY = {"tls12": ("decrypt_error: A handshake cryptographic operation failed, including "
                    "being unable to correctly verify a signature or validate a Finished "
                    "message."),  # RFC 5246 7.2.2
          "tls13": ("If the verification fails, the receiver MUST terminate the handshake with "
                    "a \"decrypt_error\" alert.")}  # RFC 8446 4.4.3
SCHEME = {"tls12": ("The hash and signature algorithms used in the signature MUST be one of "
                    "those present in the supported_signature_algorithms field of the "
                    "CertificateRequest message."),  # RFC 5246 7.4.8
          "tls13": ("If the CertificateVerify message is sent by a client, the signature "
                    "algorithm MUST be one of those present in the "
                    "supported_signature_algorithms field of the \"signature_algorithms\" "
                    "extension in the CertificateRequest message.")}  # RFC 8446 4.4.3

CLIENT_AUTH = [
    # -- no certificate -------------------------------------------------------------------
    Case(id="tls13-empty-certificate", version="tls13", rfc=("8446", "4.4.2.4"),
         client_cert="valid", **AUTH, sentence=EMPTY["tls13"], alert_level=Level.MUST,
         requirement="no client certificate where one is required: certificate_required",
         mutations=[empty_certificate()], expect=alert("certificate_required")),
    Case(id="tls12-empty-certificate", version="tls12", rfc=("5246", "7.4.6"),
         client_cert="valid", **AUTH, sentence=EMPTY["tls12"],
         requirement="no client certificate where one is required: handshake_failure",
         mutations=[empty_certificate()], expect=alert("handshake_failure")),
    Case(id="tls13-certificate-omitted", version="tls13", rfc=("8446", "4"),
         client_cert="valid", **AUTH, sentence=ORDER["tls13"], alert_level=Level.MUST,
         requirement="Certificate and CertificateVerify left out after a CertificateRequest: "
                     "Finished arrives out of order, unexpected_message",
         mutations=[omit("Certificate"), omit("CertificateVerify")],
         expect=alert("unexpected_message")),
    Case(id="tls12-certificate-omitted", version="tls12", rfc=("5246", "7.4.6"),
         client_cert="valid", **AUTH, sentence=ORDER["tls12"],
         requirement="Certificate and CertificateVerify left out after a CertificateRequest: "
                     "ClientKeyExchange arrives out of order, unexpected_message",
         mutations=[omit("Certificate"), omit("CertificateVerify")],
         expect=alert("unexpected_message")),
    # -- certificates the server must not accept ---------------------------------------------
    *each_version("expired-certificate", sentence=UNACCEPTABLE, rfc=REFUSED, client_cert="expired",
                  **AUTH,
                  requirement="an expired client certificate is refused with "
                              "certificate_expired",
                  expect=alert("certificate_expired")),
    *each_version("not-yet-valid-certificate", sentence=UNACCEPTABLE, rfc=ALERT_DEFINED,
                  client_cert="not-yet-valid", **AUTH,
                  requirement="a client certificate that is not yet valid is refused with "
                              "certificate_expired ('has expired or is not currently valid')",
                  expect=alert("certificate_expired")),
    *each_version("untrusted-certificate", sentence=UNACCEPTABLE, rfc=REFUSED,
                  client_cert="untrusted",
                  **AUTH,
                  requirement="a client certificate from an unknown CA is refused with "
                              "unknown_ca",
                  expect=alert("unknown_ca")),
    *each_version("self-signed-certificate", sentence=UNACCEPTABLE, rfc=ALERT_DEFINED,
                  client_cert="self-signed",
                  **AUTH,
                  requirement="a self-signed client certificate is no known trust anchor: "
                              "unknown_ca",
                  expect=alert("unknown_ca")),
    *each_version("certificate-without-client-auth-usage", sentence=UNACCEPTABLE,
                  rfc=("5280", "4.2.1.12"),
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
                  client_cert="valid", **AUTH, sentence=VERIFY,
                  alert_level={"tls12": None, "tls13": Level.MUST},
                  requirement="a CertificateVerify signature that does not verify: "
                              "decrypt_error",
                  mutations=[corrupt_signature()], expect=alert("decrypt_error")),
    Case(id="tls13-certificate-verify-omitted", version="tls13", rfc=("8446", "4.4.3"),
         client_cert="valid", **AUTH, alert_level=Level.MUST,
         sentence="Clients MUST send this message whenever authenticating via a certificate "
                  "(i.e., when the Certificate message is non-empty). (RFC 8446 4: "
                  + ORDER["tls13"] + ")",
         requirement="a non-empty client Certificate without CertificateVerify: Finished "
                     "arrives out of order, unexpected_message",
         mutations=[omit("CertificateVerify")], expect=alert("unexpected_message")),
    Case(id="tls12-certificate-verify-omitted", version="tls12", rfc=("5246", "7.4.8"),
         client_cert="valid", **AUTH,
         sentence="This message is used to provide explicit verification of a client "
                  "certificate. This message is only sent following a client certificate "
                  "that has signing capability",
         requirement="a client Certificate without CertificateVerify: ChangeCipherSpec "
                     "arrives out of order, unexpected_message",
         mutations=[omit("CertificateVerify")], expect=alert("unexpected_message")),
    *each_version("certificate-verify-scheme-not-offered",
                  rfc={"tls12": ("5246", "7.4.8"), "tls13": ("8446", "4.4.3")},
                  client_cert="valid", **AUTH, sentence=SCHEME,
                  requirement="CertificateVerify signed with a scheme the CertificateRequest "
                              "did not offer is refused; the RFC names no alert for the "
                              "receiver: any fatal alert (illegal_parameter is the usual one)",
                  mutations=[signature_scheme_not_offered(*UNOFFERED_ECDSA)],
                  expect=aborts_cleanly()),
    Case(id="tls13-certificate-verify-rsa-pkcs1", version="tls13", rfc=("8446", "4.4.3"),
         client_cert="valid-rsa", **AUTH,
         sentence="RSA signatures MUST use an RSASSA-PSS algorithm, regardless of whether "
                  "RSASSA-PKCS1-v1_5 algorithms appear in \"signature_algorithms\".",
         requirement="an RSA CertificateVerify signed with rsa_pkcs1_sha256 is refused; the "
                     "RFC names no alert for the receiver: any fatal alert",
         mutations=[signature_scheme(RSA_PKCS1_SHA256)], expect=aborts_cleanly()),
    # -- a certificate nobody asked for (any certificate will do: it is not even read) ----
    Case(id="tls13-unsolicited-certificate", version="tls13", rfc=("8446", "4"),
         topics=("client_certificates",), client_cert="self-signed", sentence=ORDER["tls13"],
         alert_level=Level.MUST,
         requirement="a client Certificate the server did not request arrives where Finished "
                     "is due: unexpected_message",
         mutations=[unsolicited_certificate()], expect=alert("unexpected_message")),
    Case(id="tls12-unsolicited-certificate", version="tls12", rfc=("5246", "7.4.6"),
         topics=("client_certificates",), client_cert="self-signed",
         sentence="This message is only sent if the server requests a certificate.",
         requirement="a client Certificate the server did not request ('only sent if the "
                     "server requests a certificate'): unexpected_message",
         mutations=[unsolicited_certificate()], expect=alert("unexpected_message")),
]


@cases(*CLIENT_AUTH)
def test_client_auth(case, conformance):
    conformance.check(case)
