"""What the server decides from a ClientHello: version, suite, group, signature scheme and
the extensions it answers with. Words edit these before the server's flight is built.

A correct server picks only what the client offered; a row that wants it to pick something
else (an unoffered suite, a group without a share) says so with a ``ChoiceEdit``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from tlsconform.client.identity import ClientIdentity
from tlsconform.messages import extensions as ext
from tlsconform.messages.client_decoding import ClientHello
from tlsconform.messages.codec import DecodeError
from tlsconform.messages.extensions import Extension

TLS12, TLS13 = 0x0303, 0x0304
TLS13_SUITES = (0x1301, 0x1302, 0x1303)
# ECDHE with AEAD, by the certificate's key (RFC 8422 6, RFC 5289, RFC 7905)
TLS12_SUITES = {"rsa": (0xC02F, 0xC030, 0xCCA8), "ecdsa": (0xC02B, 0xC02C, 0xCCA9)}
GROUPS = (29, 23, 24)  # x25519, secp256r1, secp384r1
SCHEMES = {"rsa": (0x0804, 0x0805, 0x0806, 0x0401, 0x0501), "ecdsa": (0x0403, 0x0503)}
TLS13_FORBIDDEN = {0x0401, 0x0501, 0x0601, 0x0201, 0x0203}  # RFC 8446 4.4.3


@dataclass(frozen=True)
class Choices:
    """The server's answer to one ClientHello.

    ``retry``: send a HelloRetryRequest for ``retry_group`` (and ``cookie``) first.
    ``server_hello_extensions`` / ``encrypted_extensions``: sent as they are (words add
    to them). ``key_share``: the share the ServerHello carries; None makes one for
    ``group``.
    """

    version: int
    suite: int
    group: int
    scheme: int
    session_id: bytes
    compression: int = 0
    random: bytes | None = None  # None: fresh random bytes
    retry: bool = False
    retry_group: int | None = None
    cookie: bytes | None = None
    server_hello_extensions: list[Extension] = field(default_factory=list)
    encrypted_extensions: list[Extension] = field(default_factory=list)
    key_share: bytes | None = None
    ems: bool = False  # TLS 1.2 extended master secret (RFC 7627)
    ticket: bool = True  # send a NewSessionTicket (TLS 1.2: when session_ticket was agreed)
    ticket_lifetime: int = 7200
    ticket_extensions: list[Extension] = field(default_factory=list)  # TLS 1.3
    hello: ClientHello | None = None  # what the choices answer, for words that look
    retry_suite: int | None = None  # the HelloRetryRequest's suite, when not ``suite``
    retry_extensions: list[Extension] | None = None  # the HelloRetryRequest's, outright
    retry_twice: bool = False  # answer the second ClientHello with another retry
    unmet: str = ""  # a word found the row's condition cannot be created with this client
    note: str = ""  # what a word picked, for verdicts ("unsolicited heartbeat(15)")

    def with_(self, **changes: object) -> Choices:
        return replace(self, **changes)

    @property
    def tls13(self) -> bool:
        return self.version == TLS13


def choose(hello: ClientHello, version: str, identity: ClientIdentity) -> Choices | str:
    """A correct server's choices for ``hello`` in ``version`` ("tls12" or "tls13"), or why
    the client's offer does not allow that version (the row then skips)."""
    try:
        offered = hello.versions
        groups = hello.groups
        schemes = hello.schemes
        shares = [group for group, _ in hello.key_shares]
    except DecodeError as exc:
        return f"the ClientHello does not decode: {exc}"
    kind = identity.kind
    if version == "tls13":
        if TLS13 not in offered:
            return "the client does not offer TLS 1.3"
        suite = next((s for s in TLS13_SUITES if s in hello.ciphers), None)
        if suite is None:
            return "the client offers no TLS 1.3 suite the suite implements"
        group = next((g for g in GROUPS if g in shares), None)
        retry = group is None
        if retry:
            group = next((g for g in GROUPS if g in groups), None)
            if group is None:
                return "the client offers no group the suite implements"
        scheme = next((s for s in SCHEMES[kind] if s in schemes and s not in TLS13_FORBIDDEN),
                      None)
        if scheme is None:
            return f"the client offers no TLS 1.3 signature scheme for an {kind} key"
        sh = [(ext.SUPPORTED_VERSIONS, TLS13.to_bytes(2, "big"))]
        return Choices(TLS13, suite, group, scheme, hello.session_id, retry=retry,
                       retry_group=group if retry else None, server_hello_extensions=sh,
                       hello=hello)
    if (offered and TLS12 not in offered) or (not offered and hello.legacy_version < TLS12):
        return "the client does not offer TLS 1.2"
    suite = next((s for s in TLS12_SUITES[kind] if s in hello.ciphers), None)
    if suite is None:
        return f"the client offers no ECDHE suite with AEAD for an {kind} key"
    group = next((g for g in GROUPS if g in groups), None) if groups else 23
    if group is None:
        return "the client offers no curve the suite implements"
    # RFC 5246 7.4.1.4.1: without signature_algorithms, SHA-1 with the key's algorithm
    default = 0x0201 if kind == "rsa" else 0x0203
    scheme = next((s for s in SCHEMES[kind] if s in schemes), None) if schemes else default
    if scheme is None:
        return f"the client offers no TLS 1.2 signature scheme for an {kind} key"
    extensions: list[Extension] = []
    if 0x00FF in hello.ciphers or hello.ext(ext.RENEGOTIATION_INFO) is not None:
        extensions.append((ext.RENEGOTIATION_INFO, b"\x00"))  # RFC 5746 3.6
    ems = hello.ext(ext.EXTENDED_MASTER_SECRET) is not None
    if ems:
        extensions.append((ext.EXTENDED_MASTER_SECRET, b""))
    ticket = hello.ext(ext.SESSION_TICKET) is not None  # RFC 5077 3.2
    if ticket:
        extensions.append((ext.SESSION_TICKET, b""))
    if hello.ext(ext.EC_POINT_FORMATS) is not None:
        extensions.append((ext.EC_POINT_FORMATS, b"\x01\x00"))
    return Choices(TLS12, suite, group, scheme, hello.session_id,
                   server_hello_extensions=extensions, ems=ems, hello=hello, ticket=ticket)
