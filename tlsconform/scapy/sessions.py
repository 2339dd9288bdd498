"""New ``tlsSession`` objects at a fraction of the constructor's cost.

``tlsSession.__init__`` sets ~100 attributes through ``tlsSession.__setattr__``, a Python
hook that exists to pass a new ``connection_end`` on to the connection states, and derives
NULL keys for two fresh connection states. The engine makes one session per connection,
and scapy one for every TLS packet created without a session (~13 per handshake).

- ``install`` runs scapy's ``__init__`` while the instance is briefly of a subclass
  without the hook: during ``__init__`` the hook has nothing to do, since
  ``connection_end`` is set before any connection state exists. Afterwards the session is
  a plain ``tlsSession`` and the hook applies to every later assignment, as before.
- ``default_session()`` is ``tlsSession()`` without arguments made from a template: the
  same attribute values, new empty containers, new NULL connection states of the same
  classes (``snapshots.rebuild``), so no two sessions share anything mutable.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from scapy.layers.tls.cert import CertList
from scapy.layers.tls.session import connState, tlsSession

from tlsconform.scapy.snapshots import rebuild

_original_init: Callable[..., None] = tlsSession.__init__
_template: dict[str, Any] = {}
_states: list[tuple[str, connState]] = []  # the template's rcs and wcs
_containers: list[tuple[str, type]] = []  # its (empty) lists, dicts and CertLists


class _SessionUnderConstruction(tlsSession):
    __setattr__ = object.__setattr__


def _init(self: tlsSession, *args: Any, **kwargs: Any) -> None:
    if type(self) is not tlsSession:  # a subclass may rely on its own __setattr__
        _original_init(self, *args, **kwargs)
        return
    self.__class__ = _SessionUnderConstruction
    try:
        _original_init(self, *args, **kwargs)
    finally:
        self.__class__ = tlsSession


def default_session() -> tlsSession:
    """Equal to ``tlsSession()``, sharing nothing mutable with any other session."""
    if not _template:
        _learn_template()
    session = object.__new__(tlsSession)
    attrs = session.__dict__  # filled directly: as in __init__, the hook has nothing to do
    attrs.update(_template)
    for name, state in _states:
        attrs[name] = rebuild(state, type(state))
    for name, kind in _containers:
        attrs[name] = CertList([]) if kind is CertList else kind()
    return session


def _learn_template() -> None:
    """Read a new session once; built aside, then published, so threads never see half."""
    template, states, containers = {}, [], []
    for name, value in vars(tlsSession()).items():
        if isinstance(value, connState):
            states.append((name, value))
        elif isinstance(value, list | dict):
            if value:  # a template could not hand out empty copies: scapy changed
                raise RuntimeError(f"a new tlsSession has a non-empty {name}")
            containers.append((name, type(value)))
        template[name] = value
    _states[:], _containers[:] = states, containers
    _template.update(template)  # last: default_session() checks it


def install() -> None:
    tlsSession.__init__ = _init
