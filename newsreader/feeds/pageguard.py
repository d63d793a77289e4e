"""What a page fetch accepts, and how often it may ask one host.

- Only a web page is fetched for its article: an HTML or XHTML content type, or no type at
  all and a body that starts like HTML (the WHATWG sniffing rule's HTML tags). A PDF, an
  image or a feed is refused before its body is read.
- Every answer's peer address is checked again (:func:`accept_page`): a pooled connection
  skips the pinned connect.
- :class:`HostSpacing` spaces page fetches to one host ``delay`` seconds apart (start to
  start), from any number of threads: polite to a site whose feed lists 50 new articles.
"""

from __future__ import annotations

import threading
import time
from dataclasses import replace

import httpx

from newsreader.feeds.addresses import AddressPolicy, web_target
from newsreader.feeds.limits import FetchError
from newsreader.feeds.pinned import peer_address
from newsreader.models import FetchResult
from newsreader.safety import clean_line

PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9"
NOT_HTML = "not a web page (no content type, and the body is not HTML)"
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
PAGE_MAX_MB = 10.0
"""A page's body cap (decompressed), below ``max_body_mb`` when that is larger: an article
page is rarely over 3 MB; a bigger one is most likely not an article."""

_SNIFF_TAGS = (
    b"<!doctype html",
    b"<html",
    b"<head",
    b"<script",
    b"<iframe",
    b"<h1",
    b"<div",
    b"<font",
    b"<table",
    b"<a",
    b"<style",
    b"<title",
    b"<b",
    b"<body",
    b"<br",
    b"<p",
    b"<!--",
)
_UTF8_BOM = b"\xef\xbb\xbf"


def media_type(content_type: str) -> str:
    """'text/html' from 'text/html; charset=utf-8'."""
    return content_type.split(";", 1)[0].strip().lower()


def type_refusal(content_type: str) -> str:
    """Why an answer with this Content-Type is not a page to read ("" when it may be)."""
    kind = media_type(content_type)
    if not kind or kind in HTML_TYPES:
        return ""
    return f"not a web page (content type {clean_line(kind)[:60]})"


def sniffs_as_html(body: bytes) -> bool:
    """True when the body begins like an HTML document (for an answer without a type)."""
    head = body[:1024].removeprefix(_UTF8_BOM).lstrip(b" \t\r\n\x0c").lower()
    if head.startswith(b"<?xml"):
        return b"<html" in head
    for tag in _SNIFF_TAGS:
        if head.startswith(tag) and head[len(tag) : len(tag) + 1] in (b" ", b">", b"\t", b"\n"):
            return True
    return head.startswith(b"<!--")


def accept_page(policy: AddressPolicy, url: str, response: httpx.Response) -> None:
    """Refuse (FetchError) an answer from an address the page may not reach (a pooled
    connection opened for another feed) or, for a 2xx, one that is not a web page."""
    peer = peer_address(response)
    if peer is not None:
        policy.check(*web_target(url), [peer])
    if 200 <= response.status_code < 300:
        refusal = type_refusal(response.headers.get("content-type", ""))
        if refusal:
            raise FetchError(refusal)


def checked_page(result: FetchResult) -> FetchResult:
    """An empty page, or an untyped body that is not HTML, is an error too."""
    if result.error:
        return result
    if not result.body:
        return replace(result, error="empty page")
    if not media_type(result.content_type) and not sniffs_as_html(result.body):
        return replace(result, body=b"", error=NOT_HTML)
    return result


class HostSpacing:
    """Spaces the starts of fetches to one host ``delay`` seconds apart; thread-safe."""

    def __init__(self, delay: float) -> None:
        self.delay = max(0.0, delay)
        self._next: dict[str, float] = {}
        self._lock = threading.Lock()

    def wait_turn(self, host: str) -> None:
        """Sleep until this host's next turn, and book the one after it."""
        if self.delay <= 0:
            return
        with self._lock:
            now = time.monotonic()
            start = max(now, self._next.get(host, now))
            self._next[host] = start + self.delay
        if start > now:
            time.sleep(start - now)
