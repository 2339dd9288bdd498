"""Play the engine against the seeded hostile server and count how each conversation ended.

    python -m tools.hostile --seeds 10000 [--start 0] [--threads 8] [--timeout 0.3]

Whatever the hostile server sends, the engine must end in a verdict: an internal error of
the engine is a bug, and the command exits 1 when it saw any, printing each seed so that
``--start SEED --seeds 1`` replays it.
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

from tests.hostile_server import HostileServer
from tlsconform.certs import PKI, ensure_pki
from tlsconform.client.driver import ClientDriver
from tlsconform.client.identity import ClientIdentity
from tlsconform.client.offer import TLS12, TLS13, Offer, tls12, tls13
from tlsconform.fixtures.catalogue import all_cases
from tlsconform.fixtures.preflight import probe
from tlsconform.scenario import run_case
from tlsconform.target import Target
from tlsconform.verdict.expect import aborts, completes, completes_or_refuses
from tlsconform.verdict.outcome import Outcome
from tlsconform.wire.connection import Connection, TargetError
from tlsconform.wire.events import Alert, Closed, Reset, Timeout, Unparsed

CASES = [case for _, case in all_cases()]
PKI_FILES = ensure_pki()


def offer_for(seed: int) -> Offer:
    """The client's offer, drawn from the seed: TLS 1.3 only, TLS 1.2 only, or both."""
    kind = seed % 3
    if kind == 0:
        return tls13("localhost")
    if kind == 1:
        return tls12("localhost")
    return tls13("localhost").with_(
        supported_versions=[TLS13, TLS12], ciphers=tls13().ciphers + tls12().ciphers
    )


def kind(outcome: Outcome) -> str:
    """A coarse name for how the conversation ended, for the counts."""
    if outcome.internal_error:
        return "internal error"
    if outcome.violation:
        return "server broke a rule"
    if outcome.completed:
        return "completed"
    event = outcome.event
    for cls, name in (
        (Alert, "alert"),
        (Closed, "closed"),
        (Reset, "reset"),
        (Timeout, "timeout"),
        (Unparsed, "unparsed"),
    ):
        if isinstance(event, cls):
            return name
    return "other"


def converse(
    address: tuple[str, int], seed: int, timeout: float, identity: ClientIdentity | None
) -> tuple[str, str]:
    """One conversation with the server's next reply: (kind, description). The verdict code
    runs on it too, since a verdict that raises is an internal error as well."""
    try:
        if seed % 11 == 0:  # the preflight's probe meets the same replies
            reason = probe(*address, timeout=timeout)
            return ("probe refused" if reason else "probe accepted"), reason or ""
        if seed % 4 == 3:  # a row of the catalogue: its words meet the same replies
            case = CASES[seed % len(CASES)]
            own = identity if seed % 8 == 7 or not case.client_cert else ClientIdentity(
                PKI_FILES.cert(f"client-{case.client_cert}"),
                PKI_FILES.key(f"client-{case.client_cert}"))
            outcome, verdict = run_case(case, Target("hostile", *address, "localhost"),
                                        own, timeout=timeout)
            case.result(verdict)
        else:
            with Connection.connect(*address, timeout=timeout) as conn:
                driver = ClientDriver(conn, offer_for(seed),
                                      identity=identity if seed % 7 == 0 else None)
                outcome = driver.run()
        text = outcome.describe()
        for expectation in (completes(), aborts(), completes_or_refuses("handshake_failure")):
            expectation.judge(outcome)
        outcome.essence()
    except TargetError as exc:
        return "cannot connect", exc.reason
    except Exception as exc:  # outside the driver: still ours, still a bug
        return "internal error", f"{type(exc).__name__}: {exc}"
    return kind(outcome), text


@dataclass
class Tally:
    counts: Counter[str] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    server_errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, seed: int, result: tuple[str, str]) -> None:
        with self.lock:
            self.counts[result[0]] += 1
            if result[0] == "internal error":
                self.errors.append(f"seed {seed}: {result[1]}")


def run(pki: PKI, start: int, seeds: int, threads: int, timeout: float) -> Tally:
    """Each thread has its own server and plays seeds start+k, start+k+threads, ... in
    order, so the server's accept order is the seed order."""
    tally = Tally()
    identity = ClientIdentity(pki.cert("client-valid-rsa"), pki.key("client-valid-rsa"))

    def worker(k: int) -> None:
        with HostileServer(pki, start + k, step=threads) as server:
            for seed in range(start + k, start + seeds, threads):
                tally.add(seed, converse(server.address, seed, timeout, identity))
            time.sleep(0.05)  # let the last reply's thread finish before the server stops
            with tally.lock:
                tally.server_errors.extend(server.errors)

    workers = [threading.Thread(target=worker, args=(k,)) for k in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return tally


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, default=1000, help="conversations to play")
    parser.add_argument("--start", type=int, default=0, help="the first seed")
    parser.add_argument("--threads", type=int, default=8, help="parallel client/server pairs")
    parser.add_argument("--timeout", type=float, default=0.3, help="the engine's read bound")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    tally = run(
        ensure_pki(), args.start, args.seeds, max(1, min(args.threads, args.seeds)), args.timeout
    )
    elapsed = time.perf_counter() - started
    total = sum(tally.counts.values())
    print(
        f"{total} hostile replies from seeds {args.start}..{args.start + args.seeds - 1} "
        f"in {elapsed:.1f} s"
    )
    for name, count in tally.counts.most_common():
        print(f"  {name:22} {count:6}  {100 * count / max(total, 1):5.1f}%")
    for line in tally.errors:
        print(f"INTERNAL ERROR {line}")
    if tally.server_errors:
        print(
            f"({len(tally.server_errors)} replies the hostile server itself could not make,"
            f" e.g. {tally.server_errors[0]})"
        )
    return 1 if tally.errors else 0


if __name__ == "__main__":
    sys.exit(main())
