"""Mutation words: small, composable edits of a conversation, one module per what they edit.

- ``offer``: the ClientHello's fields and bytes;
- ``messages``: any message (leave out, replace, move, duplicate, send anywhere);
- ``records``: the record layer (raw records, fragments, coalescing, lengths, padding);
- ``alerts``: alerts the client sends, and how it ends the connection;
- ``hello``: the encoded ClientHello (lying lengths, trailing bytes, duplicates, order);
- ``extensions``: one word per extension the suite tests, GREASE;
- ``key_exchange``: key shares as sent, the second ClientHello, the TLS 1.2 key exchange;
- ``sessions``: what a resuming hello offers back, 0-RTT data, KeyUpdate, renegotiation.

Rows import the words they need from here.
"""

from tlsconform.client.words.alerts import *  # noqa: F403
from tlsconform.client.words.extensions import *  # noqa: F403
from tlsconform.client.words.hello import *  # noqa: F403
from tlsconform.client.words.key_exchange import *  # noqa: F403
from tlsconform.client.words.messages import *  # noqa: F403
from tlsconform.client.words.offer import *  # noqa: F403
from tlsconform.client.words.records import *  # noqa: F403
from tlsconform.client.words.sessions import *  # noqa: F403
