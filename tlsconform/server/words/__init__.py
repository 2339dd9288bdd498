"""Server words: small, composable edits of what the suite, as the server, sends a client
under test; one module per what they edit, mirroring the client's words.

- ``hello``: the server's choices (suite, version, group, session id, compression,
  random) and the extensions of ServerHello, HelloRetryRequest and EncryptedExtensions;
- ``signed``: the signatures, certificates and Finished of the server's flights;
- ``records``: the record layer under the server's messages (fragments, raw records,
  tags, inner plaintext), and how the server answers and closes.

Rows import the words they need from here.
"""

from tlsconform.server.words.hello import *  # noqa: F403
from tlsconform.server.words.records import *  # noqa: F403
from tlsconform.server.words.signed import *  # noqa: F403
