"""The matrix's header: the suite's version, the run date and each implementation's version.

The run date is the only clock reading in the matrix and it lives here, in the header, never
in the per-case content (topic table, grid, case details), so a diff of two runs' files
shows one header line for the date and otherwise exactly what changed in behaviour.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from html import escape

from tools.implementation_versions import (
    client_version,
    implementation_version,
    suite_version,
    unknown,
)


@dataclass(frozen=True)
class Header:
    suite: str
    run_date: str  # ISO 8601, UTC, to the second
    versions: dict[str, str]  # implementation -> version text, in matrix order
    targets: dict[str, str] = field(default_factory=dict)  # remote name -> host:port
    client_versions: dict[str, str] = field(default_factory=dict)  # client -> version text

    def lines(self) -> list[str]:
        out = [f"tlsconform {self.suite}; run {self.run_date}"]
        for name, version in self.versions.items():
            where = f" at {self.targets[name]}" if name in self.targets else ""
            out.append(f"{name}{where}: {version}")
        out += [f"client {name}: {version}" for name, version in self.client_versions.items()]
        return out

    def as_json(self) -> dict[str, object]:
        return {"suite": self.suite, "run_date": self.run_date, "versions": self.versions,
                "targets": self.targets, "client_versions": self.client_versions}

    def html(self) -> str:
        rows = "".join(
            f"<tr><th>{escape(name)}</th><td>{escape(self.targets.get(name, 'local'))}</td>"
            f"<td>{escape(version)}</td></tr>" for name, version in self.versions.items())
        rows += "".join(
            f"<tr><th>{escape(name)}</th><td>local client</td><td>{escape(version)}</td></tr>"
            for name, version in self.client_versions.items())
        return (f"<p>tlsconform {escape(self.suite)}; run {escape(self.run_date)}</p>\n"
                "<table class=\"header\"><tr><th>implementation</th><th>where</th>"
                f"<th>version</th></tr>{rows}</table>\n")


_IDENTITY = re.compile(r"^  implementation: (.+)$", re.MULTILINE)


def remote_version(address: str, identity: str | None = None) -> str:
    """A remote server's version cannot be asked; its run may have seen what names it."""
    return unknown(f"remote target {address}" + (f"; {identity}" if identity else
                                                 ": not asked"))


def identity_in_log(log: str) -> str | None:
    """What the run's own header found naming the target (e.g. its HTTP Server: header)."""
    found = _IDENTITY.search(log)
    return found.group(1).strip() if found else None


def with_identities(header: Header, logs: dict[str, str]) -> Header:
    """``header`` with each remote target's version saying what its run's log named it."""
    versions = dict(header.versions)
    for name, address in header.targets.items():
        identity = identity_in_log(logs.get(name, ""))
        if identity:
            versions[name] = remote_version(address, identity)
    return replace(header, versions=versions)


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def make_header(names: list[str], targets: dict[str, str], clients: Sequence[str] = ()
                ) -> Header:
    """Ask every local implementation in ``names`` and every client in ``clients`` for its
    version; remote ones stay unknown."""
    versions = {name: remote_version(targets[name]) if name in targets
                else implementation_version(name) for name in names}
    return Header(suite_version(), now(), versions, dict(targets),
                  {name: client_version(name) for name in clients})
