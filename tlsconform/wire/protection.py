"""Record protection for one direction (RFC 8446 5.2-5.4, RFC 5246 6.2.3, RFC 7366, RFC 7905).

``seal`` turns any content type and body into a record, with every field open to a
scenario (inner content type and padding in TLS 1.3, record version, length field);
``open`` reverses it and raises ``RecordError`` naming the problem and the alert a
receiver owes for it. Sequence numbers advance per record, as the RFCs require.
"""

from __future__ import annotations

import hmac
import os

from cryptography.hazmat.decrepit.ciphers.algorithms import ARC4, TripleDES
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESCCM, AESGCM, ChaCha20Poly1305

from tlsconform.crypto.suites import BLOCK_SIZE, Suite

APPLICATION_DATA = 23
TLS12 = 0x0303


class RecordError(ValueError):
    """A record that does not open: ``alert`` is what the receiver must send."""

    def __init__(self, reason: str, alert: int = 20) -> None:  # bad_record_mac
        super().__init__(reason)
        self.alert = alert


class NoContentType(RecordError):
    """A TLS 1.3 record whose inner plaintext is all zeros (RFC 8446 5.4)."""


def header(content_type: int, version: int, length: int) -> bytes:
    return bytes([content_type]) + version.to_bytes(2, "big") + length.to_bytes(2, "big")


class Protection:
    """No protection: plaintext records (the initial state of both directions)."""

    protected = False

    def __init__(self) -> None:
        self.seq = 0

    def seal(self, content_type: int, body: bytes, version: int = TLS12, *,
             inner_type: int | None = None, padding: int = 0, length: int | None = None,
             bad_padding: bool = False) -> bytes:
        """A record carrying ``body``; ``length`` overrides the header's length field.
        ``padding`` and ``bad_padding`` shape the padding where the protection has one."""
        return header(content_type, version, len(body) if length is None else length) + body

    def open(self, record: bytes) -> tuple[int, bytes]:
        """(content type, plaintext) of a whole record."""
        return record[0], record[5:]

    def describe(self) -> str:
        return "plaintext"


def _aead(suite: Suite, key: bytes) -> AESGCM | AESCCM | ChaCha20Poly1305:
    if suite.cipher == "chacha20":
        return ChaCha20Poly1305(key)
    if suite.cipher == "aes128ccm8":
        return AESCCM(key, tag_length=8)
    if suite.cipher == "aes128ccm":
        return AESCCM(key)
    return AESGCM(key)


def _tag_len(suite: Suite) -> int:
    return 8 if suite.cipher == "aes128ccm8" else 16


def _xor_nonce(iv: bytes, seq: int) -> bytes:
    return (int.from_bytes(iv, "big") ^ seq).to_bytes(len(iv), "big")


class Tls13Protection(Protection):
    """RFC 8446 5.2: AEAD over TLSInnerPlaintext, outer type application_data."""

    protected = True

    def __init__(self, suite: Suite, key: bytes, iv: bytes) -> None:
        super().__init__()
        self.suite, self.iv = suite, iv
        self.aead = _aead(suite, key)
        self.tag_len = _tag_len(suite)

    def seal(self, content_type: int, body: bytes, version: int = TLS12, *,
             inner_type: int | None = None, padding: int = 0, length: int | None = None,
             bad_padding: bool = False) -> bytes:
        """``content_type`` is the inner type (``inner_type`` overrides it, e.g. 0 for an
        all-zero inner plaintext); the outer type is always application_data."""
        inner = body + bytes([content_type if inner_type is None else inner_type]) \
            + bytes(padding)
        size = len(inner) + self.tag_len
        head = header(APPLICATION_DATA, version, size)
        sealed = self.aead.encrypt(_xor_nonce(self.iv, self.seq), inner, head)
        self.seq += 1
        if length is not None:
            head = header(APPLICATION_DATA, version, length)
        return head + sealed

    def open(self, record: bytes) -> tuple[int, bytes]:
        if record[0] != APPLICATION_DATA:
            raise RecordError(f"protected record of outer type {record[0]}, not "
                              "application_data(23)", alert=10)
        fragment = record[5:]
        if len(fragment) < self.tag_len + 1:
            raise RecordError(f"protected record of {len(fragment)} bytes is shorter than "
                              "its authentication tag")
        try:
            inner = self.aead.decrypt(_xor_nonce(self.iv, self.seq), fragment, record[:5])
        except Exception as exc:  # cryptography's InvalidTag
            raise RecordError("the record's authentication tag does not verify") from exc
        finally:
            self.seq += 1
        stripped = inner.rstrip(b"\x00")
        if not stripped:
            raise NoContentType("the inner plaintext is all zeros: no content type "
                                "(RFC 8446 5.4)", alert=10)
        return stripped[-1], stripped[:-1]

    def describe(self) -> str:
        return f"protected ({self.suite.name})"


class Tls12AeadProtection(Protection):
    """RFC 5288 / 6655: 8-byte explicit nonce; RFC 7905 ChaCha20: IV xor sequence number."""

    protected = True

    def __init__(self, suite: Suite, key: bytes, iv: bytes) -> None:
        super().__init__()
        self.suite, self.iv = suite, iv
        self.aead = _aead(suite, key)
        self.tag_len = _tag_len(suite)
        self.explicit = suite.cipher != "chacha20"

    def _nonce(self, explicit: bytes) -> bytes:
        return self.iv + explicit if self.explicit else _xor_nonce(self.iv, self.seq)

    def _aad(self, content_type: int, version: int, length: int) -> bytes:
        return self.seq.to_bytes(8, "big") + header(content_type, version, length)

    def seal(self, content_type: int, body: bytes, version: int = TLS12, *,
             inner_type: int | None = None, padding: int = 0, length: int | None = None,
             bad_padding: bool = False) -> bytes:
        explicit = self.seq.to_bytes(8, "big") if self.explicit else b""
        sealed = explicit + self.aead.encrypt(self._nonce(explicit), body,
                                              self._aad(content_type, version, len(body)))
        self.seq += 1
        return header(content_type, version, len(sealed) if length is None else length) + sealed

    def open(self, record: bytes) -> tuple[int, bytes]:
        content_type, version = record[0], int.from_bytes(record[1:3], "big")
        fragment = record[5:]
        explicit_len = 8 if self.explicit else 0
        if len(fragment) < explicit_len + self.tag_len:
            raise RecordError(f"protected record of {len(fragment)} bytes is shorter than "
                              "its nonce and tag")
        explicit, sealed = fragment[:explicit_len], fragment[explicit_len:]
        aad = self._aad(content_type, version, len(sealed) - self.tag_len)
        try:
            plain = self.aead.decrypt(self._nonce(explicit), sealed, aad)
        except Exception as exc:
            raise RecordError("the record's authentication tag does not verify") from exc
        finally:
            self.seq += 1
        return content_type, plain

    def describe(self) -> str:
        return f"protected ({self.suite.name})"


class Tls12CbcProtection(Protection):
    """RFC 5246 6.2.3.2 (MAC, then pad and encrypt, explicit IV) or RFC 7366
    encrypt-then-MAC; also stream and NULL ciphers (6.2.3.1) with their MAC."""

    protected = True

    def __init__(self, suite: Suite, key: bytes, mac_key: bytes,
                 encrypt_then_mac: bool = False) -> None:
        super().__init__()
        self.suite, self.mac_key, self.etm = suite, mac_key, encrypt_then_mac
        self.block = BLOCK_SIZE.get(suite.cipher, 0)
        if suite.cipher == "rc4":
            cipher = Cipher(ARC4(key), mode=None)
            self.stream_enc, self.stream_dec = cipher.encryptor(), cipher.decryptor()
        self.key = key

    def _mac(self, content_type: int, version: int, data: bytes) -> bytes:
        head = self.seq.to_bytes(8, "big") + header(content_type, version, len(data))
        return hmac.new(self.mac_key, head + data, self.suite.mac or "sha1").digest()

    def _cipher(self, iv: bytes) -> Cipher:
        algorithm = TripleDES(self.key) if self.suite.cipher == "3descbc" \
            else algorithms.AES(self.key)
        return Cipher(algorithm, modes.CBC(iv))

    def seal(self, content_type: int, body: bytes, version: int = TLS12, *,
             inner_type: int | None = None, padding: int = 0, length: int | None = None,
             bad_padding: bool = False) -> bytes:
        if not self.block:
            data = body + self._mac(content_type, version, body)
            sealed = self.stream_enc.update(data) if self.suite.cipher == "rc4" else data
        else:
            iv = os.urandom(self.block)
            plain = body if self.etm else body + self._mac(content_type, version, body)
            # RFC 5246 6.2.3.2: any padding length up to 255 that fills whole blocks.
            pad = self.block - (len(plain) + 1) % self.block
            if pad == self.block:
                pad = 0
            pad += padding - padding % self.block
            if bad_padding and pad == 0:
                pad = self.block
            tail = bytearray([pad]) * (pad + 1)
            if bad_padding:  # the length byte says pad; the byte before it disagrees
                tail[0] ^= 0xFF
            plain += bytes(tail)
            enc = self._cipher(iv).encryptor()
            sealed = iv + enc.update(plain) + enc.finalize()
            if self.etm:
                sealed += self._mac(content_type, version, sealed)
        self.seq += 1
        return header(content_type, version, len(sealed) if length is None else length) + sealed

    def open(self, record: bytes) -> tuple[int, bytes]:
        content_type, version = record[0], int.from_bytes(record[1:3], "big")
        fragment = record[5:]
        mac_len = self.suite.mac_len
        try:
            if not self.block:
                data = self.stream_dec.update(fragment) if self.suite.cipher == "rc4" \
                    else fragment
                if len(data) < mac_len:
                    raise RecordError("record shorter than its MAC")
                body, mac = data[:-mac_len], data[-mac_len:]
                if not hmac.compare_digest(mac, self._mac(content_type, version, body)):
                    raise RecordError("the record's MAC does not verify")
                return content_type, body
            if self.etm:
                if len(fragment) < mac_len + 2 * self.block:
                    raise RecordError("record shorter than IV, one block and MAC")
                sealed, mac = fragment[:-mac_len], fragment[-mac_len:]
                if not hmac.compare_digest(mac, self._mac(content_type, version, sealed)):
                    raise RecordError("the record's MAC does not verify")
            else:
                sealed = fragment
            if len(sealed) < 2 * self.block or len(sealed) % self.block:
                raise RecordError(f"CBC record of {len(sealed)} bytes is not a whole number "
                                  "of blocks after its IV")
            dec = self._cipher(sealed[:self.block]).decryptor()
            plain = dec.update(sealed[self.block:]) + dec.finalize()
            pad = plain[-1]
            if pad + 1 > len(plain) or plain[-pad - 1:] != bytes([pad]) * (pad + 1):
                raise RecordError("the record's CBC padding is wrong")
            plain = plain[:-pad - 1]
            if self.etm:
                return content_type, plain
            if len(plain) < mac_len:
                raise RecordError("record shorter than its MAC")
            body, mac = plain[:-mac_len], plain[-mac_len:]
            if not hmac.compare_digest(mac, self._mac(content_type, version, body)):
                raise RecordError("the record's MAC does not verify")
            return content_type, body
        finally:
            self.seq += 1

    def describe(self) -> str:
        return f"protected ({self.suite.name}{', encrypt-then-MAC' if self.etm else ''})"


def tls12_protections(suite: Suite, block: bytes, encrypt_then_mac: bool = False
                      ) -> tuple[Protection, Protection]:
    """(client write, server write) from a TLS 1.2 key block (RFC 5246 6.3)."""
    mac, key, iv = suite.mac_len if not suite.aead else 0, suite.key_len, suite.fixed_iv_len
    parts, at = [], 0
    for size in (mac, mac, key, key, iv, iv):
        parts.append(block[at:at + size])
        at += size
    c_mac, s_mac, c_key, s_key, c_iv, s_iv = parts
    if suite.aead:
        return Tls12AeadProtection(suite, c_key, c_iv), Tls12AeadProtection(suite, s_key, s_iv)
    return (Tls12CbcProtection(suite, c_key, c_mac, encrypt_then_mac),
            Tls12CbcProtection(suite, s_key, s_mac, encrypt_then_mac))


def key_block_length(suite: Suite) -> int:
    mac = 0 if suite.aead else suite.mac_len
    return 2 * (mac + suite.key_len + suite.fixed_iv_len)
