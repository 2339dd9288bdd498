"""Our handshake messages as scapy packets, for words that edit them field by field.

Decoded without a TLS session (scapy 2.8.0 dissects a lone handshake message from its
class), so nothing here touches the engine's transcript or keys.
"""

from __future__ import annotations

from scapy.layers.tls.handshake import _tls13_handshake_cls, _tls_handshake_cls
from scapy.packet import Packet, Raw

from tlsconform import scapy as adaptations

adaptations.apply()


def as_packet(message: bytes, tls13: bool) -> Packet:
    """The scapy class for this handshake type and version; Raw for unknown types and for
    bodies scapy cannot dissect (scapy 2.8.0 raises struct.error on a KeyUpdate with an
    empty body), so a word on a message a row broke on purpose gets its bytes, not an
    exception."""
    table = _tls13_handshake_cls if tls13 else _tls_handshake_cls
    cls = table.get(message[0]) or _tls_handshake_cls.get(message[0])
    if cls is None:
        return Raw(message)
    try:
        return cls(message)
    except Exception:  # scapy's dissectors raise struct.error, IndexError, ValueError ...
        return Raw(message)
