"""The ClientHello's structure: length fields, trailing bytes, the session id, compression
methods, duplicate, unknown and many extensions, a large hello (RFC 8446 4.1.2, 4.2, 6;
RFC 5246 7.4.1.2, 7.4.1.4).

A message that does not parse gets decode_error in both versions: RFC 5246 7.4.1.2 says a
server "MUST check that the amount of data in the message precisely matches one of these
formats; if not, then it MUST send a fatal "decode_error" alert", and the note of RFC 8446
6 says peers "MUST terminate the connection with a "decode_error" alert". Both name the
alert, so another alert or none fails the row in either version.
"""

from tlsconform.client.words import (
    compression,
    duplicate_extension,
    extension,
    extension_length_skew,
    hello_padded_to,
    length_skew,
    session_id_bytes,
    trailing_bytes,
)
from tlsconform.messages import extensions as ext
from tlsconform.scenario import cases, each_version
from tlsconform.verdict.expect import aborts_cleanly, alert, completes
from tlsconform.verdict.levels import Level

TOPIC = ("client_hello",)
DECODE = {"tls12": ("5246", "7.4.1.2"), "tls13": ("8446", "6")}
DECODE_SENTENCE = {
    "tls12": ("A server MUST accept ClientHello messages both with and without the extensions "
              "field, and (as for all other messages) it MUST check that the amount of data "
              "in the message precisely matches one of these formats; if not, then it MUST "
              "send a fatal \"decode_error\" alert."),
    "tls13": ("Peers which receive a message which cannot be parsed according to the syntax "
              "(e.g., have a length extending beyond the message boundary or contain an "
              "out-of-range length) MUST terminate the connection with a \"decode_error\" "
              "alert."),
}
NAMED = {"alert_level": Level.MUST, "silent_level": Level.MUST}
"""The RFC names the alert (RFC 8446 6.2: "terminate the connection with an X alert"
means the implementation MUST send alert X if it sends any alert)."""
DUPLICATE = {
    "tls12": "There MUST NOT be more than one extension of the same type.",  # 5246 7.4.1.4
    "tls13": ("There MUST NOT be more than one extension of the same type in a given "
              "extension block. ... Peers which receive a message which is syntactically "
              "correct but semantically invalid ... MUST terminate the connection with an "
              "\"illegal_parameter\" alert."),  # RFC 8446 4.2 and 6
}
IGNORE_UNKNOWN = {
    "tls12": ("TLS servers implementing this specification MUST ignore any unknown extensions "
              "offered by the client"),  # RFC 5746 3.6
    "tls13": "Servers MUST ignore unrecognized extensions.",  # RFC 8446 4.1.2
}
IGNORE_RFC = {"tls12": ("5746", "3.6"), "tls13": ("8446", "4.1.2")}
TLS13_COMPRESSION = ("For every TLS 1.3 ClientHello, this vector MUST contain exactly one "
                     "byte, set to zero, which corresponds to the \"null\" compression method "
                     "in prior versions of TLS. If a TLS 1.3 ClientHello is received with any "
                     "other value in this field, the server MUST abort the handshake with an "
                     "\"illegal_parameter\" alert.")  # RFC 8446 4.1.2
FIELD_NAMES = {"session_id": "legacy_session_id", "cipher_suites": "cipher_suites",
               "compression": "compression_methods", "extensions": "the extensions block"}
SKEWED_EXTENSIONS = {
    "tls12": [ext.SERVER_NAME, ext.SUPPORTED_GROUPS, ext.SIGNATURE_ALGORITHMS,
              ext.RENEGOTIATION_INFO],
    "tls13": [ext.SERVER_NAME, ext.SUPPORTED_GROUPS, ext.SIGNATURE_ALGORITHMS, ext.KEY_SHARE,
              ext.SUPPORTED_VERSIONS],
}
UNKNOWN_TYPES = (0xFE00, 0x7777)


def _slug(code: int) -> str:
    return ext.NAMES[code].replace("_", "-")


LENGTH_ROWS = [
    case
    for field in FIELD_NAMES
    for delta, word in ((-1, "short"), (1, "long"))
    for case in each_version(
        f"{field.replace('_', '-')}-length-one-too-{word}", rfc=DECODE, topics=TOPIC,
        sentence=DECODE_SENTENCE, **NAMED,
        requirement=f"the length field of {FIELD_NAMES[field]} one byte too {word} (its "
                    "content unchanged): the ClientHello does not parse, decode_error",
        mutations=[length_skew(field, delta)], expect=alert("decode_error"))
]

EXTENSION_LENGTH_ROWS = [
    case
    for version, codes in SKEWED_EXTENSIONS.items()
    for code in codes
    for delta, word in ((-1, "short"), (1, "long"))
    for case in each_version(
        f"{_slug(code)}-length-one-too-{word}", versions=(version,), rfc=DECODE,
        topics=TOPIC, sentence=DECODE_SENTENCE, **NAMED,
        requirement=f"the {ext.NAMES[code]} extension's own length one byte too {word}: "
                    "the extensions no longer parse, decode_error",
        mutations=[extension_length_skew(code, delta)], expect=alert("decode_error"))
]

CLIENT_HELLO = [
    *LENGTH_ROWS,
    *EXTENSION_LENGTH_ROWS,
    *each_version("trailing-bytes-after-extensions",
                  rfc={"tls12": ("8446", "4.1.2"), "tls13": ("8446", "6")}, topics=TOPIC,
                  sentence={
                      "tls12": ("If negotiating a version of TLS prior to 1.3, a server MUST "
                                "check that the message either contains no data after "
                                "legacy_compression_methods or that it contains a valid "
                                "extensions block with no data following. If not, then it "
                                "MUST abort the handshake with a \"decode_error\" alert."),
                      "tls13": DECODE_SENTENCE["tls13"]},
                  **NAMED,
                  requirement="two bytes after a valid extensions block: decode_error",
                  mutations=[trailing_bytes(b"\x00\x00")], expect=alert("decode_error")),
    *each_version("session-id-of-33-bytes", rfc={"tls12": ("5246", "7.4.1.2"),
                                                  "tls13": ("8446", "6")},
                  topics=TOPIC, sentence=DECODE_SENTENCE, **NAMED,
                  requirement={
                      "tls12": "legacy_session_id is <0..32>: 33 bytes is out of range; RFC "
                               "5246 7.2.2 names both decode_error (\"some field was out of "
                               "the specified range\") and illegal_parameter (\"a field in "
                               "the handshake was out of range\") for it",
                      "tls13": "legacy_session_id is <0..32>: 33 bytes is an out-of-range "
                               "length, decode_error"},
                  mutations=[session_id_bytes(bytes(range(33)))],
                  expect={"tls12": alert("decode_error", "illegal_parameter"),
                          "tls13": alert("decode_error")}),
    *[case for methods, name in ((b"\x01\x00", "deflate-then-null"),
                                 (b"\x00\x01", "null-then-deflate"), (b"\x01", "deflate-only"))
      for case in each_version(
          f"compression-{name}", versions=("tls13",), rfc=("8446", "4.1.2"), topics=TOPIC,
          sentence=TLS13_COMPRESSION, **NAMED,
          requirement=f"TLS 1.3 compression_methods {methods.hex()}, not exactly [null]: "
                      "illegal_parameter",
          mutations=[compression(methods)], expect=alert("illegal_parameter"))],
    *each_version("compression-without-null", versions=("tls12",), rfc=("5246", "7.4.1.2"),
                  topics=TOPIC,
                  sentence=("This vector MUST contain, and all implementations MUST support, "
                            "CompressionMethod.null."),
                  requirement="compression_methods [deflate] without null: the server can "
                              "select only from the client's list (RFC 5246 7.4.1.3), so it "
                              "cannot go on with null; the RFC names no alert: any fatal "
                              "alert",
                  mutations=[compression(b"\x01")], expect=aborts_cleanly()),
    *each_version("compression-deflate-and-null", versions=("tls12",), rfc=("9325", "3.3"),
                  topics=TOPIC, level=Level.SHOULD,
                  sentence=("... when using TLS 1.2, implementations and deployments SHOULD "
                            "NOT support TLS-level compression"),
                  requirement="compression_methods [deflate, null]: the server selects null",
                  mutations=[compression(b"\x01\x00")], expect=completes()),
    *[case for code in (ext.SUPPORTED_GROUPS, ext.SIGNATURE_ALGORITHMS)
      for case in each_version(
          f"duplicate-{_slug(code)}", rfc={"tls12": ("5246", "7.4.1.4"),
                                           "tls13": ("8446", "4.2")},
          topics=TOPIC, sentence=DUPLICATE,
          level={"tls12": Level.SHOULD, "tls13": Level.MUST},
          alert_level={"tls12": Level.SHOULD, "tls13": None},
          silent_level={"tls12": Level.SHOULD, "tls13": None},
          requirement={
              "tls12": f"{ext.NAMES[code]} twice: the rule is the sender's, and RFC 5246 "
                       "names nothing for the receiver; refusing it (illegal_parameter, or "
                       "decode_error) is what the rule asks of a careful server",
              "tls13": f"{ext.NAMES[code]} twice: a semantically invalid ClientHello, "
                       "illegal_parameter (decode_error is accepted for a server that reads "
                       "it as a syntax error)"},
          mutations=[duplicate_extension(code)],
          expect=alert("illegal_parameter", "decode_error"))],
    *[case for code in (ext.KEY_SHARE, ext.SUPPORTED_VERSIONS)
      for case in each_version(
          f"duplicate-{_slug(code)}", versions=("tls13",), rfc=("8446", "4.2"), topics=TOPIC,
          sentence=DUPLICATE["tls13"],
          requirement=f"{ext.NAMES[code]} twice: a semantically invalid ClientHello, "
                      "illegal_parameter (or decode_error)",
          mutations=[duplicate_extension(code)],
          expect=alert("illegal_parameter", "decode_error"))],
    *[case for code, body, name in ((UNKNOWN_TYPES[0], b"", "empty"),
                                    (UNKNOWN_TYPES[1], b"\x01\x02\x03", "with-data"))
      for case in each_version(
          f"unknown-extension-{name}-ignored", rfc=IGNORE_RFC, topics=TOPIC,
          sentence=IGNORE_UNKNOWN,
          requirement=f"an unassigned extension 0x{code:04x} ({len(body)} bytes) is ignored",
          mutations=[extension(code, body)], expect=completes())],
    *each_version("forty-unknown-extensions-ignored", rfc=IGNORE_RFC, topics=TOPIC,
                  sentence=IGNORE_UNKNOWN,
                  requirement="forty unassigned extensions, each with a byte of data, are "
                              "ignored",
                  mutations=[extension(0x5A00 + i, bytes([i])) for i in range(40)],
                  expect=completes()),
    *each_version("client-hello-of-16000-bytes", rfc=("7685", "3"), topics=TOPIC,
                  sentence=("A new extension type (\"padding(21)\") is defined and MAY be "
                            "included by the client in its ClientHello message."),
                  requirement="a ClientHello padded to 16000 bytes (one record under 2^14): a "
                              "padding the client MAY send, which the server reads like any "
                              "other extension",
                  mutations=[hello_padded_to(16000)], expect=completes()),
]


@cases(*CLIENT_HELLO)
def test_client_hello(case, conformance):
    conformance.check(case)
