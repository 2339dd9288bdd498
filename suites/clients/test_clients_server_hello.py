"""What the client checks in the server's hello (RFC 8446 4.1.3, 4.2, 4.2.1, 4.2.8; RFC
5246 7.4.1.3, 7.4.1.4; RFC 8996 5; RFC 8701 3.1; RFC 5746 3.4): a server that selects
what the client did not offer, or answers what it did not ask, is refused."""

from tlsconform.messages import extensions as ext
from tlsconform.scenario import cases
from tlsconform.server.scenario import ClientCase, each_version
from tlsconform.server.words import (
    add_encrypted_extension,
    add_server_hello_extension,
    choose_group,
    choose_offered_suite,
    choose_suite,
    choose_unoffered_group,
    choose_unoffered_suite,
    choose_version,
    compression_method,
    downgrade_sentinel,
    drop_server_hello_extension,
    duplicate_extension,
    omit_server,
    server_key_share,
    session_id_echo,
    unsolicited_extension,
)
from tlsconform.verdict.expect import aborts, alert
from tlsconform.verdict.levels import Level

TOPIC = ("server_hello",)
# Suites no client offers today (static DH, PSK, Camellia ...), then older CBC ones.
UNOFFERED_TLS12 = (0x0030, 0x0031, 0x0036, 0x0037, 0x00A4, 0xC0A0, 0x003C, 0x009C)
UNOFFERED_TLS13 = (0x1305, 0x1304, 0x1303, 0x1302)
# brainpoolP256r1/384r1/512r1, secp256k1, secp224r1: curves few clients offer today
UNOFFERED_CURVES = (26, 27, 28, 22, 21)
SUITE = {"tls12": ("5246", "7.4.1.3"), "tls13": ("8446", "4.1.3")}
SUITE_SENTENCE = {
    "tls12": "cipher_suite: The single cipher suite selected by the server from the list in "
             "ClientHello.cipher_suites. (7.2.2: illegal_parameter: A field in the handshake "
             "was out of range or inconsistent with other fields.)",
    "tls13": "A client which receives a cipher suite that was not offered MUST abort the "
             "handshake with an \"illegal_parameter\" alert.",
}
MUST_13 = {"tls12": None, "tls13": Level.MUST}
UNSOLICITED = {"tls12": ("5246", "7.4.1.4"), "tls13": ("8446", "4.2")}
UNSOLICITED_SENTENCE = {
    "tls12": "If a client receives an extension type in ServerHello that it did not request "
             "in the associated ClientHello, it MUST abort the handshake with an "
             "unsupported_extension fatal alert.",
    "tls13": "Implementations MUST NOT send extension responses if the remote endpoint did "
             "not send the corresponding extension requests, with the exception of the "
             "\"cookie\" extension in the HelloRetryRequest. Upon receiving such an "
             "extension, an endpoint MUST abort the handshake with an "
             "\"unsupported_extension\" alert.",
}
DUPLICATE_SENTENCE = {
    "tls12": "There MUST NOT be more than one extension of the same type.",
    "tls13": "There MUST NOT be more than one extension of the same type in a given "
             "extension block.",
}
NOT_FOR_MESSAGE = ("If an implementation receives an extension which it recognizes and which "
                   "is not specified for the message in which it appears, it MUST abort the "
                   "handshake with an \"illegal_parameter\" alert.")
GREASE = ("Clients MUST reject GREASE values when negotiated by the server. In particular, "
          "the client MUST fail the connection if a GREASE value appears in any of the "
          "following: The \"version\" value in a ServerHello or HelloRetryRequest; The "
          "\"cipher_suite\" value in a ServerHello; Any ServerHello extension")

ROWS = [
    *each_version("unoffered-suite-refused", rfc=SUITE, topics=TOPIC,
                  mutations={"tls12": [choose_unoffered_suite(*UNOFFERED_TLS12)],
                             "tls13": [choose_unoffered_suite(*UNOFFERED_TLS13)]},
                  requirement="a ServerHello selecting a suite the client did not offer is "
                              "refused with illegal_parameter",
                  sentence=SUITE_SENTENCE, alert_level=MUST_13,
                  expect=alert("illegal_parameter", "handshake_failure")),
    *each_version("grease-suite-refused", rfc=("8701", "3.1"), topics=TOPIC,
                  mutations=[choose_suite(0x1A1A)],
                  requirement="a ServerHello selecting a GREASE suite is refused",
                  sentence=GREASE, expect=aborts()),
    ClientCase(id="tls12-tls11-version-refused", rfc=("8996", "5"), version="tls12",
               topics=TOPIC,
               # with a suite TLS 1.1 has (ECDHE or RSA with AES-CBC-SHA), so a client that
               # offers TLS 1.1 is not refusing a TLS 1.2-only suite instead of the version
               mutations=[choose_version(0x0302, where="legacy"),
                          choose_offered_suite(0xC013, 0xC014, 0x002F, 0x0035)],
               requirement="a ServerHello selecting TLS 1.1 is refused with protocol_version",
               sentence="Any party receiving a Hello message with the protocol version set "
                        "to {03,02} MUST respond with a \"protocol_version\" alert message "
                        "and close the connection.",
               alert_level=Level.MUST, expect=alert("protocol_version")),
    ClientCase(id="tls13-supported-versions-tls12-refused", rfc=("8446", "4.2.1"),
               version="tls13", topics=TOPIC, mutations=[choose_version(0x0303)],
               requirement="supported_versions in ServerHello selecting TLS 1.2 is refused "
                           "with illegal_parameter",
               sentence="If the \"supported_versions\" extension in the ServerHello contains "
                        "a version not offered by the client or contains a version prior to "
                        "TLS 1.3, the client MUST abort the handshake with an "
                        "\"illegal_parameter\" alert.",
               alert_level=Level.MUST, expect=alert("illegal_parameter")),
    ClientCase(id="tls13-supported-versions-unoffered-refused", rfc=("8446", "4.2.1"),
               version="tls13", topics=TOPIC, mutations=[choose_version(0x0305)],
               requirement="supported_versions in ServerHello selecting a version the client "
                           "did not offer is refused with illegal_parameter",
               sentence="If the \"supported_versions\" extension in the ServerHello contains "
                        "a version not offered by the client or contains a version prior to "
                        "TLS 1.3, the client MUST abort the handshake with an "
                        "\"illegal_parameter\" alert.",
               alert_level=Level.MUST, expect=alert("illegal_parameter")),
    ClientCase(id="tls13-no-supported-versions-refused", rfc=("8446", "4.1.3"),
               version="tls13", topics=TOPIC,
               mutations=[drop_server_hello_extension(ext.SUPPORTED_VERSIONS)],
               requirement="a ServerHello with a TLS 1.3 suite and key share but no "
                           "supported_versions (so TLS 1.2 by its legacy_version) is refused",
               sentence="A client which receives a cipher suite that was not offered MUST "
                        "abort the handshake with an \"illegal_parameter\" alert. (A TLS 1.3 "
                        "suite is no TLS 1.2 suite, and key_share no TLS 1.2 extension.)",
               expect=alert("illegal_parameter", "unsupported_extension",
                            "handshake_failure", "protocol_version")),
    ClientCase(id="tls12-downgrade-sentinel-refused", rfc=("8446", "4.1.3"), version="tls12",
               topics=TOPIC, mutations=[downgrade_sentinel(1)],
               requirement="a TLS 1.2 ServerHello whose random ends with the TLS 1.3 "
                           "downgrade sentinel is refused with illegal_parameter by a client "
                           "that offered TLS 1.3",
               sentence="TLS 1.3 clients receiving a ServerHello indicating TLS 1.2 or below "
                        "MUST check that the last 8 bytes are not equal to either of these "
                        "values. ... If a match is found, the client MUST abort the "
                        "handshake with an \"illegal_parameter\" alert.",
               alert_level=Level.MUST, expect=alert("illegal_parameter")),
    ClientCase(id="tls13-session-id-echo-differs-refused", rfc=("8446", "4.1.3"),
               version="tls13", topics=TOPIC,
               mutations=[session_id_echo(lambda sid: bytes(b ^ 0xFF for b in sid) or b"\x01" * 32,
                                          "ServerHello echoing another legacy_session_id")],
               requirement="a legacy_session_id_echo that differs from the client's is "
                           "refused with illegal_parameter",
               sentence="A client which receives a legacy_session_id_echo field that does not "
                        "match what it sent in the ClientHello MUST abort the handshake with "
                        "an \"illegal_parameter\" alert.",
               alert_level=Level.MUST, expect=alert("illegal_parameter")),
    *each_version("compression-method-refused", topics=TOPIC,
                  rfc={"tls12": ("5246", "7.4.1.3"), "tls13": ("8446", "4.1.3")},
                  mutations=[compression_method(1)],
                  requirement="a ServerHello selecting DEFLATE compression, which the client "
                              "did not offer, is refused",
                  sentence={"tls12": "compression_method: The single compression algorithm "
                                     "selected by the server from the list in "
                                     "ClientHello.compression_methods.",
                            "tls13": "legacy_compression_method: A single byte which MUST "
                                     "have the value 0."},
                  expect=alert("illegal_parameter", "decode_error", "handshake_failure")),
    *each_version("unoffered-group-refused", topics=TOPIC,
                  rfc={"tls12": ("8422", "5.4"), "tls13": ("8446", "4.2.8")},
                  mutations={"tls12": [choose_unoffered_group(*UNOFFERED_CURVES)],
                             "tls13": [choose_unoffered_group(256, 257, *UNOFFERED_CURVES)]},
                  requirement="a server key exchange on a group the client did not offer is "
                              "refused",
                  sentence={"tls12": "The client verifies the ServerKeyExchange; a curve not "
                                     "in its supported_groups is one it cannot use (5.1: "
                                     "the client's capabilities ... are exceeded).",
                            "tls13": "If using (EC)DHE key establishment, servers offer "
                                     "exactly one KeyShareEntry in the ServerHello. This "
                                     "value MUST be in the same group as the KeyShareEntry "
                                     "value offered by the client that the server has "
                                     "selected for the negotiated key exchange."},
                  expect=alert("illegal_parameter", "handshake_failure")),
    ClientCase(id="tls13-grease-group-refused", rfc=("8701", "3.1"), version="tls13",
               topics=TOPIC, mutations=[choose_group(0x2A2A)],
               requirement="a ServerHello key share for a GREASE group is refused",
               sentence="Clients MUST reject GREASE values when negotiated by the server.",
               expect=aborts()),
    *each_version("unsolicited-extension-refused", rfc=UNSOLICITED, topics=TOPIC,
                  mutations=[unsolicited_extension("ServerHello")],
                  requirement="a ServerHello extension the client did not send is refused "
                              "with unsupported_extension",
                  sentence=UNSOLICITED_SENTENCE, alert_level=Level.MUST,
                  expect=alert("unsupported_extension")),
    ClientCase(id="tls13-unsolicited-encrypted-extension-refused", rfc=("8446", "4.2"),
               version="tls13", topics=TOPIC,
               mutations=[unsolicited_extension("EncryptedExtensions")],
               requirement="an EncryptedExtensions extension the client did not send is "
                           "refused with unsupported_extension",
               sentence=UNSOLICITED_SENTENCE["tls13"], alert_level=Level.MUST,
               expect=alert("unsupported_extension")),
    ClientCase(id="tls13-key-share-in-encrypted-extensions-refused", rfc=("8446", "4.2"),
               version="tls13", topics=TOPIC,
               mutations=[add_encrypted_extension((ext.KEY_SHARE, b"\x00\x1d\x00\x00"))],
               requirement="key_share in EncryptedExtensions (it belongs in ServerHello) is "
                           "refused with illegal_parameter",
               sentence=NOT_FOR_MESSAGE, alert_level=Level.MUST,
               expect=alert("illegal_parameter", "unsupported_extension")),
    ClientCase(id="tls13-supported-versions-in-encrypted-extensions-refused",
               rfc=("8446", "4.2"), version="tls13", topics=TOPIC,
               mutations=[add_encrypted_extension((ext.SUPPORTED_VERSIONS, b"\x03\x04"))],
               requirement="supported_versions in EncryptedExtensions is refused with "
                           "illegal_parameter",
               sentence=NOT_FOR_MESSAGE, alert_level=Level.MUST,
               expect=alert("illegal_parameter", "unsupported_extension")),
    *each_version("duplicate-extension-refused", topics=TOPIC,
                  rfc={"tls12": ("5246", "7.4.1.4"), "tls13": ("8446", "4.2")},
                  mutations={"tls12": [duplicate_extension(ext.RENEGOTIATION_INFO)],
                             "tls13": [duplicate_extension(ext.SUPPORTED_VERSIONS)]},
                  requirement="a ServerHello carrying the same extension twice is refused",
                  sentence=DUPLICATE_SENTENCE,
                  expect=alert("decode_error", "illegal_parameter", "unsupported_extension")),
    ClientCase(id="tls13-grease-extension-refused", rfc=("8701", "3.1"), version="tls13",
               topics=TOPIC, mutations=[add_server_hello_extension((0x3A3A, b""))],
               requirement="a GREASE extension in ServerHello is refused",
               sentence=GREASE, expect=aborts()),
    ClientCase(id="tls12-renegotiation-info-not-empty-refused", rfc=("5746", "3.4"),
               version="tls12", topics=TOPIC,
               mutations=[  # in place of the empty one a correct server sends
                   drop_server_hello_extension(ext.RENEGOTIATION_INFO),
                   add_server_hello_extension(
                       (ext.RENEGOTIATION_INFO, b"\x0c" + bytes(12)),
                       "ServerHello renegotiation_info with a 12-byte renegotiated_connection")],
               requirement="an initial ServerHello whose renegotiation_info is not empty is "
                           "refused with handshake_failure",
               sentence="The client MUST then verify that the length of the "
                        "\"renegotiated_connection\" field is zero, and if it is not, MUST "
                        "abort the handshake (by sending a fatal handshake_failure alert).",
               alert_level=Level.MUST, expect=alert("handshake_failure")),
    ClientCase(id="tls12-scsv-selected-refused", rfc=("5746", "3.3"), version="tls12",
               topics=TOPIC, mutations=[choose_suite(0x00FF)],
               requirement="a ServerHello selecting TLS_EMPTY_RENEGOTIATION_INFO_SCSV, which "
                           "is no cipher suite, is refused",
               sentence="This SCSV is not a true cipher suite (it does not correspond to any "
                        "valid set of algorithms) and cannot be negotiated.",
               expect=alert("illegal_parameter", "handshake_failure")),
    ClientCase(id="tls13-x25519-zero-share-refused", rfc=("8446", "7.4.2"), version="tls13",
               topics=TOPIC,
               mutations=[server_key_share(bytes(32), "ServerHello x25519 share of zeros "
                                           "(a low-order point)", group=29)],
               requirement="an x25519 share that makes the shared secret zero is refused",
               sentence="For X25519 and X448, ... Implementations MUST check whether the "
                        "computed Diffie-Hellman shared secret is the all-zero value and "
                        "abort if so, as described in Section 6 of [RFC7748].",
               expect=alert("illegal_parameter", "handshake_failure", "decrypt_error",
                            "decode_error")),
    ClientCase(id="tls12-invalid-ecdhe-point-refused", rfc=("8422", "5.11"), version="tls12",
               topics=TOPIC,
               mutations=[server_key_share(b"\x04" + bytes(64), "ServerKeyExchange "
                                           "secp256r1 point (0, 0), not on the curve",
                                           group=23)],
               requirement="a ServerKeyExchange point that is not on the curve is refused",
               sentence="All X9.62 public keys MUST be validated ... the receiving party "
                        "MUST check that the point is on the curve (5.11: Public Key "
                        "Validation)",
               expect=alert("illegal_parameter", "handshake_failure", "decrypt_error",
                            "decode_error")),
    ClientCase(id="tls13-encrypted-extensions-missing-refused", rfc=("8446", "4"),
               version="tls13", topics=TOPIC, mutations=[omit_server("EncryptedExtensions")],
               requirement="a server Certificate right after ServerHello, without "
                           "EncryptedExtensions, is refused with unexpected_message",
               sentence="A peer which receives a handshake message in an unexpected order "
                        "MUST abort the handshake with an \"unexpected_message\" alert.",
               alert_level=Level.MUST, expect=alert("unexpected_message")),
    *each_version("server-certificate-missing-refused", topics=TOPIC,
                  rfc={"tls12": ("5246", "7.4.2"), "tls13": ("8446", "4")},
                  mutations=[omit_server("Certificate")],
                  requirement="a server flight without its Certificate (certificate "
                              "authentication) is refused with unexpected_message",
                  sentence={"tls12": "The server MUST send a Certificate message whenever "
                                     "the agreed-upon key exchange method uses certificates "
                                     "for authentication. (7.2.2: unexpected_message: An "
                                     "inappropriate message was received.)",
                            "tls13": "A peer which receives a handshake message in an "
                                     "unexpected order MUST abort the handshake with an "
                                     "\"unexpected_message\" alert."},
                  alert_level={"tls12": None, "tls13": Level.MUST},
                  expect=alert("unexpected_message")),
]


@cases(*ROWS)
def test_clients_server_hello(case, client_conformance):
    client_conformance.check(case)
