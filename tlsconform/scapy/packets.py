"""The one thing the engine asks of a scapy packet a word built: which record content type
carries it. Imported only when such a packet is sealed, so a run whose words build none
never imports scapy; importing it installs the adaptations (see the package docstring)."""

from __future__ import annotations

from typing import Any

from scapy.layers.tls.handshake import _TLSHandshake
from scapy.layers.tls.record import TLSAlert, TLSApplicationData, TLSChangeCipherSpec

from tlsconform import scapy as adaptations

adaptations.apply()

CHANGE_CIPHER_SPEC, ALERT, HANDSHAKE, APPLICATION_DATA = 20, 21, 22, 23
CONTENT_TYPES: dict[type, int] = {TLSChangeCipherSpec: CHANGE_CIPHER_SPEC, TLSAlert: ALERT,
                                  TLSApplicationData: APPLICATION_DATA}


def content_type(packet: Any) -> int:
    for cls, code in CONTENT_TYPES.items():
        if isinstance(packet, cls):
            return code
    if isinstance(packet, _TLSHandshake):
        return HANDSHAKE
    return APPLICATION_DATA
