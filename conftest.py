"""A checkout's pytest wiring: the suite's plugin (``tlsconform.fixtures.plugin``), unless
the installed package's entry point has registered it already."""

import importlib.metadata


def _installed() -> bool:
    return any(ep.value == "tlsconform.fixtures.plugin"
               for ep in importlib.metadata.entry_points(group="pytest11"))


pytest_plugins = [] if _installed() else ["tlsconform.fixtures.plugin"]
