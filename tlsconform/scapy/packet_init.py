"""Cheaper creation of scapy TLS packets: no throwaway sessions, snapshots taken on demand.

Every TLS packet (``_GenericTLSSessionInheritance``) does two costly things when created:

1. Without a ``tls_session`` it builds a whole new ``tlsSession``. scapy copies packets
   constantly (each build of a packet with implicit fields iterates it through
   ``clone_with``; field values are deep-copied with ``copy``), and ``copy``/``clone_with``
   throw that session away at once, pointing the copy at the original's session: ~40
   wasted sessions per handshake. While a TLS packet is being copied, packets created
   without a session are lent one blank session instead; a new session is always the same
   blank state, so the copy keeps exactly what it kept before. A packet a caller creates
   without a session still gets its own (``sessions.default_session``).
2. It snapshots the session's read and write states (``rcs_snap_init``/``wcs_snap_init``,
   ~140 snapshots per handshake), which scapy reads only in ``__bytes__`` and ``show2``
   (``rcs_snap_init``; ``wcs_snap_init`` is never read). Here creation records what a
   snapshot reads (the state's attributes, the cipher's attributes with its ``ready``
   flags copied) and the snapshot is built from that record on first read, so it equals
   the snapshot scapy would have taken at creation even if the live state moved on since.
   The states of a new or blank session are all alike, so their record is made once.

Packets dissected from a TCP underlayer (sniffed traffic) keep scapy's own constructor.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from scapy.layers.inet import TCP
from scapy.layers.tls.session import _GenericTLSSessionInheritance, connState, tlsSession
from scapy.packet import Packet

from tlsconform.scapy.sessions import default_session

_state = threading.local()  # per thread: how deep inside a copy, and the blank session
_original: dict[str, Any] = {}
_SLOTS: dict[str, Any] = {}  # scapy's __slots__ members, set without Packet.__setattr__


class PendingSnapshot:
    """What ``connState.snapshot`` would read from ``state`` now, to build it later."""

    __slots__ = ("cipher_attrs", "cipher_type", "state_attrs")

    def __init__(self, state: connState) -> None:
        self.state_attrs = dict(state.__dict__)
        cipher = state.cipher
        self.cipher_type = type(cipher)
        self.cipher_attrs = attrs = dict(cipher.__dict__)
        ready = attrs.get("ready")  # scapy's ciphers change only this one in place
        if ready is not None:
            attrs["ready"] = dict(ready)

    def build(self) -> connState:
        # Frozen stand-ins filled through __dict__, so no cipher __setattr__ hook runs.
        cipher = object.__new__(self.cipher_type)
        cipher.__dict__.update(self.cipher_attrs)
        state = object.__new__(connState)
        state.__dict__.update(self.state_attrs)
        state.__dict__["cipher"] = cipher
        return state.snapshot()


class _SnapshotSlot:
    """Stands in for a ``__slots__`` member: builds a pending snapshot when first read."""

    def __init__(self, slot: Any) -> None:
        self.slot = slot

    def __get__(self, obj: Any, owner: type | None = None) -> Any:
        if obj is None:
            return self
        value = self.slot.__get__(obj, owner)
        if type(value) is PendingSnapshot:
            value = value.build()
            self.slot.__set__(obj, value)
        return value

    def __set__(self, obj: Any, value: Any) -> None:
        self.slot.__set__(obj, value)

    def __delete__(self, obj: Any) -> None:
        self.slot.__delete__(obj)


def _blank() -> tuple[tlsSession, PendingSnapshot, PendingSnapshot]:
    """This thread's blank session, lent to copies, and the records of its states."""
    blank = getattr(_state, "blank", None)
    if blank is None:
        session = default_session()
        blank = _state.blank = (session, PendingSnapshot(session.rcs),
                                PendingSnapshot(session.wcs))
    return blank


def _init(
    self: Any,
    _pkt: bytes = b"",
    post_transform: Any = None,
    _internal: int = 0,
    _underlayer: Packet | None = None,
    tls_session: tlsSession | None = None,
    **fields: Any,
) -> None:
    """scapy's constructor without its TCP branch, with the two changes above."""
    if isinstance(_underlayer, TCP):
        _original["__init__"](self, _pkt, post_transform, _internal, _underlayer,
                              tls_session=tls_session, **fields)
        return
    try:
        session = self.tls_session
    except Exception:
        session = None
    if session is not None:
        pending = PendingSnapshot(session.rcs), PendingSnapshot(session.wcs)
    elif tls_session is not None:
        session = tls_session
        pending = PendingSnapshot(session.rcs), PendingSnapshot(session.wcs)
    else:
        blank, rcs, wcs = _blank()
        pending = rcs, wcs  # a new session's states are the blank ones
        session = blank if getattr(_state, "copying", 0) else default_session()
    _SLOTS["tls_session"].__set__(self, session)
    _SLOTS["rcs_snap_init"].__set__(self, pending[0])
    _SLOTS["wcs_snap_init"].__set__(self, pending[1])
    Packet.__init__(self, _pkt=_pkt, post_transform=post_transform, _internal=_internal,
                    _underlayer=_underlayer, **fields)


def _copying(method: Callable[..., Packet]) -> Callable[..., Packet]:
    def copy_with_blank_session(self: Any, *args: Any, **kwargs: Any) -> Packet:
        _state.copying = getattr(_state, "copying", 0) + 1
        try:
            copied = method(self, *args, **kwargs)
        finally:
            _state.copying -= 1
        copied.tls_session = self.tls_session  # what scapy's copy/clone_with do
        return copied

    copy_with_blank_session.__doc__ = method.__doc__
    return copy_with_blank_session


def install() -> None:
    cls = _GenericTLSSessionInheritance
    if _original:
        return
    _original.update(__init__=cls.__init__, copy=cls.copy, clone_with=cls.clone_with)
    for name in ("tls_session", "rcs_snap_init", "wcs_snap_init"):
        _SLOTS[name] = cls.__dict__[name]
    for name in ("rcs_snap_init", "wcs_snap_init"):
        setattr(cls, name, _SnapshotSlot(_SLOTS[name]))
    cls.__init__ = _init
    cls.copy = _copying(Packet.copy)
    cls.clone_with = _copying(Packet.clone_with)
