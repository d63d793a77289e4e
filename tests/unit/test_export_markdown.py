"""Markdown export: golden pages of the sample article, escaping of hostile feed text, safe
file names inside the output folder, byte-identical re-exports and the user's section."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import time
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote

import pytest
from export_sample import CLAIM, T0, Sample, build_sample, golden, store_demo_feed
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from newsreader.annotations import service
from newsreader.export.files import ExportPathError, user_section
from newsreader.export.mdtext import USER_BEGIN, USER_END, escape
from newsreader.export.vault import (
    actor_markdown,
    article_markdown,
    export_actor_file,
    export_article_file,
    export_tree,
)
from newsreader.models import ParsedEntry
from newsreader.store.articles import get_article, upsert_entries
from newsreader.store.feeds import add_feed, remove_feed

COMMONMARK = MarkdownIt("commonmark").enable(["table", "strikethrough"])
EXPORTED = T0 + 2 * 86400
"""When the golden pages were exported (2026-01-11 12:00 UTC), after every change."""


@pytest.fixture
def sample(conn: sqlite3.Connection) -> Sample:
    return build_sample(conn)


def tree_files(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def rendered_text(markdown: str) -> str:
    """What a CommonMark reader sees: the rendered HTML's text, white space collapsed."""
    html = COMMONMARK.render(markdown)
    text = re.sub(r"<[^>]+>", " ", html)
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
    return " ".join(text.replace("&amp;", "&").split())


# --- golden files -------------------------------------------------------------------------


def test_article_page_matches_golden(conn: sqlite3.Connection, sample: Sample) -> None:
    page = article_markdown(conn, sample.article_id, now=EXPORTED)
    golden("sample-article.md", page)
    assert page.startswith('---\nid: "newsreader-article-')
    # notes first, then claims in text order, then mentions, then the orphan
    order = [
        page.index(h) for h in ("## Notes", "## Claims", "## Mentions", "## Orphaned annotations")
    ]
    assert order == sorted(order)
    assert page.index(CLAIM) < page.index("Petro argued those operations")
    assert "- Speaker: [[Donald-Trump|Donald Trump]]" in page
    assert "- About: [[Gustavo-Petro|Gustavo Petro]]" in page
    assert "#:~:text=Trump%20described%20the%20conversation%20as%20constructive" in page


def test_plain_names_without_wiki_links(conn: sqlite3.Connection, sample: Sample) -> None:
    page = article_markdown(conn, sample.article_id, wiki_links=False, now=EXPORTED)
    golden("sample-article-plain.md", page)
    assert "[[" not in page
    assert "- Speaker: Donald Trump" in page and '  - "Gustavo Petro"' in page


def test_actor_dossier_matches_golden(conn: sqlite3.Connection, sample: Sample) -> None:
    page = actor_markdown(conn, sample.petro_id, now=EXPORTED)
    golden("sample-dossier-petro.md", page)
    by, about = (
        page.index("## Claims by Gustavo Petro (1)"),
        page.index("## Claims about Gustavo Petro (1)"),
    )
    assert by < page.index("Petro argued those operations") < about < page.index(CLAIM)
    assert "## Mentions (12)" in page and 'aliases:\n  - "Petro"' in page
    assert "12 mentions (1 tagged)" in page  # the tag and the 11 other places named


def test_notes_folder_matches_golden(
    conn: sqlite3.Connection, sample: Sample, tmp_path: Path
) -> None:
    report = export_tree(conn, tmp_path / "notes", now=EXPORTED)
    files = tree_files(tmp_path / "notes")
    assert sorted(files) == [
        "actors/Colombia.md",
        "actors/Donald-Trump.md",
        "actors/Gustavo-Petro.md",
        "articles/Trump-and-Petro-Open-Channel-After-Diplomatic-Standoff-a4cf46ab3bfd.md",
        "index.md",
    ]
    assert len(report.written) == report.files == 5
    for name, data in files.items():
        golden(f"notes/{name}", data.decode("utf-8"))


# --- safety of text -------------------------------------------------------------------------

HOSTILE_TITLES = [
    "---\nfoo: bar",
    'Colon: "quoted" title',
    "@handle *alias &anchor !tag",
    "# not a comment",
    "back\\slash\ttab",
    "line\u2028separator",
    "- [x] done",
    "[[Link]]",
    "<!-- /newsreader:user-notes -->",
    "yes",
    "'single'",
]


@pytest.mark.parametrize("title", HOSTILE_TITLES)
def test_front_matter_values_survive_hostile_titles(conn: sqlite3.Connection, title: str) -> None:
    feed_id, _ = add_feed(conn, "https://example.org/feed")
    upsert_entries(
        conn,
        feed_id,
        [
            ParsedEntry(
                key="k", url="https://example.org/a", title=title, author=title, text="Body text."
            )
        ],
    )
    article_id = conn.execute("SELECT id FROM articles").fetchone()[0]
    conn.execute(
        "UPDATE articles SET title = ?, author = ? WHERE id = ?", (title, title, article_id)
    )  # stored as is, even unsanitised
    page = article_markdown(conn, article_id)
    lines = page.split("\n")
    assert lines[0] == "---"
    end = lines.index("---", 1)
    keys = [line.partition(":")[0] for line in lines[1:end] if not line.startswith(" ")]
    fields = {k: v for k, _, v in (line.partition(": ") for line in lines[1:end]) if v}
    # double-quoted YAML scalars that are also JSON strings: parse them back exactly
    assert json.loads(fields["title"]) == title and json.loads(fields["author"]) == title
    assert keys == [
        "id",
        "title",
        "url",
        "feed",
        "author",
        "published",
        "exported",
        "modified",
        "actors",
        "tags",
    ]
    assert USER_BEGIN not in page.split("\n") and USER_END not in page.split("\n")


QUOTES = [
    "# Breaking: a heading?",
    "> not a quote",
    "- not a list",
    "1. not ordered",
    "[[Wiki]] and [link](javascript:alert(1)) and ![img](x)",
    "*bold* _it_ `code`",
    "<script>alert(1)</script>",
    "| a | b |",
    "$100 and $200",
    "==mark== %%hidden%%",
    "#hashtag",
    "a\\b",
    "&amp; entity",
    "---",
]


@pytest.mark.parametrize("quote", QUOTES)
def test_quoted_feed_text_renders_literally(conn: sqlite3.Connection, quote: str) -> None:
    feed_id, _ = add_feed(conn, "https://example.org/feed")
    text = f"Before.\n\n{quote}\n\nAfter."
    upsert_entries(
        conn, feed_id, [ParsedEntry(key="k", url="https://example.org/a", title="T", text=text)]
    )
    article_id = conn.execute("SELECT id FROM articles").fetchone()[0]
    service.create_from_quote(conn, article_id, quote, "highlight")
    page = article_markdown(conn, article_id)
    section = page[page.index("## Highlights") :]
    quoted = section.split("\n\n")[1]
    html = COMMONMARK.render(quoted)
    assert html.startswith("<blockquote>\n<p>") and html.count("<p>") == 1
    assert not re.search(r"<(h\d|ul|ol|a|code|em|strong|script|table|hr)\b", html)
    assert rendered_text(quoted) == " ".join(quote.split())


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab #>-+*_`[]()!<&;|$~=%^\\.:1\n ")), max_size=40))
def test_escaped_text_renders_as_itself(text: str) -> None:
    assert rendered_text(escape(text)) == " ".join(text.split())


# --- files ------------------------------------------------------------------------------------

UNSAFE = [
    "../../etc/passwd",
    "CON",
    "x" * 300,
    "語" * 300,
    ".hidden",
    "a/b\\c:d*e?f",
    "",
    "..",
    "nul.txt",
    "COM1",
]


def test_unsafe_titles_make_safe_names_inside_the_folder(
    conn: sqlite3.Connection, tmp_path: Path
) -> None:
    feed_id, _ = add_feed(conn, "https://example.org/feed")
    upsert_entries(
        conn,
        feed_id,
        [
            ParsedEntry(key=str(i), url=f"https://example.org/{i}", title=title, text="Some text.")
            for i, title in enumerate(UNSAFE)
        ],
    )
    for (article_id,) in conn.execute("SELECT id FROM articles").fetchall():
        service.add_note(conn, article_id, "a note")
    out = tmp_path / "vault" / "notes"
    before = sorted(p for p in tmp_path.rglob("*"))
    export_tree(conn, out)
    created = sorted(set(tmp_path.rglob("*")) - set(before) - {out.parent, out})
    articles = [p for p in created if p.parent.name == "articles"]
    assert len(articles) == len(UNSAFE)
    for path in created:
        assert path.resolve().is_relative_to(out.resolve())
        assert len(path.name.encode()) <= 255 and not path.name.startswith(".")
        assert path.stem.split(".")[0].upper() not in {"CON", "NUL", "COM1", "PRN", "AUX"}
    assert not (tmp_path / "etc").exists() and not (out.parent / "etc").exists()


def test_a_symlink_out_of_the_folder_is_refused(
    conn: sqlite3.Connection, sample: Sample, tmp_path: Path
) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    out = tmp_path / "notes"
    out.mkdir()
    (out / "articles").symlink_to(outside, target_is_directory=True)
    with pytest.raises(ExportPathError):
        export_tree(conn, out)
    assert list(outside.iterdir()) == []


def test_reexport_is_byte_identical_and_touches_nothing(
    conn: sqlite3.Connection, sample: Sample, tmp_path: Path
) -> None:
    out = tmp_path / "notes"
    export_tree(conn, out)
    before = tree_files(out)
    for path in out.rglob("*.md"):
        os.utime(path, (1_000_000, 1_000_000))
    again = export_tree(conn, out)
    assert again.written == [] and again.files == 5
    assert tree_files(out) == before
    assert all(p.stat().st_mtime == 1_000_000 for p in out.rglob("*.md"))


def front_matter(page: str) -> dict[str, str]:
    """The top-level ``key: value`` lines of a page's front matter."""
    lines = page.split("\n")
    end = lines.index("---", 1)
    return {k: v for k, _, v in (line.partition(": ") for line in lines[1:end]) if v}


def test_exported_is_the_export_time_and_modified_the_last_change(
    conn: sqlite3.Connection, sample: Sample
) -> None:
    article = front_matter(article_markdown(conn, sample.article_id, now=T0 + 30 * 86400))
    assert article["exported"] == "2026-02-08T12:00:00Z"
    assert article["modified"] == "2026-01-09T13:00:00Z"  # the disputed status
    dossier = front_matter(actor_markdown(conn, sample.petro_id, now=T0 + 30 * 86400))
    assert (dossier["exported"], dossier["modified"]) == (
        "2026-02-08T12:00:00Z",
        "2026-01-09T13:00:00Z",
    )
    before = time.time()
    stamped = front_matter(article_markdown(conn, sample.article_id))["exported"]
    assert datetime.fromisoformat(stamped).timestamp() >= int(before)


def test_a_later_export_of_unchanged_data_leaves_the_files_and_their_time(
    conn: sqlite3.Connection, sample: Sample, tmp_path: Path
) -> None:
    out = tmp_path / "notes"
    export_tree(conn, out, now=EXPORTED)
    before = tree_files(out)
    again = export_tree(conn, out, now=EXPORTED + 86400)
    assert again.written == [] and tree_files(out) == before
    path, changed = export_article_file(conn, sample.article_id, out, now=EXPORTED + 86400)
    assert not changed and path.read_bytes() == before[path.relative_to(out).as_posix()]
    assert front_matter(path.read_text())["exported"] == "2026-01-11T12:00:00Z"
    edited = time.time()
    service.set_note(conn, sample.claim_id, "Changed.")
    path, changed = export_article_file(conn, sample.article_id, out, now=EXPORTED + 7200)
    assert changed
    dates = front_matter(path.read_text())
    assert dates["exported"] == "2026-01-11T14:00:00Z"
    assert datetime.fromisoformat(dates["modified"]).timestamp() >= int(edited)


def test_user_section_survives_and_edits_update_in_place(
    conn: sqlite3.Connection, sample: Sample, tmp_path: Path
) -> None:
    out = tmp_path / "notes"
    export_tree(conn, out)
    [page] = (out / "articles").iterdir()
    mine = "My own analysis.\n\n## With a heading\n\n<!-- and a comment -->\n"
    page.write_text(page.read_text().replace(f"{USER_BEGIN}\n\n", f"{USER_BEGIN}\n{mine}"))
    service.set_note(conn, sample.claim_id, "Revised: confirmed by both sides.")
    service.set_status(conn, sample.claim_id, "supported", now=T0 + 86400)
    report = export_tree(conn, out)
    assert page in report.written and out / "actors" / "Colombia.md" not in report.written
    assert [p.name for p in (out / "articles").iterdir()] == [page.name]
    text = page.read_text()
    assert user_section(text) == mine
    assert "Revised: confirmed by both sides." in text and "Only Trump's account" not in text
    assert "modified: 2026-01-10T12:00:00Z" in text
    assert export_tree(conn, out).written == []


def test_renamed_article_keeps_its_file_and_user_text(
    conn: sqlite3.Connection, sample: Sample, tmp_path: Path
) -> None:
    out = tmp_path / "notes"
    export_tree(conn, out)
    [old] = (out / "articles").iterdir()
    old.write_text(old.read_text().replace(f"{USER_BEGIN}\n\n", f"{USER_BEGIN}\nkeep me\n"))
    conn.execute("UPDATE articles SET title = 'A New Headline' WHERE id = ?", (sample.article_id,))
    export_tree(conn, out)
    [new] = (out / "articles").iterdir()
    assert new.name == "A-New-Headline-a4cf46ab3bfd.md"
    assert user_section(new.read_text()) == "keep me\n"


def test_annotations_of_a_removed_article_still_export(
    conn: sqlite3.Connection, sample: Sample, tmp_path: Path
) -> None:
    out = tmp_path / "notes"
    export_tree(conn, out)
    [page] = (out / "articles").iterdir()
    feed_id = conn.execute(
        "SELECT feed_id FROM articles WHERE id = ?", (sample.article_id,)
    ).fetchone()[0]
    remove_feed(conn, feed_id)
    export_tree(conn, out)
    assert [p.name for p in (out / "articles").iterdir()] == [page.name]
    text = page.read_text()
    assert CLAIM in text and "## Notes" in text and "Gustavo Petro" in text


def resolve_text_fragment(link: str, text: str) -> int:
    """Where a browser's text-fragment search lands in ``text`` (the start of the match of
    ``[prefix-,]start[,end][,-suffix]``: each term whole words, context separated from the
    quote by white space only), or -1."""
    terms = [unquote(t) for t in link.split(":~:text=", 1)[1].split(",")]
    prefix = terms.pop(0)[:-1] if terms[0].endswith("-") else ""
    suffix = terms.pop()[1:] if terms[-1].startswith("-") else ""
    quote = r"\b" + r"\b.*?\b".join(re.escape(t) for t in terms) + r"\b"
    before = rf"\b{re.escape(prefix)}\s*" if prefix else ""
    after = rf"\s*{re.escape(suffix)}\b" if suffix else ""
    found = re.search(f"{before}(?P<quote>{quote}){after}", text)
    return -1 if found is None else found.start("quote")


def test_a_later_occurrence_links_to_itself_not_the_first(conn: sqlite3.Connection) -> None:
    article_id = store_demo_feed(conn)
    text = get_article(conn, article_id).text
    second = service.create_from_quote(conn, article_id, "Petro", "highlight", occurrence=2)
    long = (
        "Trump imposed sanctions on Petro last year and revoked his US visa after the "
        "Colombian president"
    )
    claim = service.create_from_quote(conn, article_id, long, "claim")
    page = article_markdown(conn, article_id)
    links = re.findall(r"\[at the quote\]\((\S+)\)", page)
    assert len(links) == 2
    assert second.start != text.index("Petro")  # the first "Petro" is elsewhere
    assert sorted(resolve_text_fragment(link, text) for link in links) == [
        second.start,
        claim.start,
    ]
    assert "#:~:text=direct%20contact%20since-,Petro,-took%20office%20in)" in page


def test_only_web_links_are_linked(conn: sqlite3.Connection) -> None:
    feed_id, _ = add_feed(conn, "https://example.org/feed")
    upsert_entries(
        conn,
        feed_id,
        [ParsedEntry(key="k", url="javascript:alert(1)", title="T", text="A claim is here.")],
    )
    article_id = conn.execute("SELECT id FROM articles").fetchone()[0]
    service.create_from_quote(conn, article_id, "A claim is here.", "claim")
    page = article_markdown(conn, article_id)
    assert 'url: ""' in page and "javascript" not in page and "- Source:" not in page


def test_single_pages_go_into_the_folder_layout(
    conn: sqlite3.Connection, sample: Sample, tmp_path: Path
) -> None:
    out = tmp_path / "vault"
    path, changed = export_article_file(conn, sample.article_id, out)
    assert changed and path.parent == (out / "articles").resolve()
    assert path.name == "Trump-and-Petro-Open-Channel-After-Diplomatic-Standoff-a4cf46ab3bfd.md"
    path.write_text(path.read_text().replace(f"{USER_BEGIN}\n\n", f"{USER_BEGIN}\nmine\n"))
    assert export_article_file(conn, sample.article_id, out) == (path, False)
    assert user_section(path.read_text()) == "mine\n"
    dossier, changed = export_actor_file(conn, sample.trump_id, out)
    assert changed and dossier == (out / "actors" / "Donald-Trump.md").resolve()
    # the same pages an export of everything writes: nothing left to change but the rest
    report = export_tree(conn, out)
    assert path not in report.written and dossier not in report.written
    assert len(report.written) == 3
