"""Sync from the TUI against a real FreshRSS on 127.0.0.1: at start, with R, and what the
user marks going to the server."""

from __future__ import annotations

from pathlib import Path

import pytest
from httpserver import LoopbackServer
from tui_helpers import flat, make_app, screen_text, settle, started, wait_for, widget_text

from newsreader.config import Settings, SyncSettings
from tests.freshrss import Account, FreshRSS
from tests.unit.refresh_helpers import rss


@pytest.fixture
def account(freshrss: FreshRSS, http_server: LoopbackServer) -> Account:
    """A FreshRSS user subscribed to one loopback feed of three items."""
    http_server.route("/wire.xml", body=rss("Wire", items=3, prefix="story"))
    user = freshrss.new_account()
    user.subscribe(http_server.url("/wire.xml"))
    return user


def synced_settings(account: Account, auto: bool) -> Settings:
    settings = Settings()
    settings.fetch.full_text = "never"
    settings.sync = SyncSettings(
        kind="greader", url=account.server.api, user=account.user, auto_sync=auto
    )
    return settings


async def test_the_app_syncs_at_start(
    db_path: Path, tmp_path: Path, account: Account, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSREADER_SYNC_PASSWORD", account.password)
    app = make_app(db_path, tmp_path, synced_settings(account, auto=True))
    async with started(app) as pilot:
        assert await wait_for(pilot, lambda: "story 2" in widget_text(app, "#articles"))
        assert "Wire" in widget_text(app, "#feeds")


async def test_r_syncs_and_what_the_user_marks_reaches_the_server(
    db_path: Path, tmp_path: Path, account: Account, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSREADER_SYNC_PASSWORD", account.password)
    app = make_app(db_path, tmp_path, synced_settings(account, auto=False))
    async with started(app) as pilot:
        await pilot.press("R")
        assert await wait_for(pilot, lambda: "story 2" in widget_text(app, "#articles"))
        assert await wait_for(pilot, lambda: "Synced: 3 new articles" in flat(screen_text(app)))
        assert len(account.unread()) == 3
        await pilot.press("m")  # the article under the cursor: read
        await settle(pilot, app)
        await pilot.press("R")
        assert await wait_for(pilot, lambda: len(account.unread()) == 2, timeout=15)
        await settle(pilot, app)


async def test_a_wrong_password_is_one_line_on_screen(
    db_path: Path, tmp_path: Path, account: Account, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSREADER_SYNC_PASSWORD", "wrong")
    app = make_app(db_path, tmp_path, synced_settings(account, auto=False))
    async with started(app) as pilot:
        await pilot.press("R")
        assert await wait_for(
            pilot, lambda: "Sync stopped: the sync server refused user" in flat(screen_text(app))
        )
        assert "Traceback" not in screen_text(app)
