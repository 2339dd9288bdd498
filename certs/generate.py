"""Write the test PKI to disk, and keep one cached copy that parallel test workers can share.

ensure_pki builds into a private staging folder next to the cache and renames it into place, so
no reader ever sees a half-written PKI; an fcntl lock makes concurrent pytest-xdist workers wait
for the first builder instead of each minting their own.
"""

import errno
import fcntl
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from tlsconform.cache_root import DEFAULT_PKI_DIR, PKI_DIR_ENV
from tlsconform.certs.mint import PrivateKey, mint_certificate
from tlsconform.certs.profiles import PROFILE_VERSION, PROFILES, Profile

CACHE_DIR_ENV = PKI_DIR_ENV
DEFAULT_CACHE_DIR = DEFAULT_PKI_DIR
VERSION_STAMP = "profile-version.txt"
# A cached "valid" certificate must stay valid this long, so no test run crosses its expiry.
RENEW_BEFORE_EXPIRY = timedelta(days=30)
# A cached "not yet valid" certificate must stay in the future at least this long.
RENEW_BEFORE_START = timedelta(days=1)


@dataclass(frozen=True)
class PKI:
    """Where the PEM files of one built PKI live."""

    root: Path

    def cert(self, name: str) -> Path:
        return self.root / f"{name}.crt.pem"

    def key(self, name: str) -> Path:
        """Unencrypted PKCS#8 key, mode 0600."""
        return self.root / f"{name}.key.pem"

    def chain(self, name: str) -> Path:
        """Leaf, then its issuers up to but excluding the root; self-signed ones stand alone.

        A certificate the root issued directly keeps the root after it, as this file always
        had: [server-rsa, root-ca], but [server-via-intermediate, intermediate-ca].
        """
        return self.root / f"{name}.chain.pem"


def build_pki(dest: Path) -> PKI:
    """Mint every profile afresh and write it into dest, overwriting whatever is there."""
    return _write_profiles(dest, PROFILES, {})


def build_client_certs(dest: Path, ca_cert: Path, ca_key: Path) -> PKI:
    """Mint the client-ca profiles under a CA the user's server trusts (its PEM files).

    This lets the suite present valid, expired and wrong-usage client certificates to a
    server it did not configure.
    """
    issuer_cert = x509.load_pem_x509_certificate(ca_cert.read_bytes())
    issuer_key = serialization.load_pem_private_key(ca_key.read_bytes(), password=None)
    profiles = [p for p in PROFILES if p.issuer == "client-ca"]
    return _write_profiles(dest, profiles, {"client-ca": (issuer_cert, issuer_key)})


def _write_profiles(
    dest: Path,
    profiles: Iterable[Profile],
    minted: dict[str, tuple[x509.Certificate, PrivateKey]],
) -> PKI:
    dest.mkdir(parents=True, exist_ok=True)
    pki = PKI(dest)
    now = datetime.now(UTC).replace(microsecond=0)
    # Each certificate's path up to its top-most known issuer: [cert, issuer, ..., root].
    paths = {name: [cert] for name, (cert, _) in minted.items()}
    for profile in profiles:
        issuer_cert, issuer_key = minted[profile.issuer] if profile.issuer else (None, None)
        cert, key = mint_certificate(
            subject_cn=profile.subject_cn,
            issuer_cert=issuer_cert,
            issuer_key=issuer_key,
            key_type=profile.key_type,
            not_before=now + timedelta(days=profile.not_before_days),
            not_after=now + timedelta(days=profile.not_after_days),
            eku=profile.eku,
            san_dns=profile.san_dns,
            san_ip=profile.san_ip,
            is_ca=profile.is_ca,
            allow_non_ca_issuer=profile.issuer_may_be_non_ca,
        )
        minted[profile.name] = (cert, key)
        paths[profile.name] = [cert, *(paths[profile.issuer] if profile.issuer else [])]
        chain = _chain(paths[profile.name])
        pki.cert(profile.name).write_bytes(_pem(cert))
        pki.chain(profile.name).write_bytes(b"".join(_pem(c) for c in chain))
        _write_private(pki.key(profile.name), _pem_key(key))
    return pki


def _chain(path: list[x509.Certificate]) -> list[x509.Certificate]:
    """What PKI.chain holds for a certificate whose path to the root is `path`."""
    return path[:-1] if len(path) > 2 else path


def ensure_pki(cache_dir: Path | None = None) -> PKI:
    """Return the cached PKI, (re)building it first if it is missing, incomplete or stale.

    cache_dir defaults to $TLSCONFORM_PKI_DIR, else <checkout>/.cache/pki, or installed
    ~/.cache/tlsconform/pki.
    """
    root = _cache_dir(cache_dir)
    if _is_current(root):
        return PKI(root)
    root.parent.mkdir(parents=True, exist_ok=True)
    with _exclusive_lock(root.with_name(f"{root.name}.lock")):
        if not _is_current(root):  # another process may have built it while we waited
            _rebuild(root)
    return PKI(root)


def _cache_dir(cache_dir: Path | None) -> Path:
    if cache_dir is not None:
        return Path(cache_dir).absolute()
    if configured := os.environ.get(CACHE_DIR_ENV):
        return Path(configured).expanduser().absolute()
    return DEFAULT_CACHE_DIR


def _rebuild(root: Path) -> None:
    """Build in a sibling staging folder, then rename it to root, so root is never partial."""
    staging = Path(tempfile.mkdtemp(prefix=f".{root.name}.building-", dir=root.parent))
    try:
        build_pki(staging)
        (staging / VERSION_STAMP).write_text(f"{PROFILE_VERSION}\n")
        if root.exists():
            if _is_current(root):  # another builder won (flock is not honoured everywhere)
                return
            _discard(root)
        try:
            os.rename(staging, root)
        except OSError as error:
            # Lost the race in the gap between _discard and rename: same, use the winner's PKI.
            if error.errno not in (errno.EEXIST, errno.ENOTEMPTY) or not _is_current(root):
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _discard(root: Path) -> None:
    """Move a stale cache aside first, so root is never half-deleted under a reader."""
    retired = Path(tempfile.mkdtemp(prefix=f".{root.name}.stale-", dir=root.parent))
    os.rename(root, retired / root.name)
    shutil.rmtree(retired, ignore_errors=True)


def _is_current(root: Path) -> bool:
    """True if root holds a complete PKI of this profile version whose dates still fit."""
    try:
        if (root / VERSION_STAMP).read_text().strip() != str(PROFILE_VERSION):
            return False
        pki = PKI(root)
        now = datetime.now(UTC)
        for profile in PROFILES:
            if not all(p.stat().st_size for p in (pki.key(profile.name), pki.chain(profile.name))):
                return False
            cert = x509.load_pem_x509_certificate(pki.cert(profile.name).read_bytes())
            if not _still_in_intended_state(profile, cert, now):
                return False
    except (OSError, ValueError):
        return False
    return True


def _still_in_intended_state(profile: Profile, cert: x509.Certificate, now: datetime) -> bool:
    state = profile.intended_state
    if state == "expired":
        return cert.not_valid_after_utc < now
    if state == "not-yet-valid":
        return cert.not_valid_before_utc > now + RENEW_BEFORE_START
    return cert.not_valid_before_utc <= now and cert.not_valid_after_utc > now + RENEW_BEFORE_EXPIRY


@contextmanager
def _exclusive_lock(lock_path: Path) -> Iterator[None]:
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def _pem_key(key: PrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def _write_private(path: Path, data: bytes) -> None:
    """Write with mode 0600 from the start; chmod too, in case path existed with wider rights."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as stream:
        os.fchmod(stream.fileno(), 0o600)
        stream.write(data)
