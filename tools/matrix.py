"""Run the catalogue against every local TLS implementation and write the conformance matrix.

    python -m tools.matrix [--servers a,b,...] [--clients a,b,...] [--target NAME=HOST:PORT ...]
                           [--out DIR] [-n WORKERS] [--client-workers N] [--jobs N]

Each implementation gets its own ``pytest suites --server NAME`` run of the server rows
(its deviations file applies as usual); each local client its own ``pytest suites/clients
--client NAME`` run of the client rows (with ``suites/clients/deviations/NAME.toml``), in
a table of its own; per-case results come from each run's JUnit XML. The clients run after
the servers, in one process each by default (their rows take a few seconds; xdist's start-up
would cost more than it saves), as many at once as there are CPU cores. ``--target
NAME=HOST:PORT`` (repeatable) adds a remote server as implementation NAME, run with
``pytest suites --target HOST:PORT`` (no deviations file, no required versions: what it
does not speak skips); ``--servers ''`` leaves the local ones out, ``--clients ''`` the
clients. An implementation or client that is not installed is reported "not available",
not as failures. Writes ``matrix.md``, ``matrix.html`` (topic view), ``matrix-grid.html``
(case x implementation) and ``matrix.json`` into ``--out`` (default ``reports/matrix``),
with each run's JUnit XML and log under ``junit/`` and ``logs/``. The header of each
(suite version, run date, every implementation's and client's version) is the only part
that changes between runs of the same behaviour. Exits 1 when any implementation or client
has an unexpected failure (or its run broke), 2 on a usage error, else 0.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tools.matrix_grid import grid_html
from tools.matrix_header import Header, make_header, with_identities
from tools.matrix_render import as_json, html, markdown
from tools.matrix_results import (
    CLIENT,
    ERROR,
    NOT_AVAILABLE,
    RAN,
    RESULTS,
    TOTAL,
    Run,
    parse_junit,
)

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "reports" / "matrix"
NOT_IN_DEFAULT = ("faulty",)
"""A fault-injection test double, not a TLS stack; still selectable with --servers."""
TLS12_ONLY = ("mbedtls",)
"""Mbed TLS 2.28 has no TLS 1.3; every other implementation must keep both versions, so a
regression to TLS 1.2 only fails the run instead of turning into skips."""
CLIENTS_NOT_IN_DEFAULT = ("python-ssl-noverify", "python-ssl-nohostname", "faulty")
"""Test doubles (Python ssl misconfigured on purpose, a fault-injectable client) that
prove the client rows can fail; still selectable with --clients."""
CLIENT_ROWS = "suites/clients"
PYTEST_OK = (0, 1)  # all passed / some tests failed: either way the XML is complete
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
"""A remote target's name: it names files (junit/NAME.xml), so no slashes or spaces."""


def default_servers() -> list[str]:
    from tlsconform.fixtures.options import LOCAL_SERVERS

    return [name for name in LOCAL_SERVERS if name not in NOT_IN_DEFAULT]


def default_clients() -> list[str]:
    from tlsconform.fixtures.clients import CLIENT_NAMES

    return [name for name in CLIENT_NAMES if name not in CLIENTS_NOT_IN_DEFAULT]


def client_availability(names: Sequence[str]) -> dict[str, bool]:
    """Whether each named client can run here; a name no launcher has is absent."""
    from tlsconform.fixtures.clients import CLIENT_NAMES, launcher

    return {name: launcher(name).available() is None for name in names
            if name in CLIENT_NAMES}


def availability() -> dict[str, bool]:
    from tlsconform.fixtures.servers import available_implementations

    return available_implementations()


def parse_target(text: str) -> tuple[str, str]:
    """``name=host:port`` -> (name, "host:port"); ValueError saying what is wrong."""
    from tlsconform.target import parse_address

    name, sep, address = text.partition("=")
    if not sep or not _NAME.fullmatch(name):
        raise ValueError(f"{text!r}: give NAME=HOST:PORT, NAME of letters, digits, . _ -")
    parse_address(address)  # the same check pytest's --target makes, but before any run
    return name, address


def pytest_command(name: str, workers: int, junit: Path, target: str | None = None
                   ) -> list[str]:
    """A local server runs with its deviations file and the versions it must keep; a remote
    target only by its address, so what it does not speak skips."""
    if target is not None:
        chosen = ["--target", target]
    else:
        required = "tls12" if name in TLS12_ONLY else "tls12,tls13"
        chosen = ["--server", name, "--require-version", required]
    return [sys.executable, "-m", "pytest", "suites", "--ignore", CLIENT_ROWS,
            "-n", str(workers), *chosen, "-p", "no:cacheprovider", "-q",
            f"--junitxml={junit}"]


def client_command(name: str, workers: int, junit: Path) -> list[str]:
    """A client's run: the client rows only, against ``--client NAME`` (its own deviations
    file applies by default)."""
    return [sys.executable, "-m", "pytest", CLIENT_ROWS, "-n", str(workers), "--client", name,
            "-p", "no:cacheprovider", "-q", f"--junitxml={junit}"]


def run_one(name: str, out: Path, workers: int, target: str | None = None
            ) -> tuple[Run, float]:
    """One implementation's pytest run, read back from its JUnit XML; and its wall time."""
    junit = out / "junit" / f"{name}.xml"
    return _run(name, pytest_command(name, workers, junit, target), junit,
                out / "logs" / f"{name}.log")


def run_client(name: str, out: Path, workers: int) -> tuple[Run, float]:
    """One client's run of the client rows (files named ``client-NAME``: a client may share
    its name with a server)."""
    junit = out / "junit" / f"client-{name}.xml"
    run, seconds = _run(name, client_command(name, workers, junit), junit,
                        out / "logs" / f"client-{name}.log")
    run.role = CLIENT
    return run, seconds


def _run(name: str, command: list[str], junit: Path, log: Path) -> tuple[Run, float]:
    junit.unlink(missing_ok=True)
    started = time.monotonic()
    with log.open("wb") as log_file:
        code = subprocess.run(command, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=log_file,
                              stderr=subprocess.STDOUT, check=False).returncode
    seconds = time.monotonic() - started
    if code not in PYTEST_OK or not junit.exists():
        last = log.read_text(errors="replace").strip().splitlines()[-1:] or [""]
        return Run(name, ERROR, f"pytest exited {code}: {last[0]}"), seconds
    return Run(name, RAN, "", parse_junit(junit)), seconds


def summary_line(run: Run, seconds: float | None) -> str:
    name = f"client {run.implementation}" if run.role == CLIENT else run.implementation
    if run.status != RAN:
        return f"{name}: {run.status}{': ' + run.detail if run.detail else ''}"
    counts = run.counts()[TOTAL]
    text = ", ".join(f"{counts[result]} {result}" for result in RESULTS)
    return f"{name}: {text} ({seconds:.1f} s)"


def write_reports(runs: list[Run], out: Path, header: Header | None = None) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "matrix.md").write_text(markdown(runs, header))
    (out / "matrix.html").write_text(html(runs, header))
    (out / "matrix-grid.html").write_text(grid_html(runs, header))
    (out / "matrix.json").write_text(as_json(runs, header))


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tools.matrix", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--servers", help="comma-separated local implementations "
                        "(default: every local server except the fault-injection one; "
                        "'' for none)")
    parser.add_argument("--clients", help="comma-separated local clients for the client rows "
                        "(default: every local client except the test doubles; '' for none)")
    parser.add_argument("--target", dest="targets", action="append", default=[],
                        metavar="NAME=HOST:PORT", help="a remote server to add to the matrix "
                        "as implementation NAME (repeatable)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="report folder")
    parser.add_argument("-n", dest="workers", type=int, default=2,
                        help="pytest-xdist workers per implementation (default 2)")
    parser.add_argument("--client-workers", type=int, default=0,
                        help="pytest-xdist workers per client run (default 0: one process)")
    parser.add_argument("--jobs", type=int, default=0, help="implementations (then clients) "
                        "run at once (default: CPU cores / workers, at least 1)")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    available = availability()
    names = default_servers() if args.servers is None else [
        name for name in args.servers.split(",") if name.strip()]
    unknown = [name for name in names if name not in available]
    if unknown:
        print(f"unknown implementation(s): {', '.join(unknown)} "
              f"(known: {', '.join(sorted(available))})", file=sys.stderr)
        return 2
    try:
        targets = dict(parse_target(text) for text in args.targets)
    except ValueError as exc:
        print(f"--target {exc}", file=sys.stderr)
        return 2
    clients = default_clients() if args.clients is None else [
        name for name in args.clients.split(",") if name.strip()]
    client_ok = client_availability(clients)
    strangers = [name for name in clients if name not in client_ok]
    if strangers:
        from tlsconform.fixtures.clients import CLIENT_NAMES

        print(f"unknown client(s): {', '.join(strangers)} (known: {', '.join(CLIENT_NAMES)})",
              file=sys.stderr)
        return 2
    clash = sorted(set(names) & set(targets)) or (
        ["(a name given twice)"] if len(targets) < len(args.targets) else [])
    if clash:
        print(f"--target name(s) already in the matrix: {', '.join(clash)}", file=sys.stderr)
        return 2
    if not names and not targets and not clients:
        print("nothing to run: --servers '' --clients '' needs at least one --target",
              file=sys.stderr)
        return 2
    available.update(dict.fromkeys(targets, True))
    names += list(targets)
    out: Path = args.out
    for folder in (out / "junit", out / "logs"):
        folder.mkdir(parents=True, exist_ok=True)
    jobs = args.jobs or max(1, (os.cpu_count() or 1) // max(1, args.workers))
    runnable = [name for name in names if available[name]]
    runnable_clients = [name for name in clients if client_ok[name]]
    header = make_header(names, targets, clients)
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        done = dict(zip(runnable, pool.map(
            lambda n: run_one(n, out, args.workers, targets.get(n)), runnable), strict=True))
    client_jobs = args.jobs or max(1, (os.cpu_count() or 1) // max(1, args.client_workers))
    with ThreadPoolExecutor(max_workers=client_jobs) as pool:
        done_clients = dict(zip(runnable_clients, pool.map(
            lambda n: run_client(n, out, args.client_workers), runnable_clients), strict=True))
    runs = []
    for name in names:
        run, seconds = done.get(name, (Run(name, NOT_AVAILABLE), None))
        runs.append(run)
        print(summary_line(run, seconds))
    for name in clients:
        run, seconds = done_clients.get(name, (Run(name, NOT_AVAILABLE, role=CLIENT), None))
        runs.append(run)
        print(summary_line(run, seconds))
    logs = {name: (out / "logs" / f"{name}.log").read_text(errors="replace")
            for name in targets if (out / "logs" / f"{name}.log").exists()}
    write_reports(runs, out, with_identities(header, logs))
    print(f"matrix of {len(names)} implementations and {len(clients)} clients in "
          f"{time.monotonic() - started:.1f} s: {out / 'matrix.md'}, matrix.html, "
          "matrix-grid.html, matrix.json")
    return 1 if any(run.unexpected for run in runs) else 0


if __name__ == "__main__":
    sys.exit(main())
