"""A seeded hostile TLS server: for the engine's "no internal error, whatever the peer sends".

Each connection draws one reply from a seeded generator: random bytes, records of any type,
version and length, incoherent ServerHellos and HelloRetryRequests, TLS 1.2 flights with
broken certificates, key exchanges and signatures, TLS 1.3 flights protected under real
handshake keys whose messages are then broken, valid records followed by junk, silence,
slow drips, resets. The same seed gives the same reply (given the same ClientHello shape).

``HostileServer(pki, seed, step)`` serves connection i with seed ``seed + i * step``, in accept
order, so one serial client per server keeps every conversation reproducible.
"""

from __future__ import annotations

import hashlib
import random
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from cryptography.hazmat.primitives import serialization

from tlsconform.certs import PKI
from tlsconform.crypto import prf
from tlsconform.crypto.groups import KeyShare
from tlsconform.crypto.schedule import KeySchedule
from tlsconform.crypto.signatures import sign, tls13_signed_content
from tlsconform.crypto.suites import SUITES, Suite
from tlsconform.messages import extensions as ext
from tlsconform.messages.codec import DecodeError, Reader, u8, u16, vec8, vec16, vec24
from tlsconform.messages.handshake import HELLO_RETRY_RANDOM, frame
from tlsconform.wire.protection import Tls13Protection, key_block_length, tls12_protections

LOOPBACK = "127.0.0.1"
ACCEPT_POLL = 0.1
READ_TIMEOUT = 2.0
CLIENT_TURN = 0.2  # how long a "read" waits for the client's next flight
TLS12, TLS13 = 0x0303, 0x0304


@dataclass
class Hello:
    """What the hostile server read of the client's hello."""

    raw: bytes  # the handshake message
    random: bytes
    session_id: bytes
    suites: list[int]
    shares: dict[int, bytes]
    tls13: bool
    extensions: set[int]

    @classmethod
    def parse(cls, message: bytes) -> Hello:
        r = Reader(message[4:])
        r.u16("version")
        rnd = r.take(32, "random")
        sid = r.vec8("sid")
        suites_raw = r.vec16("suites")
        suites = [
            int.from_bytes(suites_raw[i : i + 2], "big") for i in range(0, len(suites_raw), 2)
        ]
        r.vec8("compression")
        exts = ext.read_block(r, "ClientHello")
        shares: dict[int, bytes] = {}
        body = ext.find(exts, ext.KEY_SHARE)
        if body is not None:
            entries = Reader(Reader(body).vec16("shares"))
            while entries.left:
                group = entries.u16("group")
                shares[group] = entries.vec16("kx")
        versions = ext.find(exts, ext.SUPPORTED_VERSIONS)
        return cls(
            message,
            rnd,
            sid,
            suites,
            shares,
            versions is not None and b"\x03\x04" in versions,
            {t for t, _ in exts},
        )


Action = tuple[str, object]  # ("send", bytes) | ("drip", bytes) | ("pause", seconds)
#     | ("read", None) | ("close", None) | ("reset", None)
#     | ("respond", f): read the client's flight as records, then play f(records)


def u32(n: int) -> bytes:
    return n.to_bytes(4, "big")


def record(content_type: int, body: bytes, version: int = TLS12) -> bytes:
    return bytes([content_type]) + u16(version) + u16(len(body)) + body


class Reply:
    """Draws one hostile reply for one ClientHello.

    ``chaos`` scales the probability of every fault: at 0 a flight is valid and the
    conversation reaches the application phase, where the hostile part comes after the
    handshake; at 2 nearly every message is broken somewhere.
    """

    def __init__(self, rng: random.Random, hello: Hello, pki: PKI) -> None:
        self.rng, self.hello, self.pki = rng, hello, pki
        self.chain = _chain(pki)
        self.key = _key(pki)
        self.chaos = rng.choice([0.0, 0.0, 0.5, 1.0, 2.0])

    # -- building blocks ------------------------------------------------------------
    def junk(self, low: int = 0, high: int = 64) -> bytes:
        return self.rng.randbytes(self.rng.randint(low, high))

    def maybe(self, p: float) -> bool:
        """A structural choice that keeps the reply valid."""
        return self.rng.random() < p

    def fault(self, p: float) -> bool:
        """Whether to break something, scaled by this reply's chaos."""
        return self.rng.random() < p * self.chaos

    def mangle(self, data: bytes) -> bytes:
        """One structural edit of an encoded message: truncate, extend, flip, relength."""
        if not data:
            return self.junk(1, 8)
        choice = self.rng.randrange(5)
        at = self.rng.randrange(len(data))
        if choice == 0:
            return data[:at]
        if choice == 1:
            return data + self.junk(1, 16)
        if choice == 2:
            out = bytearray(data)
            out[at] ^= 1 << self.rng.randrange(8)
            return bytes(out)
        if choice == 3 and len(data) >= 4:  # a handshake length that lies
            return data[:1] + self.rng.randrange(2**24).to_bytes(3, "big") + data[4:]
        return data[:at] + self.junk(0, 8) + data[at:]

    def suite(self, tls13: bool) -> int:
        if self.fault(0.1):
            return self.rng.choice(
                [0x0A0A, 0x0000, 0x1301, 0xC02F, 0xFFFF, 0x0005, 0x009E, 0x1304, 0x0033, 0xC009]
            )
        offered = [
            s
            for s in self.hello.suites
            if s in SUITES
            and SUITES[s].tls13 == tls13
            and SUITES[s].implemented
            and (tls13 or (SUITES[s].kex, SUITES[s].auth) == ("ecdhe", "rsa"))
        ]
        return self.rng.choice(offered) if offered else 0x1301 if tls13 else 0xC02F

    def extensions_block(self, exts: list[tuple[int, bytes]]) -> bytes:
        if self.fault(0.15):
            exts = [
                *exts,
                (self.rng.choice([0, 10, 16, 43, 51, 0xFF01, 23, 65000, 41, 42]), self.junk(0, 12)),
            ]
        if self.fault(0.1):
            self.rng.shuffle(exts)
        block = ext.encode_block(exts)
        return self.mangle(block) if self.fault(0.08) else block

    def server_hello(
        self,
        version: int,
        cipher: int,
        exts: list[tuple[int, bytes]],
        random_bytes: bytes | None = None,
    ) -> bytes:
        rnd = random_bytes or self.rng.randbytes(32)
        sid = self.hello.session_id if not self.fault(0.05) else self.junk(0, 33)
        compression = 0 if not self.fault(0.05) else self.rng.randrange(256)
        body = (
            u16(version)
            + rnd
            + vec8(sid)
            + u16(cipher)
            + u8(compression)
            + self.extensions_block(exts)
        )
        msg = frame(2, body)
        return self.mangle(msg) if self.fault(0.05) else msg

    def certificate(self, tls13: bool) -> bytes:
        ders = self.chain
        if self.fault(0.3):
            choice = self.rng.randrange(4)
            if choice == 0:
                ders = []
            elif choice == 1:
                ders = [self.junk(1, 40)]
            elif choice == 2:
                ders = [ders[0][: self.rng.randrange(1, len(ders[0]))]]
            else:
                ders = ders[::-1]
        if tls13:
            entries = b"".join(vec24(d) + vec16(b"") for d in ders)
            msg = frame(11, vec8(b"") + vec24(entries))
        else:
            msg = frame(11, vec24(b"".join(vec24(d) for d in ders)))
        return self.mangle(msg) if self.fault(0.05) else msg

    def records(self, content_type: int, msgs: list[bytes]) -> bytes:
        """The messages in one record, one record each, or split at random points."""
        data = b"".join(msgs)
        choice = self.rng.randrange(3)
        if choice == 0:
            return record(content_type, data)
        if choice == 1:
            return b"".join(record(content_type, m) for m in msgs)
        out, at = b"", 0
        while at < len(data):
            size = self.rng.randint(1, 300)
            out += record(content_type, data[at : at + size])
            at += size
        return out

    # -- whole replies ------------------------------------------------------------------
    def draw(self) -> list[Action]:
        kinds: list[Callable[[], list[Action]]] = [
            self.garbage,
            self.record_chaos,
            self.timing,
            self.retry,
        ]
        if any(SUITES.get(s) is not None and not SUITES[s].tls13 for s in self.hello.suites):
            kinds += [self.tls12_flight] * 4
        if self.hello.tls13:
            kinds += [self.tls13_flight] * 4
        return self.rng.choice(kinds)()

    def ending(self) -> list[Action]:
        return [
            self.rng.choice(
                [
                    ("close", None),
                    ("reset", None),
                    ("pause", 0.6),
                    ("send", record(21, b"\x02\x28")),
                    ("send", self.junk(1, 9)),
                    ("send", record(21, b"\x01\x00")),
                ]
            )
        ]

    def garbage(self) -> list[Action]:
        return [("send", self.junk(1, 300)), *self.ending()]

    def record_chaos(self) -> list[Action]:
        out = b""
        for _ in range(self.rng.randint(1, 5)):
            content_type = self.rng.choice([20, 21, 22, 23, 24, 0, 25, 255])
            body = self.junk(0, 80)
            if content_type == 22 and self.maybe(0.5):
                body = frame(
                    self.rng.choice([0, 1, 2, 4, 8, 11, 12, 13, 14, 15, 20, 24, 99]),
                    self.junk(0, 40),
                )
            version = self.rng.choice([TLS12, 0x0301, 0x0300, 0x0304, self.rng.randrange(65536)])
            length = len(body) if self.maybe(0.6) else self.rng.randrange(65536)
            out += bytes([content_type]) + u16(version) + u16(length) + body
        return [("send", out), *self.ending()]

    def timing(self) -> list[Action]:
        sh = record(22, self.server_hello(TLS12, self.suite(False), []))
        choice = self.rng.randrange(3)
        if choice == 0:
            return [("drip", sh[: self.rng.randint(1, len(sh))]), *self.ending()]
        if choice == 1:
            return [("pause", 0.6)]
        return [("reset", None)]

    def retry(self) -> list[Action]:
        choice = self.rng.randrange(5)
        shared = next(iter(self.hello.shares), 29)
        group = [shared, 23, 0x0A0A, 99, 24][choice]
        exts = [(ext.SUPPORTED_VERSIONS, u16(TLS13))]
        if choice != 4 or self.maybe(0.5):
            exts.append((ext.KEY_SHARE, u16(group)))
        if self.maybe(0.3):
            exts.append((ext.COOKIE, vec16(self.junk(0, 16))))
        hrr = self.server_hello(TLS12, self.suite(True), exts, HELLO_RETRY_RANDOM)
        second = self.rng.choice(
            [
                [("read", None), ("send", record(22, hrr))],  # a second HelloRetryRequest
                [("read", None), *self.ending()],
                [
                    ("read", None),
                    (
                        "send",
                        record(
                            22,
                            self.server_hello(
                                TLS12, self.suite(True), [(ext.SUPPORTED_VERSIONS, u16(TLS13))]
                            ),
                        ),
                    ),
                ],
            ]
        )
        return [("send", record(22, hrr)), *second]

    # -- TLS 1.2 ----------------------------------------------------------------------
    def tls12_flight(self) -> list[Action]:
        cipher = self.suite(False)
        suite = SUITES.get(cipher)
        ems = ext.EXTENDED_MASTER_SECRET in self.hello.extensions and not self.fault(0.1)
        exts = [(ext.RENEGOTIATION_INFO, vec8(b""))]
        if ems:
            exts.append((ext.EXTENDED_MASTER_SECRET, b""))
        if self.fault(0.05):
            exts.append((ext.SUPPORTED_VERSIONS, u16(self.rng.choice([TLS12, TLS13, 0x0305]))))
        server_random = self.rng.randbytes(32)
        version = TLS12 if not self.fault(0.05) else self.rng.choice([0x0301, TLS13, 0x0300])
        msgs = [self.server_hello(version, cipher, exts, server_random)]
        if not self.fault(0.05):
            msgs.append(self.certificate(False))
        share = KeyShare(29)
        if suite is not None and suite.kex == "ecdhe" and not self.fault(0.05):
            msgs.append(self.server_key_exchange(server_random, share))
        elif self.fault(0.1):
            msgs.append(frame(12, self.junk(0, 40)))
        if self.maybe(0.15):
            msgs.append(frame(13, vec8(b"\x01\x40") + vec16(u16(0x0804)) + vec16(b"")))
        if not self.fault(0.05):
            msgs.append(frame(14, b"" if not self.fault(0.05) else self.junk(1, 4)))
        if self.fault(0.05):
            self.rng.shuffle(msgs)
        flight = self.records(22, msgs)
        if suite is None or suite.kex != "ecdhe" or self.fault(0.2):
            after = self.rng.choice(
                [
                    [("read", None), ("send", record(20, b"\x01") + record(22, self.junk(16, 40)))],
                    [("read", None), ("send", record(20, b"\x01") + record(23, self.junk(0, 60)))],
                    [("read", None), ("send", record(21, self.junk(0, 4)))],
                    [("read", None), *self.ending()],
                    [("send", self.junk(1, 20))],
                ]
            )
            return [("send", flight), *after]
        transcript = self.hello.raw + b"".join(msgs)

        def finish(received: list[tuple[int, bytes]]) -> list[Action]:
            return self.tls12_finish(suite, share, ems, server_random, transcript, received)

        return [("send", flight), ("respond", finish)]

    def server_key_exchange(self, server_random: bytes, share: KeyShare) -> bytes:
        group, public = 29, share.public
        if self.fault(0.1):
            group = self.rng.choice([23, 24, 30, 0x0A0A, 0])
            public = self.junk(0, 70)
        params = u8(3) + u16(group) + vec8(public)
        content = self.hello.random + server_random + params
        signature = sign(0x0804, self.key, content)
        if self.fault(0.1):
            signature = self.mangle(signature)
        scheme = 0x0804 if not self.fault(0.1) else self.rng.choice([0x0403, 0x0201, 0xFFFF])
        msg = frame(12, params + u16(scheme) + vec16(signature))
        return self.mangle(msg) if self.fault(0.05) else msg

    def tls12_finish(
        self,
        suite: Suite,
        share: KeyShare,
        ems: bool,
        server_random: bytes,
        transcript: bytes,
        received: list[tuple[int, bytes]],
    ) -> list[Action]:
        """The server's ChangeCipherSpec and Finished for the client's flight, then life
        after the handshake."""
        plain, protected = b"", []
        seen_ccs = False
        for content_type, body in received:
            if content_type == 20:
                seen_ccs = True
            elif seen_ccs:
                protected.append((content_type, body))
            elif content_type == 22:
                plain += body
        client_public = _client_key_exchange(plain)
        if client_public is None or not protected:
            return self.ending()
        try:
            premaster = share.shared(client_public)
        except Exception:  # the client's share is bad (a mutated flight)
            return self.ending()
        cke_end = _cke_end(plain)
        session_hash = (
            hashlib.new(suite.hash, transcript + plain[:cke_end]).digest() if ems else None
        )
        master = prf.master_secret(
            suite.hash, premaster, self.hello.random, server_random, session_hash
        )
        block = prf.key_block(
            suite.hash, master, self.hello.random, server_random, key_block_length(suite)
        )
        client_write, server_write = tls12_protections(suite, block)
        content_type, body = protected[0]
        try:
            _, client_finished = client_write.open(record(content_type, body))
        except Exception:  # a mutated Finished: a real server would alert
            return [("send", record(21, b"\x02\x14")), *self.ending()]
        transcript += plain + client_finished
        verify = prf.verify_data(
            suite.hash, master, "server", hashlib.new(suite.hash, transcript).digest()
        )
        finished = frame(20, verify if not self.fault(0.15) else self.mangle(verify))
        out = (record(20, b"\x01") if not self.fault(0.05) else b"") + server_write.seal(
            22, finished if not self.fault(0.05) else self.mangle(finished)
        )
        return [
            ("send", out),
            ("read", None),
            *self.application(lambda t, b: server_write.seal(t, b)),
        ]

    # -- TLS 1.3 ----------------------------------------------------------------------
    def tls13_flight(self) -> list[Action]:
        cipher = self.suite(True)
        suite = SUITES.get(cipher)
        client_share = self.hello.shares.get(29)
        if suite is None or not suite.tls13 or client_share is None:
            return self.record_chaos()
        share = KeyShare(29)
        key_share = u16(29) + vec16(share.public)
        if self.fault(0.08):
            key_share = u16(self.rng.choice([23, 29, 0x0A0A])) + vec16(self.junk(0, 40))
        exts = [(ext.SUPPORTED_VERSIONS, u16(TLS13)), (ext.KEY_SHARE, key_share)]
        if self.fault(0.05):
            exts = exts[:1]
        sh = self.server_hello(TLS12, cipher, exts)
        transcript = self.hello.raw + sh
        schedule = KeySchedule(suite.hash)
        try:
            schedule.enter_handshake(share.shared(client_share))
        except Exception:  # the client's own share is bad (a mutated hello): plain chaos
            return [("send", record(22, sh)), *self.ending()]
        digest = hashlib.new(suite.hash, transcript).digest()
        _, s_hs = schedule.handshake_traffic_secrets(digest)
        keys = schedule.traffic_keys(s_hs, suite.key_len)
        sealer = Tls13Protection(suite, keys.key, keys.iv)
        msgs = [frame(8, vec16(b"")), self.certificate(True)]
        if self.fault(0.3):
            msgs[0] = frame(
                8, self.extensions_block([(self.rng.choice([0, 16, 42, 51, 43]), self.junk(0, 6))])
            )
        for msg in msgs:
            transcript += msg
        cv_content = tls13_signed_content("server", hashlib.new(suite.hash, transcript).digest())
        signature = sign(0x0804, self.key, cv_content)
        if self.fault(0.1):
            signature = self.mangle(signature)
        cv = frame(15, u16(0x0804) + vec16(signature))
        msgs.append(cv)
        transcript += cv
        finished = schedule.finished(s_hs, hashlib.new(suite.hash, transcript).digest())
        if self.fault(0.1):
            finished = self.mangle(finished)
        msgs.append(frame(20, finished))
        transcript += msgs[-1]
        if self.fault(0.2):
            extra = self.rng.choice(
                [
                    frame(4, self.junk(0, 20)),
                    frame(24, b"\x01"),
                    frame(99, b""),
                    frame(14, b""),
                    frame(13, self.junk(0, 9)),
                ]
            )
            msgs.insert(self.rng.randrange(len(msgs) + 1), extra)
        if self.fault(0.1):
            at = self.rng.randrange(len(msgs))
            msgs[at] = self.mangle(msgs[at])
        inner = (
            [sealer.seal(22, m) for m in msgs]
            if self.maybe(0.7)
            else [sealer.seal(22, b"".join(msgs))]
        )
        if self.fault(0.1):
            inner.insert(
                self.rng.randrange(len(inner) + 1),
                sealer.seal(self.rng.choice([21, 23, 20, 0, 30]), self.junk(0, 4)),
            )
        if self.fault(0.05):
            inner.append(record(21, b"\x02\x32"))
        ccs = record(20, b"\x01") if self.maybe(0.5) else b""
        flight = record(22, sh) + ccs + b"".join(inner)
        if self.fault(0.1):
            flight = flight[: self.rng.randrange(len(flight))]
        schedule.enter_master()
        _, s_ap = schedule.application_traffic_secrets(hashlib.new(suite.hash, transcript).digest())
        app_keys = schedule.traffic_keys(s_ap, suite.key_len)
        app = Tls13Protection(suite, app_keys.key, app_keys.iv)
        return [
            ("send", flight),
            ("respond", lambda received: [("read", None), *self.application(app.seal)]),
        ]

    # -- after the handshake --------------------------------------------------------------
    def application(self, seal: Callable[[int, bytes], bytes]) -> list[Action]:
        """What follows the server's Finished: tickets, key updates, a reply, closes, junk."""
        out: list[Action] = []
        for _ in range(self.rng.randint(1, 3)):
            choice = self.rng.randrange(10)
            if choice == 0:
                body = frame(
                    4,
                    u32(7200)
                    + u32(self.rng.randrange(2**32))
                    + vec8(b"n")
                    + vec16(self.junk(1, 40))
                    + vec16(b""),
                )
                out.append(("send", seal(22, body if not self.fault(0.3) else self.mangle(body))))
            elif choice == 1:
                out.append(("send", seal(22, frame(24, bytes([self.rng.choice([0, 1, 5])])))))
            elif choice in (2, 3, 4):
                out.append(("send", seal(23, b"HTTP/1.0 200 OK\r\n\r\nhello")))
            elif choice == 5:
                out.append(("send", seal(21, b"\x01\x00")))
            elif choice == 6:
                out.append(("send", seal(self.rng.choice([20, 21, 22, 24, 0]), self.junk(0, 6))))
            elif choice == 7:
                out.append(
                    ("send", seal(22, frame(self.rng.choice([0, 1, 2, 20, 11]), self.junk(0, 30))))
                )
            elif choice == 8:
                out.append(("send", self.junk(1, 30)))
            else:
                out.append(("send", record(23, self.junk(0, 40))))
        return [*out, *self.ending()]


def _client_key_exchange(handshake: bytes) -> bytes | None:
    """The ECDH public value in the client's ClientKeyExchange, if it sent one."""
    end = _cke_end(handshake)
    if end == 0:
        return None
    body = handshake[_cke_start(handshake) + 4 : end]
    try:
        return Reader(body).vec8("public")
    except DecodeError:
        return None


def _cke_start(handshake: bytes) -> int:
    """Where the client's ClientKeyExchange starts in its handshake bytes (-1: none)."""
    at = 0
    while at + 4 <= len(handshake):
        if handshake[at] == 16:
            return at
        at += 4 + int.from_bytes(handshake[at + 1 : at + 4], "big")
    return -1


def _cke_end(handshake: bytes) -> int:
    """Where the client's ClientKeyExchange ends (0: none, or cut short)."""
    start = _cke_start(handshake)
    if start < 0:
        return 0
    end = start + 4 + int.from_bytes(handshake[start + 1 : start + 4], "big")
    return end if end <= len(handshake) else 0


@cache
def _chain(pki: PKI) -> list[bytes]:
    from cryptography import x509

    certs = x509.load_pem_x509_certificates(pki.chain("server-rsa").read_bytes())
    return [c.public_bytes(serialization.Encoding.DER) for c in certs]


@cache
def _key(pki: PKI) -> object:
    return serialization.load_pem_private_key(pki.key("server-rsa").read_bytes(), None)


class HostileServer:
    """Serves connection i with seed ``seed + i * step``; a context manager that stops."""

    def __init__(self, pki: PKI, seed: int, step: int = 1) -> None:
        self.pki, self.seed, self.step = pki, seed, step
        self.count = 0
        self.errors: list[str] = []  # the server's own failures (they do not count)
        self._stop = threading.Event()
        self._listener = socket.create_server((LOOPBACK, 0))
        self._listener.settimeout(ACCEPT_POLL)
        self.address = self._listener.getsockname()[:2]
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            seed = self.seed + self.count * self.step
            self.count += 1
            threading.Thread(target=self._serve, args=(conn, seed), daemon=True).start()

    def _serve(self, conn: socket.socket, seed: int) -> None:
        try:
            conn.settimeout(READ_TIMEOUT)
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            hello = Hello.parse(_read_handshake(conn))
            actions = Reply(random.Random(seed), hello, self.pki).draw()
            while actions:
                action, arg = actions.pop(0)
                if action == "respond":
                    actions = arg(_read_flight(conn)) + actions  # type: ignore[operator]
                elif not self._act(conn, action, arg):
                    return
        except Exception as exc:  # the server's own trouble: noted, never the client's
            self.errors.append(f"seed {seed}: {type(exc).__name__}: {exc}")
        finally:
            try:
                conn.close()
            except OSError:
                pass

    @staticmethod
    def _act(conn: socket.socket, action: str, arg: object) -> bool:
        """One step; False when the connection is over."""
        try:
            if action == "send":
                conn.sendall(arg)  # type: ignore[arg-type]
            elif action == "drip":
                for i in range(len(arg)):  # type: ignore[arg-type]
                    conn.sendall(arg[i : i + 1])  # type: ignore[index]
                    time.sleep(0.002)
            elif action == "pause":
                time.sleep(arg)  # type: ignore[arg-type]
            elif action == "read":  # whatever the client sends next, if it sends soon
                conn.settimeout(CLIENT_TURN)
                try:
                    conn.recv(65536)
                except TimeoutError:
                    pass
                conn.settimeout(READ_TIMEOUT)
            elif action == "reset":
                conn.setsockopt(
                    socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00"
                )
                return False
            elif action == "close":
                return False
        except OSError:
            return False
        return True

    def stop(self) -> None:
        self._stop.set()
        self._listener.close()
        self._thread.join(2)

    def __enter__(self) -> HostileServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _read_flight(conn: socket.socket) -> list[tuple[int, bytes]]:
    """The client's records up to its first protected one (its Finished), or what came
    before it closed or went quiet."""
    records: list[tuple[int, bytes]] = []
    buffer = b""
    deadline = time.monotonic() + READ_TIMEOUT
    protected = False
    while time.monotonic() < deadline:
        while len(buffer) >= 5 and len(buffer) >= 5 + int.from_bytes(buffer[3:5], "big"):
            end = 5 + int.from_bytes(buffer[3:5], "big")
            records.append((buffer[0], buffer[5:end]))
            protected = (
                protected
                or buffer[0] == 23
                or (any(t == 20 for t, _ in records[:-1]) and buffer[0] == 22)
            )
            buffer = buffer[end:]
        if protected:
            return records
        try:
            chunk = conn.recv(65536)
        except OSError:
            return records
        if not chunk:
            return records
        buffer += chunk
    return records


def _read_handshake(conn: socket.socket) -> bytes:
    """The client's first handshake message, whole, from however many records."""
    data = b""
    buffer = b""
    while True:
        while len(buffer) < 5:
            chunk = conn.recv(65536)
            if not chunk:
                raise ConnectionError("closed before the ClientHello")
            buffer += chunk
        length = int.from_bytes(buffer[3:5], "big")
        while len(buffer) < 5 + length:
            chunk = conn.recv(65536)
            if not chunk:
                raise ConnectionError("closed inside the ClientHello")
            buffer += chunk
        data += buffer[5 : 5 + length]
        buffer = buffer[5 + length :]
        if len(data) >= 4 and len(data) >= 4 + int.from_bytes(data[1:4], "big"):
            return data[: 4 + int.from_bytes(data[1:4], "big")]
