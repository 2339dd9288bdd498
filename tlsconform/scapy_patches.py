"""Fixes for scapy 2.8.0 TLS bugs the engine would otherwise trip over (notes, two bugs),
and speed-ups of scapy's costliest steps that keep its behaviour (each module says what
scapy does, why it is replaced and what is kept; ``python -m tools.benchmark`` measures):

- ``fast_certificates``: received certificates read by ``cryptography``, not scapy's ASN.1;
- ``fast_packet_init``: no throwaway session per packet copy, state snapshots on demand;
- ``fast_snapshots``: connection-state snapshots without a keyless cipher built and dropped;
- ``fast_sessions``: new sessions without the per-attribute ``__setattr__`` hook;
- ``fast_extensions``: hello extensions built once instead of twice.

Encrypt-then-MAC is avoided instead of patched: the engine never offers it.
"""

from __future__ import annotations

import struct

from scapy.layers.tls.record_tls13 import TLSInnerPlaintext

from tlsconform import (
    fast_certificates,
    fast_extensions,
    fast_packet_init,
    fast_sessions,
    fast_snapshots,
)

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
    fast_certificates.install()
    fast_packet_init.install()
    fast_snapshots.install()
    fast_sessions.install()
    fast_extensions.install()
    _applied = True
