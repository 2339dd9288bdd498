"""supported_groups and key_share: shares the rules forbid, invalid points, the
HelloRetryRequest and the second ClientHello, no common group (RFC 8446 4.1.1, 4.1.4,
4.2.8, 4.2.8.2, 6, 7.4.2; RFC 8422 5.11; RFC 8701 3.2).

An invalid share is "syntactically correct but semantically invalid", for which RFC 8446 6
says peers "MUST terminate the connection with an "illegal_parameter" alert"; a share of
the wrong size for its group may also be read as a syntax error (decode_error). TLS 1.2's
ClientKeyExchange falls under RFC 8422 5.11 ("MUST check", "abort the handshake"), which
names no alert: illegal_parameter and handshake_failure are accepted there.
"""

from tlsconform.client.words import (
    X25519_LOW_ORDER,
    client_key_exchange_value,
    duplicate_key_share,
    groups,
    key_share_value,
    key_shares,
    p256_point,
    retry_key_shares,
    retry_share_for_another_group,
    retry_without_selected_suite,
    reversed_key_shares,
)
from tlsconform.client.words.extensions import GREASE
from tlsconform.crypto.groups import KeyShare, group_code
from tlsconform.scenario import Case, cases, each_version
from tlsconform.verdict.expect import (
    aborts_cleanly,
    alert,
    completes_or_refuses,
    completes_with,
)
from tlsconform.verdict.levels import Level
from tlsconform.verdict.negotiation_checks import hello_retry_requested

TOPIC = ("key_share",)
NAMED = {"alert_level": Level.MUST, "silent_level": Level.MUST}
SERVERS_MAY_CHECK = ("Clients MUST NOT offer multiple KeyShareEntry values for the same group. "
                     "Clients MUST NOT offer any KeyShareEntry values for groups not listed in "
                     "the client's \"supported_groups\" extension. Servers MAY check for "
                     "violations of these rules and abort the handshake with an "
                     "\"illegal_parameter\" alert if one is violated.")  # RFC 8446 4.2.8
INVALID = ("Peers which receive a message which is syntactically correct but semantically "
           "invalid (e.g., a DHE share of p - 1, or an invalid enum) MUST terminate the "
           "connection with an \"illegal_parameter\" alert.")  # RFC 8446 6
ZERO_SECRET = ("Implementations MUST check whether the computed Diffie-Hellman shared secret is "
               "the all-zero value and abort if so, as described in Section 6 of "
               "[RFC7748].")  # RFC 8446 7.4.2
POINT = ("For the curves secp256r1, secp384r1, and secp521r1, peers MUST validate each "
         "other's public value Q by ensuring that the point is a valid point on the elliptic "
         "curve.")  # RFC 8446 4.2.8.2
TLS12_POINT = ("With the NIST curves, each party MUST validate the public key sent by its peer "
               "in the ClientKeyExchange and ServerKeyExchange messages.")  # RFC 8422 5.11
TLS12_ZERO = ("With X25519 and X448, a receiving party MUST check whether the computed "
              "premaster secret is the all-zero value and abort the handshake if so, as "
              "described in Section 6 of [RFC7748].")  # RFC 8422 5.11
NO_OVERLAP = {
    "tls12": ("The server will select a cipher suite or, if no acceptable choices are "
              "presented, return a handshake failure alert and close the connection."),
    "tls13": ("If there is no overlap between the received \"supported_groups\" and the "
              "groups supported by the server, then the server MUST abort the handshake with "
              "a \"handshake_failure\" or an \"insufficient_security\" alert."),
}
NO_OVERLAP_RFC = {"tls12": ("5246", "7.4.1.2"), "tls13": ("8446", "4.1.1")}
UNASSIGNED_GROUP = 0x0777
P256 = [groups("secp256r1"), key_shares("secp256r1")]


def _share(name: str) -> bytes:
    return KeyShare(group_code(name)).public


KEY_SHARE = [
    Case(id="tls13-key-share-for-group-not-in-supported-groups", version="tls13",
         rfc=("8446", "4.2.8"), topics=TOPIC, sentence=SERVERS_MAY_CHECK, **NAMED,
         requirement="an x25519 share while supported_groups lists only secp256r1: the "
                     "server MAY refuse it (then with illegal_parameter) or go on",
         mutations=[groups("secp256r1"), key_shares("x25519")],
         expect=completes_or_refuses("illegal_parameter")),
    Case(id="tls13-two-key-shares-for-one-group", version="tls13", rfc=("8446", "4.2.8"),
         topics=TOPIC, sentence=SERVERS_MAY_CHECK, **NAMED,
         requirement="two x25519 entries (the same share twice): the server MAY refuse them "
                     "(then with illegal_parameter) or go on",
         mutations=[groups("x25519"), key_shares("x25519"), duplicate_key_share("x25519")],
         expect=completes_or_refuses("illegal_parameter")),
    Case(id="tls13-key-shares-out-of-order", version="tls13", rfc=("8446", "4.2.8"),
         topics=TOPIC, **NAMED,
         sentence=("Each KeyShareEntry value MUST correspond to a group offered in the "
                   "\"supported_groups\" extension and MUST appear in the same order. ... "
                   "Servers MAY check for violations of these rules and abort the handshake "
                   "with an \"illegal_parameter\" alert if one is violated."),
         requirement="secp256r1 then x25519 shares for supported_groups x25519, secp256r1: "
                     "the server MAY refuse them (then with illegal_parameter) or go on",
         mutations=[groups("x25519", "secp256r1"), key_shares("x25519", "secp256r1"),
                    reversed_key_shares()],
         expect=completes_or_refuses("illegal_parameter")),
    *[Case(id=f"tls13-x25519-share-of-order-{name}", version="tls13", rfc=("8446", "7.4.2"),
           topics=TOPIC, sentence=f"{ZERO_SECRET} ... {INVALID}", **NAMED,
           requirement=f"an x25519 share of small order ({name}): the shared secret is all "
                       "zeros, and the server MUST abort; the share is semantically "
                       "invalid, so with illegal_parameter",
           mutations=[groups("x25519"), key_shares("x25519"),
                      key_share_value("x25519", value, f"of order {name}")],
           expect=alert("illegal_parameter"))
      for name, value in (("zero", X25519_LOW_ORDER["zero"]),
                          ("one", X25519_LOW_ORDER["one"]))],
    Case(id="tls13-x25519-share-of-31-bytes", version="tls13", rfc=("8446", "4.2.8.2"),
         topics=TOPIC, **NAMED,
         sentence=("For X25519 and X448, the contents of the public value are the byte string "
                   "inputs and outputs of the corresponding functions defined in [RFC7748]: "
                   "32 bytes for X25519 and 56 bytes for X448."),
         requirement="an x25519 share of 31 bytes: invalid for its group, illegal_parameter "
                     "(or decode_error, read as a syntax error)",
         mutations=[groups("x25519"), key_shares("x25519"),
                    key_share_value("x25519", _share("x25519")[:31], "of 31 bytes")],
         expect=alert("illegal_parameter", "decode_error")),
    Case(id="tls13-p256-point-not-on-the-curve", version="tls13", rfc=("8446", "4.2.8.2"),
         topics=TOPIC, sentence=f"{POINT} ... {INVALID}", **NAMED,
         requirement="a secp256r1 share whose y is off the curve: illegal_parameter",
         mutations=[*P256, key_share_value("secp256r1", p256_point("off-curve"),
                                           "off the curve")],
         expect=alert("illegal_parameter")),
    *[Case(id=f"tls13-p256-point-{name}", version="tls13", rfc=("8446", "4.2.8.2"),
           topics=TOPIC, **NAMED,
           sentence=("struct { uint8 legacy_form = 4; opaque X[coordinate_length]; opaque "
                     "Y[coordinate_length]; } UncompressedPointRepresentation;"),
           requirement=f"a secp256r1 share {what}: not the uncompressed point TLS 1.3 "
                       "defines, illegal_parameter or decode_error",
           mutations=[*P256, key_share_value("secp256r1", p256_point(kind), what)],
           expect=alert("illegal_parameter", "decode_error"))
      for name, kind, what in (("compressed", "compressed", "in compressed form"),
                               ("truncated", "short", "one byte short"),
                               ("at-infinity", "infinity", "as the point at infinity"))],
    Case(id="tls12-client-key-exchange-x25519-all-zero", version="tls12",
         rfc=("8422", "5.11"), topics=TOPIC, sentence=TLS12_ZERO,
         requirement="an x25519 ClientKeyExchange of 32 zero bytes: the premaster secret is "
                     "all zeros, the server MUST abort (illegal_parameter or "
                     "handshake_failure)",
         mutations=[groups("x25519"),
                    client_key_exchange_value(X25519_LOW_ORDER["zero"], "an all-zero x25519 "
                                              "point")],
         expect=alert("illegal_parameter", "handshake_failure")),
    Case(id="tls12-client-key-exchange-p256-not-on-the-curve", version="tls12",
         rfc=("8422", "5.11"), topics=TOPIC, sentence=TLS12_POINT,
         requirement="a secp256r1 ClientKeyExchange point off the curve: the server MUST "
                     "abort (illegal_parameter or handshake_failure)",
         mutations=[groups("secp256r1"),
                    client_key_exchange_value(p256_point("off-curve"), "a secp256r1 point off "
                                              "the curve")],
         expect=alert("illegal_parameter", "handshake_failure")),
    Case(id="tls12-client-key-exchange-p256-compressed", version="tls12",
         rfc=("8422", "5.1.2"), topics=TOPIC,
         sentence=("Implementations of this document MUST support the uncompressed format "
                   "for all of their supported curves and MUST NOT support other formats for "
                   "curves defined in this specification."),
         requirement="a compressed secp256r1 ClientKeyExchange point: a format the server "
                     "MUST NOT support (illegal_parameter, decode_error or "
                     "handshake_failure)",
         mutations=[groups("secp256r1"),
                    client_key_exchange_value(p256_point("compressed"), "a compressed "
                                              "secp256r1 point")],
         expect=alert("illegal_parameter", "decode_error", "handshake_failure")),
    Case(id="tls12-client-key-exchange-empty-point", version="tls12", rfc=("5246", "7.4.1.2"),
         topics=TOPIC,
         sentence=("... (as for all other messages) it MUST check that the amount of data in "
                   "the message precisely matches one of these formats; if not, then it MUST "
                   "send a fatal \"decode_error\" alert."),
         requirement="a ClientKeyExchange whose point is empty (the vector is <1..2^8-1>): "
                     "decode_error (illegal_parameter accepted: RFC 5246 7.2.2 names it for "
                     "a field out of range)",
         mutations=[client_key_exchange_value(b"", "an empty point")],
         expect=alert("decode_error", "illegal_parameter")),
    Case(id="tls13-empty-key-share-gets-hello-retry-request", version="tls13",
         rfc=("8446", "4.1.1"), topics=TOPIC,
         sentence=("If the server selects an (EC)DHE group and the client did not offer a "
                   "compatible \"key_share\" extension in the initial ClientHello, the server "
                   "MUST respond with a HelloRetryRequest (Section 4.1.4) message."),
         requirement="an empty key_share: a HelloRetryRequest for a group, then the handshake",
         mutations=[key_shares()], expect=completes_with(hello_retry_requested())),
    Case(id="tls13-second-hello-without-the-selected-suite", version="tls13",
         rfc=("8446", "4.1.4"), topics=TOPIC,
         sentence=("A client which receives a cipher suite that was not offered MUST abort "
                   "the handshake. ... Upon receiving the ServerHello, clients MUST check "
                   "that the cipher suite supplied in the ServerHello is the same as that in "
                   "the HelloRetryRequest and otherwise abort the handshake with an "
                   "\"illegal_parameter\" alert."),
         requirement="the second ClientHello drops the suite the HelloRetryRequest selected: "
                     "no ServerHello can be right (neither that suite nor another), so the "
                     "server MUST abort; the RFC names no alert for it: any fatal alert",
         mutations=[key_shares(), retry_without_selected_suite()], expect=aborts_cleanly()),
    Case(id="tls13-second-hello-share-for-another-group", version="tls13",
         rfc=("8446", "4.2.8"), topics=TOPIC,
         sentence=("If using (EC)DHE key establishment and a HelloRetryRequest containing a "
                   "\"key_share\" extension was received by the client, the client MUST "
                   "verify that the selected NamedGroup in the ServerHello is the same as "
                   "that in the HelloRetryRequest. If this check fails, the client MUST "
                   "abort the handshake with an \"illegal_parameter\" alert."),
         requirement="the second ClientHello carries a share for another group than the one "
                     "asked for: no ServerHello can be right, so the server MUST abort (any "
                     "fatal alert)",
         mutations=[key_shares(), retry_share_for_another_group()], expect=aborts_cleanly()),
    Case(id="tls13-second-hello-still-without-a-share", version="tls13",
         rfc=("8446", "4.1.4"), topics=TOPIC,
         sentence=("If a client receives a second HelloRetryRequest in the same connection "
                   "(i.e., where the ClientHello was itself in response to a "
                   "HelloRetryRequest), it MUST abort the handshake with an "
                   "\"unexpected_message\" alert."),
         requirement="the second ClientHello has no share again: the server cannot go on "
                     "and may not retry twice, so it MUST abort (any fatal alert)",
         mutations=[key_shares(), retry_key_shares()], expect=aborts_cleanly()),
    *each_version("no-common-group", rfc=NO_OVERLAP_RFC, topics=TOPIC, sentence=NO_OVERLAP,
                  alert_level={"tls12": None, "tls13": Level.MUST},
                  requirement={
                      "tls12": "supported_groups lists only an unassigned group and every "
                               "offered suite is ECDHE: no acceptable choice, "
                               "handshake_failure (insufficient_security accepted)",
                      "tls13": "supported_groups lists only an unassigned group: "
                               "handshake_failure or insufficient_security"},
                  mutations={"tls12": [groups(UNASSIGNED_GROUP)],
                             "tls13": [groups(UNASSIGNED_GROUP), key_shares()]},
                  expect=alert("handshake_failure", "insufficient_security")),
    *each_version("only-grease-groups", rfc=NO_OVERLAP_RFC, topics=TOPIC, sentence=NO_OVERLAP,
                  alert_level={"tls12": None, "tls13": Level.MUST},
                  requirement="supported_groups lists only a GREASE value (RFC 8701 3.2: "
                              "there may not be any known parameters remaining, in which "
                              "case parameter negotiation will fail): handshake_failure or "
                              "insufficient_security",
                  mutations={"tls12": [groups(GREASE)],
                             "tls13": [groups(GREASE), key_shares(GREASE)]},
                  expect=alert("handshake_failure", "insufficient_security")),
]


@cases(*KEY_SHARE)
def test_key_share(case, conformance):
    conformance.check(case)
