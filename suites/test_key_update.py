"""TLS 1.3 KeyUpdate after the handshake (RFC 8446 4.6.3, 5.1): the engine moves its own
write keys on after each KeyUpdate it sends and follows the server's, so a server that
does not update its read keys, or answers under stale ones, fails to decrypt or to be
decrypted."""

from tlsconform.client.words import after_handshake, handshake, key_updates
from tlsconform.scenario import Case, cases
from tlsconform.verdict.expect import alert, completes, completes_with
from tlsconform.verdict.session_checks import key_update_answered

TOPIC = ("key_update",)
ANSWER = ("If the request_update field is set to \"update_requested\", then the receiver MUST "
          "send a KeyUpdate of its own with request_update set to \"update_not_requested\" "
          "prior to sending its next Application Data record.")
OTHER_VALUE = ("If an implementation receives any other value, it MUST terminate the "
               "connection with an \"illegal_parameter\" alert.")
ALIGNED = ("Handshake messages MUST NOT span key changes. Implementations MUST verify that "
           "all messages immediately preceding a key change align with a record boundary; if "
           "not, then they MUST terminate the connection with an \"unexpected_message\" "
           "alert.")  # RFC 8446 5.1
OLD_KEYS = ("Both sender and receiver MUST encrypt their KeyUpdate messages with the old "
            "keys. Additionally, both sides MUST enforce that a KeyUpdate with the old key is "
            "received before accepting any messages encrypted with the new key.")
DECODE = ("decode_error: A message could not be decoded because some field was out of the "
          "specified range or the length of the message was incorrect.")  # RFC 8446 6.2


def row(name: str, requirement: str, mutations: list, expect: object, rfc: str = "4.6.3",
        sentence: str = ANSWER) -> Case:
    hint = ("on update_requested, queue a KeyUpdate(update_not_requested) to go before the "
            "next application data record" if sentence == ANSWER else "")
    return Case(id=f"tls13-{name}", version="tls13", rfc=("8446", rfc), topics=TOPIC,
                sentence=sentence, requirement=requirement, mutations=mutations,
                expect=expect, hint=hint)  # type: ignore[arg-type]


KEY_UPDATE = [
    row("key-update-not-requested",
        "a KeyUpdate(update_not_requested) before the request, which goes under the new keys: "
        "the server reads it and answers",
        [key_updates(0)], completes(), sentence=OLD_KEYS),
    row("key-update-requested",
        "a KeyUpdate(update_requested) before the request: the server sends its own "
        "KeyUpdate(update_not_requested) before its reply",
        [key_updates(1)], completes_with(key_update_answered())),
    row("key-update-requested-three-times",
        "three KeyUpdate(update_requested) in a row: the server updates its receiving keys "
        "each time and answers with at least one KeyUpdate before its reply",
        [key_updates(1, count=3)], completes_with(key_update_answered())),
    row("key-updates-many",
        "sixteen KeyUpdate(update_not_requested) in a row, each moving the keys on: the "
        "server keeps up and answers the request (implementations cap runs of KeyUpdates "
        "against floods; sixteen is below the caps we know)",
        [key_updates(0, count=16)], completes(), sentence=OLD_KEYS),
    *[row(f"key-update-value-{value}",
          f"a KeyUpdate with request_update={value}: illegal_parameter",
          [key_updates(value)], alert("illegal_parameter"), sentence=OTHER_VALUE)
      for value in (2, 255)],
    row("key-updates-in-one-record",
        "two KeyUpdates in one record: a message before a key change must end its record, "
        "so unexpected_message",
        [key_updates(0, count=2, joined=True)], alert("unexpected_message"), rfc="5.1",
        sentence=ALIGNED),
    *[row(f"key-update-{name}",
          f"a KeyUpdate with {what}: decode_error",
          [after_handshake(handshake("KeyUpdate", body), f"KeyUpdate with {what}")],
          alert("decode_error"), rfc="6.2", sentence=DECODE)
      for name, body, what in (("empty", b"", "an empty body"),
                               ("two-bytes", b"\x00\x00", "a two-byte body"))],
]


@cases(*KEY_UPDATE)
def test_key_update(case, conformance):
    conformance.check(case)
