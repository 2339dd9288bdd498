"""Where the suite keeps what it derives and can rebuild: a checkout's git-ignored
``.cache``, or for an installed package the user's cache directory (XDG), never
site-packages. The PKI and the catalogue's test ids live under it."""

from __future__ import annotations

import os
from pathlib import Path

_CHECKOUT = Path(__file__).resolve().parent.parent
CACHE_ROOT = (_CHECKOUT / ".cache" if (_CHECKOUT / "pyproject.toml").is_file()
              else Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
              / "tlsconform")

PKI_DIR_ENV = "TLSCONFORM_PKI_DIR"  # where the PKI lives instead, when set
DEFAULT_PKI_DIR = CACHE_ROOT / "pki"
