"""Duplicates from the command line: two feeds carrying one story (added from files: the
subscription groups them), `articles --json` says where else, `show --json` lists the
copies, `is:duplicate` finds them."""

from __future__ import annotations

import json
from pathlib import Path

from tests.test_cli import Run, run  # noqa: F401  (the fixture)

STORY = (
    "President Gustavo Petro spoke by phone with Donald Trump on Tuesday, the first call"
    " between the two leaders since a diplomatic standoff over deportation flights."
)


def feed(title: str, link: str, story_title: str, text: str) -> str:
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title>'
        f"<link>https://{title.lower()}.example/</link>"
        f"<item><guid>{title}-1</guid><title>{story_title}</title><link>{link}</link>"
        f"<pubDate>Tue, 06 Jan 2026 10:00:00 +0000</pubDate>"
        f"<description>{text}</description></item></channel></rss>"
    )


def test_copies_from_two_feeds(run: Run, tmp_path: Path) -> None:  # noqa: F811
    (tmp_path / "wire.xml").write_text(
        feed("Wire", "https://wire.example/petro", "Petro calls Trump", STORY)
    )
    (tmp_path / "paper.xml").write_text(
        feed(
            "Paper",
            "https://wire.example/petro?utm_source=rss&amp;utm_medium=feed",
            "Petro calls Trump - Paper",
            STORY,
        )
    )
    for name in ("wire.xml", "paper.xml"):
        added = run("add", str(tmp_path / name))
        assert added.returncode == 0, added.stderr
    listed = {a["feed_title"]: a for a in json.loads(run("articles", "--json").stdout)}
    assert listed["Wire"]["also_in"] == ["Paper"] and listed["Paper"]["also_in"] == ["Wire"]
    shown = json.loads(run("show", str(listed["Wire"]["id"]), "--json").stdout)
    assert shown["duplicates"] == [listed["Paper"]["id"]]
    found = json.loads(run("articles", "--search", "is:duplicate", "--json").stdout)
    assert len(found) == 2
