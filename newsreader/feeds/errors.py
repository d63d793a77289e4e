"""The parse error, on its own so that code handling it need not import the parsers.

A refresh where every feed answers 304 never parses: its process then skips importing
lxml, the fast path and feedparser (~30 ms of its start-up).
"""

from __future__ import annotations


class FeedParseError(Exception):
    """The document is not a feed we can read; the message is one line, fit for a user."""


class PageExtractError(Exception):
    """A fetched page holds no article we can extract (or is too large); one line."""
