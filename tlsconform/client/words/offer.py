"""Words that edit the offer: what the ClientHello carries, field by field, or its bytes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from tlsconform.client.hello_bytes import HelloParts, parse_client_hello
from tlsconform.client.offer import RawExtension
from tlsconform.mutation import MessageEdit, Mutation, OfferEdit
from tlsconform.wire.outgoing import Outgoing

if TYPE_CHECKING:
    from tlsconform.client.driver import ClientDriver


def ciphers(*codes: int) -> Mutation:
    return OfferEdit(f"ciphers={[hex(c) for c in codes]}", lambda o: o.with_(ciphers=list(codes)))


def add_ciphers(*codes: int) -> Mutation:
    return OfferEdit(f"+ciphers={[hex(c) for c in codes]}",
                     lambda o: o.with_(ciphers=list(codes) + o.ciphers))


def legacy_version(version: int) -> Mutation:
    return OfferEdit(f"legacy_version=0x{version:04x}", lambda o: o.with_(legacy_version=version))


def record_version(version: int) -> Mutation:
    """The legacy_record_version of the record carrying the ClientHello."""
    return OfferEdit(f"record_version=0x{version:04x}", lambda o: o.with_(record_version=version))


def supported_versions(*versions: int) -> Mutation:
    """Replace supported_versions; with no argument, leave the extension out."""
    value = list(versions) or None
    return OfferEdit(f"supported_versions={[hex(v) for v in versions]}",
                     lambda o: o.with_(supported_versions=value))


def compression(methods: bytes) -> Mutation:
    """The compression_methods vector exactly as given (TLS 1.3 allows only [null])."""
    return OfferEdit(f"compression_methods={methods.hex()}",
                     lambda o: o.with_(compression=methods))


def extension(ext_type: int, data: bytes) -> Mutation:
    """Append an extension with exactly these bytes (unknown, malformed or duplicated)."""
    raw = RawExtension(ext_type, data)
    return OfferEdit(f"ext {ext_type}={data.hex()}",
                     lambda o: o.with_(extra_extensions=[*o.extra_extensions, raw]))


def omit_extension(ext_type: int) -> Mutation:
    return OfferEdit(f"no ext {ext_type}",
                     lambda o: o.with_(omit_extensions=o.omit_extensions | {ext_type}))


def extended_master_secret(on: bool) -> Mutation:
    return OfferEdit(f"ems={on}", lambda o: o.with_(extended_master_secret=on))


def key_shares(*groups: str | int) -> Mutation:
    return OfferEdit(f"key_shares={list(groups)}", lambda o: o.with_(key_shares=list(groups)))


def groups(*names: str | int) -> Mutation:
    return OfferEdit(f"groups={list(names)}", lambda o: o.with_(groups=list(names)))


def hello_bytes(label: str, edit: Callable[[HelloParts], bytes]) -> Mutation:
    """Re-encode the ClientHello from its parts: odd vector lengths and the like. The
    transcript holds the bytes as sent, so the conversation can go on past them."""

    def apply(item: Outgoing, hs: ClientDriver) -> list[Outgoing]:
        return [item.with_(encode=lambda raw: edit(parse_client_hello(raw)),
                           label=f"ClientHello with {label}")]

    return MessageEdit(label, "ClientHello", apply)


def cipher_suite_bytes(data: bytes, label: str) -> Mutation:
    """The ClientHello's cipher_suites vector with exactly this body (length recomputed)."""
    return hello_bytes(label, lambda parts: replace(parts, cipher_suites=data).encode())


__all__ = ["add_ciphers", "cipher_suite_bytes", "ciphers", "compression", "extended_master_secret",
           "extension", "groups", "hello_bytes", "key_shares", "legacy_version",
           "omit_extension", "record_version", "supported_versions"]
