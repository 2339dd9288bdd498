"""Measure every speed figure of issue 14 in one run and judge it against its goal.

python -m tools.benchmark [--server openssl|gnutls|embedded] [-n N] [--versions tls12,tls13]
                          [--warmup W] [--samples S] [--runs R] [--json PATH]

- full handshakes, engine against Python's ssl on the same local server, TLS 1.2 and 1.3,
  without and with a client certificate (tools.benchmark_handshake);
- a refused ClientHello (up to the server's alert) against one ssl full handshake;
- ``pytest suites --collect-only`` against pytest's own start-up (tools.benchmark_startup);
- time to first test with ``-n 0`` and ``-n 2``, exit after the last test, and conversations
  per second over the default catalogue (tools.benchmark_catalogue).

Paired figures are measured side by side, alternating, so machine noise lands on both.
``--runs R`` repeats everything and reports each figure's median over the runs. Speed is
reported here, never asserted in a test.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import os
import platform
import ssl
import statistics
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tools.benchmark_startup import BYTECODE_NOTE

Tree = dict[str, Any]


@dataclass(frozen=True)
class Goal:
    """One of issue 14's goals: a figure (a path into the figures) and its bound."""

    name: str
    path: tuple[str, ...]
    limit: float
    at_most: bool = True  # False: the figure must be above the limit
    unit: str = ""

    def value(self, figures: Tree) -> float | None:
        node: Any = figures
        for key in self.path:
            if not isinstance(node, dict) or key not in node:
                return None
            node = node[key]
        return float(node)

    def met(self, value: float) -> bool:
        return value <= self.limit if self.at_most else value > self.limit

    def describe(self) -> str:
        return f"{'<=' if self.at_most else '>'} {self.limit:g}{self.unit}"


def goals(versions: list[str]) -> list[Goal]:
    """The issue's goals, for the TLS versions measured."""
    found = [Goal(f"full handshake {v}{' + client cert' if cert else ''}: engine / ssl",
                  ("handshake", f"{v}{'+client_cert' if cert else ''}", "ratio"), 1.5)
             for v in versions for cert in (False, True)]
    found += [Goal(f"refused ClientHello {v}: engine / ssl full handshake",
                   ("negative", v, "ratio"), 1.0) for v in versions]
    return [
        *found,
        Goal("collect-only over pytest's own start-up", ("startup", "difference_s"), 0.3,
             unit=" s"),
        Goal("first test, -n 2 after -n 0", ("first_test", "difference_s"), 0.5, unit=" s"),
        Goal("exit after the last test, -n 0", ("catalogue", "n0", "exit_after_last_test_s"),
             0.05, unit=" s"),
        Goal("exit after the last test, -n 2", ("catalogue", "n2", "exit_after_last_test_s"),
             0.05, unit=" s"),
        Goal("conversations per second, -n 2 / -n 0", ("catalogue", "speedup"), 1.0,
             at_most=False),
    ]


def judge(figures: Tree, versions: list[str]) -> list[dict[str, object]]:
    """Each goal with its figure and whether it is met (None when it was not measured)."""
    verdicts: list[dict[str, object]] = []
    for goal in goals(versions):
        value = goal.value(figures)
        verdicts.append({"goal": goal.name, "figure": ".".join(goal.path), "value": value,
                         "limit": goal.limit, "at_most": goal.at_most,
                         "met": None if value is None else goal.met(value)})
    return verdicts


def derive(figures: Tree) -> Tree:
    """Add the figures computed from others: -n 2's first-test delay and its speedup."""
    catalogue = figures.get("catalogue")
    if catalogue:
        n0, n2 = catalogue["n0"], catalogue["n2"]
        figures["first_test"] = {
            "n0_s": n0["first_test_s"], "n2_s": n2["first_test_s"],
            "difference_s": round(n2["first_test_s"] - n0["first_test_s"], 4)}
        catalogue["speedup"] = round(n2["per_second"] / n0["per_second"], 3)
    return figures


def median_tree(runs: list[Tree]) -> Tree:
    """Each numeric leaf's median over the runs (the runs share their shape)."""
    first = runs[0]
    merged: Tree = {}
    for key, value in first.items():
        if isinstance(value, dict):
            merged[key] = median_tree([run[key] for run in runs])
        elif isinstance(value, int | float) and not isinstance(value, bool):
            median = statistics.median(run[key] for run in runs)
            merged[key] = round(median, 4) if isinstance(median, float) else median
        else:
            merged[key] = value
    return merged


def machine() -> dict[str, object]:
    def version(package: str) -> str:
        try:
            return importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            return "not installed"

    return {"platform": platform.platform(), "machine": platform.machine(),
            "cpus": os.cpu_count(), "python": platform.python_version(),
            "openssl": ssl.OPENSSL_VERSION,
            **{p: version(p) for p in ("scapy", "cryptography", "pytest", "pytest-xdist")}}


def mark(met: object) -> str:
    if met is None:
        return "not measured"
    return "met" if met else "not met"


def verdict_of(verdicts: list[dict[str, object]], figure: str) -> str:
    """The goal column of a table row: the bound and whether it is met."""
    for v in verdicts:
        if v["figure"] == figure:
            bound = "<=" if v["at_most"] else ">"
            return f"{bound} {v['limit']:g}  {mark(v['met'])}"
    return ""


def conversation_table(title: str, rows: Tree, verdicts: list[dict[str, object]],
                       section: str) -> str:
    head = (f"{'':<18} {'engine ms':>10} {'p90':>7} {'ssl ms':>8} {'p90':>7} {'ratio':>6}"
            f"   goal")
    lines = [title, head]
    for name, r in rows.items():
        lines.append(f"{name:<18} {r['engine']['median']:>10.2f} {r['engine']['p90']:>7.2f} "
                     f"{r['ssl']['median']:>8.2f} {r['ssl']['p90']:>7.2f} {r['ratio']:>6.2f}"
                     f"   {verdict_of(verdicts, f'{section}.{name}.ratio')}")
    return "\n".join(lines)


def tables(figures: Tree, verdicts: list[dict[str, object]]) -> list[str]:
    """One table per figure of the issue, each row with its goal and whether it is met."""
    out: list[str] = []
    if "handshake" in figures:
        out.append(conversation_table("Full handshake (engine against ssl, same server)",
                                      figures["handshake"], verdicts, "handshake"))
    if "negative" in figures:
        out.append(conversation_table(
            "Refused ClientHello up to the alert (engine) against one ssl full handshake",
            figures["negative"], verdicts, "negative"))
    if "startup" in figures:
        s = figures["startup"]
        out.append("\n".join([
            "Start-up (collect-only, wall clock, median)",
            f"{'pytest suites --collect-only':<34} {s['suite_collect_s']:>7.3f} s",
            f"{'pytest on a one-test folder':<34} {s['empty_collect_s']:>7.3f} s",
            f"{'difference':<34} {s['difference_s']:>7.3f} s   "
            f"{verdict_of(verdicts, 'startup.difference_s')}"]))
    if "catalogue" in figures:
        c, f = figures["catalogue"], figures["first_test"]
        out.append("\n".join([
            "Time to first test (from process start, --server embedded)",
            f"{'-n 0':<34} {f['n0_s']:>7.3f} s",
            f"{'-n 2':<34} {f['n2_s']:>7.3f} s",
            f"{'-n 2 later by':<34} {f['difference_s']:>7.3f} s   "
            f"{verdict_of(verdicts, 'first_test.difference_s')}"]))
        out.append("\n".join([
            "Exit (to process exit)",
            f"{'':<6} {'after last test':>17} {'after unconfigure':>19}   goal",
            *(f"{'-n ' + w[1:]:<6} {c[w]['exit_after_last_test_s']:>15.3f} s "
              f"{c[w]['exit_after_unconfigure_s']:>17.3f} s   "
              f"{verdict_of(verdicts, f'catalogue.{w}.exit_after_last_test_s')}"
              for w in ("n0", "n2"))]))
        out.append("\n".join([
            "Conversations per second, default catalogue (--server embedded)",
            f"{'':<6} {'rows run':>9} {'wall s':>8} {'per s':>8}",
            *(f"{'-n ' + w[1:]:<6} {c[w]['rows_run']:>9} {c[w]['wall_s']:>8.2f} "
              f"{c[w]['per_second']:>8.1f}" for w in ("n0", "n2")),
            f"{'-n 2 / -n 0':<25} {c['speedup']:>8.3f}   "
            f"{verdict_of(verdicts, 'catalogue.speedup')}"]))
    return out


def report(args: argparse.Namespace, runs: list[Tree]) -> Tree:
    figures = median_tree(runs)
    return {
        "machine": machine(),
        "settings": {"server": args.server, "n": args.n, "warmup": args.warmup,
                     "samples": args.samples, "runs": args.runs, "versions": args.versions,
                     "parts": args.parts, "bytecode": BYTECODE_NOTE},
        "figures": figures,
        "goals": judge(figures, args.versions),
        "runs": runs,
    }


PARTS = ("conversations", "startup", "catalogue")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m tools.benchmark", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--server", default="openssl", choices=["openssl", "gnutls", "embedded"],
                        help="server for the per-conversation figures")
    parser.add_argument("-n", type=int, default=100,
                        help="timed conversations per client and figure")
    parser.add_argument("--warmup", type=int, default=5, help="untimed rounds per figure")
    parser.add_argument("--samples", type=int, default=3,
                        help="timed processes per start-up and catalogue figure")
    parser.add_argument("--runs", type=int, default=1,
                        help="repeat the whole measurement; figures are medians over the runs")
    parser.add_argument("--versions", default="tls12,tls13", help="comma-separated: tls12,tls13")
    parser.add_argument("--parts", default=",".join(PARTS),
                        help=f"comma-separated subset of {','.join(PARTS)}")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the figures here")
    args = parser.parse_args(argv)
    args.versions = [v.strip() for v in args.versions.split(",") if v.strip()]
    unknown = [v for v in args.versions if v not in ("tls12", "tls13")]
    if unknown or not args.versions:
        parser.error(f"--versions takes tls12, tls13; got {args.versions}")
    args.parts = [p.strip() for p in args.parts.split(",") if p.strip()]
    if not args.parts or any(p not in PARTS for p in args.parts):
        parser.error(f"--parts takes {', '.join(PARTS)}; got {args.parts}")
    if args.n < 1 or args.warmup < 0 or args.samples < 1 or args.runs < 1:
        parser.error("-n, --samples and --runs must be at least 1 and --warmup not negative")
    return args


def measure_once(args: argparse.Namespace, log: Callable[[str], None]) -> Tree:
    """Every selected figure, measured once."""
    from tlsconform.certs import ensure_pki  # the engine loads only when it is measured

    figures: Tree = {}
    pki = ensure_pki()  # before any subprocess, so none of them writes it
    if "conversations" in args.parts:
        from tools.benchmark_handshake import measure_conversations

        log(f"  conversations against {args.server}, {args.n} per client and figure")
        figures.update(measure_conversations(args.server, pki, args.versions, args.n,
                                             args.warmup))
    if "startup" in args.parts:
        from tools.benchmark_startup import measure_collect

        log(f"  start-up, {args.samples} samples each")
        figures["startup"] = measure_collect(args.samples)
    if "catalogue" in args.parts:
        from tools.benchmark_catalogue import measure_catalogue

        log(f"  the whole catalogue, -n 0 and -n 2, {args.samples} runs each")
        figures["catalogue"] = measure_catalogue(args.samples)
    return derive(figures)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if "conversations" in args.parts:
        from tlsconform.fixtures.servers import available_implementations

        if not available_implementations().get(args.server):
            print(f"server {args.server!r} is not installed on this machine", file=sys.stderr)
            return 2

    def log(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    runs = []
    for i in range(args.runs):
        log(f"run {i + 1} of {args.runs}")
        runs.append(measure_once(args, log))
    result = report(args, runs)
    m = result["machine"]
    print(f"{m['platform']}, {m['cpus']} CPUs, Python {m['python']}, {m['openssl']}")
    print(f"conversations: --server {args.server}, {args.n} per client and figure "
          f"({args.warmup} warm-up); processes: {args.samples} samples, {BYTECODE_NOTE}")
    print(f"figures: {'median of ' + str(args.runs) + ' runs' if args.runs > 1 else 'one run'}")
    for block in tables(result["figures"], result["goals"]):
        print()
        print(block)
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
