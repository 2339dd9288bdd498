"""The test PKI: CAs, server and client certificates the conformance scenarios present or expect.

Generated on first use into a git-ignored cache (see ensure_pki); `python -m tools.write_pki`
writes a copy for installing on the server under test.
"""

from tlsconform.certs.generate import PKI, build_pki, ensure_pki
from tlsconform.certs.mint import mint_certificate
from tlsconform.certs.profiles import CERT_NAMES

__all__ = ["CERT_NAMES", "PKI", "build_pki", "ensure_pki", "mint_certificate"]
