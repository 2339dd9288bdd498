"""Words about the record layer under the server's messages, and how the server answers
the request and ends the connection."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tlsconform.client.words.messages import flip_bit
from tlsconform.mutation import FlightEdit, MessageEdit, Mutation
from tlsconform.server.words.signed import server_phrase
from tlsconform.wire.outgoing import APPLICATION_DATA, CHANGE_CIPHER_SPEC, Flight, Outgoing
from tlsconform.wire.records import MAX_PLAINTEXT

if TYPE_CHECKING:
    from tlsconform.server.driver import ServerDriver
    from tlsconform.wire.sealing import Sealer

__all__ = [
    "alert_instead_of_flight",
    "application_data_before",
    "coalesce_server",
    "corrupt_server_record",
    "empty_application_data_before_response",
    "empty_handshake_record_before",
    "fragment_server",
    "interleaved_in",
    "key_update_before_response",
    "no_close_notify",
    "oversized_response",
    "protected_ccs",
    "server_record",
    "server_record_before",
    "truncated_response",
]

TLS12 = 0x0303


def fragment_server(name: str, *cuts: int) -> Mutation:
    """Split the server's ``name`` across records after the given offsets (RFC 8446 5.1,
    RFC 5246 6.2.1 allow it: the client must reassemble)."""
    label = f"{server_phrase(name)} split at {list(cuts)}"
    return MessageEdit(label, name, lambda item, hs: [item.with_(fragments=cuts, label=label)])


def coalesce_server(stage: str = "server-hello") -> Mutation:
    """Every run of same-type messages of the flight in one record."""

    def edit(flight: Flight, hs: ServerDriver) -> Flight:
        # A message after which the keys change ends its record: RFC 8446 5.1, handshake
        # messages MUST NOT span key changes (ServerHello, then protected messages).
        return [item.with_(join=item.after is None) for item in flight[:-1]] + flight[-1:]

    return FlightEdit(f"the server's {stage} flight coalesced", stage, edit)


def corrupt_server_record(name: str, byte: int = -1) -> Mutation:
    """One bit of the sealed record carrying ``name`` flipped: its tag no longer verifies."""
    label = f"record of {server_phrase(name)} with a flipped bit at byte {byte}"
    return MessageEdit(label, name,
                       lambda item, hs: [item.with_(tamper=flip_bit(byte), label=label)])


def server_record(content_type: int, body: bytes = b"", protected: bool = False,
                  inner_type: int | None = None, padding: int = 0, version: int = TLS12,
                  name: str | None = None) -> Outgoing:
    """One record exactly as described, sealed under the server's current write keys or
    in plaintext (TLS 1.3 ``inner_type`` and ``padding`` shape the inner plaintext)."""
    shown = name or f"record of content type {content_type}"

    def seal(sealer: Sealer) -> bytes:
        return sealer.record(content_type, body, version, protected=protected,
                             inner_type=inner_type, padding=padding)

    return Outgoing(shown, lambda: b"", record=seal, label=shown)


def server_record_before(name: str, record: Outgoing, stage: str = "server-hello"
                         ) -> Mutation:
    """Send ``record`` right before the server's ``name`` (at the flight's end when the
    flight has no such message)."""

    def edit(flight: Flight, hs: ServerDriver) -> Flight:
        names = [item.name for item in flight]
        at = names.index(name) if name in names else len(flight)
        return [*flight[:at], record, *flight[at:]]

    return FlightEdit(f"{record.shown} before {server_phrase(name)}", stage, edit)


def application_data_before(name: str, stage: str = "server-hello") -> Mutation:
    """Application data where a handshake message is due (RFC 5246 6, RFC 8446 5)."""
    item = Outgoing("ApplicationData", lambda: b"HTTP/1.0 200 OK\r\n\r\n",
                    content_type=APPLICATION_DATA,
                    label=f"application data before {server_phrase(name)}")
    return server_record_before(name, item, stage)


def protected_ccs() -> Mutation:
    """TLS 1.3: a ChangeCipherSpec under the handshake keys, after EncryptedExtensions
    (RFC 8446 5: a protected change_cipher_spec record is an unexpected_message)."""
    item = Outgoing("ChangeCipherSpec", lambda: b"\x01", content_type=CHANGE_CIPHER_SPEC,
                    protected=True, transcript=False, label="encrypted ChangeCipherSpec")

    def edit(flight: Flight, hs: ServerDriver) -> Flight:
        names = [i.name for i in flight]
        at = names.index("EncryptedExtensions") + 1 if "EncryptedExtensions" in names \
            else len(flight)
        return [*flight[:at], item, *flight[at:]]

    return FlightEdit("encrypted ChangeCipherSpec after EncryptedExtensions", "server-hello",
                      edit)


def oversized_response(size: int = MAX_PLAINTEXT + 1) -> Mutation:
    """The response in one record of ``size`` plaintext bytes (above 2^14: RFC 8446 5.1,
    RFC 5246 6.2.1)."""
    label = f"response in one record of {size} plaintext bytes"

    def edit(flight: Flight, hs: ServerDriver) -> Flight:
        body = b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\n"
        return [Outgoing("ApplicationData", lambda: body + b"A" * (size - len(body)),
                         content_type=APPLICATION_DATA, label=label)]

    return FlightEdit(label, "response", edit)


def no_close_notify() -> Mutation:
    """The server closes without close_notify."""
    return FlightEdit("the server closes without close_notify", "closing",
                      lambda flight, hs: [])


def truncated_response() -> Mutation:
    """A response whose Content-Length promises more than is sent, then a close without
    close_notify: a truncation (RFC 8446 6.1, RFC 5246 7.2.1)."""
    label = "response cut short (Content-Length 1000, 20 bytes sent)"

    def edit(flight: Flight, hs: ServerDriver) -> Flight:
        body = b"HTTP/1.0 200 OK\r\nContent-Length: 1000\r\n\r\n" + b"B" * 20
        return [Outgoing("ApplicationData", lambda: body, content_type=APPLICATION_DATA,
                         label=label)]

    return FlightEdit(label, "response", edit)


def empty_application_data_before_response() -> Mutation:
    """A zero-length application data record before the response (RFC 8446 5.1 allows
    them as a traffic analysis countermeasure)."""
    item = Outgoing("ApplicationData", lambda: b"", content_type=APPLICATION_DATA,
                    label="zero-length application data before the response")

    def edit(flight: Flight, hs: ServerDriver) -> Flight:
        names = [i.name for i in flight]
        at = names.index("ApplicationData") if "ApplicationData" in names else len(flight)
        return [*flight[:at], item, *flight[at:]]

    return FlightEdit(item.label, "response", edit)


def empty_handshake_record_before(name: str) -> Mutation:
    """A handshake record with no bytes at all before ``name`` (RFC 8446 5.1, RFC 5246
    6.2.1: implementations MUST NOT send zero-length handshake fragments)."""
    record = Outgoing("Handshake", lambda: b"", label="zero-length handshake record",
                      record=lambda sealer: sealer.record(22, b"", TLS12,
                                                          protected=sealer.conn.write.protected))
    return server_record_before(name, record)


def interleaved_in(name: str, cut: int) -> Mutation:
    """``name`` split after ``cut`` bytes with an application data record between its two
    fragments (RFC 8446 5.1: handshake messages MUST NOT be interleaved with other record
    types)."""
    label = f"{server_phrase(name)} split at {cut} by an application data record"

    def seal(sealer: Sealer) -> bytes:
        return sealer.record(APPLICATION_DATA, b"interleaved", TLS12,
                             protected=sealer.conn.write.protected)

    return MessageEdit(label, name, lambda item, hs: [
        item.with_(fragments=(cut,), interleave=seal, label=label)])


def key_update_before_response(request_update: int = 0) -> Mutation:
    """TLS 1.3: a KeyUpdate after the handshake, then the response under the next keys
    (RFC 8446 4.6.3); ``request_update`` 2 is no defined value."""
    from tlsconform.messages.client_messages import key_update
    from tlsconform.server.flights import ServerFlights

    label = f"KeyUpdate (request_update {request_update}) before the response"
    item = Outgoing("KeyUpdate", lambda: key_update(request_update), transcript=False,
                    after=ServerFlights.next_write_keys, label=label)

    def edit(flight: Flight, hs: ServerDriver) -> Flight:
        names = [i.name for i in flight]
        at = names.index("ApplicationData") if "ApplicationData" in names else len(flight)
        return [*flight[:at], item, *flight[at:]]

    return FlightEdit(label, "response", edit)


def alert_instead_of_flight(description: int, level: int = 2) -> Mutation:
    """The server answers the ClientHello with an alert and nothing else."""
    from tlsconform.messages.alerts import alert_name

    label = f"{'fatal' if level == 2 else 'warning'} alert {alert_name(description)} " \
            "instead of ServerHello"
    item = Outgoing("Alert", lambda: bytes([level, description]), content_type=21,
                    label=label)
    return FlightEdit(label, "server-hello", lambda flight, hs: [item])
