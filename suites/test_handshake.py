"""Complete handshakes: the baseline every negative scenario departs from."""

from tlsconform.scenario import cases, each_version
from tlsconform.verdict.expect import completes

HANDSHAKES = [
    *each_version("full-handshake", rfc=("8446", "2"), topics=("handshake",),
                  sentence="The handshake ... negotiates a protocol version, selects "
                           "cryptographic algorithms, optionally authenticates each other, and "
                           "establishes shared secret keying material.",
                  requirement="a conformant client completes a full handshake",
                  expect=completes()),
    *each_version("client-certificate", rfc=("8446", "4.4.2"), topics=("handshake",),
                  sentence="The client MUST send a Certificate message if and only if the "
                           "server has requested client authentication via a "
                           "CertificateRequest message.",
                  requirement="a valid client certificate is accepted where one is required",
                  client_auth=True, client_cert="valid", expect=completes()),
    *each_version("client-certificate-rsa", rfc=("8446", "4.4.3"), topics=("handshake",),
                  sentence="The receiver of a CertificateVerify message MUST verify the "
                           "signature field.",
                  requirement="an RSA client key signs CertificateVerify with an offered scheme",
                  client_auth=True, client_cert="valid-rsa", expect=completes()),
]


@cases(*HANDSHAKES)
def test_handshake(case, conformance):
    conformance.check(case)
