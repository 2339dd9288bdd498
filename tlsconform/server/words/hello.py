"""Words about what the server chooses and the extensions it answers with."""

from __future__ import annotations

from collections.abc import Callable

from tlsconform.crypto.groups import group_name
from tlsconform.crypto.suites import suite_name
from tlsconform.messages import extensions as ext
from tlsconform.messages.extensions import Extension, extension_name
from tlsconform.mutation import ChoiceEdit, Mutation
from tlsconform.server.choices import Choices

__all__ = [
    "add_encrypted_extension",
    "add_server_hello_extension",
    "choose_group",
    "choose_offered_suite",
    "choose_suite",
    "choose_unoffered_group",
    "choose_unoffered_suite",
    "choose_version",
    "compression_method",
    "downgrade_sentinel",
    "drop_server_hello_extension",
    "duplicate_extension",
    "retry",
    "retry_with",
    "server_key_share",
    "server_random",
    "session_id_echo",
    "unsolicited_extension",
]

# Extensions a client may not have sent, in the order a row tries them: each is defined
# for ServerHello / EncryptedExtensions answers (RFC 8446 4.2), so only its being
# unsolicited is wrong.
# Those most clients implement come first: a client may ignore a type it does not know.
UNSOLICITED = (ext.ALPN, ext.MAX_FRAGMENT_LENGTH, ext.USE_SRTP, ext.SERVER_CERTIFICATE_TYPE,
               ext.CLIENT_CERTIFICATE_TYPE, ext.RECORD_SIZE_LIMIT, ext.HEARTBEAT)
# A TLS 1.3 ServerHello carries only these (RFC 8446 4.2); pre_shared_key is unsolicited
# when the client offered no PSK.
UNSOLICITED_TLS13_SERVER_HELLO = (ext.PRE_SHARED_KEY,)
BODIES = {ext.HEARTBEAT: b"\x01", ext.USE_SRTP: b"\x00\x02\x00\x01\x00",
          ext.CLIENT_CERTIFICATE_TYPE: b"\x00", ext.SERVER_CERTIFICATE_TYPE: b"\x00",
          ext.MAX_FRAGMENT_LENGTH: b"\x04", ext.RECORD_SIZE_LIMIT: b"\x40\x00",
          ext.ALPN: b"\x00\x09\x08http/1.1", ext.PRE_SHARED_KEY: b"\x00\x00"}


def _edit(label: str, edit: Callable[[Choices], Choices]) -> Mutation:
    return ChoiceEdit(label, edit)


def choose_suite(code: int) -> Mutation:
    return _edit(f"ServerHello selects {suite_name(code)}", lambda c: c.with_(suite=code))


def choose_offered_suite(*candidates: int) -> Mutation:
    """The first of ``candidates`` the client offered (the correct choice stays when it
    offered none): so a row about another field is not refused for its suite."""

    def edit(c: Choices) -> Choices:
        assert c.hello is not None
        code = next((s for s in candidates if s in c.hello.ciphers), None)
        return c if code is None else c.with_(suite=code)

    return _edit("ServerHello selects an offered suite of those listed", edit)


def choose_unoffered_suite(*candidates: int) -> Mutation:
    """The first of ``candidates`` the client did not offer (the row skips when it offered
    them all)."""

    def edit(c: Choices) -> Choices:
        assert c.hello is not None
        code = next((s for s in candidates if s not in c.hello.ciphers), None)
        if code is None:
            return c.with_(unmet="the client offers every suite this row could select")
        return c.with_(suite=code)

    return _edit("ServerHello selects a suite the client did not offer", edit)


def choose_version(version: int, where: str = "supported_versions") -> Mutation:
    """TLS 1.3: the version supported_versions selects; TLS 1.2 (``where`` "legacy"):
    ServerHello.server_version."""

    def edit(c: Choices) -> Choices:
        if where == "legacy":
            return c.with_(version=version)
        exts = [(t, version.to_bytes(2, "big") if t == ext.SUPPORTED_VERSIONS else b)
                for t, b in c.server_hello_extensions]
        return c.with_(server_hello_extensions=exts)

    shown = "server_version" if where == "legacy" else "supported_versions"
    return _edit(f"ServerHello {shown} 0x{version:04x}", edit)


def choose_group(group: int) -> Mutation:
    """The key_share group (TLS 1.3) or ECDHE curve (TLS 1.2) the server uses."""
    return _edit(f"server key share for {group_name(group)}",
                 lambda c: c.with_(group=group))


def choose_unoffered_group(*candidates: int) -> Mutation:
    def edit(c: Choices) -> Choices:
        assert c.hello is not None
        offered = c.hello.groups
        group = next((g for g in candidates if g not in offered), None)
        if group is None:
            return c.with_(unmet="the client offers every group this row could select")
        return c.with_(group=group)

    return _edit("server key exchange on a group the client did not offer", edit)


def session_id_echo(edit_id: Callable[[bytes], bytes], label: str) -> Mutation:
    return _edit(label, lambda c: c.with_(session_id=edit_id(c.session_id)))


def compression_method(method: int) -> Mutation:
    return _edit(f"ServerHello compression method {method}",
                 lambda c: c.with_(compression=method))


def server_random(random: bytes, label: str) -> Mutation:
    return _edit(label, lambda c: c.with_(random=random))


def downgrade_sentinel(last: int = 1) -> Mutation:
    """RFC 8446 4.1.3: the last 8 bytes of a TLS 1.2 server random say a TLS 1.3 server
    negotiated down ("DOWNGRD" then 01)."""
    import os

    random = os.urandom(24) + b"DOWNGRD" + bytes([last])
    return server_random(random, f"ServerHello random ending DOWNGRD{last:02x}")


def add_server_hello_extension(extension: Extension, label: str = "") -> Mutation:
    shown = label or f"ServerHello with {extension_name(extension[0])}"
    return _edit(shown, lambda c: c.with_(
        server_hello_extensions=[*c.server_hello_extensions, extension]))


def add_encrypted_extension(extension: Extension, label: str = "") -> Mutation:
    shown = label or f"EncryptedExtensions with {extension_name(extension[0])}"
    return _edit(shown, lambda c: c.with_(
        encrypted_extensions=[*c.encrypted_extensions, extension]))


def unsolicited_extension(where: str = "ServerHello") -> Mutation:
    """An extension the client did not send, answered in ``where`` (ServerHello or
    EncryptedExtensions)."""

    def edit(c: Choices) -> Choices:
        assert c.hello is not None
        sent = {t for t, _ in c.hello.extensions}
        candidates = UNSOLICITED_TLS13_SERVER_HELLO if c.tls13 and where == "ServerHello" \
            else UNSOLICITED
        code = next((t for t in candidates if t not in sent), None)
        if code is None:
            return c.with_(unmet="the client sent every extension this row could answer")
        extension = (code, BODIES[code])
        if where == "EncryptedExtensions":
            return c.with_(encrypted_extensions=[*c.encrypted_extensions, extension],
                           note=f"unsolicited {extension_name(code)}")
        return c.with_(server_hello_extensions=[*c.server_hello_extensions, extension],
                       note=f"unsolicited {extension_name(code)}")

    return _edit(f"{where} with an extension the client did not send", edit)


def duplicate_extension(code: int, where: str = "ServerHello") -> Mutation:
    def edit(c: Choices) -> Choices:
        field = "encrypted_extensions" if where == "EncryptedExtensions" \
            else "server_hello_extensions"
        exts = getattr(c, field)
        body = next((b for t, b in exts if t == code), None)
        if body is None:
            return c.with_(unmet=f"{where} carries no {extension_name(code)} to duplicate")
        return c.with_(**{field: [*exts, (code, body)]})

    return _edit(f"{where} with {extension_name(code)} twice", edit)


def drop_server_hello_extension(code: int) -> Mutation:
    return _edit(f"ServerHello without {extension_name(code)}", lambda c: c.with_(
        server_hello_extensions=[(t, b) for t, b in c.server_hello_extensions if t != code]))


def retry(group: int | None = None, cookie: bytes | None = None) -> Mutation:
    """A HelloRetryRequest first: for ``group`` (default: an offered group the client sent
    no share for), with ``cookie``."""

    def edit(c: Choices) -> Choices:
        assert c.hello is not None
        shared = [g for g, _ in c.hello.key_shares]
        chosen = group or next((g for g in (23, 24, 29) if g in c.hello.groups
                                and g not in shared), None)
        if chosen is None:
            return c.with_(unmet="the client shares a key for every group the suite could "
                                 "ask for")
        return c.with_(retry=True, retry_group=chosen, group=chosen, cookie=cookie)

    label = "HelloRetryRequest" + (f" for {group_name(group)}" if group else "") + \
        (" with a cookie" if cookie else "")
    return _edit(label, edit)


def retry_with(label: str, **changes: object) -> Mutation:
    """A HelloRetryRequest whose fields are set outright (``retry_group``, ``cookie``,
    ``retry_suite``, ``retry_extensions``, ``retry_twice``)."""

    def edit(c: Choices) -> Choices:
        return c.with_(retry=True, **changes)

    return _edit(label, edit)


def server_key_share(public: bytes, label: str, group: int | None = None) -> Mutation:
    """The server's key share (TLS 1.3 key_share, TLS 1.2 ServerKeyExchange point) as
    these bytes, on ``group`` when given."""
    return _edit(label, lambda c: c.with_(key_share=public, group=group or c.group))
