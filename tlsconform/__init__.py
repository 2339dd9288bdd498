"""tlsconform: TLS conformance scenarios for pytest, crafted with scapy's TLS layer.

Installed, the suite's parts are subpackages: ``tlsconform.fixtures`` (the pytest plugin),
``tlsconform.certs`` (the test PKI) and ``tlsconform.suites`` (the rows). In a checkout
they are the top-level folders beside this one, reached under the same names.
"""

from pathlib import Path as _Path

_CHECKOUT = _Path(__file__).resolve().parent.parent
if (_CHECKOUT / "pyproject.toml").is_file() and (_CHECKOUT / "fixtures").is_dir():
    __path__.append(str(_CHECKOUT))
