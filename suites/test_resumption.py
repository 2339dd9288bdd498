"""Resumption: a second connection offers back what the first one left, a TLS 1.2 session
id or RFC 5077 ticket, or a TLS 1.3 PSK from a NewSessionTicket (RFC 5246 7.4.1.2,
RFC 5077 3.4, RFC 7627 5.3, RFC 8446 4.2.9, 4.2.11, 4.6.1).

Every resumption the server accepts is checked by the engine: the resumed session's
version, suite and extended master secret, the PSK's hash and mode, the identity whose
binder the server validated, and the server's Finished under the resumed secret. Rows that
need the server to resume skip, saying so, against one that makes a new session instead.
"""

from tlsconform.client.resume import Resume
from tlsconform.client.session import PSK_KE
from tlsconform.client.words import (
    ciphers,
    corrupt_ticket,
    extension,
    extension_last,
    foreign_ticket,
    forget_session_id,
    key_shares,
    omit_extension,
    psk_modes,
    suites_of_another_hash,
    ticket_age,
    unknown_identity_first,
    wrong_binder,
)
from tlsconform.crypto import suites as cs
from tlsconform.messages import extensions as ext
from tlsconform.scenario import Case, cases
from tlsconform.verdict.expect import (
    alert,
    completes,
    completes_or_aborts,
    completes_with,
)
from tlsconform.verdict.levels import Level
from tlsconform.verdict.session_checks import not_resumed, resumed, ticket_lifetimes

from .psk_sentences import MODES_MISSING, NOT_LAST, UNKNOWN_PSK

TOPIC = ("resumption",)
TLS12_KINDS = (("session-id", "session_id"), ("ticket", "ticket"))
NO_EMS = omit_extension(ext.EXTENDED_MASTER_SECRET)
RESUMED_VALUES = ("If the session_id field is not empty (implying a session resumption "
                  "request), this vector MUST include at least the cipher_suite from that "
                  "session.")  # RFC 5246 7.4.1.2
SAME_SUITE = ("If a session is resumed, it must be resumed using the same cipher suite it "
              "was originally negotiated with.")  # RFC 5246 7.4.1.3
TICKET_FALLBACK = ("If the server cannot or does not want to honor the ticket, then it can "
                   "initiate a full handshake with the client.")  # RFC 5077 3.1
EMS_DROPPED = ("If the original session used the \"extended_master_secret\" extension but the "
               "new ClientHello does not contain it, the server MUST abort the abbreviated "
               "handshake.")  # RFC 7627 5.3
EMS_ADDED = ("If the original session did not use the \"extended_master_secret\" extension "
             "but the new ClientHello contains the extension, then the server MUST NOT "
             "perform the abbreviated handshake.")  # RFC 7627 5.3
LIFETIME = "Servers MUST NOT use any value greater than 604800 seconds (7 days)."  # 4.6.1
BINDER = ("Prior to accepting PSK key establishment, the server MUST validate the "
          "corresponding binder value (see Section 4.2.11.2 below). If this value is not "
          "present or does not validate, the server MUST abort the handshake.")  # 4.2.11
MODE_LISTED = ("Servers MUST NOT select a key exchange mode that is not listed by the "
               "client.")  # RFC 8446 4.2.9
NINE_TWO = ("Servers receiving a ClientHello which does not conform to these requirements "
            "MUST abort the handshake with a \"missing_extension\" alert.")  # RFC 8446 9.2


def resume(kind: str, *first: object, **options: object) -> Resume:
    return Resume(kind, first=list(first), **options)  # type: ignore[arg-type]


TLS12 = [
    *[Case(id=f"tls12-{name}-resumption", version="tls12", rfc=("5246", "7.4.1.3"),
           topics=TOPIC, sentence=SAME_SUITE, resume=resume(kind, required=True),
           requirement=f"the session offered back by {name}: the abbreviated handshake keeps "
                       "the session's version, suite and extended master secret, and the "
                       "server's Finished verifies under its master secret",
           expect=completes_with(resumed()))
      for name, kind in TLS12_KINDS],
    *[Case(id=f"tls12-{name}-without-the-session-suite", version="tls12",
           rfc=("5246", "7.4.1.3"), topics=TOPIC, sentence=f"{RESUMED_VALUES} ... {SAME_SUITE}",
           resume=resume(kind, ciphers(cs.ECDHE_RSA_AES128_GCM_SHA256,
                                       cs.ECDHE_ECDSA_AES128_GCM_SHA256)),
           requirement=f"the session offered back by {name} with a suite list that lacks the "
                       "session's suite, which the client MUST NOT send: the server must not "
                       "resume under a suite the client did not offer; it makes a new session "
                       "or aborts",
           mutations=[ciphers(cs.ECDHE_RSA_AES256_GCM_SHA384, cs.ECDHE_ECDSA_AES256_GCM_SHA384)],
           expect=completes_or_aborts(check=not_resumed()))
      for name, kind in TLS12_KINDS],
    Case(id="tls12-ticket-corrupted", version="tls12", rfc=("5077", "3.1"), topics=TOPIC,
         sentence=TICKET_FALLBACK, level=Level.SHOULD, resume=resume("ticket"),
         requirement="a ticket with one bit flipped: the server cannot decrypt it and makes "
                     "a new session with a full handshake",
         mutations=[corrupt_ticket()], expect=completes_with(not_resumed())),
    Case(id="tls12-ticket-foreign", version="tls12", rfc=("5077", "3.1"), topics=TOPIC,
         sentence=TICKET_FALLBACK, level=Level.SHOULD, resume=resume("ticket"),
         requirement="random bytes as the ticket: the server never issued it and makes a new "
                     "session with a full handshake",
         mutations=[foreign_ticket()], expect=completes_with(not_resumed())),
    Case(id="tls12-session-id-unknown", version="tls12", rfc=("5246", "7.3"),
         topics=TOPIC, resume=resume("session_id"),
         sentence=("If a Session ID match is not found, the server generates a new session "
                   "ID, and the TLS client and server perform a full handshake."),
         requirement="a session id the server never gave: a new session with a full handshake",
         mutations=[forget_session_id()], expect=completes_with(not_resumed())),
    *[Case(id=f"tls12-{name}-ems-session-without-ems", version="tls12", rfc=("7627", "5.3"),
           topics=TOPIC, sentence=EMS_DROPPED, resume=resume(kind),
           hint="store in the session whether extended_master_secret was used, and "
                "refuse to resume it in a ClientHello that differs",
           requirement=f"a session made with extended_master_secret offered back by {name} "
                       "in a ClientHello without it: the server must not resume it (it makes a "
                       "new session or aborts)",
           mutations=[NO_EMS], expect=completes_or_aborts(check=not_resumed()))
      for name, kind in TLS12_KINDS],
    *[Case(id=f"tls12-{name}-non-ems-session-with-ems", version="tls12", rfc=("7627", "5.3"),
           topics=TOPIC, sentence=EMS_ADDED, resume=resume(kind, NO_EMS),
           hint="store in the session whether extended_master_secret was used, and "
                "refuse to resume it in a ClientHello that differs",
           requirement=f"a session made without extended_master_secret offered back by "
                       f"{name} in a ClientHello with it: the server must not resume it",
           expect=completes_or_aborts(check=not_resumed()))
      for name, kind in TLS12_KINDS],
]

TLS13 = [
    Case(id="tls13-psk-dhe-resumption", version="tls13", rfc=("8446", "4.2.11"),
         topics=TOPIC, sentence=BINDER, resume=resume("psk", required=True),
         requirement="a ticket offered back in psk_dhe_ke mode with a correct binder: the "
                     "server resumes, with a suite of the PSK's hash and a key_share",
         expect=completes_with(resumed())),
    Case(id="tls13-psk-ke-resumption", version="tls13", rfc=("8446", "4.2.9"),
         topics=TOPIC, sentence=MODE_LISTED, resume=resume("psk", modes=(PSK_KE,),
                                                           required=True),
         requirement="a ticket offered back in psk_ke mode only: a server that resumes does "
                     "so without a key_share (the mode listed)",
         expect=completes_with(resumed())),
    Case(id="tls13-psk-after-hello-retry", version="tls13", rfc=("8446", "4.2.11.2"),
         topics=TOPIC, resume=resume("psk", required=True),
         sentence=("If the server responds with a HelloRetryRequest and the client then sends "
                   "ClientHello2, its binder will be computed over: Transcript-Hash("
                   "ClientHello1, HelloRetryRequest, Truncate(ClientHello2))"),
         requirement="a ticket offered back with no key share, so the server asks for one: "
                     "the binder of the second ClientHello covers the retry, and the server "
                     "resumes",
         mutations=[key_shares()], expect=completes_with(resumed())),
    Case(id="tls13-ticket-lifetime", version="tls13", rfc=("8446", "4.6.1"), topics=TOPIC,
         sentence=LIFETIME, resume=resume("psk"),
         requirement="every NewSessionTicket of two connections has a ticket_lifetime of at "
                     "most seven days",
         expect=completes_with(ticket_lifetimes())),
    Case(id="tls13-psk-binder-wrong", version="tls13", rfc=("8446", "4.2.11"), topics=TOPIC,
         sentence=BINDER, resume=resume("psk"),
         requirement="a ticket offered back with one bit of its binder flipped: the server "
                     "aborts; RFC 8446 6.2 names decrypt_error for a PSK binder that does "
                     "not validate",
         hint="compute the binder over the truncated ClientHello and compare it before "
              "selecting the PSK",
         mutations=[wrong_binder()], expect=alert("decrypt_error")),
    Case(id="tls13-psk-other-hash", version="tls13", rfc=("8446", "4.6.1"), topics=TOPIC,
         sentence=("Any ticket MUST only be resumed with a cipher suite that has the same KDF "
                   "hash algorithm as that used to establish the original connection."),
         resume=resume("psk"),
         requirement="a ticket offered back with only suites of another hash than its own: "
                     "the PSK cannot be used with them, so the server makes a full handshake",
         mutations=[suites_of_another_hash()], expect=completes_with(not_resumed())),
    Case(id="tls13-psk-ticket-corrupted", version="tls13", rfc=("8446", "4.2.11"),
         topics=TOPIC, level=Level.SHOULD, sentence=UNKNOWN_PSK, resume=resume("psk"),
         requirement="a ticket with one bit flipped: the server ignores the PSK it cannot "
                     "decrypt and makes a full handshake",
         mutations=[corrupt_ticket()], expect=completes_with(not_resumed())),
    Case(id="tls13-psk-ticket-foreign", version="tls13", rfc=("8446", "4.2.11"),
         topics=TOPIC, level=Level.SHOULD, sentence=UNKNOWN_PSK, resume=resume("psk"),
         requirement="random bytes as the PSK identity: a full handshake",
         mutations=[foreign_ticket()], expect=completes_with(not_resumed())),
    Case(id="tls13-psk-unknown-identity-first", version="tls13", rfc=("8446", "4.2.11"),
         topics=TOPIC, level=Level.SHOULD, sentence=UNKNOWN_PSK, resume=resume("psk"),
         requirement="an unknown identity before the real one: the server skips it, and "
                     "either resumes with the second (whose binder it must validate) or makes "
                     "a full handshake",
         mutations=[unknown_identity_first()], expect=completes()),
    Case(id="tls13-psk-ticket-age-off", version="tls13", rfc=("8446", "4.2.10"),
         topics=TOPIC, level=Level.SHOULD, resume=resume("psk"),
         sentence=("For PSKs provisioned via NewSessionTicket, a server MUST validate that the "
                   "ticket age for the selected PSK identity ... is within a small tolerance "
                   "of the time since the ticket was issued (see Section 8). If it is not, the "
                   "server SHOULD proceed with the handshake but reject 0-RTT, and SHOULD NOT "
                   "take any other action that assumes that this ClientHello is fresh."),
         requirement="a ticket offered back with its obfuscated age a day off: the age only "
                     "matters for 0-RTT, so the server completes (resumed or not)",
         mutations=[ticket_age(86_400_000)], expect=completes()),
    Case(id="tls13-psk-not-last", version="tls13", rfc=("8446", "4.2.11"), topics=TOPIC,
         sentence=NOT_LAST, resume=resume("psk"),
         requirement="a real ticket offered back in a pre_shared_key followed by another "
                     "extension: illegal_parameter",
         mutations=[extension(0xFE01, b""), extension_last(ext.PRE_SHARED_KEY, after=0xFE01)],
         expect=alert("illegal_parameter")),
    Case(id="tls13-psk-without-modes", version="tls13", rfc=("8446", "4.2.9"), topics=TOPIC,
         sentence=f"{MODES_MISSING} ... {NINE_TWO}", resume=resume("psk"),
         requirement="a real ticket offered back without psk_key_exchange_modes: the server "
                     "aborts with missing_extension (RFC 8446 9.2)",
         mutations=[psk_modes()], expect=alert("missing_extension")),
    Case(id="tls13-psk-unknown-mode-only", version="tls13", rfc=("8446", "4.2.9"),
         topics=TOPIC, sentence=MODE_LISTED, resume=resume("psk"),
         requirement="a real ticket offered back with only an unassigned PSK mode (0x7f): "
                     "the server cannot use the PSK in a mode not listed, so it makes a full "
                     "handshake",
         mutations=[psk_modes(0x7F)], expect=completes_with(not_resumed())),
]


@cases(*TLS12, *TLS13)
def test_resumption(case, conformance):
    conformance.check(case)
