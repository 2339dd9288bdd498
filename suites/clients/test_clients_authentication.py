"""The client's own certificate, when the server asks for one (RFC 8446 4.4.2, 4.4.3,
4.3.2; RFC 5246 7.4.6, 7.4.8): with one it proves possession, without one it says so with
an empty Certificate."""

from tlsconform.scenario import cases
from tlsconform.server.scenario import each_version
from tlsconform.verdict.expect import Check, completes, completes_with

TOPIC = ("client_authentication",)
PRESENTED = Check("the client presents its certificate",
                  lambda o: None if o.server_certificates else
                  "the client sent an empty Certificate although it has one")

ROWS = [
    *each_version("client-certificate-and-valid-certificate-verify", topics=TOPIC,
                  client_auth=True, client_cert="valid",
                  rfc={"tls12": ("5246", "7.4.8"), "tls13": ("8446", "4.4.3")},
                  requirement="asked for a certificate it has, the client sends it and a "
                              "CertificateVerify that verifies, with a scheme the "
                              "CertificateRequest offered",
                  sentence={"tls12": "This message is used to provide explicit verification "
                                     "of a client certificate. ... the hash and signature "
                                     "algorithms used in the signature MUST be one of those "
                                     "present in the supported_signature_algorithms field of "
                                     "the CertificateRequest message.",
                            "tls13": "Clients MUST send this message whenever authenticating "
                                     "via a certificate (i.e., when the Certificate message "
                                     "is non-empty). ... If sent by a client, the signature "
                                     "algorithm used in the signature MUST be one of those "
                                     "present in the supported_signature_algorithms field of "
                                     "the \"signature_algorithms\" extension in the "
                                     "CertificateRequest message."},
                  expect=completes_with(PRESENTED)),
    *each_version("no-client-certificate-empty-certificate", topics=TOPIC, client_auth=True,
                  rfc={"tls12": ("5246", "7.4.6"), "tls13": ("8446", "4.4.2")},
                  requirement="asked for a certificate it does not have, the client sends an "
                              "empty Certificate message, not none",
                  sentence={"tls12": "If no suitable certificate is available, the client "
                                     "MUST send a certificate message containing no "
                                     "certificates.",
                            "tls13": "If the server requests client authentication but no "
                                     "suitable certificate is available, the client MUST "
                                     "send a Certificate message containing no certificates "
                                     "(i.e., with the \"certificate_list\" field having "
                                     "length 0)."},
                  expect=completes()),
]


@cases(*ROWS)
def test_clients_authentication(case, client_conformance):
    client_conformance.check(case)
