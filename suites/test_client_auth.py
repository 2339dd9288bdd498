"""Client certificates where the server requires them (RFC 8446 4.4.2.4, RFC 5246 7.4.6)."""

from tlsconform.expect import alert
from tlsconform.mutations import empty_certificate
from tlsconform.scenario import Case, cases, each_version

CLIENT_AUTH = [
    Case(id="tls13-empty-certificate", version="tls13", rfc=("8446", "4.4.2.4"),
         topics=("client_certificates",), client_auth=True, client_cert="valid",
         requirement="no client certificate where one is required: certificate_required",
         mutations=[empty_certificate()], expect=alert("certificate_required")),
    Case(id="tls12-empty-certificate", version="tls12", rfc=("5246", "7.4.6"),
         topics=("client_certificates",), client_auth=True, client_cert="valid",
         requirement="no client certificate where one is required: handshake_failure",
         mutations=[empty_certificate()], expect=alert("handshake_failure")),
    *each_version("expired-certificate", rfc=("8446", "4.4.2.4"),
                  topics=("client_certificates",), client_auth=True, client_cert="expired",
                  requirement="an expired client certificate is refused with "
                              "certificate_expired",
                  expect=alert("certificate_expired")),
    *each_version("untrusted-certificate", rfc=("8446", "4.4.2.4"),
                  topics=("client_certificates",), client_auth=True, client_cert="untrusted",
                  requirement="a client certificate from an unknown CA is refused with "
                              "unknown_ca",
                  expect=alert("unknown_ca")),
]


@cases(*CLIENT_AUTH)
def test_client_auth(case, conformance):
    conformance.check(case)
