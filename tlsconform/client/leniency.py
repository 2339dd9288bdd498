"""The checks the client driver makes of a server, by name, so one can be switched off.

The suite's own rows never switch one off. A fault-injectable client (the "faulty" client
launcher) does: to prove that a client row fails a client that skips exactly that check,
it runs ``ClientDriver(..., lenient={"offered-suite"})``. Each name guards one check (or
one duty, such as answering close_notify); the driver says what it does instead: ignore
the offending item, or go on as if the server had done it right.
"""

from __future__ import annotations

RULES: dict[str, str] = {
    # -- ServerHello (RFC 8446 4.1.3, RFC 5246 7.4.1.3) --------------------------------
    "offered-suite": "the ServerHello's suite is one the client offered",
    "suite-version": "the ServerHello's suite belongs to the negotiated version",
    "offered-compression": "the ServerHello's compression method is one the client offered",
    "obsolete-version": "no ServerHello for TLS 1.1 or older (RFC 8996 5)",
    "supported-versions-value": "supported_versions in a ServerHello selects TLS 1.3, which "
                                "the client offered (RFC 8446 4.2.1); lenient, any value "
                                "means TLS 1.3",
    "supported-versions-required": "a TLS 1.3 ServerHello carries supported_versions; "
                                   "lenient, a TLS 1.3 suite is enough",
    "downgrade-sentinel": "no downgrade sentinel in a TLS 1.2 ServerHello.random when TLS 1.3 "
                          "was offered",
    "session-id-echo": "a TLS 1.3 ServerHello echoes the client's legacy_session_id",
    "offered-group": "the server's key exchange is on a group the client offered, with a "
                     "share it sent (RFC 8446 4.2.8, RFC 8422 5.4)",
    "grease": "the server selects no GREASE value (RFC 8701 3)",
    # -- extensions (RFC 8446 4.2, RFC 5246 7.4.1.4) --------------------------------------
    "unsolicited-extension": "only extensions the client offered come back; lenient, others "
                             "are ignored",
    "extension-message": "a recognised extension only in a message that may carry it",
    "duplicate-extension": "no extension type twice in one block",
    "renegotiation-info": "an initial ServerHello's renegotiation_info is empty (RFC 5746 3.4)",
    # -- HelloRetryRequest (RFC 8446 4.1.4) ---------------------------------------------
    "one-retry": "at most one HelloRetryRequest",
    "retry-group-offered": "a HelloRetryRequest asks for a group in supported_groups",
    "retry-group-unshared": "a HelloRetryRequest asks for a group the client sent no share for",
    "retry-changes-hello": "a HelloRetryRequest changes the ClientHello",
    "retry-suite": "a HelloRetryRequest's suite was offered, and ServerHello selects it again; "
                   "lenient, the HelloRetryRequest's suite is ignored",
    # -- signatures and Finished (RFC 8446 4.4, RFC 5246 7.4.3, 7.4.9) ----------------------
    "signature": "the server's signature verifies",
    "signature-scheme": "the server signs with a scheme the client offered",
    "tls13-pss": "a TLS 1.3 CertificateVerify uses no RSASSA-PKCS1-v1_5 scheme",
    "certificate-verify": "a TLS 1.3 server sends CertificateVerify after its Certificate",
    "server-key-exchange": "an (EC)DHE server sends ServerKeyExchange",
    "finished": "the server's Finished verify_data is right",
    "certificate-present": "the server's Certificate is not empty",
    "certificate-parses": "the server's leaf is a certificate with a key the client can use",
    "server-certificate": "a server that authenticates sends its Certificate; lenient, "
                          "without one its signatures go unchecked",
    "encrypted-extensions": "EncryptedExtensions follows a TLS 1.3 ServerHello (RFC 8446 4)",
    "key-share-validation": "the server's key share is a valid point, giving a non-zero "
                            "secret (RFC 8446 7.4.2, RFC 8422 5.11)",
    # -- records (RFC 8446 5, RFC 5246 6) -------------------------------------------------
    "record-size": "no record above the size limit; lenient, it is read as any other",
    "record-type": "no record of an undefined content type; lenient, it is dropped",
    "record-mac": "every protected record authenticates; lenient, one that does not is dropped",
    "inner-content-type": "a TLS 1.3 inner plaintext has a content type; lenient, one of "
                          "zeros only is dropped",
    "empty-handshake-record": "no zero-length handshake record (RFC 8446 5.1, RFC 5246 "
                              "6.2.1); lenient, it is dropped",
    "interleaved-record": "no other record inside a fragmented handshake message (RFC 8446 "
                          "5.1); lenient, it is dropped",
    "protected-ccs": "no ChangeCipherSpec under the handshake keys; lenient, it is skipped",
    "data-before-finished": "no application data before the server's TLS 1.2 Finished; "
                            "lenient, it is skipped",
    # -- tickets (RFC 8446 4.6.1, RFC 5077 3.3) -------------------------------------------
    "ticket-after-finished": "no NewSessionTicket before the server's Finished; lenient, it "
                             "is skipped",
    "solicited-ticket": "a TLS 1.2 NewSessionTicket only when the ServerHello agreed "
                        "session_ticket",
    "key-update-request": "a KeyUpdate's request_update is 0 or 1 (RFC 8446 4.6.3); "
                          "lenient, any other value is taken for 0",
    # -- closure (RFC 8446 6.1, RFC 5246 7.2.1) -------------------------------------------
    "close-notify": "the client answers the server's close_notify with its own",
}
"""Name -> the check (or duty) it guards."""

RECORD_RULES = frozenset({"record-size", "record-type", "record-mac", "inner-content-type",
                          "empty-handshake-record", "interleaved-record"})
"""The rules the connection's record layer keeps, rather than the driver."""


def known(names: frozenset[str]) -> frozenset[str]:
    """``names``, once each is a rule of ``RULES``: a misspelt rule switches nothing off
    silently."""
    unknown = sorted(names - RULES.keys())
    if unknown:
        raise ValueError(f"unknown client checks {unknown} (known: {', '.join(RULES)})")
    return names
