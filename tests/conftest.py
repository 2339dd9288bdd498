"""Fixtures for the engine's own tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.scripted_server import ScriptedServers, scripted_servers


@pytest.fixture
def scripted() -> Iterator[ScriptedServers]:
    """``scripted(*steps, read_hello=True)`` starts a scripted server; all stop at test end."""
    yield from scripted_servers()
