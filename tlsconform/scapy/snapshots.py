"""Connection-state snapshots without a cipher built only to be thrown away.

Every scapy TLS packet snapshots the session's read and write states when it is created
(``rcs_snap_init``/``wcs_snap_init``), and ``__bytes__`` snapshots them again, so
``connState.snapshot`` ran ~160 times per handshake, a quarter of the engine's time.
scapy's snapshot calls ``connState(...)``, whose constructor builds a keyless cipher (for
AES-GCM a ``cryptography`` cipher object, ~6 us), then replaces it with
``cipher.snapshot()``.

``rebuild`` sets the same attributes to the same values as ``connState.__init__`` followed
by scapy's snapshot, without the keyless cipher: fresh suite, compression, key exchange,
hash, HMAC (with the MAC key copied), PRF/HKDF objects, and the cipher's own snapshot.
"""

from __future__ import annotations

from collections.abc import Callable

from scapy.layers.tls.crypto.hkdf import TLS13_HKDF
from scapy.layers.tls.crypto.prf import PRF
from scapy.layers.tls.session import connState

SSLV2_MAX = 0x0200
TLS13 = 0x0304
_original_snapshot: Callable[[connState], connState] = connState.snapshot


def rebuild(state: connState, cls: type[connState] = connState) -> connState:
    """A new ``cls`` holding what scapy's ``snapshot`` copies from ``state``."""
    suite_cls = type(state.ciphersuite)
    version = state.tls_version
    suite = suite_cls(tls_version=version)
    if not suite.usable:  # scapy warns and leaves the state half-built: let it
        snap = _original_snapshot(state)
        snap.__class__ = cls
        return snap
    snap = object.__new__(cls)
    snap.tls_version = version
    snap.seq_num = state.seq_num
    snap.connection_end = state.connection_end
    snap.row = state.row
    snap.ciphersuite = suite
    snap.compression = type(state.compression)()
    snap.key_exchange = suite_cls.kx_alg()
    snap.cipher = state.cipher.snapshot()
    snap.hash = suite_cls.hash_alg()
    if version > SSLV2_MAX:
        if suite_cls.cipher_alg.type == "aead":
            snap.hmac = None
            snap.mac_len = suite_cls.cipher_alg.tag_len
        else:
            snap.hmac = suite_cls.hmac_alg()
            snap.mac_len = snap.hmac.hmac_len
    else:
        snap.hmac = suite_cls.hmac_alg()
        snap.mac_len = snap.hash.hash_len
    if version >= TLS13:
        snap.hkdf = TLS13_HKDF(snap.hash.name.lower())
    else:
        snap.prf = PRF(suite_cls.hash_alg.name, version)
    if state.hmac:
        snap.hmac.key = state.hmac.key
    return snap


def snapshot(self: connState) -> connState:
    return rebuild(self)


def install() -> None:
    connState.snapshot = snapshot
