"""The Google Reader API client against a loopback server answering as a hostile or
broken sync server would: what it says reaches us as clean lines, bounded."""

from __future__ import annotations

import json

import pytest

from newsreader.sync.client import GReaderClient, SyncError, item_id
from tests.httpserver import LoopbackServer


def test_subscription_titles_and_folders_arrive_as_clean_lines(http_server: LoopbackServer) -> None:
    http_server.route(
        "/accounts/ClientLogin", body=b"SID=x\nAuth=token\n", content_type="text/plain"
    )
    listing = {
        "subscriptions": [
            {
                "id": "feed/7",
                "title": "Evil\x1b[31m\nTitle",
                "categories": [{"id": "user/-/label/Wo\x07rld", "label": "Wo\x07rld"}],
                "url": "https://example.org/feed xml",
            }
        ]
    }
    http_server.route(
        "/reader/api/0/subscription/list",
        body=json.dumps(listing).encode(),
        content_type="application/json",
    )
    with GReaderClient(http_server.url(""), "me", "pw") as client:
        (sub,) = client.subscriptions()
    assert "\x1b" not in sub.title and "\n" not in sub.title and sub.title.startswith("Evil")
    assert sub.folder == "World" and sub.url == "https://example.org/feed%20xml"
    seen = http_server.requests[-1]
    assert seen.headers["authorization"] == "GoogleLogin auth=token"


def test_an_answer_that_is_not_json_is_one_line(http_server: LoopbackServer) -> None:
    http_server.route("/accounts/ClientLogin", body=b"Auth=token\n", content_type="text/plain")
    http_server.route("/reader/api/0/tag/list", body=b"<html>oops</html>", content_type="text/html")
    with GReaderClient(http_server.url(""), "me", "pw") as client:
        with pytest.raises(SyncError, match="answered HTML, not the Google Reader API"):
            client.tags()


def test_item_ids_in_both_spellings() -> None:
    assert item_id("tag:google.com,2005:reader/item/000000000000001f") == "31"
    assert item_id("31") == "31"
