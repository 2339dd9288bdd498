"""Finished verification (RFC 8446 4.4.4, RFC 5246 7.4.9)."""

from tlsconform.expect import alert
from tlsconform.mutations import finished, flip_bit
from tlsconform.scenario import cases, each_version

FINISHED = [
    *each_version("bitflip-last-byte", rfc=("8446", "4.4.4"), topics=("finished",),
                  requirement="a Finished whose verify_data is wrong is refused with "
                              "decrypt_error",
                  mutations=[finished(flip_bit(-1))], expect=alert("decrypt_error")),
]


@cases(*FINISHED)
def test_finished(case, conformance):
    conformance.check(case)
