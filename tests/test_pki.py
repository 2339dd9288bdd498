"""Properties of the generated test PKI that the conformance scenarios depend on."""

import ipaddress
import multiprocessing
import os
import re
import shutil
import stat
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypeVar

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509 import verification
from cryptography.x509.oid import ExtendedKeyUsageOID

from tlsconform.certs import CERT_NAMES, PKI, ensure_pki, mint_certificate
from tlsconform.certs.generate import CACHE_DIR_ENV, VERSION_STAMP
from tlsconform.certs.profiles import PROFILES_BY_NAME
from tlsconform.client.identity import ClientIdentity
from tools import write_pki

ROOT_NAMES = ("root-ca", "untrusted-ca", "client-ca")
CA_NAMES = (*ROOT_NAMES, "intermediate-ca")
SERVER_NAMES = [name for name in CERT_NAMES if name.startswith("server-")]
CLIENT_NAMES = [name for name in CERT_NAMES if name.startswith("client-") and name != "client-ca"]
EXPECTED_ISSUER = {
    **{name: name for name in ROOT_NAMES},
    "intermediate-ca": "root-ca",
    "intermediate-not-ca": "root-ca",
    "server-rsa": "root-ca",
    "server-ecdsa": "root-ca",
    "server-expired": "root-ca",
    "server-untrusted": "untrusted-ca",
    "server-wrong-name": "root-ca",
    "server-not-yet-valid": "root-ca",
    "server-no-serverauth": "root-ca",
    "server-self-signed": "server-self-signed",
    "server-weak-key": "root-ca",
    "server-via-intermediate": "intermediate-ca",
    "server-bad-intermediate": "intermediate-not-ca",
    "client-valid": "client-ca",
    "client-valid-rsa": "client-ca",
    "client-expired": "client-ca",
    "client-not-yet-valid": "client-ca",
    "client-self-signed": "client-self-signed",
    "client-untrusted": "untrusted-ca",
    "client-no-clientauth": "client-ca",
}
RSA_NAMES = {
    *CA_NAMES,
    "intermediate-not-ca",
    *(name for name in SERVER_NAMES if name != "server-ecdsa"),
    "client-valid-rsa",
}
WEAK_KEY_NAMES = {"server-weak-key"}  # RSA-1024; every other RSA key has 2048 bits
# The two leaves below an intermediate: their chain files leave the root out.
VIA_INTERMEDIATE = {
    "server-via-intermediate": "intermediate-ca",
    "server-bad-intermediate": "intermediate-not-ca",
}
# What `openssl verify -purpose sslserver -verify_hostname localhost` against root-ca says of
# each server certificate: None for OK, else (X509_V_ERR code, depth) of the first error.
# Codes, not texts: OpenSSL 1.1 and 3.0 word several of them differently.
OPENSSL_VERDICT: dict[str, tuple[int, int] | None] = {
    "server-rsa": None,
    "server-ecdsa": None,
    "server-via-intermediate": None,
    "server-weak-key": None,  # RSA-1024 is 80-bit security: only auth level 2 and up refuse it
    "server-expired": (10, 0),  # certificate has expired
    "server-untrusted": (19, 1),  # self-signed certificate in certificate chain
    "server-wrong-name": (62, 0),  # hostname mismatch
    "server-not-yet-valid": (9, 0),  # certificate is not yet valid
    "server-no-serverauth": (26, 0),  # unsuitable (1.1: unsupported) certificate purpose
    "server-self-signed": (18, 0),  # self-signed certificate
    "server-bad-intermediate": (79, 1),  # invalid CA certificate
}
EE_KEY_TOO_SMALL = (66, 0)  # EE certificate key too weak

ExtensionT = TypeVar("ExtensionT", bound=x509.ExtensionType)


@pytest.fixture(scope="session")
def pki(tmp_path_factory: pytest.TempPathFactory) -> PKI:
    return ensure_pki(tmp_path_factory.mktemp("pki-session") / "pki")


def load_cert(path: Path) -> x509.Certificate:
    return x509.load_pem_x509_certificate(path.read_bytes())


def extension(cert: x509.Certificate, kind: type[ExtensionT]) -> ExtensionT:
    return cert.extensions.get_extension_for_class(kind).value


def eku(cert: x509.Certificate) -> set[x509.ObjectIdentifier]:
    try:
        return set(extension(cert, x509.ExtendedKeyUsage))
    except x509.ExtensionNotFound:
        return set()


def file_times(root: Path) -> dict[str, int]:
    return {path.name: path.stat().st_mtime_ns for path in root.iterdir()}


def test_every_name_has_its_three_files(pki: PKI) -> None:
    expected = {VERSION_STAMP}
    for name in CERT_NAMES:
        expected |= {pki.cert(name).name, pki.key(name).name, pki.chain(name).name}
    assert {path.name for path in pki.root.iterdir()} == expected
    assert set(EXPECTED_ISSUER) == set(CERT_NAMES)


@pytest.mark.parametrize("name", CERT_NAMES)
def test_chain_is_leaf_then_issuer_and_verifies(pki: PKI, name: str) -> None:
    leaf = load_cert(pki.cert(name))
    issuer = load_cert(pki.cert(EXPECTED_ISSUER[name]))
    chain = x509.load_pem_x509_certificates(pki.chain(name).read_bytes())
    assert chain == ([leaf] if issuer == leaf else [leaf, issuer])
    leaf.verify_directly_issued_by(issuer)
    assert isinstance(leaf.signature_hash_algorithm, hashes.SHA256)


@pytest.mark.parametrize("name", CERT_NAMES)
def test_key_file_is_private_and_matches_certificate(pki: PKI, name: str) -> None:
    assert stat.S_IMODE(pki.key(name).stat().st_mode) == 0o600
    key = serialization.load_pem_private_key(pki.key(name).read_bytes(), password=None)
    spki = (serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    assert key.public_key().public_bytes(*spki) == (
        load_cert(pki.cert(name)).public_key().public_bytes(*spki)
    )
    if name in RSA_NAMES:
        assert isinstance(key, rsa.RSAPrivateKey)
        assert key.key_size == (1024 if name in WEAK_KEY_NAMES else 2048)
    else:
        assert isinstance(key, ec.EllipticCurvePrivateKey)
        assert isinstance(key.curve, ec.SECP256R1)


@pytest.mark.parametrize("name", CERT_NAMES)
def test_validity_window_relative_to_now(pki: PKI, name: str) -> None:
    cert = load_cert(pki.cert(name))
    now = datetime.now(UTC)
    if name.endswith("-expired"):
        assert cert.not_valid_after_utc < now
    elif name.endswith("-not-yet-valid"):
        assert cert.not_valid_before_utc > now + timedelta(days=1)
    else:
        assert cert.not_valid_before_utc <= now < cert.not_valid_after_utc - timedelta(days=30)


@pytest.mark.parametrize("name", CERT_NAMES)
def test_basic_constraints_and_key_identifiers(pki: PKI, name: str) -> None:
    cert = load_cert(pki.cert(name))
    issuer = load_cert(pki.cert(EXPECTED_ISSUER[name]))
    constraints = cert.extensions.get_extension_for_class(x509.BasicConstraints)
    assert constraints.critical and constraints.value.ca == (name in CA_NAMES)
    usage = extension(cert, x509.KeyUsage)
    assert usage.key_cert_sign == usage.crl_sign == (name in CA_NAMES)
    assert usage.digital_signature == (name not in CA_NAMES)
    assert usage.key_encipherment == (
        name in RSA_NAMES and name.startswith("server-") and name != "server-no-serverauth"
    )
    aki = extension(cert, x509.AuthorityKeyIdentifier)
    assert aki.key_identifier == extension(issuer, x509.SubjectKeyIdentifier).digest


def test_serial_numbers_are_distinct(pki: PKI) -> None:
    serials = {load_cert(pki.cert(name)).serial_number for name in CERT_NAMES}
    assert len(serials) == len(CERT_NAMES)


@pytest.mark.parametrize("name", CA_NAMES)
def test_cas_have_no_eku(pki: PKI, name: str) -> None:
    assert eku(load_cert(pki.cert(name))) == set()


def test_intermediates_differ_only_in_being_a_ca(pki: PKI) -> None:
    good, bad = load_cert(pki.cert("intermediate-ca")), load_cert(pki.cert("intermediate-not-ca"))
    assert extension(good, x509.BasicConstraints).ca
    assert extension(good, x509.KeyUsage).key_cert_sign
    assert not extension(bad, x509.BasicConstraints).ca
    assert not extension(bad, x509.KeyUsage).key_cert_sign
    assert eku(good) == eku(bad) == set()


@pytest.mark.parametrize("name", SERVER_NAMES)
def test_server_certs_have_server_auth_except_the_one_without(pki: PKI, name: str) -> None:
    usages = eku(load_cert(pki.cert(name)))
    if name == "server-no-serverauth":
        assert usages == {ExtendedKeyUsageOID.CLIENT_AUTH}
    else:
        assert usages == {ExtendedKeyUsageOID.SERVER_AUTH}


@pytest.mark.parametrize("name", CLIENT_NAMES)
def test_client_certs_have_client_auth_except_the_one_without(pki: PKI, name: str) -> None:
    usages = eku(load_cert(pki.cert(name)))
    if name == "client-no-clientauth":
        assert usages == {ExtendedKeyUsageOID.SERVER_AUTH}
    else:
        assert usages == {ExtendedKeyUsageOID.CLIENT_AUTH}


def test_server_sans(pki: PKI) -> None:
    for name in (name for name in SERVER_NAMES if name != "server-wrong-name"):
        san = extension(load_cert(pki.cert(name)), x509.SubjectAlternativeName)
        assert san.get_values_for_type(x509.DNSName) == ["localhost"]
        assert san.get_values_for_type(x509.IPAddress) == [
            ipaddress.ip_address("127.0.0.1"),
            ipaddress.ip_address("::1"),
        ]
    wrong = load_cert(pki.cert("server-wrong-name"))
    san = extension(wrong, x509.SubjectAlternativeName)
    assert san.get_values_for_type(x509.DNSName) == ["wrong.example.invalid"]
    assert san.get_values_for_type(x509.IPAddress) == []
    assert wrong.subject == load_cert(pki.cert("server-rsa")).subject


@pytest.mark.parametrize("name", VIA_INTERMEDIATE)
def test_chain_below_an_intermediate_is_leaf_then_intermediate(pki: PKI, name: str) -> None:
    chain = x509.load_pem_x509_certificates(pki.chain(name).read_bytes())
    assert chain == [load_cert(pki.cert(name)), load_cert(pki.cert(VIA_INTERMEDIATE[name]))]
    assert load_cert(pki.cert("root-ca")) not in chain
    chain[1].verify_directly_issued_by(load_cert(pki.cert("root-ca")))


@pytest.mark.parametrize("name", SERVER_NAMES)
def test_client_identity_loads_each_server_chain(pki: PKI, name: str) -> None:
    """The engine's TLS-server side presents these files through ClientIdentity."""
    der = serialization.Encoding.DER
    expected = [c.public_bytes(der) for c in x509.load_pem_x509_certificates(
        pki.chain(name).read_bytes())]
    identity = ClientIdentity(pki.chain(name), pki.key(name))
    assert identity.chain == expected
    assert expected[0] == load_cert(pki.cert(name)).public_bytes(der)
    if name in VIA_INTERMEDIATE:
        assert expected[1:] == [load_cert(pki.cert(VIA_INTERMEDIATE[name])).public_bytes(der)]
    assert identity.kind == ("rsa" if name in RSA_NAMES else "ecdsa")


def openssl_verify(pki: PKI, name: str, folder: Path, *options: str) -> tuple[int, int] | None:
    """Verify like a TLS client does: root-ca trusted, the chain file's issuers untrusted."""
    issuers = folder / f"{name}.issuers.pem"
    certs = x509.load_pem_x509_certificates(pki.chain(name).read_bytes())[1:]
    issuers.write_bytes(b"".join(c.public_bytes(serialization.Encoding.PEM) for c in certs))
    argv = ["openssl", "verify", *options, "-CAfile", str(pki.cert("root-ca")),
            *(["-untrusted", str(issuers)] if certs else []),
            "-purpose", "sslserver", "-verify_hostname", "localhost", str(pki.cert(name))]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=30, check=False)
    first = re.search(r"^error (\d+) at (\d+) depth lookup", done.stdout + done.stderr, re.M)
    if done.returncode == 0:
        assert first is None, done.stdout + done.stderr
        return None
    assert first, done.stdout + done.stderr
    return int(first[1]), int(first[2])


needs_openssl = pytest.mark.skipif(shutil.which("openssl") is None, reason="no openssl binary")


@needs_openssl
@pytest.mark.parametrize("name", SERVER_NAMES)
def test_openssl_verify_verdict(pki: PKI, tmp_path: Path, name: str) -> None:
    assert set(OPENSSL_VERDICT) == set(SERVER_NAMES)
    assert openssl_verify(pki, name, tmp_path) == OPENSSL_VERDICT[name]


@needs_openssl
def test_openssl_refuses_the_weak_key_from_auth_level_2(pki: PKI, tmp_path: Path) -> None:
    assert openssl_verify(pki, "server-weak-key", tmp_path, "-auth_level", "1") is None
    assert openssl_verify(pki, "server-weak-key", tmp_path, "-auth_level", "2") == EE_KEY_TOO_SMALL
    assert openssl_verify(pki, "server-rsa", tmp_path, "-auth_level", "2") is None


@pytest.mark.parametrize("name", sorted(set(SERVER_NAMES) - WEAK_KEY_NAMES))
def test_cryptography_server_verifier_agrees_with_openssl(pki: PKI, name: str) -> None:
    """Runs without an openssl binary; cryptography accepts RSA-1024, so that one is left out."""
    root = load_cert(pki.cert("root-ca"))
    verifier = (verification.PolicyBuilder().store(verification.Store([root]))
                .time(datetime.now(UTC)).build_server_verifier(x509.DNSName("localhost")))
    leaf, *issuers = x509.load_pem_x509_certificates(pki.chain(name).read_bytes())
    if OPENSSL_VERDICT[name] is not None:
        with pytest.raises(verification.VerificationError):
            verifier.verify(leaf, issuers)
    else:
        path = verifier.verify(leaf, issuers)
        assert path[0] == leaf and path[-1] == root
        assert path[1:-1] == [c for c in issuers if c != root]


def test_not_yet_valid_profiles_are_intended_so() -> None:
    for name in ("server-not-yet-valid", "client-not-yet-valid"):
        assert PROFILES_BY_NAME[name].intended_state == "not-yet-valid"
    assert PROFILES_BY_NAME["server-weak-key"].intended_state == "valid"


def test_ensure_pki_reuses_the_cache(pki: PKI) -> None:
    before = file_times(pki.root)
    assert ensure_pki(pki.root) == pki
    assert file_times(pki.root) == before


def test_ensure_pki_reads_cache_dir_from_env(pki: PKI, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CACHE_DIR_ENV, str(pki.root))
    assert ensure_pki() == pki


@pytest.mark.parametrize(
    "damage", ["old-version", "missing-key", "expiring-soon", "already-valid"]
)
def test_ensure_pki_rebuilds_unusable_cache(pki: PKI, tmp_path: Path, damage: str) -> None:
    root = tmp_path / "pki"
    shutil.copytree(pki.root, root)  # a current PKI, minus the cost of building one
    if damage == "old-version":
        (root / VERSION_STAMP).write_text("0\n")
    elif damage == "missing-key":
        PKI(root).key("client-valid").unlink()
    else:
        now = datetime.now(UTC)
        # expiring-soon: a valid certificate about to expire; already-valid: the not-yet-valid
        # server certificate's start has come (a cache older than its 30 days).
        days = 10 if damage == "expiring-soon" else 365
        name = "server-rsa" if damage == "expiring-soon" else "server-not-yet-valid"
        cert, _ = mint_certificate(
            subject_cn="soon gone",
            issuer_cert=None,
            issuer_key=None,
            not_before=now - timedelta(days=1),
            not_after=now + timedelta(days=days),
            eku=None,
        )
        PKI(root).cert(name).write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    old_serial = load_cert(PKI(root).cert("root-ca")).serial_number

    rebuilt = ensure_pki(root)

    assert load_cert(rebuilt.cert("root-ca")).serial_number != old_serial
    assert rebuilt.key("client-valid").exists()
    assert (root / VERSION_STAMP).read_text().strip() != "0"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["pki", "pki.lock"]


def test_concurrent_ensure_pki_yields_one_consistent_pki(tmp_path: Path) -> None:
    root = tmp_path / "pki"
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        results = pool.map(ensure_pki, [root] * 4, chunksize=1)

    assert set(results) == {PKI(root)}
    # No staging or retired folders left behind: exactly one PKI and the lock file.
    assert sorted(path.name for path in tmp_path.iterdir()) == ["pki", "pki.lock"]
    pki = PKI(root)
    for name in CERT_NAMES:
        leaf = load_cert(pki.cert(name))
        leaf.verify_directly_issued_by(load_cert(pki.cert(EXPECTED_ISSUER[name])))
        key = serialization.load_pem_private_key(pki.key(name).read_bytes(), password=None)
        assert key.public_key() == leaf.public_key()


def test_mint_certificate_from_user_supplied_ca() -> None:
    now = datetime.now(UTC)
    window = {"not_before": now - timedelta(days=1), "not_after": now + timedelta(days=1)}
    ca, ca_key = mint_certificate(
        subject_cn="user CA", issuer_cert=None, issuer_key=None, eku=None, is_ca=True, **window
    )
    leaf, _ = mint_certificate(
        subject_cn="user client",
        issuer_cert=ca,
        issuer_key=ca_key,
        key_type="rsa-2048",
        eku=[ExtendedKeyUsageOID.CLIENT_AUTH],
        **window,
    )
    leaf.verify_directly_issued_by(ca)
    other, other_key = mint_certificate(
        subject_cn="other", issuer_cert=None, issuer_key=None, eku=None, **window
    )
    with pytest.raises(ValueError, match="does not belong"):
        mint_certificate(subject_cn="x", issuer_cert=ca, issuer_key=other_key, eku=None, **window)
    with pytest.raises(ValueError, match="together"):
        mint_certificate(subject_cn="x", issuer_cert=other, issuer_key=None, eku=None, **window)


def test_mint_certificate_refuses_a_non_ca_issuer_unless_asked() -> None:
    now = datetime.now(UTC)
    window = {"not_before": now - timedelta(days=1), "not_after": now + timedelta(days=1)}
    not_ca, not_ca_key = mint_certificate(
        subject_cn="no CA", issuer_cert=None, issuer_key=None, eku=None, **window
    )
    with pytest.raises(ValueError, match="no CA"):
        mint_certificate(
            subject_cn="x", issuer_cert=not_ca, issuer_key=not_ca_key, eku=None, **window
        )
    leaf, key = mint_certificate(
        subject_cn="x",
        issuer_cert=not_ca,
        issuer_key=not_ca_key,
        key_type="rsa-1024",
        eku=None,
        allow_non_ca_issuer=True,
        **window,
    )
    leaf.verify_directly_issued_by(not_ca)
    assert isinstance(key, rsa.RSAPrivateKey) and key.key_size == 1024
    assert [p.name for p in PROFILES_BY_NAME.values() if p.issuer_may_be_non_ca] == [
        "server-bad-intermediate"
    ]


def test_write_pki_refuses_non_empty_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "keep.txt").write_text("mine")

    assert write_pki.main([str(tmp_path)]) == 2

    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "--force" in err
    assert os.listdir(tmp_path) == ["keep.txt"]


def test_write_pki_force_writes_and_lists_every_certificate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "keep.txt").write_text("mine")

    assert write_pki.main([str(tmp_path), "--force"]) == 0

    out = capsys.readouterr().out
    for name in CERT_NAMES:
        assert PKI(tmp_path).chain(name).exists()
        assert f"\n{name} " in out
    assert (tmp_path / "keep.txt").read_text() == "mine"
