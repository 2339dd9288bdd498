"""Run every scenario row against the fault server, once fault-free and once per fault.

    python -m tools.prove_scenarios [--faults a,b] [--cases GLOB] [--write suites/proofs.toml]

Prints, per case, whether the fault-free server passes and which faults make it fail;
``--write`` drafts the proofs file (one proving fault per case, the observed text to
expect) for review. This is how the proofs table grows with new scenarios.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import ExitStack

from tlsconform.certs import PKI, ensure_pki
from tlsconform.client.identity import ClientIdentity
from tlsconform.fixtures.catalogue import all_cases
from tlsconform.fixtures.deviations import matches
from tlsconform.fixtures.servers import ServerConfig, launch
from tlsconform.fixtures.servers.faulty import FAULTS
from tlsconform.scenario import Case, run_case, unmet_need
from tlsconform.target import Target
from tlsconform.verdict.levels import Result
from tlsconform.wire.connection import TargetError

TIMEOUT = 1.0


def identity(pki: PKI, case: Case) -> ClientIdentity | None:
    if case.client_cert is None:
        return None
    name = f"client-{case.client_cert}"
    return ClientIdentity(pki.cert(name), pki.key(name))


def verdicts(pki: PKI, fault: str | None, cases: list[tuple[str, Case]]) -> Iterator[
        tuple[str, bool, str]]:
    """(test id, passed, failure text) for each case under one fault."""
    with ExitStack() as stack:
        targets: dict[bool, Target] = {}
        for client_auth in (False, True):
            server = stack.enter_context(
                launch("faulty", pki, ServerConfig(client_auth=client_auth, fault=fault)))
            targets[client_auth] = Target("faulty", server.host, server.port, "localhost",
                                          client_auth)
        for func, case in cases:
            test_id = f"{func}[{case.id}]"
            try:
                target, ident = targets[case.client_auth], identity(pki, case)
                unmet = next((f"precondition unmet: {need.what}: {why}" for need in case.needs
                              if (why := unmet_need(need, case, target, ident, TIMEOUT))),
                             None)
                if unmet is not None:  # a skip, which proves nothing either way
                    yield test_id, True, unmet
                    continue
                _, verdict = run_case(case, target, ident, timeout=TIMEOUT)
            except TargetError as exc:
                yield test_id, False, f"cannot connect: {exc}"
                continue
            yield test_id, case.result(verdict) is Result.passed, verdict.message


def expect_fragment(message: str) -> str:
    """What the server did, without when: stable enough to assert on."""
    observed = message.split("; observed ", 1)[-1].split(" [", 1)[0]
    if observed.startswith("server broke a rule"):
        return observed.split(": ", 1)[-1]  # the rule itself names what the server did
    return observed.split(" (", 1)[0].split(" after ", 1)[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--faults", help="comma-separated fault names (default: all but "
                        "hang-after-bad-message, which costs a read bound per case)")
    parser.add_argument("--cases", metavar="GLOBS", help="only cases whose test id matches "
                        "one of these comma-separated globs (e.g. 'test_record_layer*')")
    parser.add_argument("--prefer", metavar="FAULTS", default="",
                        help="comma-separated faults to choose first, in order, when they "
                             "break a case (default: the fault that breaks fewest cases)")
    parser.add_argument("--write", metavar="TOML", help="draft a proofs file here")
    args = parser.parse_args(argv)
    faults = args.faults.split(",") if args.faults else sorted(
        f for f in FAULTS if f != "hang-after-bad-message")
    preferred = [f for f in args.prefer.split(",") if f]
    pki = ensure_pki()
    globs = args.cases.split(",") if args.cases else ["*"]
    cases = [(func, case) for func, case in all_cases()
             if any(matches(glob, f"{func}[{case.id}]") for glob in globs)]
    clean = {tid: (ok, msg) for tid, ok, msg in verdicts(pki, None, cases)}
    broken: dict[str, list[tuple[str, str]]] = {tid: [] for tid in clean}
    for fault in faults:
        for tid, ok, msg in verdicts(pki, fault, cases):
            if not ok:
                broken[tid].append((fault, msg))
    for tid, (ok, msg) in clean.items():
        faults_text = ", ".join(f for f, _ in broken[tid]) or "NONE"
        print(f"{'ok  ' if ok else 'FAIL'} {tid}: {faults_text}"
              + ("" if ok else f"\n     fault-free: {msg}"))
    if args.write:
        lines = ["# Which fault proves each scenario can fail (drafted by tools.prove_scenarios)",
                 ""]
        reach = {f: sum(f in (g for g, _ in found) for found in broken.values())
                 for f in faults}
        for tid, found in broken.items():
            if found and clean[tid][0]:
                # The most specific fault proves most: a preferred one, else the one that
                # breaks fewest cases.
                fault, msg = min(found, key=lambda fm: (
                    preferred.index(fm[0]) if fm[0] in preferred else len(preferred),
                    reach[fm[0]], fm[0]))
                lines += ["[[proof]]", f'case = "{tid}"', f'fault = "{fault}"',
                          f'expect = "{expect_fragment(msg)}"', ""]
        with open(args.write, "w") as out:
            out.write("\n".join(lines))
    unproven = [t for t, f in broken.items() if not f]
    print(f"\n{len(clean)} cases, {sum(ok for ok, _ in clean.values())} pass fault-free, "
          f"{len(unproven)} without a proving fault", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
