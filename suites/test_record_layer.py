"""The record layer: content types, lengths, limits, protection, padding, fragmentation and
coalescing (RFC 8446 5-5.4, RFC 5246 6-6.2.3, 7.2.2).

Protected records that fail to open get bad_record_mac: "If the decryption fails, the
receiver MUST terminate the connection with a bad_record_mac alert" (RFC 8446 5.2; RFC
5246 7.2.2 defines the alert for an incorrect MAC and says it "also MUST be returned if an
alert is sent because a TLSCiphertext decrypted in an invalid way"). Oversized records get
record_overflow: "An endpoint that receives a record that exceeds this length MUST
terminate the connection with a record_overflow alert" (RFC 8446 5.1, 5.2).
"""

from tlsconform.client.words import (
    after_handshake,
    application_data,
    application_data_of,
    before_hello,
    cbc_padding,
    ciphers,
    coalesce,
    corrupt_record,
    fragment,
    fragment_evenly,
    hello_padded_to,
    inner_padding,
    instead_of,
    interleaved,
    length_field,
    raw_record,
    record_version_of,
)
from tlsconform.crypto import suites as cs
from tlsconform.scenario import Case, Need, cases, each_version
from tlsconform.verdict.expect import (
    aborts_cleanly,
    alert,
    completes,
    completes_or_aborts,
    completes_or_refuses,
    completes_with,
    server_record_versions,
)
from tlsconform.verdict.levels import Level

TOPIC = ("record_layer",)
RECORD = {"tls12": ("5246", "6"), "tls13": ("8446", "5")}
PROTECTION = {"tls12": ("5246", "7.2.2"), "tls13": ("8446", "5.2")}
LIMIT = {"tls12": ("5246", "6.2.1"), "tls13": ("8446", "5.1")}
FRAGMENTS = {"tls12": ("5246", "6.2.1"), "tls13": ("8446", "5.1")}
MAX = 2**14
TLS12_GCM = [cs.ECDHE_RSA_AES128_GCM_SHA256, cs.ECDHE_RSA_AES256_GCM_SHA384,
             cs.ECDHE_ECDSA_AES128_GCM_SHA256, cs.ECDHE_ECDSA_AES256_GCM_SHA384]
TLS12_CBC = [cs.ECDHE_RSA_AES128_CBC_SHA, cs.ECDHE_RSA_AES128_CBC_SHA256,
             cs.ECDHE_ECDSA_AES128_CBC_SHA, cs.ECDHE_ECDSA_AES128_CBC_SHA256]
TLS13_MUST = {"tls12": None, "tls13": Level.MUST}
UNEXPECTED_RECORD = {
    "tls12": ("If a TLS implementation receives an unexpected record type, it MUST send an "
              "unexpected_message alert."),  # RFC 5246 6
    "tls13": ("If a TLS implementation receives an unexpected record type, it MUST terminate "
              "the connection with an \"unexpected_message\" alert."),  # RFC 8446 5
}
NO_ZERO_LENGTH = {
    "tls12": ("Implementations MUST NOT send zero-length fragments of Handshake, Alert, or "
              "ChangeCipherSpec content types."),  # RFC 5246 6.2.1
    "tls13": ("Implementations MUST NOT send zero-length fragments of Handshake types, even if "
              "those fragments contain padding. ... Alert messages MUST NOT be fragmented "
              "across records"),  # RFC 8446 5.1
}
ZERO_LENGTH_DATA = {
    "tls12": ("Zero-length fragments of Application data MAY be sent as they are potentially "
              "useful as a traffic analysis countermeasure."),  # RFC 5246 6.2.1
    "tls13": ("Zero-length fragments of Application Data MAY be sent, as they are potentially "
              "useful as a traffic analysis countermeasure."),  # RFC 8446 5.1
}
CCS_VALUE = ("An implementation which receives any other change_cipher_spec value or which "
             "receives a protected change_cipher_spec record MUST abort the handshake with an "
             "\"unexpected_message\" alert.")  # RFC 8446 5
ALL_ZERO = ("If a receiving implementation does not find a non-zero octet in the cleartext, it "
            "MUST terminate the connection with an \"unexpected_message\" alert.")  # 8446 5.4
PADDING = ("All encrypted TLS records can be padded. ... Padding is a string of zero-valued "
           "bytes appended to the ContentType field before encryption.")  # RFC 8446 5.4
PADDING_LIMIT = ("The presence of padding does not change the overall record size limitations: "
                 "the full encoded TLSInnerPlaintext MUST NOT exceed 2^14 + 1 octets.")  # 5.4
PLAINTEXT_LIMIT = {
    "tls12": ("The length MUST NOT exceed 2^14. (7.2.2 defines record_overflow for an "
              "oversized TLSCiphertext or decrypted record.)"),  # RFC 5246 6.2.1
    "tls13": ("The length MUST NOT exceed 2^14 bytes. An endpoint that receives a record that "
              "exceeds this length MUST terminate the connection with a \"record_overflow\" "
              "alert."),  # RFC 8446 5.1
}
# RFC 5246 defines record_overflow for a ciphertext over 2^14 + 2048 or a decrypted record
# over 2^14 + 1024, not for a plaintext record just over 2^14: there record_overflow is the
# closest alert, a SHOULD.
PLAINTEXT_ALERT = {"tls12": Level.SHOULD, "tls13": Level.MUST}
CIPHERTEXT_LIMIT = {
    "tls12": ("record_overflow: A TLSCiphertext record was received that had a length more "
              "than 2^14+2048 bytes"),  # RFC 5246 7.2.2
    "tls13": ("The length MUST NOT exceed 2^14 + 256 bytes. An endpoint that receives a record "
              "that exceeds this length MUST terminate the connection with a "
              "\"record_overflow\" alert."),  # RFC 8446 5.2
}
DEPROTECTION = {
    "tls12": ("bad_record_mac: This alert is returned if a record is received with an "
              "incorrect MAC. This alert also MUST be returned if an alert is sent because a "
              "TLSCiphertext decrypted in an invalid way: either it wasn't an even multiple of "
              "the block length, or its padding values, when checked, weren't correct."),
    "tls13": ("If the decryption fails, the receiver MUST terminate the connection with a "
              "\"bad_record_mac\" alert."),  # RFC 8446 5.2
}
LONG_PADDING = ("The padding MAY be any length up to 255 bytes, as long as it results in the "
                "TLSCiphertext.length being an integral multiple of the block length.")
MAY_FRAGMENT = {
    "tls12": ("Client message boundaries are not preserved in the record layer (i.e., multiple "
              "client messages of the same ContentType MAY be coalesced into a single "
              "TLSPlaintext record, or a single message MAY be fragmented across several "
              "records)."),  # RFC 5246 6.2.1
    "tls13": ("Handshake messages MAY be coalesced into a single TLSPlaintext record or "
              "fragmented across several records"),  # RFC 8446 5.1
}
NOT_INTERLEAVED = ("Handshake messages MUST NOT be interleaved with other record types. That "
                   "is, if a handshake message is split over two or more records, there MUST "
                   "NOT be any other records between them.")  # RFC 8446 5.1
PLAINTEXT_VERSION = ("This field is deprecated and MUST be ignored for all purposes.")  # 5.1
SERVER_VERSION = {
    "tls12": "version: The version of the protocol being employed.",  # RFC 5246 6.2.1
    "tls13": ("legacy_record_version: MUST be set to 0x0303 for all records generated by a TLS "
              "1.3 implementation other than an initial ClientHello"),  # RFC 8446 5.1
}
NEEDS_GCM = (Need("an AES-GCM suite", (ciphers(*TLS12_GCM),)),)
NEEDS_CBC = (Need("an AES-CBC suite", (ciphers(*TLS12_CBC),)),)
BAD_MAC = alert("bad_record_mac")
OVERFLOW = alert("record_overflow")
UNEXPECTED = alert("unexpected_message")
# RFC 8446 5.1 and RFC 5246 6.2.1 forbid sending zero-length handshake and alert fragments
# but say nothing of receiving one: a server may skip it, or refuse it with any alert.
TOLERATED_OR_REFUSED = completes_or_aborts()


def rows(name: str, rfc: dict | tuple, requirement: str, mutations: list, expect: object,
         versions: tuple[str, ...] = ("tls12", "tls13"), **row: object) -> list[Case]:
    return each_version(name, versions=versions, rfc=rfc, topics=TOPIC,
                        requirement=requirement, mutations=mutations, expect=expect, **row)


RECORD_LAYER = [
    # -- content types -----------------------------------------------------------------------
    *rows("undefined-content-type-before-hello", RECORD,
          "a record of undefined content type 25 is an unexpected record type: it MUST be "
          "answered with unexpected_message",
          [before_hello(raw_record(25, b"\x01\x00"), "a record of content type 25")],
          UNEXPECTED,
          sentence=UNEXPECTED_RECORD, alert_level=TLS13_MUST),
    *rows("undefined-content-type-zero-before-hello", RECORD,
          "a record of content type 0 (invalid) is an unexpected record type: "
          "unexpected_message",
          [before_hello(raw_record(0, b"\x01\x00"), "a record of content type 0")],
          UNEXPECTED,
          sentence=UNEXPECTED_RECORD, alert_level=TLS13_MUST),
    Case(id="tls13-undefined-inner-content-type", version="tls13", rfc=("8446", "5"),
         sentence=UNEXPECTED_RECORD["tls13"], alert_level=Level.MUST,
         topics=TOPIC,
         requirement="a protected record whose inner content type is undefined (25) is an "
                     "unexpected record type: unexpected_message",
         mutations=[after_handshake(raw_record(23, b"\x01\x00", protected=True, inner_type=25),
                                    "a protected record of inner type 25")],
         expect=UNEXPECTED),
    Case(id="tls12-undefined-content-type-protected", version="tls12", rfc=("5246", "6"),
         sentence=UNEXPECTED_RECORD["tls12"],
         topics=TOPIC,
         requirement="a protected record of undefined content type 25 after the handshake "
                     "is an unexpected record type: unexpected_message",
         mutations=[after_handshake(raw_record(25, b"\x01\x00", protected=True),
                                    "a protected record of content type 25")],
         expect=UNEXPECTED),
    # -- zero-length records ---------------------------------------------------------------
    *rows("zero-length-handshake-record-before-hello", FRAGMENTS,
          "implementations MUST NOT send zero-length fragments of handshake types; the RFC "
          "sets no rule for receiving one: skipped, or refused with a fatal alert",
          [before_hello(raw_record(22, b""), "a zero-length handshake record")],
          TOLERATED_OR_REFUSED,
          sentence=NO_ZERO_LENGTH, alert_level=Level.MAY, silent_level=Level.MAY),
    *rows("zero-length-alert-record-before-hello", FRAGMENTS,
          "zero-length alert fragments MUST NOT be sent (RFC 5246 6.2.1; an alert is never "
          "fragmented, RFC 8446 5.1); the RFC sets no rule for receiving one: skipped, or "
          "refused with a fatal alert",
          [before_hello(raw_record(21, b""), "a zero-length alert record")],
          TOLERATED_OR_REFUSED,
          sentence=NO_ZERO_LENGTH, alert_level=Level.MAY, silent_level=Level.MAY),
    Case(id="tls12-zero-length-change-cipher-spec-record", version="tls12",
         sentence=NO_ZERO_LENGTH["tls12"],
         rfc=("5246", "6.2.1"), topics=TOPIC,
         requirement="zero-length ChangeCipherSpec fragments MUST NOT be sent; one in place "
                     "of the ChangeCipherSpec leaves the handshake unable to complete, so the "
                     "server aborts (the RFC names no alert: any fatal alert)",
         mutations=[instead_of("ChangeCipherSpec", raw_record(20, b""),
                               "a zero-length ChangeCipherSpec record")],
         expect=aborts_cleanly()),
    Case(id="tls13-zero-length-change-cipher-spec-record", version="tls13",
         sentence=CCS_VALUE, alert_level=Level.MUST,
         rfc=("8446", "5"), topics=TOPIC,
         requirement="a change_cipher_spec record whose value is not the single byte 0x01 "
                     "MUST abort the handshake with unexpected_message",
         mutations=[instead_of("ChangeCipherSpec", raw_record(20, b""),
                               "a zero-length ChangeCipherSpec record")], expect=UNEXPECTED),
    *rows("zero-length-application-data-accepted", FRAGMENTS,
          "zero-length fragments of application data MAY be sent: one before the request "
          "does not disturb the connection",
          [after_handshake(application_data(b""), "empty ApplicationData")], completes(),
          sentence=ZERO_LENGTH_DATA),
    # -- the TLS 1.3 inner plaintext -------------------------------------------------------------
    Case(id="tls13-all-zero-inner-plaintext", version="tls13", rfc=("8446", "5.4"),
         sentence=ALL_ZERO, alert_level=Level.MUST,
         topics=TOPIC,
         requirement="if a receiving implementation does not find a non-zero octet in the "
                     "cleartext, it MUST terminate the connection with unexpected_message",
         mutations=[after_handshake(raw_record(23, b"", protected=True, inner_type=0,
                                               padding=16), "an all-zero inner plaintext")],
         expect=UNEXPECTED),
    Case(id="tls13-padded-finished-accepted", version="tls13", rfc=("8446", "5.4"),
         sentence=PADDING,
         topics=TOPIC,
         requirement="senders may pad any TLS 1.3 record with zeros: a Finished with 100 "
                     "bytes of padding is accepted",
         mutations=[inner_padding("Finished", 100)], expect=completes()),
    Case(id="tls13-padded-request-accepted", version="tls13", rfc=("8446", "5.4"),
         sentence=PADDING,
         topics=TOPIC,
         requirement="padding on application data is removed before use: a request with "
                     "1000 bytes of padding is answered",
         mutations=[inner_padding("ApplicationData", 1000)], expect=completes()),
    Case(id="tls13-padding-to-the-limit-accepted", version="tls13", rfc=("8446", "5.4"),
         sentence=PADDING_LIMIT,
         topics=TOPIC,
         requirement="an inner plaintext of exactly 2^14 + 1 octets (the request, its type "
                     "and padding) is within the limit and accepted",
         mutations=[inner_padding("ApplicationData", MAX - 18)], expect=completes()),
    Case(id="tls13-padding-over-the-limit", version="tls13", rfc=("8446", "5.4"),
         sentence=PADDING_LIMIT, alert_level=Level.MAY, silent_level=Level.MAY,
         topics=TOPIC,
         requirement="the full encoded TLSInnerPlaintext MUST NOT exceed 2^14 + 1 octets (a "
                     "sender's rule; record_overflow is defined for a ciphertext over "
                     "2^14 + 256 or content over 2^14): one of 2^14 + 2 is refused with "
                     "record_overflow, or its small content accepted",
         mutations=[inner_padding("ApplicationData", MAX - 17)],
         expect=completes_or_refuses("record_overflow")),
    # -- size limits -----------------------------------------------------------------------
    *rows("client-hello-record-over-2^14", LIMIT,
          "the length of a plaintext record MUST NOT exceed 2^14: a ClientHello in a record "
          "of 2^14 + 1 bytes gets record_overflow",
          [hello_padded_to(MAX + 1)], OVERFLOW,
          sentence=PLAINTEXT_LIMIT, alert_level=PLAINTEXT_ALERT),
    *rows("client-hello-of-2^14-accepted", LIMIT,
          "a ClientHello (padded, RFC 7685) filling a record of exactly 2^14 bytes is "
          "within the limit and accepted", [hello_padded_to(MAX)], completes(),
          sentence=PLAINTEXT_LIMIT),
    *rows("application-data-record-over-2^14", LIMIT,
          "a protected record that decrypts to 2^14 + 1 bytes of application data is "
          "oversized: record_overflow",
          [after_handshake(application_data_of(MAX + 1), "ApplicationData of 2^14 + 1 "
                                                          "bytes")], OVERFLOW,
          sentence=PLAINTEXT_LIMIT, alert_level=PLAINTEXT_ALERT),
    Case(id="tls13-ciphertext-over-limit", version="tls13", rfc=("8446", "5.2"),
         sentence=CIPHERTEXT_LIMIT["tls13"], alert_level=Level.MUST,
         topics=TOPIC,
         requirement="a TLSCiphertext longer than 2^14 + 256 bytes MUST be answered with "
                     "record_overflow",
         mutations=[after_handshake(application_data_of(MAX + 241),
                                    "a ciphertext of 2^14 + 258 bytes")], expect=OVERFLOW),
    Case(id="tls12-ciphertext-over-limit", version="tls12", rfc=("5246", "7.2.2"),
         sentence=CIPHERTEXT_LIMIT["tls12"],
         topics=TOPIC,
         requirement="record_overflow: a TLSCiphertext record was received that had a length "
                     "more than 2^14 + 2048 bytes",
         mutations=[ciphers(*TLS12_GCM),
                    after_handshake(application_data_of(MAX + 2048 - 24 + 1),
                                    "a ciphertext of 2^14 + 2049 bytes")], expect=OVERFLOW,
         needs=NEEDS_GCM),
    # -- protection ---------------------------------------------------------------------------
    *rows("bad-authentication-tag", PROTECTION,
          "a Finished record whose authentication tag does not verify: bad_record_mac",
          [corrupt_record("Finished", -1)], BAD_MAC,
          sentence=DEPROTECTION, alert_level=TLS13_MUST),
    *rows("corrupted-ciphertext", PROTECTION,
          "a Finished record with one ciphertext byte flipped does not decrypt: "
          "bad_record_mac", [corrupt_record("Finished", 13)], BAD_MAC,
          sentence=DEPROTECTION, alert_level=TLS13_MUST),
    *rows("corrupted-application-data", PROTECTION,
          "an application data record whose tag does not verify: bad_record_mac",
          [corrupt_record("ApplicationData", -1)], BAD_MAC,
          sentence=DEPROTECTION, alert_level=TLS13_MUST),
    *rows("record-length-field-one-short", PROTECTION,
          "a protected record whose length field is one byte short: the record the server "
          "reads does not authenticate, bad_record_mac",
          [length_field("Finished", -1)], BAD_MAC,
          sentence=DEPROTECTION, alert_level=TLS13_MUST),
    Case(id="tls12-cbc-bad-padding", version="tls12", rfc=("5246", "7.2.2"), topics=TOPIC,
         sentence=DEPROTECTION["tls12"],
         requirement="a CBC record whose padding values are wrong MUST be answered with "
                     "bad_record_mac (not a distinct alert)",
         mutations=[ciphers(*TLS12_CBC), cbc_padding("Finished", bad=True)], expect=BAD_MAC,
         needs=NEEDS_CBC),
    Case(id="tls12-cbc-long-padding-accepted", version="tls12", rfc=("5246", "6.2.3.2"),
         sentence=LONG_PADDING,
         topics=TOPIC,
         requirement="CBC padding may be any length up to 255 bytes: a Finished with 64 "
                     "extra bytes of padding is accepted",
         mutations=[ciphers(*TLS12_CBC), cbc_padding("Finished", extra=64)],
         expect=completes(), needs=NEEDS_CBC),
    # -- fragmentation, interleaving, coalescing -------------------------------------------------
    *rows("client-hello-in-eight-records", FRAGMENTS,
          "handshake messages MAY be fragmented across several records: a ClientHello in "
          "eight records is accepted", [fragment_evenly("ClientHello", 8)], completes(),
          sentence=MAY_FRAGMENT),
    *rows("client-hello-first-record-one-byte", FRAGMENTS,
          "a ClientHello whose first record carries only its type byte is accepted",
          [fragment("ClientHello", 1)], completes(),
          sentence=MAY_FRAGMENT),
    Case(id="tls13-finished-interleaved-with-application-data", version="tls13",
         sentence=NOT_INTERLEAVED, alert_level=Level.MUST,
         rfc=("8446", "5.1"), topics=TOPIC,
         requirement="handshake messages MUST NOT be interleaved with other record types: "
                     "application data between two fragments of Finished gets "
                     "unexpected_message",
         mutations=[interleaved("Finished", 4, application_data(b"x"),
                                "an ApplicationData record")], expect=UNEXPECTED),
    Case(id="tls12-client-key-exchange-interleaved-with-application-data", version="tls12",
         sentence=UNEXPECTED_RECORD["tls12"],
         rfc=("5246", "6.2.1"), topics=TOPIC,
         requirement="a ClientKeyExchange split by an application data record: data before "
                     "the handshake completes is unexpected, unexpected_message",
         mutations=[interleaved("ClientKeyExchange", 4, application_data(b"x"),
                                "an ApplicationData record")], expect=UNEXPECTED),
    *rows("coalesced-client-flight", FRAGMENTS,
          "handshake messages MAY be coalesced into a single record: Certificate, "
          "ClientKeyExchange and CertificateVerify (TLS 1.2) or Certificate, "
          "CertificateVerify and Finished (TLS 1.3) in one record are accepted",
          [coalesce("second")], completes(), client_auth=True, client_cert="valid",
          sentence=MAY_FRAGMENT),
    # -- record versions ------------------------------------------------------------------------
    *[Case(id=f"tls13-change-cipher-spec-record-version-{version:04x}-ignored",
           version="tls13", rfc=("8446", "5.1"), topics=TOPIC,
           sentence=PLAINTEXT_VERSION,
           requirement=f"legacy_record_version of a TLSPlaintext record is deprecated and MUST "
                       f"be ignored for all purposes: the compatibility ChangeCipherSpec in a "
                       f"record of version 0x{version:04x} is accepted",
           mutations=[record_version_of("ChangeCipherSpec", version)], expect=completes())
      for version in (0x0300, 0x0301, 0x0304)],
    Case(id="tls13-server-record-versions", version="tls13", rfc=("8446", "5.1"),
         sentence=SERVER_VERSION["tls13"],
         topics=TOPIC,
         requirement="legacy_record_version MUST be set to 0x0303 for all records generated "
                     "by a TLS 1.3 implementation other than an initial ClientHello",
         expect=completes_with(server_record_versions(0x0303))),
    Case(id="tls12-server-record-versions", version="tls12", rfc=("5246", "6.2.1"),
         sentence=SERVER_VERSION["tls12"],
         topics=TOPIC,
         requirement="the record version is the protocol version employed: every record of "
                     "a TLS 1.2 server carries 0x0303",
         expect=completes_with(server_record_versions(0x0303))),
]


@cases(*RECORD_LAYER)
def test_record_layer(case, conformance):
    conformance.check(case)
