"""Alerts the client sends and how the server ends a connection (RFC 8446 6, 6.1, 6.2;
RFC 5246 7.2, 7.2.1, 7.2.2)."""

from tlsconform.client.words import (
    CLOSE_NOTIFY,
    FATAL,
    WARNING,
    alert_before,
    alert_before_request,
    alert_instead_of,
    close_notify_before_request,
    close_notify_instead_of_request,
    corrupt_record,
)
from tlsconform.scenario import Case, cases, each_version
from tlsconform.verdict.expect import (
    answers_close_notify,
    closes_silently,
    closes_with_close_notify,
    closes_without_answering,
    completes_or_aborts,
)
from tlsconform.verdict.levels import Level

TOPIC = ("alert_protocol",)
CLOSE_NOTIFY_SENTENCE = {
    "tls12": ("The other party MUST respond with a close_notify alert of its own and close "
              "down the connection immediately, discarding any pending writes."),  # 5246 7.2.1
    "tls13": ("Each party MUST send a \"close_notify\" alert before closing its write side of "
              "the connection, unless it has already sent some error alert."),  # 8446 6.1
}
# In TLS 1.3 an error alert also meets 6.1 ("unless it has already sent some error alert");
# in TLS 1.2 the answer to close_notify is close_notify. Closing with neither fails both.
CLOSE_NOTIFY_LEVELS = {"alert_level": {"tls12": Level.MUST, "tls13": Level.MAY},
                       "silent_level": {"tls12": Level.MUST, "tls13": Level.MUST}}
FATAL_SENTENCE = {
    "tls12": ("Upon transmission or receipt of a fatal alert message, both parties immediately "
              "close the connection."),  # RFC 5246 7.2.2
    "tls13": ("Upon transmission or receipt of a fatal alert message, both parties MUST "
              "immediately close the connection."),  # RFC 8446 6.2
}
ERROR_ALERTS = ("All the alerts listed in Section 6.2 MUST be sent with AlertLevel=fatal and "
                "MUST be treated as error alerts when received regardless of the AlertLevel in "
                "the message. Unknown Alert types MUST be treated as error alerts.")  # 8446 6
WARNINGS_TLS12 = ("If an alert with a level of warning is sent and received, generally the "
                  "connection can continue normally. If the receiving party decides not to "
                  "proceed with the connection (e.g., after having received a no_renegotiation "
                  "alert that it is not willing to accept), it SHOULD send a fatal alert to "
                  "terminate the connection.")  # RFC 5246 7.2
CLOSURE = {"tls12": ("5246", "7.2.1"), "tls13": ("8446", "6.1")}
FATAL_RECEIVED = {"tls12": ("5246", "7.2.2"), "tls13": ("8446", "6.2")}
HANDSHAKE_FAILURE, BAD_CERTIFICATE, DECODE_ERROR, INTERNAL_ERROR = 40, 42, 50, 80
NO_RENEGOTIATION, USER_CANCELED, UNASSIGNED = 100, 90, 255


def rows(name: str, rfc: dict | tuple, requirement: str, mutations: list, expect: object,
         versions: tuple[str, ...] = ("tls12", "tls13"), **row: object) -> list[Case]:
    return each_version(name, versions=versions, rfc=rfc, topics=TOPIC,
                        requirement=requirement, mutations=mutations, expect=expect, **row)


ALERT_PROTOCOL = [
    # -- closure ---------------------------------------------------------------------------
    *rows("close-notify-after-response", CLOSURE,
          "each party MUST send a close_notify alert before closing its write side of the "
          "connection (RFC 8446 6.1; RFC 5246 7.2.1: unless some other fatal alert has been "
          "transmitted): after its reply the server sends close_notify, then closes",
          [], closes_with_close_notify(), closure=True,
          sentence={"tls12": "Unless some other fatal alert has been transmitted, each party "
                             "is required to send a close_notify alert before closing the "
                             "write side of the connection.",
                    "tls13": CLOSE_NOTIFY_SENTENCE["tls13"]}),
    Case(id="tls12-close-notify-answered", version="tls12", rfc=("5246", "7.2.1"),
         topics=TOPIC, sentence=CLOSE_NOTIFY_SENTENCE["tls12"], alert_level=Level.MUST,
         silent_level=Level.MUST,
         requirement="the other party MUST respond with a close_notify alert of its own and "
                     "close down the connection immediately, discarding any pending writes: "
                     "our close_notify right after the handshake gets close_notify and "
                     "nothing else", mutations=[close_notify_instead_of_request()],
         expect=answers_close_notify(), closure=True),
    Case(id="tls13-close-notify-answered", version="tls13", rfc=("8446", "6.1"),
         topics=TOPIC, sentence=CLOSE_NOTIFY_SENTENCE["tls13"], alert_level=Level.MAY,
         silent_level=Level.MUST,
         requirement="each party MUST send a close_notify alert before closing its write "
                     "side (our close_notify does not close the server's write side, so "
                     "data may come first): after ours, the server's arrives before it closes",
         mutations=[close_notify_instead_of_request()],
         expect=answers_close_notify(data_allowed=True), closure=True),
    Case(id="tls12-data-after-close-notify-ignored", version="tls12", rfc=("5246", "7.2.1"),
         topics=TOPIC, sentence=CLOSE_NOTIFY_SENTENCE["tls12"], alert_level=Level.MUST,
         silent_level=Level.MUST,
         requirement="after our close_notify the server closes down, discarding what follows: "
                     "a corrupted record after our close_notify gets close_notify, not "
                     "bad_record_mac",
         mutations=[close_notify_before_request(), corrupt_record("ApplicationData")],
         expect=answers_close_notify(ignores="a corrupted record"), closure=True),
    Case(id="tls13-data-after-close-notify-ignored", version="tls13", rfc=("8446", "6.1"),
         topics=TOPIC, sentence=CLOSE_NOTIFY_SENTENCE["tls13"], alert_level=Level.MAY,
         silent_level=Level.MUST,
         requirement="any data received after a closure alert has been received MUST be "
                     "ignored: a corrupted record after our close_notify gets no "
                     "bad_record_mac, only the server's close_notify",
         mutations=[close_notify_before_request(), corrupt_record("ApplicationData")],
         expect=answers_close_notify(data_allowed=True, ignores="a corrupted record"),
         closure=True),
    *rows("close-notify-instead-of-finished", CLOSURE,
          "a close_notify where our Finished was due: the handshake cannot complete; the "
          "server answers with close_notify (or an error alert) and closes",
          [alert_instead_of("Finished", CLOSE_NOTIFY, WARNING)], answers_close_notify(),
          sentence=CLOSE_NOTIFY_SENTENCE, **CLOSE_NOTIFY_LEVELS),
    # -- fatal alerts from the client --------------------------------------------------------
    *rows("fatal-alert-instead-of-finished", FATAL_RECEIVED,
          "upon receipt of a fatal alert both parties MUST immediately close the connection: "
          "our fatal bad_certificate in place of Finished ends it, with nothing sent back",
          [alert_instead_of("Finished", BAD_CERTIFICATE, FATAL)], closes_silently(),
          sentence=FATAL_SENTENCE, alert_level=Level.SHOULD),
    *rows("fatal-alert-instead-of-request", FATAL_RECEIVED,
          "our fatal internal_error after the handshake ends the connection at once",
          [alert_instead_of("ApplicationData", INTERNAL_ERROR, FATAL)], closes_silently(),
          sentence=FATAL_SENTENCE, alert_level=Level.SHOULD),
    *rows("fatal-unknown-alert-instead-of-request", FATAL_RECEIVED,
          "a fatal alert of unassigned description 255 ends the connection like any fatal "
          "alert", [alert_instead_of("ApplicationData", UNASSIGNED, FATAL)],
          closes_silently(),
          sentence=FATAL_SENTENCE, alert_level=Level.SHOULD),
    # -- TLS 1.3: every alert but the closure alerts is an error alert ---------------------
    Case(id="tls13-unknown-warning-alert-is-fatal", version="tls13", rfc=("8446", "6"),
         topics=TOPIC, sentence=ERROR_ALERTS,
         requirement="unknown alert types MUST be treated as error alerts: a warning alert of "
                     "description 255 before the request ends the connection unanswered",
         mutations=[alert_before_request(UNASSIGNED, WARNING)],
         expect=closes_without_answering()),
    Case(id="tls13-warning-error-alert-is-fatal", version="tls13", rfc=("8446", "6"),
         topics=TOPIC, sentence=ERROR_ALERTS,
         requirement="the alerts of RFC 8446 6.2 MUST be treated as error alerts when "
                     "received regardless of the AlertLevel: a warning handshake_failure "
                     "before the request ends the connection unanswered",
         mutations=[alert_before_request(HANDSHAKE_FAILURE, WARNING)],
         expect=closes_without_answering()),
    Case(id="tls13-warning-error-alert-during-handshake-is-fatal", version="tls13",
         rfc=("8446", "6"), topics=TOPIC, sentence=ERROR_ALERTS,
         requirement="a warning decode_error before our Finished is an error alert "
                     "whatever its level: the handshake ends there",
         mutations=[alert_before("Finished", DECODE_ERROR, WARNING)],
         expect=closes_without_answering()),
    Case(id="tls13-alert-of-undefined-level", version="tls13", rfc=("8446", "6"),
         topics=TOPIC, sentence=ERROR_ALERTS,
         requirement="an alert of undefined level 3 (description handshake_failure) is an "
                     "error alert: the connection ends unanswered",
         mutations=[alert_before_request(HANDSHAKE_FAILURE, 3)],
         expect=closes_without_answering()),
    Case(id="tls13-user-canceled-then-close-notify", version="tls13", rfc=("8446", "6.1"),
         topics=TOPIC, sentence=CLOSE_NOTIFY_SENTENCE["tls13"], alert_level=Level.MAY,
         silent_level=Level.MUST,
         requirement="user_canceled is a closure alert, followed by close_notify: the "
                     "server answers the close_notify and sends nothing else",
         mutations=[alert_before_request(USER_CANCELED, WARNING),
                    close_notify_instead_of_request()],
         expect=answers_close_notify(data_allowed=True), closure=True),
    # -- TLS 1.2: warnings do not end a connection by themselves -----------------------------
    Case(id="tls12-warning-no-renegotiation-during-handshake", version="tls12",
         rfc=("5246", "7.2"), topics=TOPIC, sentence=WARNINGS_TLS12,
         silent_level=Level.SHOULD,
         requirement="if an alert with a level of warning is received, generally the "
                     "connection can continue normally; a receiver that decides not to "
                     "proceed SHOULD send a fatal alert: a warning no_renegotiation before "
                     "ClientKeyExchange",
         mutations=[alert_before("ClientKeyExchange", NO_RENEGOTIATION, WARNING)],
         expect=completes_or_aborts()),
    Case(id="tls12-unknown-warning-alert-after-handshake", version="tls12",
         rfc=("5246", "7.2"), topics=TOPIC, sentence=WARNINGS_TLS12,
         silent_level=Level.SHOULD,
         requirement="a warning alert of unassigned description 255 before the request: the "
                     "connection continues, or the server ends it with a fatal alert",
         mutations=[alert_before_request(UNASSIGNED, WARNING)], expect=completes_or_aborts()),
    Case(id="tls12-user-canceled-then-close-notify", version="tls12", rfc=("5246", "7.2.1"),
         topics=TOPIC, sentence=CLOSE_NOTIFY_SENTENCE["tls12"], alert_level=Level.MUST,
         silent_level=Level.MUST,
         requirement="user_canceled should be followed by a close_notify, which the other "
                     "party MUST answer with its own close_notify",
         mutations=[alert_before_request(USER_CANCELED, WARNING),
                    close_notify_instead_of_request()], expect=answers_close_notify(),
         closure=True),
]


@cases(*ALERT_PROTOCOL)
def test_alert_protocol(case, conformance):
    conformance.check(case)
