"""The server's signatures and Finished, as the client must verify them (RFC 8446 4.4.3,
4.4.4; RFC 5246 7.4.3, 7.4.9, 7.2.2): a bad signature, an unoffered or forbidden scheme,
or a wrong verify_data is refused."""

from tlsconform.scenario import cases
from tlsconform.server.scenario import ClientCase, each_version
from tlsconform.server.words import (
    corrupt_signature,
    extend_by,
    flip_middle_bit,
    omit_server,
    server_finished,
    sign_with,
    sign_with_unoffered,
    signed_as_client,
    truncate,
)
from tlsconform.verdict.expect import alert
from tlsconform.verdict.levels import Level

TOPIC = ("signatures",)
FINISHED = ("finished",)
MUST_13 = {"tls12": None, "tls13": Level.MUST}
SIGNATURE = {"tls12": ("5246", "7.4.3"), "tls13": ("8446", "4.4.3")}
BAD_SIGNATURE = {
    "tls12": "decrypt_error: A handshake cryptographic operation failed, including being "
             "unable to correctly verify a signature or validate a Finished message. (7.2.2)",
    "tls13": "If the verification fails, the receiver MUST terminate the handshake with a "
             "\"decrypt_error\" alert.",
}
UNOFFERED = {
    "tls12": "If the client has offered the \"signature_algorithms\" extension, the "
             "signature algorithm and hash algorithm MUST be a pair listed in that extension.",
    "tls13": "If the CertificateVerify message is sent by a server, the signature algorithm "
             "MUST be one offered in the client's \"signature_algorithms\" extension unless no "
             "valid certificate chain can be produced without unsupported algorithms",
}
VERIFY = {"tls12": ("5246", "7.4.9"), "tls13": ("8446", "4.4.4")}
VERIFY_SENTENCE = {
    "tls12": "Recipients of Finished messages MUST verify that the contents are correct. "
             "(7.2.2: decrypt_error: ... unable to ... validate a Finished message.)",
    "tls13": "Recipients of Finished messages MUST verify that the contents are correct and "
             "if incorrect MUST terminate the connection with a \"decrypt_error\" alert.",
}
LENGTH_SENTENCE = {
    "tls12": "decode_error: A message could not be decoded because some field was out of "
             "the specified range or the length of the message was incorrect. (7.2.2)",
    "tls13": "Recipients of Finished messages MUST verify that the contents are correct and "
             "if incorrect MUST terminate the connection with a \"decrypt_error\" alert. (6.2: "
             "decode_error: A message could not be decoded because some field was out of "
             "the specified range or the length of the message was incorrect.)",
}
# Schemes our RSA key can sign with, least offered first.
RSA_SCHEMES = (0x0601, 0x0301, 0x0201, 0x0806, 0x0805, 0x0501)

ROWS = [
    *each_version("bad-signature-refused", rfc=SIGNATURE, topics=TOPIC,
                  mutations=[corrupt_signature()],
                  requirement="a server signature (ServerKeyExchange in TLS 1.2, "
                              "CertificateVerify in 1.3) that does not verify is refused with "
                              "decrypt_error",
                  sentence=BAD_SIGNATURE, alert_level=MUST_13, expect=alert("decrypt_error")),
    *each_version("unoffered-signature-scheme-refused", rfc=SIGNATURE, topics=TOPIC,
                  mutations=[sign_with_unoffered(*RSA_SCHEMES)],
                  requirement="a server signature with a scheme the client did not offer is "
                              "refused",
                  sentence=UNOFFERED,
                  expect=alert("illegal_parameter", "handshake_failure", "decrypt_error")),
    ClientCase(id="tls13-pkcs1-certificate-verify-refused", rfc=("8446", "4.4.3"),
               version="tls13", topics=TOPIC, mutations=[sign_with(0x0401)],
               requirement="a TLS 1.3 CertificateVerify signed with rsa_pkcs1_sha256 is "
                           "refused",
               sentence="RSA signatures MUST use an RSASSA-PSS algorithm, regardless of "
                        "whether RSASSA-PKCS1-v1_5 algorithms appear in "
                        "\"signature_algorithms\".",
               expect=alert("illegal_parameter", "decrypt_error", "handshake_failure")),
    ClientCase(id="tls13-certificate-verify-client-context-refused", rfc=("8446", "4.4.3"),
               version="tls13", topics=TOPIC, mutations=[signed_as_client()],
               requirement="a server CertificateVerify over the client's context string is "
                           "refused with decrypt_error",
               sentence=BAD_SIGNATURE["tls13"], alert_level=Level.MUST,
               expect=alert("decrypt_error")),
    ClientCase(id="tls13-certificate-verify-missing-refused", rfc=("8446", "4.4.3"),
               version="tls13", topics=TOPIC, mutations=[omit_server("CertificateVerify")],
               requirement="a server Finished right after its Certificate, without "
                           "CertificateVerify, is refused with unexpected_message",
               sentence="Servers MUST send this message when authenticating via a "
                        "certificate. (RFC 8446 6.2: unexpected_message: An inappropriate "
                        "message (e.g., the wrong handshake message ...) was received.)",
               expect=alert("unexpected_message")),
    ClientCase(id="tls12-server-key-exchange-missing-refused", rfc=("5246", "7.4.3"),
               version="tls12", topics=TOPIC, mutations=[omit_server("ServerKeyExchange")],
               requirement="an ECDHE ServerHelloDone without ServerKeyExchange is refused "
                           "with unexpected_message",
               sentence="This message will be sent immediately after the server Certificate "
                        "message (or the ServerHello message, if this is an anonymous "
                        "negotiation). The ServerKeyExchange message is sent by the server "
                        "only when the server Certificate message (if sent) does not contain "
                        "enough data to allow the client to exchange a premaster secret. "
                        "This is true for the following key exchange methods: DHE_DSS, "
                        "DHE_RSA, DH_anon",
               expect=alert("unexpected_message", "handshake_failure")),
    *each_version("server-finished-bit-flipped-refused", rfc=VERIFY, topics=FINISHED,
                  mutations=[server_finished(flip_middle_bit())],
                  requirement="a server Finished with a wrong verify_data is refused with "
                              "decrypt_error",
                  sentence=VERIFY_SENTENCE, alert_level=MUST_13,
                  expect=alert("decrypt_error")),
    *each_version("server-finished-short-refused", rfc=VERIFY, topics=FINISHED,
                  mutations=[server_finished(truncate(-1))],
                  requirement="a server Finished one byte short is refused with decode_error "
                              "or decrypt_error",
                  sentence=LENGTH_SENTENCE, expect=alert("decode_error", "decrypt_error")),
    *each_version("server-finished-long-refused", rfc=VERIFY, topics=FINISHED,
                  mutations=[server_finished(extend_by(b"\x00"))],
                  requirement="a server Finished one byte long is refused with decode_error "
                              "or decrypt_error",
                  sentence=LENGTH_SENTENCE, expect=alert("decode_error", "decrypt_error")),
]


@cases(*ROWS)
def test_clients_signatures(case, client_conformance):
    client_conformance.check(case)
