"""Cipher suite negotiation (RFC 5246 7.4.1.2-7.4.1.3, RFC 8446 4.1.1-4.1.2, 9.1 and B.4,
RFC 7465, RFC 9325 4.1, RFC 5246 A.5).

The driver already fails any ServerHello that selects a suite the client did not offer,
so every "completes" row also checks that the selected suite came from the offer.
"""

from tlsconform.client.words import add_ciphers, cipher_suite_bytes, ciphers
from tlsconform.crypto import suites as cs
from tlsconform.scenario import Case, cases
from tlsconform.verdict.expect import (
    alert,
    completes,
    completes_or_refuses,
    completes_with,
    suite_from,
)
from tlsconform.verdict.levels import Level

TOPIC = ("cipher_suites",)
UNASSIGNED = (0x0A0A, 0xFEFE)  # a GREASE value (RFC 8701) and an unassigned code point
NO_OVERLAP_TLS13 = ("handshake_failure", "insufficient_security")  # RFC 8446 4.1.1
# RFC 5246 7.2.2: insufficient_security is "returned instead of handshake_failure" when the
# server refuses because it requires stronger ciphers: exactly the weak-suite case.
TOO_WEAK = ("handshake_failure", "insufficient_security")

NO_MATCH_TLS12 = ("If it cannot find such a match, it will respond with a handshake failure "
                  "alert.")  # RFC 5246 7.4.1.3 (the alert is a MUST by 7.2.2)
NO_OVERLAP_SENTENCE = ("If the server is unable to negotiate a supported set of parameters "
                       "(i.e., there is no overlap between the client and server parameters), "
                       "it MUST abort the handshake with either a \"handshake_failure\" or "
                       "\"insufficient_security\" fatal alert (see Section 6).")  # 8446 4.1.1
IGNORE_UNKNOWN = {"tls12": ("If the list contains cipher suites the server does not recognize, "
                            "support, or wish to use, the server MUST ignore those cipher "
                            "suites, and process the remaining ones as usual."),
                  "tls13": ("If the list contains cipher suites that the server does not "
                            "recognize, support, or wish to use, the server MUST ignore those "
                            "cipher suites and process the remaining ones as usual.")}
SELECTED_FROM_LIST = ("cipher_suite: The single cipher suite selected by the server from the "
                      "list in ClientHello.cipher_suites.")  # RFC 5246 7.4.1.3
MANDATORY_TLS13 = ("A TLS-compliant application MUST implement the TLS_AES_128_GCM_SHA256 "
                   "[GCM] cipher suite and SHOULD implement the TLS_AES_256_GCM_SHA384 [GCM] "
                   "and TLS_CHACHA20_POLY1305_SHA256 [RFC8439] cipher suites (see "
                   "Appendix B.4).")  # RFC 8446 9.1
OTHER_VERSION = ("TLS 1.3 cipher suites are defined differently, only specifying the "
                 "symmetric ciphers, and cannot be used for TLS 1.2. Similarly, cipher suites "
                 "for TLS 1.2 and lower cannot be used with TLS 1.3.")  # RFC 8446 B.4
# RFC 8446 6: "syntax" errors are decode_error; RFC 8446 4 makes it a MUST for a message
# that cannot be parsed. TLS 1.2 (RFC 5246 7.2.2) defines both decode_error ("some field was
# out of the specified range") and illegal_parameter ("a field in the handshake was out of
# range") for such a vector: either is the appropriate alert.
UNPARSEABLE = ("peers which receive a message which cannot be parsed according to the syntax "
               "(e.g., have a length extending beyond the message boundary or contain an "
               "out-of-range length) MUST terminate the connection with a \"decode_error\" "
               "alert.")  # RFC 8446 4
OUT_OF_RANGE_TLS12 = ("decode_error: A message could not be decoded because some field was "
                      "out of the specified range or the length of the message was incorrect."
                      " ... illegal_parameter: A field in the handshake was out of range or "
                      "inconsistent with other fields.")  # RFC 5246 7.2.2

# One row per family RFC 9325 4.1 / RFC 5246 A.5 / RFC 7465 keep out of any negotiation;
# each family is offered with ECDHE, RSA and DHE key exchange where those exist.
WEAK_FAMILIES = [
    ("null", ("9325", "4.1"), "NULL encryption", Level.MUST,
     "Implementations MUST NOT negotiate the cipher suites with NULL encryption.",
     (0xC010, 0x003B, 0x0002, 0x0001)),
    ("export", ("9325", "4.1"), "EXPORT ciphers of 40 or 56 bits", Level.MUST,
     "Implementations MUST NOT negotiate cipher suites offering less than 112 bits of "
     "security, including so-called \"export-level\" encryption (which provide 40 or 56 bits "
     "of security).", (0x0003, 0x0006, 0x0008, 0x0014)),
    ("anonymous", ("5246", "A.5"), "anonymous DH_anon and ECDH_anon key exchange", Level.MUST,
     "These cipher suites MUST NOT be used by TLS 1.2 implementations unless the application "
     "layer has specifically requested to allow anonymous key exchange.",
     (0x0034, 0x00A6, 0x006C, 0xC018)),
    ("rc4", ("7465", "2"), "RC4", Level.MUST,
     "TLS servers MUST NOT select an RC4 cipher suite when a TLS client sends such a cipher "
     "suite in the ClientHello message.", (0xC011, 0x0005, 0x0004)),
    ("des", ("9325", "4.1"), "single DES, 56-bit", Level.MUST,
     "Implementations MUST NOT negotiate cipher suites offering less than 112 bits of "
     "security.", (0x0009, 0x0015)),
    ("3des", ("9325", "4.1"), "3DES, 112-bit", Level.SHOULD,
     "Implementations SHOULD NOT negotiate cipher suites that use algorithms offering less "
     "than 128 bits of security.", (0xC012, 0x000A, 0x0016)),
]

SUITES_ALONE_TLS12 = [
    (cs.ECDHE_RSA_AES128_GCM_SHA256, "ecdhe-rsa-aes128-gcm"),
    (cs.ECDHE_RSA_AES256_GCM_SHA384, "ecdhe-rsa-aes256-gcm"),
    (cs.ECDHE_RSA_CHACHA20_POLY1305, "ecdhe-rsa-chacha20"),
    (cs.ECDHE_RSA_AES128_CBC_SHA256, "ecdhe-rsa-aes128-cbc-sha256"),
    (cs.ECDHE_RSA_AES128_CBC_SHA, "ecdhe-rsa-aes128-cbc-sha"),
    (cs.ECDHE_RSA_AES256_CBC_SHA, "ecdhe-rsa-aes256-cbc-sha"),
]
SUITES_ALONE_TLS13 = [
    (cs.TLS_AES_256_GCM_SHA384, "aes256-gcm"),
    (cs.TLS_CHACHA20_POLY1305_SHA256, "chacha20"),
]

CIPHER_SUITES = [
    Case(id="tls12-only-unsupported-suites", version="tls12", rfc=("5246", "7.4.1.3"),
         topics=TOPIC, sentence=NO_MATCH_TLS12,
         requirement="no suite in common: the server aborts with handshake_failure",
         mutations=[ciphers(*UNASSIGNED)], expect=alert("handshake_failure")),
    Case(id="tls13-only-unsupported-suites", version="tls13", rfc=("8446", "4.1.1"),
         topics=TOPIC, sentence=NO_OVERLAP_SENTENCE, alert_level=Level.MUST,
         requirement="no suite in common: the server aborts with a handshake_failure "
                     "or insufficient_security alert",
         mutations=[ciphers(*UNASSIGNED)], expect=alert(*NO_OVERLAP_TLS13)),
    Case(id="tls12-unknown-suites-ignored", version="tls12", rfc=("5246", "7.4.1.2"),
         topics=TOPIC, sentence=IGNORE_UNKNOWN["tls12"],
         requirement="suites the server does not recognise are ignored and the rest "
                     "negotiated as usual",
         mutations=[add_ciphers(*UNASSIGNED)], expect=completes()),
    Case(id="tls13-unknown-suites-ignored", version="tls13", rfc=("8446", "4.1.2"),
         topics=TOPIC, sentence=IGNORE_UNKNOWN["tls13"],
         requirement="suites the server does not recognise are ignored and the rest "
                     "negotiated as usual",
         mutations=[add_ciphers(*UNASSIGNED)], expect=completes()),
    # -- each suite on its own --------------------------------------------------------
    *[Case(id=f"tls12-only-{name}", version="tls12", rfc=("5246", "7.4.1.3"), topics=TOPIC,
           sentence=SELECTED_FROM_LIST,
           requirement=f"{cs.suite_name(code)} alone: the server negotiates it or, if it "
                       "does not support it (no RFC makes it mandatory), refuses with "
                       "handshake_failure (or insufficient_security, RFC 5246 7.2.2)",
           mutations=[ciphers(code)], expect=completes_or_refuses(*TOO_WEAK))
      for code, name in SUITES_ALONE_TLS12],
    Case(id="tls13-only-aes128-gcm", version="tls13", rfc=("8446", "9.1"), topics=TOPIC,
         sentence=MANDATORY_TLS13,
         requirement="TLS_AES_128_GCM_SHA256 alone: mandatory to implement, so negotiated",
         mutations=[ciphers(cs.TLS_AES_128_GCM_SHA256)], expect=completes()),
    *[Case(id=f"tls13-only-{name}", version="tls13", rfc=("8446", "9.1"), topics=TOPIC,
           sentence=MANDATORY_TLS13, level=Level.SHOULD,
           requirement=f"{cs.suite_name(code)} alone (a SHOULD implement): negotiated; a "
                       "refusal is advisory",
           mutations=[ciphers(code)], expect=completes())
      for code, name in SUITES_ALONE_TLS13],
    # -- suites of the other protocol version ------------------------------------------
    Case(id="tls12-only-tls13-suites", version="tls12", rfc=("8446", "B.4"), topics=TOPIC,
         sentence=OTHER_VERSION,
         requirement="TLS 1.3 suites cannot be used with TLS 1.2: a TLS 1.2 hello offering "
                     "only them gets handshake_failure (RFC 5246 7.4.1.3)",
         mutations=[ciphers(*cs.TLS13_SUITES)], expect=alert("handshake_failure")),
    Case(id="tls13-only-tls12-suites", version="tls13", rfc=("8446", "B.4"), topics=TOPIC,
         sentence=f"{OTHER_VERSION} (and 4.1.1: {NO_OVERLAP_SENTENCE})",
         alert_level=Level.MUST,
         requirement="TLS 1.2 suites cannot be used with TLS 1.3: a TLS 1.3-only hello "
                     "offering only them gets handshake_failure or insufficient_security",
         mutations=[ciphers(*cs.TLS12_SUITES)], expect=alert(*NO_OVERLAP_TLS13)),
    Case(id="tls12-tls13-suites-mixed-in", version="tls12", rfc=("8446", "B.4"),
         topics=TOPIC, sentence=OTHER_VERSION,
         requirement="TLS 1.3 suites listed first in a TLS 1.2 hello are never selected",
         mutations=[ciphers(*cs.TLS13_SUITES, *cs.TLS12_SUITES)],
         expect=completes_with(suite_from(cs.TLS12_SUITES, "a TLS 1.2 suite"))),
    Case(id="tls13-tls12-suites-mixed-in", version="tls13", rfc=("8446", "B.4"),
         topics=TOPIC, sentence=OTHER_VERSION,
         requirement="TLS 1.2 suites listed first in a TLS 1.3 hello are never selected",
         mutations=[ciphers(*cs.TLS12_SUITES, *cs.TLS13_SUITES)],
         expect=completes_with(suite_from(cs.TLS13_SUITES, "a TLS 1.3 suite"))),
    # -- suites that must never be negotiated -----------------------------------------------
    *[Case(id=f"tls12-only-{name}-suites", version="tls12", rfc=rfc, topics=TOPIC,
           sentence=sentence, level=level,
           requirement=f"only {what} offered: not negotiated ({level.value} NOT), the server "
                       "aborts with handshake_failure or insufficient_security",
           mutations=[ciphers(*codes)], expect=alert(*TOO_WEAK))
      for name, rfc, what, level, sentence, codes in WEAK_FAMILIES],
    # -- malformed cipher_suites vectors ----------------------------------------------------
    Case(id="tls12-empty-cipher-suites", version="tls12", rfc=("5246", "7.2.2"), topics=TOPIC,
         sentence=OUT_OF_RANGE_TLS12,
         requirement="cipher_suites<2..2^16-2> of length 0: a field out of its specified "
                     "range, decode_error or illegal_parameter (both defined for it)",
         mutations=[cipher_suite_bytes(b"", "empty cipher_suites")],
         expect=alert("decode_error", "illegal_parameter")),
    Case(id="tls13-empty-cipher-suites", version="tls13", rfc=("8446", "4"), topics=TOPIC,
         sentence=UNPARSEABLE, alert_level=Level.MUST,
         requirement="cipher_suites<2..2^16-2> of length 0 is an out-of-range length: "
                     "decode_error",
         mutations=[cipher_suite_bytes(b"", "empty cipher_suites")],
         expect=alert("decode_error")),
    Case(id="tls12-odd-length-cipher-suites", version="tls12", rfc=("5246", "7.2.2"),
         topics=TOPIC, sentence=OUT_OF_RANGE_TLS12,
         requirement="cipher_suites of 3 bytes (a usable suite and a stray byte) cannot be "
                     "decoded into 2-byte suites: decode_error or illegal_parameter (as for "
                     "an empty one: RFC 5246 defines both for a field out of range)",
         mutations=[cipher_suite_bytes(b"\xc0\x2f\xc0", "cipher_suites of 3 bytes")],
         expect=alert("decode_error", "illegal_parameter")),
    Case(id="tls13-odd-length-cipher-suites", version="tls13", rfc=("8446", "4"),
         topics=TOPIC, sentence=UNPARSEABLE, alert_level=Level.MUST,
         requirement="cipher_suites of 3 bytes does not conform to the syntax (RFC 8446 6: "
                     "illegal_parameter is for messages that do): decode_error",
         mutations=[cipher_suite_bytes(b"\x13\x01\x13", "cipher_suites of 3 bytes")],
         expect=alert("decode_error")),
]


@cases(*CIPHER_SUITES)
def test_cipher_suites(case, conformance):
    conformance.check(case)
