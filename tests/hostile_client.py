"""A seeded hostile TLS client: whatever the suite's server side reads, it must end in a
verdict. Each seed picks a ClientHello (a real one, or a broken copy of it) and what
follows it (nothing, random records, a random alert, raw noise), then closes."""

from __future__ import annotations

import random
import socket
import struct
import threading

from tlsconform.client import hello
from tlsconform.client.offer import TLS12, TLS13, tls12, tls13

CONTENT_TYPES = (20, 21, 22, 23, 24, 0, 255)


def client_hello(rng: random.Random) -> bytes:
    """A real ClientHello message offering TLS 1.3 and 1.2, or one version."""
    kind = rng.randrange(3)
    offer = tls13("localhost") if kind == 0 else tls12("localhost") if kind == 1 else \
        tls13("localhost").with_(supported_versions=[TLS13, TLS12],
                                 ciphers=tls13().ciphers + tls12().ciphers)
    return hello.client_hello(offer, rng.randbytes(32), {})


def broken(rng: random.Random, message: bytes) -> bytes:
    """The message flipped, cut, lengthened or with a length field that lies."""
    data = bytearray(message)
    choice = rng.randrange(5)
    if choice == 0:
        for _ in range(rng.randrange(1, 6)):
            data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
    elif choice == 1:
        data = data[:rng.randrange(len(data))]
    elif choice == 2:
        data += rng.randbytes(rng.randrange(1, 40))
    elif choice == 3:
        at = rng.randrange(1, min(len(data), 120))
        data[at] = rng.randrange(256)
    return bytes(data)


def record(content_type: int, body: bytes, version: int = 0x0303) -> bytes:
    return struct.pack("!BHH", content_type, version, len(body)) + body


def conversation(seed: int) -> list[bytes]:
    """What the client sends, as separate writes."""
    rng = random.Random(seed)
    message = client_hello(rng)
    if rng.random() < 0.6:
        message = broken(rng, message)
    writes = [record(22, message, rng.choice((0x0301, 0x0303)))]
    for _ in range(rng.randrange(4)):
        kind = rng.randrange(4)
        if kind == 0:
            writes.append(record(rng.choice(CONTENT_TYPES), rng.randbytes(rng.randrange(64))))
        elif kind == 1:
            writes.append(record(21, bytes([rng.choice((1, 2, 7)), rng.randrange(256)])))
        elif kind == 2:
            writes.append(rng.randbytes(rng.randrange(1, 30)))
        else:
            writes.append(record(22, bytes([rng.randrange(256)]) + rng.randbytes(40)))
    return writes


class HostileClient:
    """Connects, sends the seed's writes (reading whatever comes in between), closes."""

    def __init__(self, host: str, port: int, seed: int) -> None:
        self.thread = threading.Thread(target=self.run, args=(host, port, seed), daemon=True)
        self.thread.start()

    def run(self, host: str, port: int, seed: int) -> None:
        try:
            with socket.create_connection((host, port), timeout=1.0) as sock:
                for data in conversation(seed):
                    sock.sendall(data)
                    sock.settimeout(0.02)
                    try:
                        sock.recv(65536)
                    except OSError:
                        pass
        except OSError:
            return

    def stop(self, grace: float = 1.0) -> str:
        self.thread.join(grace)
        return "hostile client"


