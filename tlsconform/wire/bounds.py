"""The bound on every read from a peer, by default: a module of its own so the option
parser can show it without importing the connection and its codecs."""

DEFAULT_TIMEOUT = 5.0  # seconds
