"""Words that bend the encoded ClientHello: length fields that lie, trailing bytes, raw
session ids, duplicated, reordered or rewritten extensions (RFC 8446 4.1.2, 4.2; RFC 5246
7.4.1.2, 7.4.1.4).

They work on the bytes after the offer is encoded, so they also bend what a word of the
offer added. The transcript holds the bytes as sent.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from tlsconform.client.hello_bytes import FIELDS, HelloParts, parse_client_hello
from tlsconform.messages.extensions import extension_name
from tlsconform.mutation import MessageEdit, Mutation
from tlsconform.wire.outgoing import Outgoing

if TYPE_CHECKING:
    from tlsconform.client.driver import ClientDriver


PartEdit = Callable[[HelloParts], None]


class _PartsEncoder:
    """The ClientHello's ``encode``: every part edit of the row, in order, on one parse
    (so that several of these words compose: a skewed length stays where it was put)."""

    def __init__(self, edits: list[PartEdit]) -> None:
        self.edits = edits

    def __call__(self, raw: bytes) -> bytes:
        parts = parse_client_hello(raw)
        for edit in self.edits:
            edit(parts)
        return parts.encode()


def hello_parts(label: str, edit: PartEdit) -> Mutation:
    """Edit the ClientHello's parts in place; lengths are recomputed, then skewed."""

    def apply(item: Outgoing, hs: ClientDriver) -> list[Outgoing]:
        before = item.encode.edits if isinstance(item.encode, _PartsEncoder) else []
        shown = f"{item.label}, {label}" if item.label else f"ClientHello with {label}"
        return [item.with_(encode=_PartsEncoder([*before, edit]), label=shown)]

    return MessageEdit(label, "ClientHello", apply)


def length_skew(field: str, delta: int) -> Mutation:
    """The length field of one of the ClientHello's vectors (``FIELDS``) off by ``delta``,
    its content unchanged: the message no longer parses as the RFC's syntax says."""
    if field not in FIELDS:
        raise ValueError(f"no ClientHello vector {field!r}; one of {FIELDS}")

    def edit(parts: HelloParts) -> None:
        parts.skew[field] = delta

    return hello_parts(f"{field} length {delta:+d}", edit)


def extension_length_skew(ext_type: int, delta: int) -> Mutation:
    """One extension's own length field off by ``delta`` (the block's length stays true)."""

    def edit(parts: HelloParts) -> None:
        parts.extension_skew[ext_type] = delta

    return hello_parts(f"{extension_name(ext_type)} length {delta:+d}", edit)


def trailing_bytes(data: bytes) -> Mutation:
    """Bytes after the extensions block, inside the ClientHello's own length."""

    def edit(parts: HelloParts) -> None:
        parts.trailing = data

    return hello_parts(f"{len(data)} bytes after the extensions", edit)


def session_id_bytes(data: bytes) -> Mutation:
    """A legacy_session_id of exactly these bytes (any length, e.g. 33)."""

    def edit(parts: HelloParts) -> None:
        parts.session_id = data

    return hello_parts(f"legacy_session_id of {len(data)} bytes", edit)


def duplicate_extension(ext_type: int) -> Mutation:
    """The extension sent twice, the copy right after the original."""

    def edit(parts: HelloParts) -> None:
        at = next(i for i, (t, _) in enumerate(parts.extensions) if t == ext_type)
        parts.extensions.insert(at + 1, parts.extensions[at])

    return hello_parts(f"{extension_name(ext_type)} twice", edit)


def extension_last(ext_type: int, after: int) -> Mutation:
    """Move ``ext_type`` to the end, then put ``after`` behind it (e.g. a
    pre_shared_key that is not the last extension)."""

    def edit(parts: HelloParts) -> None:
        moved = [e for e in parts.extensions if e[0] == ext_type]
        follow = [e for e in parts.extensions if e[0] == after]
        rest = [e for e in parts.extensions if e[0] not in (ext_type, after)]
        parts.extensions = rest + moved + follow

    return hello_parts(f"{extension_name(after)} after {extension_name(ext_type)}", edit)


def extension_body(ext_type: int, body: bytes, label: str) -> Mutation:
    """One extension's body replaced by exactly these bytes (its length recomputed)."""

    def edit(parts: HelloParts) -> None:
        parts.extensions = [(t, body if t == ext_type else b) for t, b in parts.extensions]

    return hello_parts(label, edit)


__all__ = ["duplicate_extension", "extension_body", "extension_last", "extension_length_skew",
           "hello_parts", "length_skew", "session_id_bytes", "trailing_bytes"]
