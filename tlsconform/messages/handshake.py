"""Handshake message framing and names (RFC 8446 4, B.3; RFC 5246 7.4).

``HandshakeBuffer`` reassembles messages from handshake records, so a message split
across records or several messages in one record come out whole and one at a time.
"""

from __future__ import annotations

from dataclasses import dataclass

from tlsconform.messages.codec import u24

HELLO_REQUEST, CLIENT_HELLO, SERVER_HELLO = 0, 1, 2
NEW_SESSION_TICKET, END_OF_EARLY_DATA = 4, 5
ENCRYPTED_EXTENSIONS, CERTIFICATE, SERVER_KEY_EXCHANGE = 8, 11, 12
CERTIFICATE_REQUEST, SERVER_HELLO_DONE, CERTIFICATE_VERIFY = 13, 14, 15
CLIENT_KEY_EXCHANGE, FINISHED, CERTIFICATE_STATUS, KEY_UPDATE = 16, 20, 22, 24
COMPRESSED_CERTIFICATE, MESSAGE_HASH = 25, 254

NAMES = {
    HELLO_REQUEST: "HelloRequest", CLIENT_HELLO: "ClientHello", SERVER_HELLO: "ServerHello",
    3: "HelloVerifyRequest", NEW_SESSION_TICKET: "NewSessionTicket",
    END_OF_EARLY_DATA: "EndOfEarlyData", ENCRYPTED_EXTENSIONS: "EncryptedExtensions",
    CERTIFICATE: "Certificate", SERVER_KEY_EXCHANGE: "ServerKeyExchange",
    CERTIFICATE_REQUEST: "CertificateRequest", SERVER_HELLO_DONE: "ServerHelloDone",
    CERTIFICATE_VERIFY: "CertificateVerify", CLIENT_KEY_EXCHANGE: "ClientKeyExchange",
    FINISHED: "Finished", 21: "CertificateURL", CERTIFICATE_STATUS: "CertificateStatus",
    KEY_UPDATE: "KeyUpdate", COMPRESSED_CERTIFICATE: "CompressedCertificate",
    MESSAGE_HASH: "MessageHash",
}
BY_NAME = {name: code for code, name in NAMES.items()}

# RFC 8446 4.1.3: a ServerHello with this random is a HelloRetryRequest.
HELLO_RETRY_RANDOM = bytes.fromhex(
    "cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c")


def message_name(msg_type: int) -> str:
    return NAMES.get(msg_type, f"handshake type {msg_type}")


def frame(msg_type: int, body: bytes) -> bytes:
    """type(1) length(3) body."""
    return bytes([msg_type]) + u24(len(body)) + body


@dataclass(frozen=True)
class RawMessage:
    """One whole handshake message as received: its type, body and full bytes."""

    type: int
    body: bytes
    raw: bytes

    @property
    def name(self) -> str:
        if self.type == SERVER_HELLO and self.body[2:34] == HELLO_RETRY_RANDOM:
            return "HelloRetryRequest"
        return message_name(self.type)


class HandshakeBuffer:
    """Handshake bytes in, whole messages out (RFC 8446 5.1: messages may be fragmented
    across records and coalesced into one)."""

    MAX_MESSAGE = 2**24 - 1

    def __init__(self) -> None:
        self.data = b""

    def feed(self, fragment: bytes) -> list[RawMessage]:
        self.data += fragment
        out = []
        while len(self.data) >= 4:
            length = int.from_bytes(self.data[1:4], "big")
            if len(self.data) < 4 + length:
                break
            raw, self.data = self.data[:4 + length], self.data[4 + length:]
            out.append(RawMessage(raw[0], raw[4:], raw))
        return out

    @property
    def pending(self) -> int:
        """Bytes of a message not yet complete."""
        return len(self.data)
