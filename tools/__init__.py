"""Command-line helpers for people running the suite against their own servers."""
