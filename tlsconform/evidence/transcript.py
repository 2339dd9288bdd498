"""A readable transcript of a row's conversations: each record in the order it went over
the wire (direction, content type, version, length, the messages it held), what the
client sent and read, the row's mutation words marked as what was changed, and the
verdict."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from tlsconform.evidence.conversations import Conversation, conversations
from tlsconform.messages.handshake import message_name
from tlsconform.verdict.outcome import Outcome, version_name
from tlsconform.wire.connection import CONTENT_TYPE_NAMES, HANDSHAKE, RecordInfo
from tlsconform.wire.records import HEADER_LEN, header_problem

CHANGED = "  <== changed by the row"
ARROWS = {"sent": "client >>", "received": "server <<"}
SERVER_ARROWS = {"sent": "server >>", "received": "client <<"}  # client rows: we serve


def _arrows(outcome: Outcome) -> dict[str, str]:
    return SERVER_ARROWS if outcome.peer == "client" else ARROWS


def _us(outcome: Outcome) -> str:
    return "server" if outcome.peer == "client" else "client"


def _type(code: int) -> str:
    return f"{CONTENT_TYPE_NAMES.get(code, 'undefined')}({code})"


def _handshake_names(body: bytes) -> str:
    """The names of the handshake messages that start in a plaintext record's body (a
    fragment that does not start one reads as a continuation)."""
    names, at = [], 0
    while at + 4 <= len(body):
        names.append(message_name(body[at]))
        at += 4 + int.from_bytes(body[at + 1:at + 4], "big")
    return ", ".join(names) if names else "continuation"


def _record_line(record: bytes, info: RecordInfo | None, protected: bool) -> str:
    content_type, length = record[0], len(record) - HEADER_LEN
    line = (f"{_type(content_type):<22} {version_name(int.from_bytes(record[1:3], 'big')):<8} "
            f"{length:>6} bytes")
    if info is not None and info.protected:
        inner = _type(info.inner_type) if info.inner_type is not None else "did not open"
        return f"{line}  protected: {inner}" + (
            f", {info.plaintext_length} bytes" if info.plaintext_length is not None else "")
    if protected:
        return f"{line}  protected"
    if content_type == HANDSHAKE:
        return f"{line}  {_handshake_names(record[HEADER_LEN:])}"
    return line


class _Side:
    """One direction's byte stream, cut into records as its bytes come."""

    def __init__(self) -> None:
        self.buffer = b""
        self.broken = False
        self.protected = False  # records after this side's ChangeCipherSpec

    def feed(self, data: bytes) -> Iterator[bytes]:
        self.buffer += data
        while not self.broken and len(self.buffer) >= HEADER_LEN:
            if header_problem(self.buffer[:HEADER_LEN]):
                self.broken = True
                break
            end = HEADER_LEN + int.from_bytes(self.buffer[3:5], "big")
            if len(self.buffer) < end:
                break
            record, self.buffer = self.buffer[:end], self.buffer[end:]
            yield record


def _records(conversation: Conversation) -> Iterator[str]:
    """Each chunk of bytes, in wire order, with the records it completes."""
    outcome = conversation.outcome
    arrows = _arrows(outcome)
    sides = {"sent": _Side(), "received": _Side()}
    sends = iter([w.what for w in outcome.wire if w.direction == "sent"])
    received = iter(outcome.records)
    for direction, data in outcome.chunks:
        side = sides[direction]
        if direction == "sent":
            what = next(sends, "bytes")
            changed = any(" " in part for part in what.split(", "))
            yield f"{arrows[direction]} {what} ({len(data)} bytes){CHANGED if changed else ''}"
        else:
            yield f"{arrows[direction]} {len(data)} bytes"
        for record in side.feed(data):
            line = _record_line(record, None, side.protected)
            if direction == "received":
                info = next(received, None)
                line = _record_line(record, info, False) if info else f"{line}  (not read)"
            yield f"      {line}"
            if record[0] == 20:
                side.protected = True
        if side.broken and side.buffer:
            yield f"      {len(side.buffer)} bytes that do not start a TLS record"
            side.buffer = b""


def _events(outcome: Outcome) -> Iterator[str]:
    arrows = _arrows(outcome)
    for line in outcome.wire:
        yield f"{arrows[line.direction]} {line.what}"


def _conversation(conversation: Conversation) -> list[str]:
    outcome = conversation.outcome
    lines = [f"== {conversation.title} ==", "", "records, in the order they went over the wire:"]
    lines += list(_records(conversation)) or ["  none"]
    lines += ["", f"what the {_us(outcome)} sent and read:"]
    lines += list(_events(outcome)) or ["  nothing"]
    if outcome.renegotiation is not None:  # its messages are in this connection's log
        lines.append(f"renegotiation: {outcome.renegotiation.describe()}")
    if outcome.sent_alert is not None:
        lines.append(f"{_us(outcome)}'s alert: {outcome.sent_alert.describe()}")
    lines += ["", f"outcome: {outcome.describe()}", ""]
    return lines


def transcript(name: str, outcome: Outcome, mutations: Sequence[object] = (),
               verdict: str = "") -> str:
    """The whole text: header, the changes the row made, every connection, the verdict."""
    lines = [f"tlsconform transcript: {name}", ""]
    if mutations:
        lines.append("changed by the row (its mutation words; sends marked <== below):")
        lines += [f"  * {mutation!r}" for mutation in mutations]
    else:
        lines.append("changed by the row: nothing (a plain conversation)")
    lines.append("")
    for conversation in conversations(outcome):
        lines += _conversation(conversation)
    if verdict:
        lines += ["verdict:", *(f"  {line}" for line in verdict.splitlines()), ""]
    return "\n".join(lines)
