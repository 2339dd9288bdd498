"""The speed-ups in tlsconform/fast_*.py keep what scapy's TLS code relies on: certificates
read the same, server signatures are still checked, state snapshots are the same states."""

from __future__ import annotations

import os
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from scapy.layers.tls.cert import Cert, PrivKey
from scapy.layers.tls.crypto import suites
from scapy.layers.tls.extensions import (
    TLS_Ext_SignatureAlgorithms,
    TLS_Ext_SupportedGroups,
    TLS_Ext_SupportedVersion_CH,
)
from scapy.layers.tls.handshake import TLS13ClientHello, TLSCertificate, TLSClientHello
from scapy.layers.tls.handshake_sslv2 import SSLv2ServerHello
from scapy.layers.tls.keyexchange_tls13 import KeyShareEntry, TLS_Ext_KeyShare_CH
from scapy.layers.tls.record import TLS
from scapy.layers.tls.session import connState, tlsSession
from scapy.packet import Packet

from tlsconform import scapy as adaptations
from tlsconform.certs import PKI, ensure_pki
from tlsconform.certs.profiles import PROFILES_BY_NAME
from tlsconform.client.offer import Offer, tls12, tls13
from tlsconform.scapy import packet_init as fast_packet_init
from tlsconform.scapy import sessions as fast_sessions
from tlsconform.scapy import snapshots as fast_snapshots
from tlsconform.scapy.certificates import DerCert

CERTS = ["server-rsa", "server-ecdsa", "root-ca", "client-valid", "client-valid-rsa"]
PLAIN_ATTRIBUTES = ["version", "serial", "sigAlg", "subject_str", "issuer_str", "notBefore",
                    "notAfter", "authorityKeyID", "signatureValue"]
MESSAGE = b"what the peer signs"

adaptations.apply()  # the engine installs them when it first meets a scapy packet


@pytest.fixture(scope="module")
def pki() -> PKI:
    return ensure_pki()


def der(pki: PKI, name: str) -> bytes:
    cert = x509.load_pem_x509_certificate(pki.cert(name).read_bytes())
    return cert.public_bytes(serialization.Encoding.DER)


def flipped(data: bytes) -> bytes:
    return data[:-1] + bytes([data[-1] ^ 1])


# -- certificates ---------------------------------------------------------------------------
@pytest.mark.parametrize("name", CERTS)
def test_der_cert_reads_like_scapy_cert(pki: PKI, name: str) -> None:
    data = der(pki, name)
    fast, full = DerCert.from_der(data), Cert(data)
    assert isinstance(fast, Cert)
    assert fast.der == full.der == data
    assert type(fast.pubkey) is type(full.pubkey)
    assert fast.pubkey.der == full.pubkey.der
    for attribute in PLAIN_ATTRIBUTES:
        assert getattr(fast, attribute) == getattr(full, attribute), attribute
    assert fast.der == data  # still the received bytes once scapy's full view exists
    issuer = Cert(der(pki, PROFILES_BY_NAME[name].issuer or name))
    assert fast.isIssuer(issuer) and full.isIssuer(issuer)


def test_der_cert_refuses_what_scapy_refuses() -> None:
    not_a_certificate = bytes.fromhex("3003020100")
    with pytest.raises(Exception, match="Unable to import certificate"):
        Cert(not_a_certificate)
    with pytest.raises(Exception, match="Unable to import certificate"):
        DerCert.from_der(not_a_certificate)


def _rsa_signatures(key: Any) -> list[tuple[dict[str, str], bytes]]:
    pss = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=hashes.SHA256.digest_size)
    legacy = PrivKey(key.private_bytes(serialization.Encoding.PEM,
                                       serialization.PrivateFormat.TraditionalOpenSSL,
                                       serialization.NoEncryption()))
    return [
        ({"t": "pss", "h": "sha256"}, key.sign(MESSAGE, pss, hashes.SHA256())),
        ({"t": "pkcs", "h": "sha384"}, key.sign(MESSAGE, padding.PKCS1v15(), hashes.SHA384())),
        # TLS 1.0/1.1: scapy's own MD5-SHA1 code, which reads the modulus it stores itself
        ({"t": "pkcs", "h": "md5-sha1"}, legacy.sign(MESSAGE, t="pkcs", h="md5-sha1")),
    ]


@pytest.mark.parametrize("name", ["server-rsa", "server-ecdsa"])
def test_der_cert_verifies_signatures_like_scapy_cert(pki: PKI, name: str) -> None:
    key = serialization.load_pem_private_key(pki.key(name).read_bytes(), password=None)
    if isinstance(key, rsa.RSAPrivateKey):
        signed = _rsa_signatures(key)
    else:
        assert isinstance(key, ec.EllipticCurvePrivateKey)
        signed = [({"h": "sha256"}, key.sign(MESSAGE, ec.ECDSA(hashes.SHA256())))]
    for cert in (DerCert.from_der(der(pki, name)), Cert(der(pki, name))):
        for how, signature in signed:
            assert cert.verify(MESSAGE, signature, **how) is True, how
            assert cert.verify(MESSAGE, flipped(signature), **how) is False, how


def test_der_cert_encrypts_an_rsa_premaster_secret(pki: PKI) -> None:
    key = serialization.load_pem_private_key(pki.key("server-rsa").read_bytes(), password=None)
    assert isinstance(key, rsa.RSAPrivateKey)
    secret = os.urandom(48)
    encrypted = DerCert.from_der(der(pki, "server-rsa")).encrypt(secret, t="pkcs")
    assert key.decrypt(encrypted, padding.PKCS1v15()) == secret


def test_certificate_message_round_trips(pki: PKI) -> None:
    chain = [Cert(der(pki, "server-rsa")), Cert(der(pki, "root-ca"))]
    wire = bytes(TLSCertificate(certs=chain))
    parsed = TLSCertificate(wire)
    assert [type(c) for _, c in parsed.certs] == [DerCert, DerCert]
    assert bytes(TLSCertificate(certs=[c for _, c in parsed.certs])) == wire


def test_sslv2_certificates_keep_scapy_parsing(pki: PKI) -> None:
    """Only the TLS Certificate fields are replaced."""
    hello = SSLv2ServerHello(bytes(SSLv2ServerHello(cert=Cert(der(pki, "server-rsa")))))
    assert type(hello.cert) is Cert


# -- hello extensions ------------------------------------------------------------------------
def scapy_hello(offer: Offer) -> Packet:
    """A ClientHello as a word crafting one in scapy would build it."""
    exts = [TLS_Ext_SupportedGroups(groups=["x25519", "secp256r1"]),
            TLS_Ext_SignatureAlgorithms(sig_algs=offer.sig_algs)]
    if offer.offers_tls13:
        exts += [TLS_Ext_SupportedVersion_CH(versions=[0x0304]),
                 TLS_Ext_KeyShare_CH(client_shares=[KeyShareEntry(group="x25519")])]
        return TLS13ClientHello(ciphers=offer.ciphers, sid=offer.session_id, ext=exts)
    return TLSClientHello(ciphers=offer.ciphers, ext=exts)


@pytest.mark.parametrize("offer", [tls12(), tls13()], ids=["tls12", "tls13"])
def test_hello_extensions_are_built_once_and_framed(offer: Offer) -> None:
    session = tlsSession(connection_end="client")
    wire = TLS(msg=[scapy_hello(offer)], tls_session=session).raw_stateful()
    hello = TLS(wire).msg[0]
    body = bytes(hello)[4:]
    ext_bytes = b"".join(bytes(ext) for ext in hello.ext)
    assert hello.extlen == len(ext_bytes) and body.endswith(ext_bytes)
    assert [type(e).__name__ for e in hello.ext] == [
        type(e).__name__ for e in scapy_hello(offer).ext]
    for ext in hello.ext:
        if isinstance(ext, TLS_Ext_KeyShare_CH):  # the share on the wire is the one kept
            sent = [e.key_exchange for e in ext.client_shares]
            kept = [_public_bytes(k) for k in session.tls13_client_privshares.values()]
            assert sent == kept


def _public_bytes(key: Any) -> bytes:
    return key.public_key().public_bytes(serialization.Encoding.Raw,
                                         serialization.PublicFormat.Raw)


# -- connection state snapshots -------------------------------------------------------------
STATES = [
    ("TLS_NULL_WITH_NULL_NULL", 0x0303),
    ("TLS_AES_128_GCM_SHA256", 0x0304),
    ("TLS_CHACHA20_POLY1305_SHA256", 0x0304),
    ("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", 0x0303),
    ("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", 0x0301),
    ("TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", 0x0303),
    ("TLS_RSA_WITH_RC4_128_SHA", 0x0303),
]


def describe(state: connState) -> dict[str, Any]:
    """A state's attributes, with objects reduced to their type and plain attributes."""

    def plain(obj: Any) -> Any:
        if obj is None or isinstance(obj, int | str | bytes):
            return obj
        attributes = getattr(obj, "__dict__", {})
        values = {k: plain(v) for k, v in attributes.items()
                  if isinstance(v, int | str | bytes | dict | type(None))}
        return type(obj), values

    return {name: plain(value) for name, value in vars(state).items()}


def keyed_state(suite: str, version: int) -> connState:
    state = connState(connection_end="client", read_or_write="write",
                      ciphersuite=getattr(suites, suite), tls_version=version, seq_num=3)
    if version >= 0x0304:
        state.tls13_derive_keys(os.urandom(48))
    else:
        state.derive_keys(os.urandom(32), os.urandom(32), os.urandom(48))
    return state


@pytest.mark.parametrize(("suite", "version"), STATES)
def test_snapshot_equals_scapy_snapshot(suite: str, version: int) -> None:
    state = keyed_state(suite, version)
    assert describe(fast_snapshots.snapshot(state)) == describe(
        fast_snapshots._original_snapshot(state))


@pytest.mark.parametrize(("suite", "version"), STATES)
def test_pending_snapshot_is_the_state_when_it_was_taken(suite: str, version: int) -> None:
    state = keyed_state(suite, version)
    pending = fast_packet_init.PendingSnapshot(state)
    expected = describe(fast_snapshots._original_snapshot(state))
    move_on(state)
    assert describe(fast_snapshots._original_snapshot(state)) != expected
    assert describe(pending.build()) == expected


def move_on(state: connState) -> None:
    """What protecting a record does to a live state, in place, and a flag changed in place."""
    state.seq_num += 1
    cipher = state.cipher
    if cipher.type == "stream":
        cipher.encrypt(b"x" * 32)
    elif cipher.type == "block":
        cipher.iv = os.urandom(cipher.block_size)
    elif hasattr(cipher, "_update_nonce_explicit"):
        cipher._update_nonce_explicit()
    cipher.ready["key"] = False


def test_packets_hold_real_snapshots_and_share_their_session() -> None:
    session = tlsSession(connection_end="client")
    msg = TLSCertificate(tls_session=session)
    assert type(msg.rcs_snap_init) is connState
    copied = msg.copy()
    assert copied.tls_session is session
    assert type(copied.wcs_snap_init) is connState
    assert TLSCertificate().tls_session is not TLSCertificate().tls_session


def describe_session(session: tlsSession) -> dict[str, Any]:
    return {name: describe(value) if isinstance(value, connState) else
            value if value is None or isinstance(value, int | str | bytes | list | dict) else
            type(value) for name, value in vars(session).items()}


def test_default_session_equals_a_new_session() -> None:
    made, expected = fast_sessions.default_session(), tlsSession()
    assert describe_session(made) == describe_session(expected)
    assert [type(made.rcs), type(made.wcs)] == [type(expected.rcs), type(expected.wcs)]
    other = fast_sessions.default_session()
    shared = [name for name, value in vars(made).items()
              if isinstance(value, list | dict | connState) and value is getattr(other, name)]
    assert shared == []


def test_blank_session_lent_to_copies_stays_blank() -> None:
    for offer in (tls12(), tls13()):  # building and dissecting copies packets many times
        session = tlsSession(connection_end="client")
        wire = TLS(msg=[scapy_hello(offer)], tls_session=session).raw_stateful()
        assert TLS(wire).msg[0].ciphers == offer.ciphers
    blank, rcs, wcs = fast_packet_init._blank()
    fresh = tlsSession()
    assert describe_session(blank) == describe_session(fresh)
    assert describe(rcs.build()) == describe(fast_snapshots._original_snapshot(fresh.rcs))
    assert describe(wcs.build()) == describe(fast_snapshots._original_snapshot(fresh.wcs))


def test_new_sessions_still_pass_connection_end_on() -> None:
    session = tlsSession(connection_end="client")
    assert type(session) is tlsSession
    assert session.rcs.connection_end == session.wcs.connection_end == "client"
    session.connection_end = "server"
    assert session.rcs.connection_end == session.wcs.connection_end == "server"
