"""Cipher suites (RFC 8446 B.4, RFC 5246 A.5, RFC 5289, RFC 7905, RFC 8422): what each code
point means, so the engine can derive keys for it and verdicts can name it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Suite:
    """One cipher suite. ``kex`` is None for TLS 1.3 suites, which fix only the AEAD and hash."""

    code: int
    name: str
    tls13: bool
    kex: str | None  # "ecdhe", "dhe", "rsa"
    auth: str | None  # "rsa", "ecdsa"
    cipher: str  # "aes128gcm", "aes256gcm", "chacha20", "aes128ccm", "aes128ccm8",
    #               "aes128cbc", "aes256cbc", "3descbc", "rc4", "null"
    mac: str | None  # HMAC hash for CBC, stream and NULL suites; None for AEAD
    hash: str  # the PRF / HKDF hash: "sha256" or "sha384"

    @property
    def aead(self) -> bool:
        return self.cipher in AEAD_KEY_LEN

    @property
    def key_len(self) -> int:
        return (AEAD_KEY_LEN | BLOCK_KEY_LEN)[self.cipher]

    @property
    def fixed_iv_len(self) -> int:
        """TLS 1.2 key-block IV bytes: 4 for GCM/CCM (the salt), 12 for ChaCha20 (RFC 7905),
        0 for CBC with explicit IVs; TLS 1.3 always 12."""
        if self.tls13:
            return 12
        return {"chacha20": 12}.get(self.cipher, 4 if self.aead else 0)

    @property
    def mac_len(self) -> int:
        return MAC_LEN[self.mac] if self.mac else 0

    @property
    def implemented(self) -> bool:
        """Whether the engine can carry a conversation under this suite."""
        return self.cipher in IMPLEMENTED_CIPHERS and (self.kex in (None, "ecdhe", "dhe", "rsa"))


AEAD_KEY_LEN = {"aes128gcm": 16, "aes256gcm": 32, "chacha20": 32, "aes128ccm": 16,
                "aes128ccm8": 16}
BLOCK_KEY_LEN = {"aes128cbc": 16, "aes256cbc": 32, "3descbc": 24, "rc4": 16, "null": 0}
BLOCK_SIZE = {"aes128cbc": 16, "aes256cbc": 16, "3descbc": 8}
MAC_LEN = {"md5": 16, "sha1": 20, "sha256": 32, "sha384": 48}
IMPLEMENTED_CIPHERS = {"aes128gcm", "aes256gcm", "chacha20", "aes128ccm", "aes128ccm8",
                       "aes128cbc", "aes256cbc", "3descbc", "rc4", "null"}

CIPHER_NAMES = {"aes128gcm": "AES_128_GCM", "aes256gcm": "AES_256_GCM",
                "chacha20": "CHACHA20_POLY1305", "aes128ccm": "AES_128_CCM",
                "aes128ccm8": "AES_128_CCM_8", "aes128cbc": "AES_128_CBC",
                "aes256cbc": "AES_256_CBC", "3descbc": "3DES_EDE_CBC", "rc4": "RC4_128",
                "null": "NULL"}
KEX_NAMES = {("ecdhe", "rsa"): "ECDHE_RSA", ("ecdhe", "ecdsa"): "ECDHE_ECDSA",
             ("dhe", "rsa"): "DHE_RSA", ("rsa", "rsa"): "RSA"}


def _tls12(code: int, kex: str, auth: str, cipher: str, mac: str | None, prf: str = "sha256"
           ) -> Suite:
    tail = (mac or prf).upper().replace("SHA1", "SHA")
    name = f"TLS_{KEX_NAMES[kex, auth]}_WITH_{CIPHER_NAMES[cipher]}_{tail}"
    return Suite(code, name, False, kex, auth, cipher, mac, prf)


def _tls13(code: int, cipher: str, hash_: str) -> Suite:
    return Suite(code, f"TLS_{CIPHER_NAMES[cipher]}_{hash_.upper()}", True, None, None,
                 cipher, None, hash_)


_ALL = [
    _tls13(0x1301, "aes128gcm", "sha256"),
    _tls13(0x1302, "aes256gcm", "sha384"),
    _tls13(0x1303, "chacha20", "sha256"),
    _tls13(0x1304, "aes128ccm", "sha256"),
    _tls13(0x1305, "aes128ccm8", "sha256"),
]
for _kex, _auth, _codes in (
    ("ecdhe", "rsa", (0xC02F, 0xC030, 0xCCA8, 0xC027, 0xC028, 0xC013, 0xC014, 0xC012, 0xC011,
                      0xC010)),
    ("ecdhe", "ecdsa", (0xC02B, 0xC02C, 0xCCA9, 0xC023, 0xC024, 0xC009, 0xC00A, 0xC008, 0xC007,
                        0xC006)),
    ("dhe", "rsa", (0x009E, 0x009F, 0xCCAA, 0x0067, 0x006B, 0x0033, 0x0039, 0x0016, None,
                    None)),
    ("rsa", "rsa", (0x009C, 0x009D, None, 0x003C, 0x003D, 0x002F, 0x0035, 0x000A, 0x0005,
                    0x0002)),
):
    _shapes = [("aes128gcm", None, "sha256"), ("aes256gcm", None, "sha384"),
               ("chacha20", None, "sha256"), ("aes128cbc", "sha256", "sha256"),
               ("aes256cbc", "sha384" if _kex == "ecdhe" else "sha256",
                "sha384" if _kex == "ecdhe" else "sha256"),
               ("aes128cbc", "sha1", "sha256"), ("aes256cbc", "sha1", "sha256"),
               ("3descbc", "sha1", "sha256"), ("rc4", "sha1", "sha256"),
               ("null", "sha1", "sha256")]
    for _code, (_cipher, _mac, _prf) in zip(_codes, _shapes, strict=True):
        if _code is not None:
            _ALL.append(_tls12(_code, _kex, _auth, _cipher, _mac, _prf))

SUITES: dict[int, Suite] = {s.code: s for s in _ALL}

# Names rows use (RFC 8446 B.4, RFC 5289, RFC 7905, RFC 8422).
TLS_AES_128_GCM_SHA256 = 0x1301
TLS_AES_256_GCM_SHA384 = 0x1302
TLS_CHACHA20_POLY1305_SHA256 = 0x1303
ECDHE_RSA_AES128_GCM_SHA256 = 0xC02F
ECDHE_RSA_AES256_GCM_SHA384 = 0xC030
ECDHE_RSA_CHACHA20_POLY1305 = 0xCCA8
ECDHE_RSA_AES128_CBC_SHA256 = 0xC027
ECDHE_RSA_AES128_CBC_SHA = 0xC013
ECDHE_RSA_AES256_CBC_SHA = 0xC014
ECDHE_ECDSA_AES128_GCM_SHA256 = 0xC02B
ECDHE_ECDSA_AES256_GCM_SHA384 = 0xC02C
ECDHE_ECDSA_CHACHA20_POLY1305 = 0xCCA9
ECDHE_ECDSA_AES128_CBC_SHA256 = 0xC023
ECDHE_ECDSA_AES128_CBC_SHA = 0xC009
ECDHE_ECDSA_AES256_CBC_SHA = 0xC00A

TLS13_SUITES = [TLS_AES_128_GCM_SHA256, TLS_AES_256_GCM_SHA384, TLS_CHACHA20_POLY1305_SHA256]
TLS12_ECDHE_RSA = [ECDHE_RSA_AES128_GCM_SHA256, ECDHE_RSA_AES256_GCM_SHA384,
                   ECDHE_RSA_CHACHA20_POLY1305, ECDHE_RSA_AES128_CBC_SHA256,
                   ECDHE_RSA_AES128_CBC_SHA, ECDHE_RSA_AES256_CBC_SHA]
TLS12_ECDHE_ECDSA = [ECDHE_ECDSA_AES128_GCM_SHA256, ECDHE_ECDSA_AES256_GCM_SHA384,
                     ECDHE_ECDSA_CHACHA20_POLY1305, ECDHE_ECDSA_AES128_CBC_SHA256,
                     ECDHE_ECDSA_AES128_CBC_SHA, ECDHE_ECDSA_AES256_CBC_SHA]
TLS12_SUITES = TLS12_ECDHE_RSA + TLS12_ECDHE_ECDSA
DHE_RSA_AES128_GCM_SHA256 = 0x009E
DHE_RSA_AES256_GCM_SHA384 = 0x009F
DHE_RSA_AES128_CBC_SHA = 0x0033
DHE_RSA_AES256_CBC_SHA = 0x0039
TLS12_DHE_RSA = [DHE_RSA_AES128_GCM_SHA256, DHE_RSA_AES256_GCM_SHA384, DHE_RSA_AES128_CBC_SHA,
                 DHE_RSA_AES256_CBC_SHA]
RSA_AES128_GCM_SHA256 = 0x009C
RSA_AES256_GCM_SHA384 = 0x009D
RSA_AES128_CBC_SHA = 0x002F
RSA_AES256_CBC_SHA = 0x0035
TLS12_RSA = [RSA_AES128_GCM_SHA256, RSA_AES256_GCM_SHA384, RSA_AES128_CBC_SHA, RSA_AES256_CBC_SHA]

TLS_EMPTY_RENEGOTIATION_INFO_SCSV = 0x00FF  # RFC 5746 3.3
TLS_FALLBACK_SCSV = 0x5600  # RFC 7507 6


def is_grease(value: int) -> bool:
    """RFC 8701 2: 0x0A0A, 0x1A1A, ... 0xFAFA."""
    return value & 0x0F0F == 0x0A0A and value >> 8 == value & 0xFF


def suite_name(code: int) -> str:
    """IANA-style name for verdicts; hex for code points the engine does not know."""
    suite = SUITES.get(code)
    if suite is not None:
        return f"{suite.name}(0x{code:04x})"
    if is_grease(code):
        return f"GREASE(0x{code:04x})"
    names = {TLS_EMPTY_RENEGOTIATION_INFO_SCSV: "TLS_EMPTY_RENEGOTIATION_INFO_SCSV",
             TLS_FALLBACK_SCSV: "TLS_FALLBACK_SCSV"}
    return f"{names[code]}(0x{code:04x})" if code in names else f"0x{code:04x}"
