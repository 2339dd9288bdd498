"""Time full handshakes with the engine against Python's ssl, on one local server.

python -m tools.benchmark [--server openssl|gnutls|embedded] [-n N] [--versions tls12,tls13]
                          [--warmup W] [--json PATH]

Both clients do the same work per sample: TCP connect, full handshake (certificate chain
checked by ssl, signatures and Finished checked by the engine), one HTTP/1.0 GET, the start
of the reply, close. Samples alternate between the two clients, and the order flips every
round, so machine noise lands on both. Speed is reported here, never asserted in a test.
"""

from __future__ import annotations

import argparse
import json
import platform
import socket
import ssl
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import scapy

from tlsconform.certs import ensure_pki
from tlsconform.client import offer
from tlsconform.client.driver import HTTP_GET, ClientDriver
from tlsconform.fixtures.servers import ServerConfig, available_implementations, launch
from tlsconform.wire.connection import Connection

SERVER_NAME = "localhost"  # in the server certificate's SAN; both clients send it as SNI
REPLY_START = 1024
OFFERS = {"tls12": offer.tls12, "tls13": offer.tls13}
SSL_VERSIONS = {"tls12": ssl.TLSVersion.TLSv1_2, "tls13": ssl.TLSVersion.TLSv1_3}

Client = Callable[[], None]


@dataclass(frozen=True)
class Figures:
    """Milliseconds per handshake for one client and one TLS version."""

    median: float
    p90: float
    minimum: float

    @classmethod
    def of(cls, seconds: list[float]) -> Figures:
        ms = sorted(s * 1000 for s in seconds)
        return cls(median=round(statistics.median(ms), 3), p90=round(nearest_rank(ms, 0.9), 3),
                   minimum=round(ms[0], 3))


@dataclass(frozen=True)
class Result:
    version: str
    engine: Figures
    ssl: Figures

    @property
    def ratio(self) -> float:
        return self.engine.median / self.ssl.median


def nearest_rank(ordered: list[float], fraction: float) -> float:
    """The percentile a reader can check by hand: the value at rank ceil(fraction * n)."""
    rank = max(1, -(-len(ordered) * fraction // 1))
    return ordered[int(rank) - 1]


def engine_client(host: str, port: int, version: str) -> Client:
    def run() -> None:
        with Connection.connect(host, port) as conn:
            outcome = ClientDriver(conn, OFFERS[version](SERVER_NAME)).run()
        if not outcome.completed:
            raise RuntimeError(f"engine {version} handshake failed: {outcome.describe()}")

    return run


def ssl_client(host: str, port: int, version: str, root_ca: Path) -> Client:
    """Context built once, as a real client would; each call is one fresh connection."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.load_verify_locations(cafile=str(root_ca))
    context.minimum_version = context.maximum_version = SSL_VERSIONS[version]

    def run() -> None:
        with socket.create_connection((host, port), timeout=5) as raw:
            raw.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            with context.wrap_socket(raw, server_hostname=SERVER_NAME) as tls:
                tls.sendall(HTTP_GET)
                if not tls.recv(REPLY_START):
                    raise RuntimeError(f"ssl {version}: server closed without a reply")

    return run


def timed(client: Client) -> float:
    start = time.perf_counter()
    client()
    return time.perf_counter() - start


def measure(engine: Client, reference: Client, n: int, warmup: int) -> tuple[list[float], ...]:
    """Alternate the two clients sample by sample, flipping who goes first each round."""
    for _ in range(warmup):
        engine()
        reference()
    engine_s: list[float] = []
    ssl_s: list[float] = []
    for i in range(n):
        if i % 2:
            ssl_s.append(timed(reference))
            engine_s.append(timed(engine))
        else:
            engine_s.append(timed(engine))
            ssl_s.append(timed(reference))
    return engine_s, ssl_s


def table(results: list[Result]) -> str:
    head = f"{'version':<8} {'engine ms':>10} {'p90':>7} {'ssl ms':>8} {'p90':>7} {'ratio':>6}"
    rows = [
        f"{r.version:<8} {r.engine.median:>10.2f} {r.engine.p90:>7.2f} "
        f"{r.ssl.median:>8.2f} {r.ssl.p90:>7.2f} {r.ratio:>6.2f}"
        for r in results
    ]
    return "\n".join([head, *rows])


def report(server: str, n: int, warmup: int, results: list[Result]) -> dict[str, object]:
    return {
        "server": server,
        "n": n,
        "warmup": warmup,
        "python": platform.python_version(),
        "scapy": scapy.__version__,
        "openssl": ssl.OPENSSL_VERSION,
        "results": [{**asdict(r), "ratio": round(r.ratio, 3)} for r in results],
    }


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m tools.benchmark", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--server", default="openssl", choices=["openssl", "gnutls", "embedded"])
    parser.add_argument("-n", type=int, default=200, help="timed handshakes per client and version")
    parser.add_argument("--warmup", type=int, default=5, help="untimed rounds per version")
    parser.add_argument("--versions", default="tls12,tls13", help="comma-separated: tls12,tls13")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the figures here")
    args = parser.parse_args(argv)
    args.versions = [v.strip() for v in args.versions.split(",") if v.strip()]
    unknown = [v for v in args.versions if v not in OFFERS]
    if unknown or not args.versions:
        parser.error(f"--versions takes {', '.join(OFFERS)}; got {args.versions}")
    if args.n < 1 or args.warmup < 0:
        parser.error("-n must be at least 1 and --warmup not negative")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if not available_implementations().get(args.server):
        print(f"server {args.server!r} is not installed on this machine", file=sys.stderr)
        return 2
    pki = ensure_pki()
    results = []
    with launch(args.server, pki, ServerConfig()) as server:
        for version in args.versions:
            engine = engine_client(server.host, server.port, version)
            reference = ssl_client(server.host, server.port, version, pki.cert("root-ca"))
            engine_s, ssl_s = measure(engine, reference, args.n, args.warmup)
            results.append(Result(version, Figures.of(engine_s), Figures.of(ssl_s)))
    print(f"{args.server}, {args.n} handshakes per client and version ({args.warmup} warm-up)")
    print(table(results))
    if args.json:
        args.json.write_text(json.dumps(report(args.server, args.n, args.warmup, results),
                                        indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
