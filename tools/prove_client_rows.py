"""Run every client row against the faulty client, once fault-free and once per fault, and
against the misconfigured Python ``ssl`` clients.

    python -m tools.prove_client_rows [--faults a,b] [--cases GLOBS] [--prefer CLIENTS]
                                      [--write suites/clients/proofs.toml]

Prints, per row, whether the fault-free client passes and which clients (``faulty[fault]``
or a launcher name) make it fail; ``--write`` drafts the proofs file (one proving client
per row, the observed text to expect) for review. This is how the client proofs grow with
new rows.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator

from tlsconform.certs import PKI, ensure_pki
from tlsconform.fixtures.catalogue import client_cases
from tlsconform.fixtures.clients import ClientLauncher, launcher
from tlsconform.fixtures.clients.faulty import FAULTS, FaultyClient
from tlsconform.fixtures.clients.playing import play
from tlsconform.fixtures.deviations import matches
from tlsconform.server.scenario import ClientCase
from tlsconform.verdict.levels import Result

TIMEOUT = 1.0
SHOWN = 6  # proving clients printed per row
SSL_CLIENTS = ("python-ssl-noverify", "python-ssl-nohostname")
"""Misconfigured Python ssl clients: they break the certificate rows the faulty client,
which validates no certificate, cannot pass at all."""
REFERENCE = {"faulty": "faulty", **dict.fromkeys(SSL_CLIENTS, "embedded")}
"""The fault-free client each proving client is a fault of: a proof is clean when that
one passes the row (the failure is the fault's, not the client's)."""


def verdicts(pki: PKI, client: ClientLauncher, cases: list[tuple[str, ClientCase]]
             ) -> Iterator[tuple[str, bool, str]]:
    """(test id, passed, verdict text) for each row against ``client``; a row whose
    condition the client does not meet counts as passed (it skips, proving nothing)."""
    for func, case in cases:
        outcome, verdict, _ = play(case, client, pki, TIMEOUT)
        if outcome.unmet:
            yield f"{func}[{case.id}]", True, f"precondition unmet: {outcome.unmet}"
            continue
        yield f"{func}[{case.id}]", case.result(verdict) is Result.passed, verdict.message


def expect_fragment(message: str) -> str:
    """What the client did, without when: stable enough to assert on."""
    observed = message.split("; observed ", 1)[-1].rsplit(" [", 1)[0]
    if " broke a rule" in observed:
        return observed.split(": ", 1)[-1]  # the rule itself names what was wrong
    return observed.split(" (", 1)[0].split(" after ", 1)[0]


def candidates(faults: list[str]) -> list[tuple[str, str, ClientLauncher]]:
    """(client, fault, launcher) for every way of breaking a row."""
    out = [("faulty", name, FaultyClient(name)) for name in faults]
    return out + [(name, "", launcher(name)) for name in SSL_CLIENTS]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--faults", help="comma-separated faults of the faulty client "
                        "(default: all)")
    parser.add_argument("--cases", metavar="GLOBS", help="only rows whose test id matches one "
                        "of these comma-separated globs")
    parser.add_argument("--prefer", metavar="CLIENTS", default="",
                        help="clients or faults to choose first, in order, when they break a "
                             "row (default: one whose fault-free client passes the row, whose "
                             "client carries on, that breaks fewest rows)")
    parser.add_argument("--write", metavar="TOML", help="draft a proofs file here")
    args = parser.parse_args(argv)
    pki = ensure_pki()
    globs = args.cases.split(",") if args.cases else ["*"]
    cases = [(func, case) for func, case in client_cases()
             if any(matches(glob, f"{func}[{case.id}]") for glob in globs)]
    clean = {tid: (ok, msg) for tid, ok, msg in verdicts(pki, FaultyClient(), cases)}
    embedded = {tid: ok for tid, ok, _ in verdicts(pki, launcher("embedded"), cases)}
    reference = {"faulty": {tid: ok for tid, (ok, _) in clean.items()}, "embedded": embedded}
    broken: dict[str, list[tuple[str, str, str]]] = {tid: [] for tid in clean}
    for client, fault, runner in candidates(args.faults.split(",") if args.faults
                                            else sorted(FAULTS)):
        for tid, ok, msg in verdicts(pki, runner, cases):
            if not ok:
                broken[tid].append((client, fault, msg))
    for tid, (ok, msg) in clean.items():
        names = [fault or client for client, fault, _ in broken[tid]]
        found = ", ".join(names[:SHOWN]) + (f" and {len(names) - SHOWN} more"
                                            if len(names) > SHOWN else "") or "NONE"
        print(f"{'ok  ' if ok else 'FAIL'} {tid}: {found}"
              + ("" if ok else f"\n     fault-free: {msg}"))
    if args.write:
        write(args.write, broken, [p for p in args.prefer.split(",") if p], reference)
    unproven = [t for t, found in broken.items() if not found]
    print(f"\n{len(clean)} rows, {sum(ok for ok, _ in clean.values())} pass fault-free, "
          f"{len(unproven)} without a proving client", file=sys.stderr)
    return 0


def write(path: str, broken: dict[str, list[tuple[str, str, str]]], prefer: list[str],
          reference: dict[str, dict[str, bool]]) -> None:
    """One proof per row: a preferred client or fault, else one whose fault-free client
    passes the row, and among those the one that breaks fewest rows (the most specific
    proves most). A row no fault-free client passes needs a reviewer's choice."""
    reach: dict[str, int] = {}
    for found in broken.values():
        for client, fault, _ in found:
            reach[fault or client] = reach.get(fault or client, 0) + 1

    def rank(tid: str, found: tuple[str, str, str]) -> tuple[object, ...]:
        client, fault, _ = found
        name = fault or client
        return (prefer.index(name) if name in prefer else len(prefer),
                not reference[REFERENCE[client]].get(tid, False), reach[name], name)

    lines = ["# Which client proves each client row can fail (drafted by "
             "tools.prove_client_rows)", ""]
    for tid, found in broken.items():
        if not found:
            continue
        client, fault, msg = min(found, key=lambda f: rank(tid, f))
        lines += ["[[proof]]", f"case = {json.dumps(tid)}", f"client = {json.dumps(client)}",
                  f"fault = {json.dumps(fault)}", f"expect = {json.dumps(expect_fragment(msg))}",
                  ""]
    with open(path, "w") as out:
        out.write("\n".join(lines))


if __name__ == "__main__":
    sys.exit(main())
