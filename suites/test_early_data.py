"""TLS 1.3 0-RTT (RFC 8446 4.2.10, 4.5): the request sent as early data under a ticket's
PSK, and what the server does with it. A server that accepts it gets our EndOfEarlyData
where RFC 8446 4.5 puts it; one that rejects it must skip the early records it cannot
decrypt and complete the handshake. Accepting early data without having selected the first
PSK is a rule the engine checks in every EncryptedExtensions."""

from tlsconform.client.resume import Resume
from tlsconform.client.words import (
    early_data,
    early_data_beyond_limit,
    early_data_records,
    end_of_early_data_skipped,
    foreign_ticket,
    key_shares,
    omit,
)
from tlsconform.messages import extensions as ext
from tlsconform.scenario import Case, Need, cases
from tlsconform.verdict.expect import alert, completes, completes_or_aborts, completes_with
from tlsconform.verdict.levels import Level
from tlsconform.verdict.negotiation_checks import answered, hello_retry_requested
from tlsconform.verdict.session_checks import not_resumed

TOPIC = ("early_data",)
A_TICKET = Resume("psk")
ACCEPTS = Need("0-RTT (a ticket's early data is accepted)", mutations=[early_data()],
               resume=A_TICKET, check=answered(ext.EARLY_DATA), feature="early_data")
SKIP = ("Ignore the extension and return a regular 1-RTT response. The server then skips "
        "past early data by attempting to deprotect received records using the handshake "
        "traffic key, discarding records which fail deprotection (up to the configured "
        "max_early_data_size).")  # RFC 8446 4.2.10
RETRY = ("Request that the client send another ClientHello by responding with a "
         "HelloRetryRequest. A client MUST NOT include the \"early_data\" extension in its "
         "followup ClientHello. The server then ignores early data by skipping all records "
         "with an external content type of \"application_data\" (indicating that they are "
         "encrypted), up to the configured max_early_data_size.")  # RFC 8446 4.2.10
ONLY_FIRST = ("In order to accept early data, the server MUST have accepted a PSK cipher "
              "suite and selected the first key offered in the client's \"pre_shared_key\" "
              "extension. ... If any of these checks fail, the server MUST NOT respond with "
              "the extension and must discard all the first-flight data")  # RFC 8446 4.2.10


def row(name: str, requirement: str, expect: object, sentence: str = SKIP,
        resume: Resume | None = A_TICKET, mutations: tuple = (), **more: object) -> Case:
    return Case(id=f"tls13-{name}", version="tls13", topics=TOPIC, sentence=sentence,
                requirement=requirement, resume=resume, mutations=[early_data(), *mutations],
                expect=expect, **{"rfc": ("8446", "4.2.10"), **more})  # type: ignore[arg-type]


EARLY_DATA = [
    row("early-data-accepted-or-skipped",
        "the request as 0-RTT data under a ticket's PSK: the server accepts it (then our "
        "EndOfEarlyData follows its Finished) or skips it and completes the handshake",
        completes()),
    row("early-data-several-records",
        "the request and three more 0-RTT records of 512 bytes: accepted, or all skipped "
        "(2 KiB is below any max_early_data_size a server that takes 0-RTT states)",
        completes(), mutations=(early_data_records(3, 512),)),
    row("early-data-with-unknown-ticket",
        "0-RTT data under a PSK whose ticket the server never issued: it cannot decrypt "
        "the early records, skips them and makes a full handshake",
        completes_with(not_resumed()), mutations=(foreign_ticket(),)),
    row("early-data-then-hello-retry",
        "0-RTT data with a ClientHello that has no key share: the server asks for one with "
        "a HelloRetryRequest and skips the early records; the second ClientHello carries no "
        "early_data",
        completes_with(hello_retry_requested()), sentence=RETRY, mutations=(key_shares(),)),
    row("early-data-without-psk",
        "early_data in a ClientHello without pre_shared_key (so no 0-RTT records can be "
        "protected), which a client MUST NOT send: the server must not accept it; it "
        "completes or aborts",
        completes_or_aborts(), sentence=ONLY_FIRST, resume=None),
    row("early-data-beyond-max-size",
        "accepted 0-RTT data one byte beyond the ticket's max_early_data_size: the server "
        "terminates the connection with unexpected_message",
        alert("unexpected_message"), rfc=("8446", "4.6.1"), level=Level.SHOULD,
        needs=(ACCEPTS,), mutations=(early_data_beyond_limit(),),
        sentence=("A server receiving more than max_early_data_size bytes of 0-RTT data "
                  "SHOULD terminate the connection with an \"unexpected_message\" alert.")),
    row("end-of-early-data-skipped",
        "accepted 0-RTT data, then no EndOfEarlyData and the Finished under the handshake "
        "keys: the server cannot decrypt it as 0-RTT and terminates with bad_record_mac",
        alert("bad_record_mac"), needs=(ACCEPTS,), mutations=(end_of_early_data_skipped(),),
        sentence=("Specifically, if the server fails to decrypt a 0-RTT record following an "
                  "accepted \"early_data\" extension, it MUST terminate the connection with "
                  "a \"bad_record_mac\" alert as per Section 5.2.")),
    row("end-of-early-data-omitted",
        "accepted 0-RTT data, then the Finished as 0-RTT where EndOfEarlyData is due: "
        "unexpected_message",
        alert("unexpected_message"), rfc=("8446", "4"), needs=(ACCEPTS,),
        mutations=(omit("EndOfEarlyData"),),
        sentence=("Protocol messages MUST be sent in the order defined in Section 4.4.1 and "
                  "shown in the diagrams in Section 2. A peer which receives a handshake "
                  "message in an unexpected order MUST abort the handshake with an "
                  "\"unexpected_message\" alert.")),
]


@cases(*EARLY_DATA)
def test_early_data(case, conformance):
    conformance.check(case)
