"""One spelling per feed address, so two spellings of one URL are one subscription.

:func:`normalise_url` changes only what RFC 3986 (section 6.2.2/6.2.3) says does not change
which resource an http(s) URL names: the case of the scheme and of the host, a port that is
the scheme's default, an empty path (``/``), and a trailing dot on the host name (the
fully qualified spelling of the same DNS name). Path, query, fragment and user info are
kept exactly: servers may treat their case as significant.

Used wherever a feed URL enters the store: ``add``, OPML import and permanent redirects.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

DEFAULT_PORTS = {"http": 80, "https": 443}


def normalise_url(url: str) -> str:
    """``url`` in its normal spelling; anything not a well-formed http(s) URL unchanged.

    >>> normalise_url("HTTP://Example.COM.:80/Feed?X=1")
    'http://example.com/Feed?X=1'
    """
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return url
    scheme = parts.scheme.lower()
    host = parts.hostname  # lower-cased, without brackets or user info
    if scheme not in DEFAULT_PORTS or not host:
        return url
    host = host.rstrip(".") or host
    if ":" in host:  # an IPv6 literal
        host = f"[{host}]"
    userinfo, _, _ = parts.netloc.rpartition("@")
    netloc = f"{userinfo}@{host}" if "@" in parts.netloc else host
    if port is not None and port != DEFAULT_PORTS[scheme]:
        netloc += f":{port}"
    return urlunsplit((scheme, netloc, parts.path or "/", parts.query, parts.fragment))


def same_url(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` are spellings of one URL."""
    return normalise_url(a) == normalise_url(b)
