"""What version of each local implementation a matrix ran, asked of the machine itself.

A matrix row means little without the version behind it: a deviation recorded for
GnuTLS 3.7 may be gone in 3.8. Each implementation is asked the cheapest way it answers
(a ``--version`` flag, the Debian package that ships it, Python's own metadata); a question
that fails gives ``unknown (why)`` rather than an exception, so a missing tool never stops
the matrix.
"""

from __future__ import annotations

import importlib.metadata
import shutil
import ssl
import subprocess
import sys
import tomllib
from collections.abc import Callable, Sequence
from pathlib import Path

UNKNOWN = "unknown"
TIMEOUT = 10.0


def unknown(why: str) -> str:
    return f"{UNKNOWN} ({why})"


def command_output(argv: Sequence[str]) -> str | None:
    """The first line ``argv`` prints, or None when it is missing, fails or prints nothing."""
    if shutil.which(argv[0]) is None:
        return None
    try:
        done = subprocess.run(list(argv), capture_output=True, text=True, timeout=TIMEOUT,
                              stdin=subprocess.DEVNULL, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    lines = (done.stdout or done.stderr).strip().splitlines()
    return lines[0].strip() if done.returncode == 0 and lines else None


def package_version(package: str) -> str | None:
    """The installed Debian package's version (``dpkg-query``), or None."""
    return command_output(["dpkg-query", "-W", "-f=${Version}", package])


def library_package(module_package: str, prefix: str) -> str | None:
    """``libwolfssl35 5.5.4-2`` for the library ``module_package`` depends on: the TLS
    stack's own version, which the lighttpd module's version does not say."""
    depends = command_output(["dpkg-query", "-W", "-f=${Depends}", module_package])
    for item in (depends or "").split(","):
        name = item.strip().split(" ", 1)[0]
        if name.startswith(prefix):
            version = package_version(name)
            return f"{name} {version}" if version else None
    return None


def python_package(name: str) -> str | None:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None


def _embedded() -> str:
    return f"{ssl.OPENSSL_VERSION}; Python {sys.version.split()[0]}"


def _openssl() -> str:
    return command_output(["openssl", "version"]) or unknown("openssl version failed")


def _gnutls() -> str:
    return command_output(["gnutls-serv", "--version"]) or unknown("gnutls-serv --version failed")


def _nss() -> str:
    # selfserv has no version flag: the Debian package that ships it says it
    version = package_version("libnss3-tools")
    return f"libnss3-tools {version}" if version else unknown("dpkg-query libnss3-tools failed")


def _lighttpd(module: str, library: str) -> Callable[[], str]:
    def version() -> str:
        found = package_version(module)
        if found is None:
            return unknown(f"dpkg-query {module} failed")
        lib = library_package(module, library)
        return f"{module} {found}" + (f" ({lib})" if lib else "")

    return version


def _tlslite() -> str:
    version = python_package("tlslite-ng")
    return f"tlslite-ng {version}" if version else unknown("tlslite-ng is not installed")


DISCOVERERS: dict[str, Callable[[], str]] = {
    "embedded": _embedded,
    "openssl": _openssl,
    "gnutls": _gnutls,
    "nss": _nss,
    "wolfssl": _lighttpd("lighttpd-mod-wolfssl", "libwolfssl"),
    "mbedtls": _lighttpd("lighttpd-mod-mbedtls", "libmbedtls"),
    "tlslite-ng": _tlslite,
    "faulty": _tlslite,  # the fault-injectable server is tlslite-ng underneath
}


def _first_line(argv: Sequence[str]) -> Callable[[], str]:
    def version() -> str:
        return command_output(argv) or unknown(f"{' '.join(argv)} failed")

    return version


TLS_LIBRARIES = ("OpenSSL/", "GnuTLS/", "NSS/", "wolfSSL/", "mbedTLS/", "LibreSSL/",
                 "BoringSSL", "Schannel", "SecureTransport", "rustls/")


def _curl() -> str:
    """``curl 7.88.1 (OpenSSL/3.0.19)``: its version and the TLS library it was built on,
    out of a first line that lists every library."""
    line = command_output(["curl", "--version"])
    if line is None:
        return unknown("curl --version failed")
    words = line.split()
    tls = [word for word in words if word.startswith(TLS_LIBRARIES)]
    return " ".join(words[:2]) + (f" ({', '.join(tls)})" if tls else "")


def _wget() -> str:
    """``GNU Wget 1.21.3 (+ssl/gnutls)``: its TLS library is one of the features it lists."""
    if shutil.which("wget") is None:
        return unknown("wget is not installed")
    try:
        done = subprocess.run(["wget", "--version"], capture_output=True, text=True,
                              timeout=TIMEOUT, stdin=subprocess.DEVNULL, check=False)
    except (OSError, subprocess.SubprocessError) as exc:
        return unknown(f"wget --version failed: {exc}")
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        return unknown("wget --version failed")
    first = lines[0].split(" built on ", 1)[0].strip()
    tls = [word for word in done.stdout.split() if word.startswith("+ssl/")]
    return first + (f" ({tls[0]})" if tls else "")


CLIENT_DISCOVERERS: dict[str, Callable[[], str]] = {
    "embedded": _embedded,  # Python's ssl in the suite's own process
    "openssl": _openssl,  # s_client
    "gnutls": _first_line(["gnutls-cli", "--version"]),
    "curl": _curl,
    "wget": _wget,
    "nss": _nss,  # tstclnt ships in libnss3-tools, as selfserv does
}


def client_version(name: str) -> str:
    """The client ``name``'s version (``--client NAME``), as ``implementation_version``."""
    return implementation_version(name, CLIENT_DISCOVERERS)


def implementation_version(name: str, discoverers: dict[str, Callable[[], str]] | None = None
                           ) -> str:
    """``name``'s version as text; ``unknown (why)`` when it cannot be found out."""
    discover = (DISCOVERERS if discoverers is None else discoverers).get(name)
    if discover is None:
        return unknown(f"no way to ask {name} for its version")
    try:
        return discover()
    except Exception as exc:  # a discoverer must never stop the matrix
        return unknown(f"{type(exc).__name__}: {exc}")


def suite_version() -> str:
    """The installed tlsconform's version, else the checkout's pyproject.toml's."""
    found = python_package("tlsconform")
    if found:
        return found
    pyproject = Path(__file__).resolve().parent.parent / "pyproject.toml"
    try:
        version = tomllib.loads(pyproject.read_text())["project"]["version"]
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return unknown("not installed, no version in pyproject.toml")
    return f"{version} (pyproject.toml, not installed)"
