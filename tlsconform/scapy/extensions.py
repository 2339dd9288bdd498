"""Hello extensions built once per message instead of twice.

To write ``extlen`` before ``ext``, scapy's ``_ExtensionsLenField.addfield`` builds the
whole extension list once with the session frozen, only to take its length, and
``_ExtensionsField`` then builds it again for real (scapy's own comment: "XXX A proper way
to do this would be to keep the extensions built from the i2len call here"). That first
build is half the cost of a ClientHello, a tenth of a handshake.

Here the length field builds the list the way the extensions field would right after it
(``_ExtensionsField.i2m`` with the session as it is) and hands the bytes over; nothing runs
between the two fields, so the session sees the same updates in the same order. The
throwaway frozen build goes, with its side effects on nothing (a key share drawn and
dropped). scapy relied on both builds having the same length; with one build the length
always matches the bytes. An explicit ``extlen`` is written as given, as before.
"""

from __future__ import annotations

import struct
import threading
from collections.abc import Callable
from typing import Any

from scapy.layers.tls.extensions import _ExtensionsField, _ExtensionsLenField

TLS13 = 0x0304
_built = threading.local()  # id(message) -> (message, extension list, its bytes)
_original_len_addfield: Callable[..., bytes] = _ExtensionsLenField.addfield
_original_ext_addfield: Callable[..., bytes] = _ExtensionsField.addfield


def _handed_over() -> dict[int, tuple[Any, Any, bytes]]:
    handed = getattr(_built, "handed", None)
    if handed is None:
        handed = _built.handed = {}
    return handed


def _len_addfield(self: Any, pkt: Any, s: bytes, i: int | None) -> bytes:
    if i is not None or self.length_of is None:
        return _original_len_addfield(self, pkt, s, i)
    field, extensions = pkt.getfield_and_val(self.length_of)
    data = field.i2m(pkt, extensions)
    _handed_over()[id(pkt)] = (pkt, extensions, data)
    i = self.adjust(pkt, len(data))
    if i == 0:  # as scapy: no extensions, no length before TLS 1.3
        version = pkt.tls_session.tls_version
        if version is None or version < TLS13:
            return s
    return s + struct.pack(self.fmt, i)


def _ext_addfield(self: Any, pkt: Any, s: bytes, val: Any) -> bytes:
    handed = _handed_over().pop(id(pkt), None)
    if handed is not None and handed[0] is pkt and handed[1] is val:
        return s + handed[2]
    return _original_ext_addfield(self, pkt, s, val)


def install() -> None:
    _ExtensionsLenField.addfield = _len_addfield
    _ExtensionsField.addfield = _ext_addfield
