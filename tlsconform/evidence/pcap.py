"""A pcap of a row's conversations: the bytes as they went over the wire, each connection
a TCP stream of its own (client 127.0.0.1, a high port, to the target's port; for a
client row the suite is the server, on the port it listened on), with a
handshake, sequence numbers and acknowledgements that let Wireshark reassemble the TLS
stream. The IP and TCP framing is synthetic; the TLS bytes are the real ones.

scapy is imported here only, when evidence is written: never on the engine's path."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

from tlsconform.evidence.conversations import conversations
from tlsconform.verdict.outcome import Outcome
from tlsconform.wire.events import Reset

SEGMENT = 1400  # bytes of TLS per synthetic TCP segment
CLIENT = "127.0.0.1"
MAC_CLIENT, MAC_SERVER = "02:00:00:00:00:01", "02:00:00:00:00:02"


class _Stream:
    """One TCP connection's packets, with each side's next sequence number."""

    def __init__(self, server: str, sport: int, dport: int, start: float) -> None:
        from scapy.layers.inet import IP, TCP
        from scapy.layers.l2 import Ether

        self.ether, self.ip, self.tcp = Ether, IP, TCP
        self.server, self.sport, self.dport = server, sport, dport
        self.seq = {"sent": 1000, "received": 5000}
        self.time = start
        self.packets: list = []

    def packet(self, direction: str, flags: str, payload: bytes = b"") -> None:
        other = "received" if direction == "sent" else "sent"
        if direction == "sent":
            frame = self.ether(src=MAC_CLIENT, dst=MAC_SERVER) / self.ip(
                src=CLIENT, dst=self.server) / self.tcp(sport=self.sport, dport=self.dport)
        else:
            frame = self.ether(src=MAC_SERVER, dst=MAC_CLIENT) / self.ip(
                src=self.server, dst=CLIENT) / self.tcp(sport=self.dport, dport=self.sport)
        frame[self.tcp].flags = flags
        frame[self.tcp].seq = self.seq[direction]
        frame[self.tcp].ack = self.seq[other] if "A" in flags else 0
        frame[self.tcp].window = 65535
        if payload:
            frame = frame / payload
        frame.time = self.time
        self.time += 0.0001
        self.packets.append(frame)
        self.seq[direction] += len(payload) + (1 if "S" in flags or "F" in flags else 0)

    def data(self, direction: str, data: bytes) -> None:
        for start in range(0, len(data), SEGMENT):
            self.packet(direction, "PA", data[start:start + SEGMENT])


def _ended_by_reset(outcome: Outcome) -> bool:
    ends = [outcome.event, outcome.after, *outcome.closure]
    return any(isinstance(event, Reset) for event in ends)


def packets(outcome: Outcome, server: str = "127.0.0.2", port: int = 443,
            seed: int | None = None) -> Iterator[object]:
    """Every packet of every connection of the row, in order."""
    ports = random.Random(seed).sample(range(49152, 65535), 2)
    start = 1_700_000_000.0
    for index, conversation in enumerate(conversations(outcome)):
        stream = _Stream(server, ports[index], port, start + index)
        stream.packet("sent", "S")
        stream.packet("received", "SA")
        stream.packet("sent", "A")
        # The stream's "sent" is client to server: a client row's bytes we sent are the
        # server's (the suite played the server), so they flow the other way.
        ours = "received" if conversation.outcome.peer == "client" else "sent"
        theirs = "sent" if ours == "received" else "received"
        for direction, data in conversation.outcome.chunks:
            stream.data(ours if direction == "sent" else theirs, data)
        if _ended_by_reset(conversation.outcome):
            stream.packet(theirs, "R")
        else:
            stream.packet("sent", "FA")
            stream.packet("received", "FA")
            stream.packet("sent", "A")
        yield from stream.packets


def write_pcap(path: Path, outcome: Outcome, server: str = "127.0.0.2", port: int = 443) -> None:
    from scapy.utils import wrpcap

    wrpcap(str(path), list(packets(outcome, server, port)))
