"""The extensions a server must handle: signature_algorithms, the RFC 8446 9.2 rules,
server_name, ALPN, extended_master_secret, renegotiation_info, encrypt_then_mac,
max_fragment_length, record_size_limit, padding, status_request, GREASE, and what the
server answers (RFC 8446 4.2, 4.2.3, 4.2.9, 4.2.11, 9.2; RFC 6066; RFC 7301; RFC 7366; RFC
7627; RFC 5746; RFC 8449; RFC 7685; RFC 8701).

Every handshake also checks each extension the server sends (``server_extensions``): one it
was not offered, one in a message RFC 8446 4.2 does not allow, a duplicate, a value out of
range. The rows here ask for the answers one extension needs.
"""

from tlsconform.client.words import (
    GREASE,
    alpn,
    alpn_bytes,
    ciphers,
    encrypt_then_mac,
    extended_master_secret,
    extension,
    extension_body,
    extension_last,
    grease_alpn,
    grease_extension,
    grease_group,
    grease_psk_mode,
    grease_signature_algorithm,
    grease_suite,
    grease_version,
    max_fragment_length,
    omit_extension,
    padding,
    psk_key_exchange_modes,
    record_size_limit,
    renegotiation_info_bytes,
    renegotiation_scsv,
    server_names,
    signature_algorithms,
    signature_algorithms_cert,
    status_request,
    unknown_pre_shared_key,
)
from tlsconform.crypto import suites as cs
from tlsconform.messages import extensions as ext
from tlsconform.scenario import Case, Need, cases, each_version
from tlsconform.verdict.expect import (
    aborts_cleanly,
    alert,
    completes,
    completes_or_refuses,
    completes_with,
)
from tlsconform.verdict.levels import Level
from tlsconform.verdict.negotiation_checks import (
    answered,
    empty_body,
    not_answered,
    records_within,
)

from .psk_sentences import MODES_MISSING, NOT_LAST, UNKNOWN_PSK

TOPIC = ("extensions",)
NAMED = {"alert_level": Level.MUST, "silent_level": Level.MUST}
TLS13_NAMED = {"alert_level": {"tls12": None, "tls13": Level.MUST},
               "silent_level": {"tls12": None, "tls13": Level.MUST}}
DECODE_RFC = {"tls12": ("5246", "7.4.1.2"), "tls13": ("8446", "6")}
DECODE = {
    "tls12": ("... (as for all other messages) it MUST check that the amount of data in the "
              "message precisely matches one of these formats; if not, then it MUST send a "
              "fatal \"decode_error\" alert."),
    "tls13": ("Peers which receive a message which cannot be parsed according to the syntax "
              "(e.g., have a length extending beyond the message boundary or contain an "
              "out-of-range length) MUST terminate the connection with a \"decode_error\" "
              "alert."),
}
DECODE_ALERTS = {"tls12": ("decode_error", "illegal_parameter"), "tls13": ("decode_error",)}
"""RFC 5246 7.2.2 gives both decode_error and illegal_parameter for a field out of range;
RFC 8446 6 says decode_error for an out-of-range length."""
NINE_TWO = ("If not containing a \"pre_shared_key\" extension, it MUST contain both a "
            "\"signature_algorithms\" extension and a \"supported_groups\" extension. If "
            "containing a \"supported_groups\" extension, it MUST also contain a \"key_share\" "
            "extension, and vice versa. ... Servers receiving a ClientHello which does not "
            "conform to these requirements MUST abort the handshake with a "
            "\"missing_extension\" alert.")  # RFC 8446 9.2
NO_OVERLAP = ("If the server is unable to negotiate a supported set of parameters (i.e., there "
              "is no overlap between the client and server parameters), it MUST abort the "
              "handshake with either a \"handshake_failure\" or \"insufficient_security\" "
              "fatal alert (see Section 6).")  # RFC 8446 4.1.1
SNI = ("If the server understood the ClientHello extension but does not recognize the server "
       "name, the server SHOULD take one of two actions: either abort the handshake by "
       "sending a fatal-level unrecognized_name(112) alert or continue the handshake.")
SNI_SENDER = ("The ServerNameList MUST NOT contain more than one name of the same name_type. "
              "... The hostname is represented as a byte string using ASCII encoding without "
              "a trailing dot. ... Literal IPv4 and IPv6 addresses are not permitted in "
              "\"HostName\".")  # RFC 6066 3
ALPN_NEED = Need("ALPN (it selects http/1.1 when offered)", [alpn(b"http/1.1")],
                 check=answered(ext.ALPN))
MFL_NEED = Need("max_fragment_length (it accepts 2^9)", [max_fragment_length(1)],
                check=answered(ext.MAX_FRAGMENT_LENGTH))
RSL_NEED = Need("record_size_limit (it answers 512)", [record_size_limit(512)],
                check=answered(ext.RECORD_SIZE_LIMIT))
CBC_NEED = Need("a CBC suite", [ciphers(*cs.TLS12_ECDHE_RSA[3:], *cs.TLS12_ECDHE_ECDSA[3:])])
GREASE_RULE = ("When processing a ClientHello, servers MUST NOT treat GREASE values "
               "differently from any unknown value. Servers MUST NOT negotiate any GREASE "
               "value when offered in a ClientHello. Servers MUST correctly ignore unknown "
               "values in a ClientHello and attempt to negotiate with one of the remaining "
               "parameters.")  # RFC 8701 3.2
PSK_MODES_DHE = psk_key_exchange_modes(1)  # psk_dhe_ke


def _mfl_limit(body: bytes) -> int:
    return 1 << (8 + body[0]) if body and 1 <= body[0] <= 4 else 1 << 14


def _empty_renegotiated_connection(body: bytes) -> str | None:
    return None if body == b"\x00" else f"renegotiation_info answers {body.hex()}, not an " \
                                       "empty renegotiated_connection (00)"


SIGNATURE_ALGORITHMS = [
    Case(id="tls13-signature-algorithms-missing", version="tls13", rfc=("8446", "4.2.3"),
         topics=TOPIC, **NAMED,
         sentence=("If a server is authenticating via a certificate and the client has not "
                   "sent a \"signature_algorithms\" extension, then the server MUST abort the "
                   "handshake with a \"missing_extension\" alert (see Section 9.2)."),
         requirement="no signature_algorithms: missing_extension",
         mutations=[omit_extension(ext.SIGNATURE_ALGORITHMS)],
         expect=alert("missing_extension")),
    *each_version("signature-algorithms-empty", rfc=DECODE_RFC, topics=TOPIC, sentence=DECODE,
                  **TLS13_NAMED,
                  requirement="an empty supported_signature_algorithms (the vector is "
                              "<2..2^16-2>): decode_error",
                  mutations=[extension_body(ext.SIGNATURE_ALGORITHMS, b"\x00\x00",
                                            "empty signature_algorithms")],
                  expect={v: alert(*a) for v, a in DECODE_ALERTS.items()}),
    *each_version("signature-algorithms-odd-length", rfc=DECODE_RFC, topics=TOPIC,
                  sentence=DECODE, **TLS13_NAMED,
                  requirement="signature_algorithms of three bytes (two-byte entries): "
                              "decode_error",
                  mutations=[extension_body(ext.SIGNATURE_ALGORITHMS, b"\x00\x03\x08\x04\x04",
                                            "signature_algorithms of 3 bytes")],
                  expect={v: alert(*a) for v, a in DECODE_ALERTS.items()}),
    Case(id="tls12-signature-algorithms-unknown-only", version="tls12", rfc=("5246", "7.4.3"),
         topics=TOPIC,
         sentence=("If the client has offered the \"signature_algorithms\" extension, the "
                   "signature algorithm and hash algorithm MUST be a pair listed in that "
                   "extension. ... the server MUST check any candidate cipher suites against "
                   "the \"signature_algorithms\" extension before selecting them."),
         requirement="signature_algorithms lists only unassigned schemes: no suite can be "
                     "signed for, handshake_failure (insufficient_security accepted)",
         mutations=[signature_algorithms(0xFEFE, GREASE)],
         expect=alert("handshake_failure", "insufficient_security")),
    Case(id="tls13-signature-algorithms-pkcs1-only", version="tls13", rfc=("8446", "4.4.3"),
         topics=TOPIC, alert_level=Level.MUST,
         sentence=("RSA signatures MUST use an RSASSA-PSS algorithm, regardless of whether "
                   f"RSASSA-PKCS1-v1_5 algorithms appear in \"signature_algorithms\". ... "
                   f"{NO_OVERLAP}"),
         requirement="signature_algorithms lists only RSASSA-PKCS1-v1_5 schemes, which a TLS "
                     "1.3 CertificateVerify may not use: handshake_failure or "
                     "insufficient_security",
         mutations=[signature_algorithms(0x0401, 0x0501, 0x0601)],
         expect=alert("handshake_failure", "insufficient_security")),
    Case(id="tls13-signature-algorithms-cert-offered", version="tls13", rfc=("8446", "9.2"),
         topics=TOPIC,
         sentence=("In the absence of an application profile standard specifying otherwise, "
                   "a TLS-compliant application MUST implement the following TLS extensions: "
                   "... Signature Algorithms Certificate (\"signature_algorithms_cert\"; "
                   "Section 4.2.3)"),
         requirement="signature_algorithms_cert naming the schemes of the test PKI's "
                     "certificates: the handshake completes",
         mutations=[signature_algorithms_cert(0x0401, 0x0804, 0x0403, 0x0501, 0x0503)],
         expect=completes()),
    Case(id="tls13-signature-algorithms-cert-unknown-only", version="tls13",
         rfc=("8446", "4.4.2.2"), topics=TOPIC, level=Level.SHOULD,
         sentence=("If the server cannot produce a certificate chain that is signed only via "
                   "the indicated supported algorithms, then it SHOULD continue the handshake "
                   "by sending the client a certificate chain of its choice that may include "
                   "algorithms that are not known to be supported by the client."),
         requirement="signature_algorithms_cert lists only an unassigned scheme: the server "
                     "goes on with a chain of its choice",
         mutations=[signature_algorithms_cert(0xFEFE)], expect=completes()),
]

MANDATORY = [
    Case(id="tls13-key-share-without-supported-groups", version="tls13", rfc=("8446", "9.2"),
         topics=TOPIC, sentence=NINE_TWO, **NAMED,
         requirement="key_share without supported_groups: missing_extension",
         mutations=[omit_extension(ext.SUPPORTED_GROUPS)], expect=alert("missing_extension")),
    Case(id="tls13-supported-groups-without-key-share", version="tls13", rfc=("8446", "9.2"),
         topics=TOPIC, sentence=NINE_TWO, **NAMED,
         requirement="supported_groups without key_share: missing_extension",
         mutations=[omit_extension(ext.KEY_SHARE)], expect=alert("missing_extension")),
    Case(id="tls13-no-groups-and-no-key-share", version="tls13", rfc=("8446", "9.2"),
         topics=TOPIC, sentence=NINE_TWO, **NAMED,
         requirement="neither supported_groups nor key_share, and no pre_shared_key: "
                     "missing_extension",
         mutations=[omit_extension(ext.SUPPORTED_GROUPS), omit_extension(ext.KEY_SHARE)],
         expect=alert("missing_extension")),
    Case(id="tls13-pre-shared-key-not-last", version="tls13", rfc=("8446", "4.2.11"),
         topics=TOPIC, **NAMED,
         sentence=NOT_LAST,
         requirement="a pre_shared_key followed by another extension: illegal_parameter",
         mutations=[PSK_MODES_DHE, extension(0xFE01, b""), unknown_pre_shared_key(),
                    extension_last(ext.PRE_SHARED_KEY, after=0xFE01)],
         expect=alert("illegal_parameter")),
    Case(id="tls13-pre-shared-key-without-psk-modes", version="tls13", rfc=("8446", "4.2.9"),
         topics=TOPIC,
         sentence=MODES_MISSING,
         requirement="a pre_shared_key without psk_key_exchange_modes: the server MUST abort; "
                     "RFC 8446 4.2.9 names no alert (missing_extension is the natural one): "
                     "any fatal alert",
         mutations=[unknown_pre_shared_key()], expect=aborts_cleanly()),
    Case(id="tls13-unknown-psk-identity-ignored", version="tls13", rfc=("8446", "4.2.11"),
         topics=TOPIC, level=Level.SHOULD,
         sentence=UNKNOWN_PSK,
         requirement="a pre_shared_key with an identity the server never issued: a full "
                     "handshake",
         mutations=[PSK_MODES_DHE, unknown_pre_shared_key()], expect=completes()),
]

SERVER_NAME = [
    *each_version("server-name-unrecognized", rfc=("6066", "3"), topics=TOPIC,
                  sentence=SNI, level=Level.SHOULD, alert_level=Level.SHOULD,
                  requirement="a host name the server does not serve: it goes on, or aborts "
                              "with unrecognized_name",
                  mutations=[server_names((0, b"no-such-host.tlsconform.invalid"))],
                  expect=completes_or_refuses("unrecognized_name")),
    *each_version("server-name-empty", rfc=DECODE_RFC, topics=TOPIC, sentence=DECODE,
                  **TLS13_NAMED,
                  requirement="a host_name of zero bytes (HostName is <1..2^16-1>): "
                              "decode_error",
                  mutations=[server_names((0, b""))],
                  expect={v: alert(*a) for v, a in DECODE_ALERTS.items()}),
    *[case for slug, entries, what in (
        ("two-host-names", ((0, b"localhost"), (0, b"localhost")), "two host_name entries"),
        ("trailing-dot", ((0, b"localhost."),), "a host name with a trailing dot"),
        ("ip-literal", ((0, b"127.0.0.1"),), "the IPv4 literal 127.0.0.1"))
      for case in each_version(
          f"server-name-{slug}", rfc=("6066", "3"), topics=TOPIC, sentence=SNI_SENDER,
          requirement=f"{what}, which RFC 6066 forbids the client: the RFC gives the server "
                      "no rule, so it goes on or refuses with unrecognized_name, "
                      "illegal_parameter or decode_error, and does either cleanly",
          mutations=[server_names(*entries)],
          expect=completes_or_refuses("unrecognized_name", "illegal_parameter",
                                      "decode_error"))],
    *each_version("server-name-answer-is-empty", rfc=("6066", "3"), topics=TOPIC,
                  sentence=("In this event, the server SHALL include an extension of type "
                            "\"server_name\" in the (extended) server hello. The "
                            "\"extension_data\" field of this extension SHALL be empty."),
                  requirement="the server's server_name answer, if it sends one, is empty",
                  expect=completes()),
]

ALPN = [
    *each_version("alpn-no-common-protocol", rfc=("7301", "3.2"), topics=TOPIC, **NAMED,
                  needs=(ALPN_NEED,),
                  sentence=("In the event that the server supports no protocols that the "
                            "client advertises, then the server SHALL respond with a fatal "
                            "\"no_application_protocol\" alert."),
                  requirement="ALPN offering only a protocol the server does not speak: "
                              "no_application_protocol",
                  mutations=[alpn(b"tlsconform-no-such-protocol")],
                  expect=alert("no_application_protocol")),
    *each_version("alpn-selects-an-offered-protocol", rfc=("7301", "3.1"), topics=TOPIC,
                  needs=(ALPN_NEED,),
                  sentence=("... the \"ProtocolNameList\" MUST contain exactly one "
                            "\"ProtocolName\"."),
                  requirement="ALPN offering an unknown protocol then http/1.1: the answer "
                              "names exactly one protocol, one the client offered",
                  mutations=[alpn(b"tlsconform-no-such-protocol", b"http/1.1")],
                  expect=completes_with(answered(ext.ALPN))),
    *each_version("alpn-empty-list", rfc=DECODE_RFC, topics=TOPIC, sentence=DECODE,
                  **TLS13_NAMED, needs=(ALPN_NEED,),
                  requirement="an ALPN protocol_name_list of zero bytes (it is "
                              "<2..2^16-1>): decode_error",
                  mutations=[alpn_bytes(b"\x00\x00", "ALPN with an empty list")],
                  expect={v: alert(*a) for v, a in DECODE_ALERTS.items()}),
    *each_version("alpn-empty-protocol-name", rfc=DECODE_RFC, topics=TOPIC, sentence=DECODE,
                  **TLS13_NAMED, needs=(ALPN_NEED,),
                  requirement="an ALPN list holding an empty name (ProtocolName is "
                              "<1..2^8-1>) before http/1.1: decode_error",
                  mutations=[alpn_bytes(b"\x00\x0a\x00\x08http/1.1",
                                        "ALPN with an empty protocol name")],
                  expect={v: alert(*a) for v, a in DECODE_ALERTS.items()}),
]

MASTER_SECRET_AND_RENEGOTIATION = [
    Case(id="tls12-extended-master-secret-answered", version="tls12", rfc=("7627", "5.2"),
         topics=TOPIC,
         sentence=("If a server implementing this document receives the "
                   "\"extended_master_secret\" extension, it MUST include the extension in "
                   "its ServerHello message. ... TLS 1.2 implementations MUST support the "
                   "extended_master_secret extension defined in [RFC7627]. (RFC 9325 3.5)"),
         requirement="extended_master_secret offered: the ServerHello carries it, empty",
         expect=completes_with(answered(ext.EXTENDED_MASTER_SECRET, empty_body))),
    Case(id="tls13-extended-master-secret-not-answered", version="tls13", rfc=("8446", "4.2"),
         topics=TOPIC,
         sentence=("If an implementation receives an extension which it recognizes and which "
                   "is not specified for the message in which it appears, it MUST abort the "
                   "handshake with an \"illegal_parameter\" alert."),
         requirement="extended_master_secret in a TLS 1.3 ClientHello: a TLS 1.2 extension "
                     "the TLS 1.3 server does not answer",
         mutations=[extended_master_secret(True)],
         expect=completes_with(not_answered(ext.EXTENDED_MASTER_SECRET))),
    Case(id="tls12-renegotiation-info-answered", version="tls12", rfc=("5746", "3.6"),
         topics=TOPIC,
         sentence=("If the secure_renegotiation flag is set to TRUE, the server MUST include "
                   "an empty \"renegotiation_info\" extension in the ServerHello message."),
         requirement="an empty renegotiation_info: the ServerHello answers with an empty one",
         expect=completes_with(answered(ext.RENEGOTIATION_INFO,
                                        _empty_renegotiated_connection))),
    Case(id="tls12-renegotiation-scsv-answered", version="tls12", rfc=("5746", "3.6"),
         topics=TOPIC,
         sentence=("When a ClientHello is received, the server MUST check if it includes the "
                   "TLS_EMPTY_RENEGOTIATION_INFO_SCSV SCSV. If it does, set the "
                   "secure_renegotiation flag to TRUE. ... If the secure_renegotiation flag "
                   "is set to TRUE, the server MUST include an empty \"renegotiation_info\" "
                   "extension in the ServerHello message."),
         requirement="TLS_EMPTY_RENEGOTIATION_INFO_SCSV without the extension: the "
                     "ServerHello carries an empty renegotiation_info",
         mutations=[renegotiation_scsv(extension=False)],
         expect=completes_with(answered(ext.RENEGOTIATION_INFO,
                                        _empty_renegotiated_connection))),
    Case(id="tls12-renegotiation-scsv-and-extension", version="tls12", rfc=("5746", "3.6"),
         topics=TOPIC,
         sentence=("The server MUST check if the \"renegotiation_info\" extension is included "
                   "in the ClientHello. ... If the secure_renegotiation flag is set to TRUE, "
                   "the server MUST include an empty \"renegotiation_info\" extension in the "
                   "ServerHello message."),
         requirement="both the SCSV and the extension (NOT RECOMMENDED for the client, not "
                     "an error): the ServerHello carries one empty renegotiation_info",
         mutations=[renegotiation_scsv(extension=True)],
         expect=completes_with(answered(ext.RENEGOTIATION_INFO,
                                        _empty_renegotiated_connection))),
    Case(id="tls12-renegotiation-info-not-empty", version="tls12", rfc=("5746", "3.6"),
         topics=TOPIC, alert_level=Level.MUST,
         sentence=("The server MUST then verify that the length of the "
                   "\"renegotiated_connection\" field is zero, and if it is not, MUST abort "
                   "the handshake. (RFC 5746 3.4: \"abort the handshake\" is used as "
                   "shorthand for \"send a fatal handshake_failure alert and terminate the "
                   "connection\")"),
         requirement="an initial ClientHello whose renegotiation_info carries 12 bytes of "
                     "renegotiated_connection: handshake_failure",
         mutations=[renegotiation_info_bytes(b"\x0c" + bytes(12),
                                             "renegotiation_info with 12 bytes of data")],
         expect=alert("handshake_failure")),
    Case(id="tls12-renegotiation-info-malformed", version="tls12", rfc=("5246", "7.4.1.2"),
         topics=TOPIC, sentence=DECODE["tls12"],
         requirement="renegotiation_info whose inner length says 5 bytes and holds none: "
                     "decode_error (or illegal_parameter)",
         mutations=[renegotiation_info_bytes(b"\x05", "renegotiation_info of length 5 with "
                                                      "no data")],
         expect=alert("decode_error", "illegal_parameter")),
    Case(id="tls13-renegotiation-info-not-answered", version="tls13", rfc=("8446", "4.2"),
         topics=TOPIC,
         sentence=("If an implementation receives an extension which it recognizes and which "
                   "is not specified for the message in which it appears, it MUST abort the "
                   "handshake with an \"illegal_parameter\" alert."),
         requirement="renegotiation_info in a TLS 1.3 ClientHello: not answered in TLS 1.3",
         mutations=[renegotiation_scsv(extension=True)],
         expect=completes_with(not_answered(ext.RENEGOTIATION_INFO))),
]

RECORD_LIMITS = [
    Case(id="tls12-encrypt-then-mac-with-cbc", version="tls12", rfc=("7366", "2"),
         topics=TOPIC, needs=(CBC_NEED,),
         sentence=("The client and server MUST NOT use encrypt-then-MAC unless both sides "
                   "have successfully exchanged encrypt_then_mac extensions."),
         requirement="encrypt_then_mac with CBC suites only: the records follow the answer "
                     "(encrypt-then-MAC if the server sent the extension, MAC-then-encrypt "
                     "if not)",
         mutations=[encrypt_then_mac(), *CBC_NEED.mutations], expect=completes()),
    Case(id="tls12-encrypt-then-mac-not-with-aead", version="tls12", rfc=("7366", "3"),
         topics=TOPIC,
         sentence=("If a server receives an encrypt-then-MAC request extension from a client "
                   "and then selects a stream or Authenticated Encryption with Associated Data "
                   "(AEAD) ciphersuite, it MUST NOT send an encrypt-then-MAC response "
                   "extension back to the client."),
         requirement="encrypt_then_mac with AEAD suites only: not answered",
         mutations=[encrypt_then_mac(),
                    ciphers(*cs.TLS12_ECDHE_RSA[:3], *cs.TLS12_ECDHE_ECDSA[:3])],
         expect=completes_with(not_answered(ext.ENCRYPT_THEN_MAC))),
    *[case for code in (0, 5)
      for case in each_version(
          f"max-fragment-length-{code}", rfc=("6066", "4"), topics=TOPIC, **NAMED,
          needs=(MFL_NEED,),
          sentence=("If a server receives a maximum fragment length negotiation request for a "
                    "value other than the allowed values, it MUST abort the handshake with an "
                    "\"illegal_parameter\" alert."),
          requirement=f"max_fragment_length {code} (only 1 to 4 are defined): "
                      "illegal_parameter",
          mutations=[max_fragment_length(code)], expect=alert("illegal_parameter"))],
    *each_version("max-fragment-length-obeyed", rfc=("6066", "4"), topics=TOPIC,
                  sentence=("Once a maximum fragment length other than 2^14 has been "
                            "successfully negotiated, the client and server MUST immediately "
                            "begin fragmenting messages (including handshake messages) to "
                            "ensure that no fragment larger than the negotiated length is "
                            "sent."),
                  requirement="max_fragment_length 2^9: if the server accepts it, none of its "
                              "records after the ServerHello holds more than 512 bytes",
                  mutations=[max_fragment_length(1)],
                  expect=completes_with(records_within(ext.MAX_FRAGMENT_LENGTH, _mfl_limit,
                                                       "max_fragment_length"))),
    *each_version("record-size-limit-below-64", rfc=("8449", "4"), topics=TOPIC, **NAMED,
                  needs=(RSL_NEED,),
                  sentence=("Endpoints MUST NOT send a \"record_size_limit\" extension with a "
                            "value smaller than 64. An endpoint MUST treat receipt of a "
                            "smaller value as a fatal error and generate an "
                            "\"illegal_parameter\" alert."),
                  requirement="record_size_limit 63: illegal_parameter",
                  mutations=[record_size_limit(63)], expect=alert("illegal_parameter")),
    *each_version("record-size-limit-obeyed", rfc=("8449", "4"), topics=TOPIC,
                  sentence=("When the \"record_size_limit\" extension is negotiated, an "
                            "endpoint MUST NOT generate a protected record with plaintext "
                            "that is larger than the RecordSizeLimit value it receives from "
                            "its peer."),
                  requirement="record_size_limit 512: if the server answers it, none of its "
                              "protected records holds more than 512 bytes of plaintext (in "
                              "TLS 1.3 with the content type and padding)",
                  mutations=[record_size_limit(512)],
                  expect=completes_with(records_within(ext.RECORD_SIZE_LIMIT,
                                                       lambda body: 512, "record_size_limit",
                                                       protected_only=True))),
    *each_version("record-size-limit-and-max-fragment-length", rfc=("8449", "5"),
                  topics=TOPIC, needs=(RSL_NEED,),
                  sentence=("A server that supports the \"record_size_limit\" extension MUST "
                            "ignore a \"max_fragment_length\" that appears in a ClientHello if "
                            "both extensions appear."),
                  requirement="both record_size_limit and max_fragment_length: the server "
                              "answers record_size_limit and ignores max_fragment_length",
                  mutations=[record_size_limit(512), max_fragment_length(1)],
                  expect=completes_with(not_answered(ext.MAX_FRAGMENT_LENGTH))),
]

OTHER = [
    *each_version("padding-ignored", rfc=("7685", "3"), topics=TOPIC,
                  sentence=("The client MUST fill the padding extension completely with zero "
                            "bytes, although the padding extension_data field may be empty. "
                            "... The server MUST NOT echo the extension."),
                  requirement="a padding extension of 200 zero bytes: the handshake completes "
                              "and padding is not answered",
                  mutations=[padding(200)], expect=completes_with(not_answered(ext.PADDING))),
    *each_version("status-request", rfc=("6066", "8"), topics=TOPIC,
                  sentence=("Servers that receive a client hello containing the "
                            "\"status_request\" extension MAY return a suitable certificate "
                            "status response to the client along with their certificate. ... "
                            "a server MUST NOT send the \"CertificateStatus\" message unless "
                            "it received a \"status_request\" extension in the client hello "
                            "message and sent a \"status_request\" extension in the server "
                            "hello message."),
                  requirement="status_request (OCSP): the handshake completes, with or "
                              "without a status, and any status comes where the RFCs put it",
                  mutations=[status_request()], expect=completes()),
    *each_version("supported-versions-empty", versions=("tls13",), rfc=("8446", "6"),
                  topics=TOPIC, sentence=DECODE["tls13"], **NAMED,
                  requirement="an empty supported_versions list (it is <2..254>): "
                              "decode_error",
                  mutations=[extension_body(ext.SUPPORTED_VERSIONS, b"\x00",
                                            "empty supported_versions")],
                  expect=alert("decode_error")),
    *each_version("supported-versions-odd-length", versions=("tls13",), rfc=("8446", "6"),
                  topics=TOPIC, sentence=DECODE["tls13"], **NAMED,
                  requirement="supported_versions of three bytes (two-byte entries): "
                              "decode_error",
                  mutations=[extension_body(ext.SUPPORTED_VERSIONS, b"\x03\x03\x04\x03",
                                            "supported_versions of 3 bytes")],
                  expect=alert("decode_error")),
    *each_version("every-answer-legal", rfc={"tls12": ("5246", "7.4.1.4"),
                                              "tls13": ("8446", "4.2")},
                  topics=TOPIC,
                  sentence={
                      "tls12": ("An extension type MUST NOT appear in the ServerHello unless "
                                "the same extension type appeared in the corresponding "
                                "ClientHello."),
                      "tls13": ("Implementations MUST NOT send extension responses if the "
                                "remote endpoint did not send the corresponding extension "
                                "requests, with the exception of the \"cookie\" extension in "
                                "the HelloRetryRequest.")},
                  requirement="a ClientHello offering many extensions at once (ALPN, "
                              "status_request, record_size_limit, encrypt_then_mac, padding, "
                              "signature_algorithms_cert): each answer is one the client "
                              "offered, in a message that may carry it, once, with a legal "
                              "value",
                  mutations=[alpn(b"http/1.1"), status_request(), record_size_limit(16384),
                             encrypt_then_mac(), padding(16),
                             signature_algorithms_cert(0x0401, 0x0804, 0x0403)],
                  expect=completes()),
]

GREASE_ROWS = [
    *[case for slug, word, what in (
        ("cipher-suite", grease_suite(), "a GREASE cipher suite"),
        ("empty-extension", grease_extension(), "an empty GREASE extension"),
        ("extension-with-data", grease_extension(b"\x00\x01\x02\x03"),
         "a GREASE extension with data"),
        ("group", grease_group(), "a GREASE group in supported_groups"),
        ("signature-algorithm", grease_signature_algorithm(),
         "a GREASE signature algorithm"),
        ("alpn", grease_alpn(), "a GREASE ALPN identifier before http/1.1"))
      for case in each_version(
          f"grease-{slug}-ignored", rfc=("8701", "3.2"), topics=TOPIC, sentence=GREASE_RULE,
          requirement=f"{what}: ignored, never negotiated",
          mutations=[word], expect=completes())],
    *[Case(id=f"tls13-grease-{slug}-ignored", version="tls13", rfc=("8701", "3.2"),
           topics=TOPIC, sentence=GREASE_RULE,
           requirement=f"{what}: ignored, never negotiated",
           mutations=words, expect=completes())
      for slug, words, what in (
          ("key-share", [grease_group(share=True)],
           "a GREASE group with a one-byte key share"),
          ("version", [grease_version()], "a GREASE version in supported_versions"),
          ("psk-mode", [grease_psk_mode()], "a GREASE PSK key exchange mode"))],
]

EXTENSIONS = [*SIGNATURE_ALGORITHMS, *MANDATORY, *SERVER_NAME, *ALPN,
              *MASTER_SECRET_AND_RENEGOTIATION, *RECORD_LIMITS, *OTHER, *GREASE_ROWS]


@cases(*EXTENSIONS)
def test_extensions(case, conformance):
    conformance.check(case)
