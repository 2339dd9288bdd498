"""Per-conversation timings for tools.benchmark: the engine against Python's ssl.

Both clients do the same work per full-handshake sample: TCP connect, full handshake
(certificate chain checked by ssl, signatures and Finished checked by the engine), one
HTTP/1.0 GET, the start of the reply, close; with a client certificate both present the
PKI's ``client-valid`` one. A negative sample is the engine's ClientHello with only a suite
the server refuses, up to the server's alert and close: it is paired with one ssl full
handshake on the same server, since the goal is that a refusal costs no more than that.
Samples alternate between the two clients and the order flips every round, so machine noise
lands on both.
"""

from __future__ import annotations

import socket
import ssl
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass

from tlsconform.certs import PKI
from tlsconform.client import offer
from tlsconform.client.driver import HTTP_GET, ClientDriver
from tlsconform.client.identity import ClientIdentity
from tlsconform.fixtures.servers import ServerConfig, launch
from tlsconform.wire.connection import Connection

SERVER_NAME = "localhost"  # in the server certificate's SAN; both clients send it as SNI
CLIENT_CERT = "client-valid"  # PKI profile the client-auth server accepts (client-ca)
REPLY_START = 1024
OFFERS = {"tls12": offer.tls12, "tls13": offer.tls13}
SSL_VERSIONS = {"tls12": ssl.TLSVersion.TLSv1_2, "tls13": ssl.TLSVersion.TLSv1_3}
# Suites no server of the suite accepts: RC4-SHA (RFC 7465) and an unassigned TLS 1.3 code.
REFUSED_SUITES = {"tls12": [0x0005], "tls13": [0x13FE]}

Client = Callable[[], None]


@dataclass(frozen=True)
class Figures:
    """Milliseconds per conversation for one client."""

    median: float
    p90: float
    minimum: float

    @classmethod
    def of(cls, seconds: list[float]) -> Figures:
        ms = sorted(s * 1000 for s in seconds)
        return cls(median=round(statistics.median(ms), 3), p90=round(nearest_rank(ms, 0.9), 3),
                   minimum=round(ms[0], 3))


def nearest_rank(ordered: list[float], fraction: float) -> float:
    """The percentile a reader can check by hand: the value at rank ceil(fraction * n)."""
    rank = max(1, -(-len(ordered) * fraction // 1))
    return ordered[int(rank) - 1]


def pair(engine_s: list[float], ssl_s: list[float]) -> dict[str, object]:
    """Both clients' figures and the ratio of their medians (engine / ssl)."""
    engine, reference = Figures.of(engine_s), Figures.of(ssl_s)
    return {"engine": asdict(engine), "ssl": asdict(reference),
            "ratio": round(engine.median / reference.median, 3)}


def identity(pki: PKI) -> ClientIdentity:
    return ClientIdentity(pki.cert(CLIENT_CERT), pki.key(CLIENT_CERT))


def engine_client(host: str, port: int, version: str,
                  ident: ClientIdentity | None = None) -> Client:
    def run() -> None:
        with Connection.connect(host, port) as conn:
            outcome = ClientDriver(conn, OFFERS[version](SERVER_NAME), identity=ident).run()
        if not outcome.completed:
            raise RuntimeError(f"engine {version} handshake failed: {outcome.describe()}")

    return run


def engine_refused(host: str, port: int, version: str) -> Client:
    """A typical negative row: a ClientHello the server must refuse, up to its alert."""
    hello = OFFERS[version](SERVER_NAME).with_(ciphers=REFUSED_SUITES[version])

    def run() -> None:
        with Connection.connect(host, port) as conn:
            outcome = ClientDriver(conn, hello).run()
        if outcome.alert is None:
            raise RuntimeError(f"engine {version}: expected an alert, got {outcome.describe()}")

    return run


def ssl_client(host: str, port: int, version: str, pki: PKI,
               client_cert: bool = False) -> Client:
    """Context built once, as a real client would; each call is one fresh connection."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.load_verify_locations(cafile=str(pki.cert("root-ca")))
    context.minimum_version = context.maximum_version = SSL_VERSIONS[version]
    if client_cert:
        context.load_cert_chain(str(pki.cert(CLIENT_CERT)), str(pki.key(CLIENT_CERT)))

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


def measure(engine: Client, reference: Client, n: int,
            warmup: int) -> tuple[list[float], list[float]]:
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


def measure_conversations(server: str, pki: PKI, versions: list[str], n: int,
                          warmup: int) -> dict[str, dict[str, object]]:
    """Full handshakes without and with a client certificate, and refused ClientHellos.

    Returns ``{"handshake": {"tls12": pair, "tls12+client_cert": pair, ...},
    "negative": {"tls12": pair, ...}}``.
    """
    handshake: dict[str, object] = {}
    negative: dict[str, object] = {}
    with launch(server, pki, ServerConfig()) as plain, \
            launch(server, pki, ServerConfig(client_auth=True)) as mtls:
        ident = identity(pki)
        for version in versions:
            reference = ssl_client(plain.host, plain.port, version, pki)
            handshake[version] = pair(*measure(
                engine_client(plain.host, plain.port, version), reference, n, warmup))
            handshake[f"{version}+client_cert"] = pair(*measure(
                engine_client(mtls.host, mtls.port, version, ident),
                ssl_client(mtls.host, mtls.port, version, pki, client_cert=True), n, warmup))
            negative[version] = pair(*measure(
                engine_refused(plain.host, plain.port, version), reference, n, warmup))
    return {"handshake": handshake, "negative": negative}

