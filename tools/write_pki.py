"""Write the test PKI to a folder of your choice, to install it on the server under test.

python -m tools.write_pki OUTDIR [--force]
"""

import argparse
import sys
from pathlib import Path

from cryptography import x509
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from tlsconform.certs import CERT_NAMES, PKI, build_pki

_EKU_NAMES = {
    ExtendedKeyUsageOID.SERVER_AUTH: "serverAuth",
    ExtendedKeyUsageOID.CLIENT_AUTH: "clientAuth",
}
EXIT_REFUSED = 2


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tools.write_pki", description=__doc__.splitlines()[0]
    )
    parser.add_argument("outdir", type=Path, help="folder to write the PEM files into")
    parser.add_argument(
        "--force", action="store_true", help="write even if the folder is not empty"
    )
    args = parser.parse_args(argv)
    outdir: Path = args.outdir

    if outdir.exists() and not outdir.is_dir():
        print(f"write_pki: error: {outdir} exists and is not a folder", file=sys.stderr)
        return EXIT_REFUSED
    if outdir.is_dir() and any(outdir.iterdir()) and not args.force:
        print(
            f"write_pki: error: {outdir} is not empty (use --force to overwrite)", file=sys.stderr
        )
        return EXIT_REFUSED

    pki = build_pki(outdir)
    print(f"Wrote {len(CERT_NAMES)} certificates to {outdir}: NAME.crt.pem, NAME.key.pem (0600),")
    print("NAME.chain.pem (leaf then issuing CA).\n")
    print(_table(pki))
    return 0


def _table(pki: PKI) -> str:
    """One row per certificate, so the user can see which file to install where."""
    header = ("NAME", "SUBJECT CN", "ISSUER CN", "VALID FROM", "VALID UNTIL", "EKU")
    rows = [header]
    for name in CERT_NAMES:
        cert = x509.load_pem_x509_certificate(pki.cert(name).read_bytes())
        rows.append(
            (
                name,
                _common_name(cert.subject),
                _common_name(cert.issuer),
                f"{cert.not_valid_before_utc:%Y-%m-%d}",
                f"{cert.not_valid_after_utc:%Y-%m-%d}",
                _eku(cert),
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    )


def _common_name(name: x509.Name) -> str:
    attributes = name.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(attributes[0].value) if attributes else name.rfc4514_string()


def _eku(cert: x509.Certificate) -> str:
    try:
        usages = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    except x509.ExtensionNotFound:
        return "-"
    return ",".join(_EKU_NAMES.get(oid, oid.dotted_string) for oid in usages)


if __name__ == "__main__":
    sys.exit(main())
