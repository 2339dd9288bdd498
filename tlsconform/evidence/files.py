"""Where a row's evidence goes: ``<id>.pcap``, ``<id>.keys`` and ``<id>.txt`` in one
directory, named after the test id so each file says which case it shows."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from pathlib import Path

from tlsconform.evidence.keylog import key_log
from tlsconform.evidence.pcap import write_pcap
from tlsconform.evidence.transcript import transcript
from tlsconform.verdict.outcome import Outcome

MAX_NAME = 160


def file_stem(test_id: str) -> str:
    """A test id as a file name: safe characters only, bounded, still unique."""
    stem = re.sub(r"[^A-Za-z0-9._=+-]+", "_", test_id.replace("::", "--")).strip("_.")
    if len(stem) > MAX_NAME:
        digest = hashlib.sha1(test_id.encode()).hexdigest()[:10]
        stem = f"{stem[:MAX_NAME - 11]}-{digest}"
    return stem or "case"


def write_evidence(directory: Path, test_id: str, outcome: Outcome,
                   mutations: Sequence[object] = (), verdict: str = "",
                   server: str = "127.0.0.1", port: int = 443) -> dict[str, Path]:
    """Write the three files; return them by kind (pcap, keys, txt)."""
    stem = file_stem(test_id)
    paths = {kind: directory / f"{stem}.{kind}" for kind in ("pcap", "keys", "txt")}
    write_pcap(paths["pcap"], outcome, server, port)
    paths["keys"].write_text(key_log(outcome))
    paths["txt"].write_text(transcript(test_id, outcome, mutations, verdict))
    return paths
