"""A client of the Google Reader API, as FreshRSS, Miniflux, Inoreader and others speak it.

Every failure is a :class:`SyncError` with one line a user can act on; the password is
sent in a POST body and never appears in a message.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import httpx

from newsreader.safety import clean_line, clean_url

READ = "user/-/state/com.google/read"
STARRED = "user/-/state/com.google/starred"
READING_LIST = "user/-/state/com.google/reading-list"
LABEL = "user/-/label/"
ITEM_PREFIX = "tag:google.com,2005:reader/item/"
PAGE = 1000
"""Items asked for per page of a stream."""
EDIT_BATCH = 250
"""Item ids per edit-tag request."""
MAX_ANSWER = 64 * 1024 * 1024
"""Bytes of one answer at most: a server cannot make us hold more."""


class SyncError(Exception):
    """A sync that cannot go on, in one line."""


@dataclass(frozen=True, slots=True)
class Subscription:
    """A subscription on the server."""

    stream_id: str
    url: str
    title: str
    folder: str
    site_url: str = ""


@dataclass(frozen=True, slots=True)
class Tag:
    """A folder or a label on the server (``kind``: "folder", "tag" or "" when unsaid)."""

    name: str
    kind: str


@dataclass(slots=True)
class Stats:
    """Requests made, for the summary and the benchmark."""

    requests: int = 0
    waited: float = 0.0
    """Seconds spent waiting for the server's answers."""


def item_id(value: str) -> str:
    """An item id in its decimal form (the API gives hex ``tag:`` ids in contents and
    decimal ones in id lists)."""
    if value.startswith(ITEM_PREFIX):
        return str(int(value[len(ITEM_PREFIX) :], 16))
    return str(int(value)) if value.isdigit() else value


class GReaderClient:
    """One logged-in conversation with the server at ``url`` (its API address, ending in
    ``/api/greader.php`` for FreshRSS)."""

    def __init__(self, url: str, user: str, password: str, *, timeout: float = 30.0) -> None:
        self.url = url.rstrip("/")
        self.user = user
        self._password = password
        self._http = httpx.Client(timeout=timeout, follow_redirects=True)
        self._auth = ""
        self._token = ""
        self.stats = Stats()

    def close(self) -> None:
        """Let the connections go."""
        self._http.close()

    def __enter__(self) -> GReaderClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def login(self) -> None:
        """ClientLogin: get the auth token for this conversation."""
        answer = self._send(
            "POST",
            "/accounts/ClientLogin",
            data={"Email": self.user, "Passwd": self._password},
            authorised=False,
        )
        if answer.status_code in (401, 403):
            raise SyncError(
                f"the sync server refused user {self.user!r}: wrong user or API password"
                " (set it with `newsreader sync login`)"
            )
        self._check(answer)
        for line in answer.text.splitlines():
            if line.startswith("Auth="):
                self._auth = line[5:].strip()
        if not self._auth:
            raise SyncError(self._not_api(answer))

    # -- reading --------------------------------------------------------------------------

    def subscriptions(self) -> list[Subscription]:
        """Every subscription, with its folder."""
        data = self._json("GET", "/reader/api/0/subscription/list", params={"output": "json"})
        found = []
        for sub in _list(data, "subscriptions"):
            categories = sub.get("categories") or [{}]
            label = str(categories[0].get("label") or _label_name(categories[0].get("id", "")))
            url = str(sub.get("url") or _feed_url(str(sub.get("id", ""))))
            found.append(
                Subscription(  # what the server says is shown: one clean line each
                    str(sub.get("id", "")),
                    clean_url(url),
                    clean_line(sub.get("title", "")),
                    clean_line(label),
                    clean_url(sub.get("htmlUrl", "")),
                )
            )
        return [s for s in found if s.stream_id and s.url]

    def tags(self) -> list[Tag]:
        """Folders and labels (not the states)."""
        data = self._json("GET", "/reader/api/0/tag/list", params={"output": "json"})
        return [
            Tag(_label_name(str(t.get("id", ""))), str(t.get("type", "")))
            for t in _list(data, "tags")
            if str(t.get("id", "")).startswith(("user/-/label/", "user/"))
            and "/label/" in str(t.get("id", ""))
        ]

    def item_ids(self, stream: str, exclude: str = "") -> set[str]:
        """Every item id of a stream (``exclude``: a state to leave out), all pages."""
        params: dict[str, str | int] = {"s": stream, "n": 10000, "output": "json"}
        if exclude:
            params["xt"] = exclude
        ids: set[str] = set()
        for data in self._pages("/reader/api/0/stream/items/ids", params):
            ids.update(item_id(str(ref.get("id", ""))) for ref in _list(data, "itemRefs"))
        ids.discard("")
        return ids

    def items(self, since: float | None) -> Iterator[list[dict[str, Any]]]:
        """Pages of items of the reading list, oldest first; only those added after
        ``since`` (seconds) when given."""
        params: dict[str, str | int] = {"n": PAGE, "r": "o", "output": "json"}
        if since is not None:
            params["ot"] = int(since)
        path = "/reader/api/0/stream/contents/" + READING_LIST
        for data in self._pages(path, params):
            yield [i for i in _list(data, "items") if isinstance(i, dict)]

    # -- writing --------------------------------------------------------------------------

    def edit_tag(self, ids: Sequence[str], add: str = "", remove: str = "") -> None:
        """Add or remove a state or label on items, in batches."""
        for start in range(0, len(ids), EDIT_BATCH):
            form: list[tuple[str, str]] = [("i", i) for i in ids[start : start + EDIT_BATCH]]
            if add:
                form.append(("a", add))
            if remove:
                form.append(("r", remove))
            self._write("/reader/api/0/edit-tag", form)

    def subscribe(self, url: str, title: str, folder: str) -> None:
        """Subscribe the server to a feed url (in ``folder``)."""
        form = [("ac", "subscribe"), ("s", "feed/" + url), ("t", title)]
        if folder:
            form.append(("a", LABEL + folder))
        self._write("/reader/api/0/subscription/edit", form)

    def unsubscribe(self, stream_id: str) -> None:
        """Unsubscribe the server from a feed."""
        self._write("/reader/api/0/subscription/edit", [("ac", "unsubscribe"), ("s", stream_id)])

    def move(self, stream_id: str, old: str, new: str) -> None:
        """Put a subscription in another folder."""
        form = [("ac", "edit"), ("s", stream_id)]
        if new:
            form.append(("a", LABEL + new))
        if old:
            form.append(("r", LABEL + old))
        self._write("/reader/api/0/subscription/edit", form)

    # -- the wire -------------------------------------------------------------------------

    def _pages(self, path: str, params: dict[str, str | int]) -> Iterator[dict[str, Any]]:
        continuation = ""
        while True:
            asked = dict(params, c=continuation) if continuation else params
            data = self._json("GET", path, params=asked)
            yield data
            continuation = str(data.get("continuation") or "")
            if not continuation:
                return

    def _write(self, path: str, form: list[tuple[str, str]]) -> None:
        if not self._token:
            self._token = self._send("GET", "/reader/api/0/token").text.strip()
        answer = self._send("POST", path, data=_form(form + [("T", self._token)]))
        if answer.status_code == 401 and answer.headers.get("X-Reader-Google-Bad-Token"):
            self._token = self._send("GET", "/reader/api/0/token").text.strip()
            answer = self._send("POST", path, data=_form(form + [("T", self._token)]))
        self._check(answer)

    def _json(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        answer = self._send(method, path, **kwargs)
        self._check(answer)
        try:
            data = json.loads(answer.content)
        except ValueError:
            raise SyncError(self._not_api(answer)) from None
        if not isinstance(data, dict):
            raise SyncError(self._not_api(answer))
        return data

    def _send(self, method: str, path: str, *, authorised: bool = True, **kwargs: Any) -> _Answer:
        if authorised and not self._auth:
            self.login()
        headers = {"Authorization": f"GoogleLogin auth={self._auth}"} if authorised else {}
        answer = self._request(method, path, headers, kwargs)
        if (
            authorised
            and answer.status_code == 401
            and not answer.headers.get("X-Reader-Google-Bad-Token")
        ):
            self.login()  # the token expired: once more with a new one
            headers = {"Authorization": f"GoogleLogin auth={self._auth}"}
            answer = self._request(method, path, headers, kwargs)
            if answer.status_code == 401:
                raise SyncError(
                    f"the sync server no longer accepts the login of {self.user!r}"
                    " (`newsreader sync login` to set the API password again)"
                )
        return answer

    def _request(
        self, method: str, path: str, headers: dict[str, str], kwargs: dict[str, Any]
    ) -> _Answer:
        self.stats.requests += 1
        started = time.perf_counter()
        try:
            with self._http.stream(method, self.url + path, headers=headers, **kwargs) as answer:
                body = bytearray()
                for chunk in answer.iter_bytes():
                    body += chunk
                    if len(body) > MAX_ANSWER:
                        raise SyncError(f"{self.url} sent more than {MAX_ANSWER >> 20} MB at once")
                self.stats.waited += time.perf_counter() - started
                return _Answer(answer.status_code, answer.headers, bytes(body), f"{method} {path}")
        except httpx.TimeoutException:
            raise SyncError(f"the sync server at {self.url} did not answer in time") from None
        except httpx.HTTPError as exc:
            reason = str(exc).split("\n")[0] or type(exc).__name__
            raise SyncError(f"cannot reach the sync server at {self.url}: {reason}") from None

    def _check(self, answer: _Answer) -> None:
        if answer.status_code >= 400 and b"<html" in answer.content[:2000].lower():
            raise SyncError(f"{self._not_api(answer)} (it answered {answer.status_code})")
        if answer.status_code >= 400:
            raise SyncError(f"the sync server answered {answer.status_code} to {answer.asked}")

    def _not_api(self, answer: _Answer) -> str:
        kind = "HTML" if b"<html" in answer.content[:2000].lower() else "something else"
        return (
            f"{self.url} answered {kind}, not the Google Reader API: is `url` in [sync] the"
            " API address (for FreshRSS, https://HOST/api/greader.php)?"
        )


@dataclass(frozen=True, slots=True)
class _Answer:
    """A whole answer, read within :data:`MAX_ANSWER`."""

    status_code: int
    headers: httpx.Headers
    content: bytes
    asked: str

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", "replace")


def _form(pairs: list[tuple[str, str]]) -> dict[str, list[str]]:
    """Form fields, a name repeated for each value (``i=…&i=…``)."""
    form: dict[str, list[str]] = {}
    for name, value in pairs:
        form.setdefault(name, []).append(value)
    return form


def _list(data: dict[str, Any], key: str) -> list[dict[str, Any]]:
    value = data.get(key)
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _label_name(stream: str) -> str:
    """``user/-/label/World`` -> ``World``."""
    _, found, name = stream.partition("/label/")
    return name if found else ""


def _feed_url(stream: str) -> str:
    """``feed/https://…`` -> the url (servers whose ids are their urls)."""
    return stream[5:] if stream.startswith("feed/http") else ""
