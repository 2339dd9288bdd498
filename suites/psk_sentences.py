"""RFC 8446's sentences on pre-shared keys, quoted by rows of more than one suite file
(test_extensions: an unknown PSK; test_resumption: a real ticket offered back)."""

UNKNOWN_PSK = ("Any unknown PSKs (e.g., ones not in the PSK database or encrypted with an "
               "unknown key) SHOULD simply be ignored. If no acceptable PSKs are found, the "
               "server SHOULD perform a non-PSK handshake if possible.")  # RFC 8446 4.2.11
NOT_LAST = ("The \"pre_shared_key\" extension MUST be the last extension in the ClientHello "
            "(this facilitates implementation as described below). Servers MUST check that "
            "it is the last extension and otherwise fail the handshake with an "
            "\"illegal_parameter\" alert.")  # RFC 8446 4.2.11
MODES_MISSING = ("If clients offer \"pre_shared_key\" without a \"psk_key_exchange_modes\" "
                 "extension, servers MUST abort the handshake.")  # RFC 8446 4.2.9
