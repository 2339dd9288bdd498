"""Turning one outgoing message into record bytes, whichever way a mutation asks.

Normal messages go through scapy's ``raw_stateful`` exactly once (notes, trap 1). The
exceptions each keep the session right: re-encoded messages bypass it entirely, a
plaintext record under TLS 1.3 keys is framed here, and a protected message split
across records is sealed slice by slice but recorded once.
"""

from __future__ import annotations

from itertools import pairwise
from typing import ClassVar

from scapy.fields import StrField
from scapy.layers.tls.crypto.cipher_stream import Cipher_NULL
from scapy.layers.tls.handshake import _TLSHandshake
from scapy.layers.tls.record import TLSAlert, TLSApplicationData, TLSChangeCipherSpec
from scapy.packet import Packet

from tlsconform.connection import Connection
from tlsconform.events import message_name
from tlsconform.flight import Outgoing, fragment_record
from tlsconform.offer import TLS12

CONTENT_TYPE = {TLSChangeCipherSpec: 20, TLSAlert: 21, TLSApplicationData: 23}
HANDSHAKE = 22


class HandshakeFragment(_TLSHandshake):
    """A slice of an encoded handshake message, sent as-is in a handshake record.

    scapy sends a bare Raw as application data (notes, trap 9); as a handshake class
    this goes out with content type 22, and it leaves the transcript alone: the whole
    message is recorded once, after its last fragment.
    """

    name = "TLS Handshake - fragment"
    fields_desc: ClassVar[list[StrField]] = [StrField("data", b"")]

    def post_build(self, p: bytes, pay: bytes) -> bytes:
        return p + pay

    def tls_session_update(self, msg_str: bytes) -> None:
        return None

    def post_build_tls_session_update(self, msg_str: bytes) -> None:
        return None


class Sealer:
    """Seals outgoing messages on one connection."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def seal(self, item: Outgoing, version: int, tls13: bool) -> bytes:
        """The record bytes for ``item`` at record-layer ``version``."""
        msg = item.build()
        if item.fragments and item.encode is None and self.protected(item, tls13):
            return self.seal_fragments(msg, item.fragments, tls13)
        if item.encode is not None:
            record = frame(CONTENT_TYPE.get(type(msg), HANDSHAKE), version,
                           item.encode(bytes(msg)))
        elif item.encrypted and tls13:
            record = self.conn.seal_encrypted(msg)
        elif tls13 and self.keys_active():
            # scapy would protect it TLS 1.2-style under the TLS 1.3 keys: frame it ourselves.
            record = frame(CONTENT_TYPE.get(type(msg), HANDSHAKE), version,
                           self.record_message(msg))
        else:
            record = self.conn.seal_plaintext(msg, version=version)
        if item.fragments:
            record = fragment_record(record, item.fragments)
        return record

    def keys_active(self) -> bool:
        """Whether our write side has switched to record protection."""
        return not isinstance(self.conn.session.wcs.cipher, Cipher_NULL)

    def protected(self, item: Outgoing, tls13: bool) -> bool:
        """Whether ``item`` travels under record protection (so it cannot be re-framed)."""
        return item.encrypted if tls13 else self.keys_active()

    def record_message(self, msg: Packet) -> bytes:
        """Encode ``msg`` and let the session account for it (transcript, key schedule)
        as a record carrying it would; the caller frames or seals the bytes."""
        session = self.conn.session
        msg.tls_session = session
        encoded = msg.raw_stateful()
        msg.post_build_tls_session_update(encoded)
        if session.triggered_pwcs_commit and session.pwcs is not None:
            # A record would switch keys right after itself (TLS 1.3 client Finished).
            session.wcs, session.pwcs = session.pwcs, None
            session.triggered_pwcs_commit = False
        return encoded

    def seal_fragments(self, msg: Packet, cuts: tuple[int, ...], tls13: bool) -> bytes:
        """One protected handshake message cut into several records at ``cuts``.

        Each slice is sealed under the current write keys; the session accounts for the
        whole message only after the last slice, as it would for a single record.
        """
        session = self.conn.session
        msg.tls_session = session
        encoded = msg.raw_stateful()
        bounds = [0, *sorted(c for c in cuts if 0 < c < len(encoded)), len(encoded)]
        records = b""
        for start, end in pairwise(bounds):
            piece = HandshakeFragment(data=encoded[start:end])
            records += (self.conn.seal_encrypted(piece) if tls13
                        else self.conn.seal_plaintext(piece, version=TLS12))
        if self.record_message(msg) != encoded:
            raise AssertionError(f"{message_name(msg)} encoded differently the second time")
        return records


def frame(content_type: int, version: int, body: bytes) -> bytes:
    """A plaintext record around ``body``."""
    return bytes([content_type]) + version.to_bytes(2, "big") + len(body).to_bytes(2, "big") + body
