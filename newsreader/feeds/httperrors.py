"""One-line descriptions of what went wrong with an HTTP fetch, and how long to wait.

Kept apart from :mod:`newsreader.feeds.fetch` (which re-exports them) so the fetcher stays
about fetching.
"""

from __future__ import annotations

import re
import socket
import time
import zlib
from email.utils import parsedate_to_datetime

import httpx

from newsreader.safety import clean_line

MAX_RETRY_AFTER = 7 * 24 * 3600.0


def http_error(status: int, response: httpx.Response) -> str:
    """'HTTP 404 Not Found', plus the wait a 429/503 asked for."""
    reason = httpx.codes.get_reason_phrase(status) or clean_line(response.reason_phrase)[:60]
    text = f"HTTP {status} {reason}".strip()
    wait = retry_after(response.headers.get("retry-after"))
    return f"{text} (retry after {wait:.0f} s)" if wait else text


def retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds a Retry-After header asks us to wait (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return min(float(value), MAX_RETRY_AFTER)
    try:
        when = parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    wait = when - (time.time() if now is None else now)
    return min(max(wait, 0.0), MAX_RETRY_AFTER) or None


def describe_error(exc: BaseException) -> str:
    """A one-line description of a network error ("connection refused", ...)."""
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and len(chain) < 8:
        chain.append(current)
        current = current.__cause__ or current.__context__
    if any(isinstance(e, ConnectionRefusedError) for e in chain):
        return "connection refused"
    if any(isinstance(e, ConnectionResetError) for e in chain):
        return "connection reset by the server"
    if any(isinstance(e, socket.gaierror) for e in chain) or "Name or service" in str(exc):
        return "host not found"
    if isinstance(exc, httpx.RemoteProtocolError):
        return f"server broke the protocol: {clean_line(exc)[:120]}"
    if isinstance(exc, zlib.error):
        return "corrupt compressed body"
    text = clean_line(exc)[:160] or type(exc).__name__
    return text


_MAX_AGE = re.compile(r"(?:^|[,\s])max-age\s*=\s*\"?(\d{1,10})", re.IGNORECASE)
MAX_TTL = 7 * 86_400.0
"""The longest a feed may ask us to wait (a week): a typo on the server must not silence it."""


def max_age(cache_control: str | None) -> float | None:
    """Seconds a Cache-Control header lets the answer be reused (no-cache/no-store: None;
    at most :data:`MAX_TTL`)."""
    if not cache_control or re.search(r"no-(?:cache|store)", cache_control, re.IGNORECASE):
        return None
    found = _MAX_AGE.search(cache_control)
    return min(float(found.group(1)), MAX_TTL) if found else None
