"""Every adaptation of scapy's TLS layer, in one place, written for scapy 2.8.0
(``pyproject.toml`` pins ``scapy>=2.8.0,<2.9``; an upgrade should touch only this folder).

The engine drives conversations without scapy; scapy is the language mutation words craft
messages in, and what dissects messages for display. What is patched, and why:

- ``TLSInnerPlaintext.pre_dissect`` (below): scapy 2.8.0 compares an int with b"\\x00", so
  padded TLS 1.3 records lose their content type;
- ``certificates``: received certificates read by ``cryptography``, not scapy's ASN.1;
- ``packet_init``: no throwaway session per packet copy, state snapshots on demand;
- ``snapshots``: connection-state snapshots without a keyless cipher built and dropped;
- ``sessions``: new sessions without the per-attribute ``__setattr__`` hook;
- ``extensions``: hello extensions built once instead of twice.

Each module says what scapy does, why it is replaced and what is kept. ``apply`` installs
them once per process; the engine calls it only when it first meets a scapy packet
(``packets``) or dissects a message into one (``dissect``), so a run whose words build no
packets never imports scapy at all.
"""

from __future__ import annotations

import struct

from scapy.layers.tls.record_tls13 import TLSInnerPlaintext

from tlsconform.scapy import certificates, extensions, packet_init, sessions, snapshots

_applied = False


def _inner_plaintext_pre_dissect(self: TLSInnerPlaintext, s: bytes) -> bytes:
    """RFC 8446 5.4: the content type is the last non-zero byte; zeros after it are padding.

    scapy compares an int with b"\\x00", so padded records lose their content type.
    """
    if len(s) < 1:
        raise Exception("Invalid InnerPlaintext (too short).")
    end = len(s.rstrip(b"\x00"))
    if end == 0:
        raise Exception("Invalid InnerPlaintext (only padding).")
    msg_len = end - 1
    self.fields_desc[0].length_from = lambda pkt: msg_len
    self.type = struct.unpack("B", s[msg_len:end])[0]
    return s


def apply() -> None:
    """Install the patches once per process."""
    global _applied
    if _applied:
        return
    TLSInnerPlaintext.pre_dissect = _inner_plaintext_pre_dissect
    certificates.install()
    packet_init.install()
    snapshots.install()
    sessions.install()
    extensions.install()
    _applied = True
