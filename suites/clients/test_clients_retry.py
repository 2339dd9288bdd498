"""HelloRetryRequest, as the client must check it and answer it (RFC 8446 4.1.4, 4.2.2,
4.2.8): one retry that asks for an offered group or carries a cookie is answered with the
ClientHello it asks for; any other is refused."""

from tlsconform.messages import extensions as ext
from tlsconform.scenario import cases
from tlsconform.server.scenario import ClientCase
from tlsconform.server.words import retry, retry_with
from tlsconform.verdict.expect import alert, completes
from tlsconform.verdict.levels import Level

TOPIC = ("hello_retry",)
GROUP_CHECK = ("Upon receipt of this extension in a HelloRetryRequest, the client MUST verify "
               "that (1) the selected_group field corresponds to a group which was provided "
               "in the \"supported_groups\" extension in the original ClientHello and (2) the "
               "selected_group field does not correspond to a group which was provided in the "
               "\"key_share\" extension in the original ClientHello. If either of these checks "
               "fails, then the client MUST abort the handshake with an \"illegal_parameter\" "
               "alert.")
SUPPORTED_VERSIONS = (ext.SUPPORTED_VERSIONS, b"\x03\x04")


def row(name: str, **fields: object) -> ClientCase:
    return ClientCase(id=f"tls13-{name}", version="tls13", topics=TOPIC, **fields)


ROWS = [
    row("retry-for-offered-group-completes", rfc=("8446", "4.1.4"), mutations=[retry()],
        requirement="a HelloRetryRequest for a group the client offered without a share is "
                    "answered with a ClientHello holding one share, for that group, and the "
                    "handshake completes",
        sentence="If a \"key_share\" extension was supplied in the HelloRetryRequest, "
                 "replacing the list of shares with a list containing a single KeyShareEntry "
                 "from the indicated group.", expect=completes()),
    row("retry-cookie-echoed", rfc=("8446", "4.2.2"),
        mutations=[retry(cookie=b"tlsconform-cookie-" + bytes(range(16)))],
        requirement="the cookie of a HelloRetryRequest comes back in the second ClientHello",
        sentence="When sending the new ClientHello, the client MUST copy the contents of the "
                 "extension received in the HelloRetryRequest into a \"cookie\" extension in "
                 "the new ClientHello.", expect=completes()),
    row("retry-cookie-only-completes", rfc=("8446", "4.2.2"),
        mutations=[retry_with("HelloRetryRequest with only a cookie", retry_group=None,
                              retry_extensions=[SUPPORTED_VERSIONS,
                                                (ext.COOKIE, b"\x00\x04abcd")])],
        requirement="a HelloRetryRequest with a cookie and no key_share is answered with the "
                    "cookie and the same key shares",
        sentence="Cookies serve two primary purposes: ... Allowing the server to force the "
                 "client to demonstrate reachability in their apparent network address",
        expect=completes()),
    row("retry-unoffered-group-refused", rfc=("8446", "4.2.8"),
        mutations=[retry_with("HelloRetryRequest for brainpoolP256r1, which the client did "
                              "not offer", retry_group=26)],
        requirement="a HelloRetryRequest for a group not in supported_groups is refused with "
                    "illegal_parameter",
        sentence=GROUP_CHECK, alert_level=Level.MUST, expect=alert("illegal_parameter")),
    row("retry-group-already-shared-refused", rfc=("8446", "4.2.8"),
        mutations=[retry_with("HelloRetryRequest for x25519, for which the client sent a "
                              "share", retry_group=29)],
        requirement="a HelloRetryRequest for a group the client already sent a share for is "
                    "refused with illegal_parameter",
        sentence=GROUP_CHECK, alert_level=Level.MUST, expect=alert("illegal_parameter")),
    row("second-retry-refused", rfc=("8446", "4.1.4"),
        mutations=[retry(), retry_with("a second HelloRetryRequest", retry_twice=True)],
        requirement="a second HelloRetryRequest in one connection is refused with "
                    "unexpected_message",
        sentence="If a client receives a second HelloRetryRequest in the same connection "
                 "(i.e., where the ClientHello was itself in response to a "
                 "HelloRetryRequest), it MUST abort the handshake with an "
                 "\"unexpected_message\" alert.",
        alert_level=Level.MUST, expect=alert("unexpected_message")),
    row("retry-without-change-refused", rfc=("8446", "4.1.4"),
        mutations=[retry_with("HelloRetryRequest with neither key_share nor cookie",
                              retry_group=None, retry_extensions=[SUPPORTED_VERSIONS])],
        requirement="a HelloRetryRequest that would not change the ClientHello is refused "
                    "with illegal_parameter",
        sentence="Clients MUST abort the handshake with an \"illegal_parameter\" alert if "
                 "the HelloRetryRequest would not result in any change in the ClientHello.",
        alert_level=Level.MUST, expect=alert("illegal_parameter")),
    row("retry-unoffered-suite-refused", rfc=("8446", "4.1.4"),
        mutations=[retry(), retry_with("HelloRetryRequest selecting TLS_AES_128_CCM_8_SHA256",
                                       retry_suite=0x1305)],
        requirement="a HelloRetryRequest selecting a suite the client did not offer is "
                    "refused with illegal_parameter",
        sentence="Upon receipt of a HelloRetryRequest, the client MUST check the "
                 "legacy_version, legacy_session_id_echo, cipher_suite, and "
                 "legacy_compression_method as specified in Section 4.1.3 (4.1.3: A client "
                 "which receives a cipher suite that was not offered MUST abort the handshake "
                 "with an \"illegal_parameter\" alert.)",
        alert_level=Level.MUST, expect=alert("illegal_parameter")),
    row("server-hello-suite-differs-from-retry-refused", rfc=("8446", "4.1.4"),
        mutations=[retry(), retry_with("HelloRetryRequest selecting TLS_AES_256_GCM_SHA384, "
                                       "then ServerHello TLS_AES_128_GCM_SHA256",
                                       retry_suite=0x1302)],
        requirement="a ServerHello whose suite is not the HelloRetryRequest's is refused "
                    "with illegal_parameter",
        sentence="Upon receiving the ServerHello, clients MUST check that the cipher suite "
                 "supplied in the ServerHello is the same as that in the HelloRetryRequest "
                 "and otherwise abort the handshake with an \"illegal_parameter\" alert.",
        alert_level=Level.MUST, expect=alert("illegal_parameter")),
]


@cases(*ROWS)
def test_clients_retry(case, client_conformance):
    client_conformance.check(case)
