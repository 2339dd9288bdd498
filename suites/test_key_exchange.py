"""Key exchange beyond ECDHE-RSA: ECDHE-ECDSA suites, finite-field groups in TLS 1.3 and
TLS 1.2 (RFC 7919), static RSA and DHE suites (RFC 9325 4.1, 4.2; RFC 8446 4.2.8.1, 6).

Rows that need the server to negotiate something optional (an ECDSA certificate, DHE
suites, FFDHE groups) skip, saying so, against a server that does not.
"""

from tlsconform.client.words import (
    ciphers,
    client_key_exchange_dh_value,
    groups,
    key_share_value,
    key_shares,
)
from tlsconform.crypto import suites as cs
from tlsconform.crypto.groups import ffdhe_prime
from tlsconform.scenario import Case, Need, cases
from tlsconform.verdict.expect import alert, completes_or_refuses, completes_with, suite_from
from tlsconform.verdict.levels import Level
from tlsconform.verdict.negotiation_checks import dh_group

TOPIC = ("key_exchange",)
FFDHE2048 = 256
UNKNOWN_FFDHE = 0x01FF  # in RFC 7919's FFDHE range 256..511, unassigned
ECDSA_NEED = Need("an ECDSA certificate (an ECDHE-ECDSA suite completes)",
                  [ciphers(*cs.TLS12_ECDHE_ECDSA)])
DHE_NEED = Need("DHE suites", [ciphers(*cs.TLS12_DHE_RSA), groups("ffdhe2048", "x25519")])
FFDHE13_NEED = Need("ffdhe2048 in TLS 1.3", [groups("ffdhe2048"), key_shares("ffdhe2048")])
RECOMMENDED = ("Given the foregoing considerations, implementation and deployment of the "
               "following cipher suites is RECOMMENDED: TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, "
               "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, "
               "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384")  # RFC 9325 4.2
NO_OVERLAP = ("If the server is unable to negotiate a supported set of parameters (i.e., there "
              "is no overlap between the client and server parameters), it MUST abort the "
              "handshake with either a \"handshake_failure\" or \"insufficient_security\" "
              "fatal alert (see Section 6).")  # RFC 8446 4.1.1
DH_RANGE = ("Peers MUST validate each other's public key Y by ensuring that 1 < Y < p-1. ... "
            "Peers which receive a message which is syntactically correct but semantically "
            "invalid (e.g., a DHE share of p - 1, or an invalid enum) MUST terminate the "
            "connection with an \"illegal_parameter\" alert.")  # RFC 8446 4.2.8.1, 6
P_MINUS_1 = (ffdhe_prime(FFDHE2048) - 1).to_bytes(256, "big")
ONE = (1).to_bytes(256, "big")


KEY_EXCHANGE = [
    *[Case(id=f"tls12-ecdhe-ecdsa-{name}", version="tls12", rfc=("9325", "4.2"),
           topics=TOPIC, needs=(ECDSA_NEED,), level=Level.SHOULD, sentence=RECOMMENDED,
           requirement=f"only {cs.suite_name(code)}: a server with an ECDSA certificate "
                       "negotiates it",
           mutations=[ciphers(code)],
           expect=completes_with(suite_from([code], cs.suite_name(code))))
      for name, code in (("aes128-gcm", cs.ECDHE_ECDSA_AES128_GCM_SHA256),
                         ("aes256-gcm", cs.ECDHE_ECDSA_AES256_GCM_SHA384))],
    *[Case(id=f"tls13-{name}", version="tls13", rfc=("8446", "4.1.1"), topics=TOPIC,
           sentence=NO_OVERLAP,
           requirement=f"only {name} in supported_groups and key_share: an optional group "
                       "(RFC 8446 9.1 makes only secp256r1 a MUST), so the server completes "
                       "a correct finite-field handshake or refuses with handshake_failure "
                       "or insufficient_security",
           mutations=[groups(name), key_shares(name)],
           expect=completes_or_refuses("handshake_failure", "insufficient_security"))
      for name in ("ffdhe2048", "ffdhe3072")],
    *[Case(id=f"tls13-ffdhe2048-share-{name}", version="tls13", rfc=("8446", "4.2.8.1"),
           topics=TOPIC, needs=(FFDHE13_NEED,), sentence=DH_RANGE,
           alert_level=Level.MUST, silent_level=Level.MUST,
           requirement=f"an ffdhe2048 share Y = {name.replace('-', ' ')}, outside 1 < Y < "
                       "p-1: illegal_parameter",
           mutations=[*FFDHE13_NEED.mutations, key_share_value("ffdhe2048", value, name)],
           expect=alert("illegal_parameter"))
      for name, value in (("p-minus-1", P_MINUS_1), ("one", ONE))],
    Case(id="tls12-dhe-named-group", version="tls12", rfc=("7919", "4"), topics=TOPIC,
         needs=(DHE_NEED,),
         sentence=("A compatible TLS server that receives the Supported Groups extension with "
                   "FFDHE codepoints in it and that selects an FFDHE cipher suite MUST select "
                   "one of the client's offered groups."),
         requirement="DHE suites with ffdhe2048 in supported_groups: the ServerKeyExchange "
                     "uses ffdhe2048's prime",
         mutations=[ciphers(*cs.TLS12_DHE_RSA), groups("ffdhe2048", "x25519")],
         expect=completes_with(dh_group("ffdhe2048"))),
    Case(id="tls12-dhe-only-unknown-ffdhe-group", version="tls12", rfc=("7919", "4"),
         topics=TOPIC, needs=(DHE_NEED,), alert_level=Level.MUST,
         sentence=("If the extension is present with FFDHE groups, none of the client's "
                   "offered groups are acceptable by the server, and none of the client's "
                   "proposed non-FFDHE cipher suites are acceptable to the server, the server "
                   "MUST end the connection with a fatal TLS alert of type "
                   "insufficient_security(71)."),
         requirement="DHE suites only, and supported_groups with only an unassigned FFDHE "
                     "code point: insufficient_security",
         mutations=[ciphers(*cs.TLS12_DHE_RSA), groups(UNKNOWN_FFDHE)],
         expect=alert("insufficient_security")),
    Case(id="tls12-dhe-client-share-one", version="tls12", rfc=("7919", "4"), topics=TOPIC,
         needs=(DHE_NEED,), alert_level=Level.MUST,
         sentence=("When an FFDHE cipher suite is selected and the client sends a "
                   "ClientKeyExchange, the server MUST verify that 1 < dh_Yc < dh_p - 1. If "
                   "dh_Yc is out of range, the server MUST terminate the connection with a "
                   "fatal handshake_failure(40) alert."),
         requirement="a DHE ClientKeyExchange with dh_Yc = 1: handshake_failure",
         mutations=[ciphers(*cs.TLS12_DHE_RSA), groups("ffdhe2048", "x25519"),
                    client_key_exchange_dh_value(b"\x01", "dh_Yc = 1")],
         expect=alert("handshake_failure")),
    Case(id="tls12-dhe-suites-not-negotiated", version="tls12", rfc=("9325", "4.1"),
         topics=TOPIC, level=Level.SHOULD,
         sentence=("However, TLS 1.2 implementations SHOULD NOT negotiate cipher suites based "
                   "on ephemeral finite-field Diffie-Hellman key agreement (i.e., "
                   "\"TLS_DHE_*\" suites)."),
         requirement="only TLS_DHE_* suites: the server refuses them (handshake_failure or "
                     "insufficient_security)",
         mutations=[ciphers(*cs.TLS12_DHE_RSA), groups("ffdhe2048", "x25519")],
         expect=alert("handshake_failure", "insufficient_security")),
    Case(id="tls12-rsa-key-transport-not-negotiated", version="tls12", rfc=("9325", "4.1"),
         topics=TOPIC, level=Level.SHOULD,
         sentence=("Implementations SHOULD NOT negotiate cipher suites based on RSA key "
                   "transport, a.k.a. \"static RSA\"."),
         requirement="only static RSA suites: the server refuses them (handshake_failure or "
                     "insufficient_security)",
         mutations=[ciphers(*cs.TLS12_RSA)],
         expect=alert("handshake_failure", "insufficient_security")),
]


@cases(*KEY_EXCHANGE)
def test_key_exchange(case, conformance):
    conformance.check(case)
