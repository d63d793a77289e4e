"""Markdown from templates (issue 14): the built-in templates write what the export wrote
before them, byte for byte (golden pages of commit 5267bad, and the old renderer as an
oracle over generated annotations); the user's templates win by name; any template error
is one line naming the file and line, and the sandbox refuses attribute tricks."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import legacy_markdown as legacy
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from md_variants import GOLDEN, build_variants, render_all

from newsreader.export import markdown
from newsreader.export.collect import ArticleBundle, ArticleInfo, ExportData
from newsreader.export.templating import NAMES, TemplateError, Templates, built_in_source
from newsreader.models import Actor, Annotation, Note, Snapshot
from newsreader.store import connect

# --- byte for byte ------------------------------------------------------------------------


def test_every_variant_renders_as_commit_5267bad_did(
    conn: sqlite3.Connection, tmp_path: Path
) -> None:
    pages = render_all(conn, build_variants(conn), tmp_path)
    expected = {
        p.relative_to(GOLDEN).as_posix(): p.read_bytes() for p in GOLDEN.rglob("*") if p.is_file()
    }
    assert sorted(pages) == sorted(expected)
    differ = [name for name, text in pages.items() if text.encode("utf-8") != expected[name]]
    assert differ == []


TEXT = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs",)).filter(lambda c: c != "\r"),
    max_size=30,
)
SNAP = Snapshot("https://example.org/a", "A title", "Feed", 1767900000.0)


@st.composite
def annotations(draw: st.DrawFn) -> list[Annotation]:
    made = []
    for n in range(draw(st.integers(0, 5))):
        kind = draw(st.sampled_from(["claim", "mention", "highlight"]))
        actor = draw(st.sampled_from([(None, None), (1, "Ana"), (2, draw(TEXT))]))
        made.append(
            Annotation(
                id=n + 1,
                uid=f"{n:032x}",
                article_id=draw(st.sampled_from([1, None])),
                kind=kind,
                start=n,
                end=n + 1,
                exact=draw(TEXT) or "x",
                prefix=draw(TEXT),
                suffix=draw(TEXT),
                orphaned=draw(st.booleans()),
                actor_id=actor[0] if kind == "mention" else None,
                actor_name=actor[1] if kind == "mention" else None,
                speaker_id=actor[0] if kind == "claim" else None,
                speaker_name=actor[1] if kind == "claim" else None,
                about=((1, "Ana"),) if kind == "claim" and draw(st.booleans()) else (),
                status=draw(st.sampled_from([None, "disputed"])) if kind == "claim" else None,
                note=draw(TEXT),
                snapshot=SNAP,
                created=1767960000.0 + n,
                modified=1767960000.0 + n,
            )
        )
    return made


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    annotations(),
    TEXT,
    TEXT,
    st.sampled_from(["", "javascript:x", "https://example.org/a b"]),
    st.booleans(),
    st.booleans(),
    st.lists(TEXT, max_size=2),
)
def test_generated_annotations_render_as_the_old_code_did(
    made: list[Annotation],
    title: str,
    note: str,
    url: str,
    wiki: bool,
    tree: bool,
    aliases: list[str],
) -> None:
    info = ArticleInfo("0123456789ab", 1, url, title, title[:5], title[-4:], 1767900000.0)
    notes = [Note(1, "n" * 32, 1, note, SNAP, 1767960000.0, 1767960000.0)] if note else []
    bundle = ArticleBundle(info, made, notes)
    actors = {1: Actor(1, "Ana", "person", tuple(aliases), note), 2: Actor(2, title or "B")}
    history = {a.id: [("unverified", 1.0), ("disputed", 2.0)] for a in made[:2]}
    data = ExportData([bundle], actors, history, counts={1: (1, 2, 3)})
    stems = {1: "Ana", 2: "B"}
    new, old = markdown.Style(wiki, stems, tree), legacy.Style(wiki, stems, tree)
    assert markdown.article_page(bundle, data, new, now=5.0) == legacy.article_page(
        bundle, data, old, now=5.0
    )
    assert markdown.index_page(data, new, now=5.0) == legacy.index_page(data, old, now=5.0)
    roles = markdown.actor_roles(data)
    for actor_id, actor in actors.items():
        got = markdown.actor_page(actor, roles.get(actor_id, {}), data, new, now=5.0)
        assert got == legacy.actor_page(actor, roles.get(actor_id, {}), data, old, now=5.0)


# --- the user's templates through the real command ----------------------------------------


@pytest.fixture
def setup(tmp_path: Path) -> tuple[Path, Path, int]:
    """A store with the variants, a config file and its (empty) templates folder."""
    db = tmp_path / "store.db"
    conn = connect(db)
    ids = build_variants(conn)
    conn.close()
    config = tmp_path / "conf" / "config.toml"
    (config.parent / "templates").mkdir(parents=True)
    config.write_text("")
    return db, config, ids["article:sample"]


def cli(db: Path, config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "newsreader", "--db", str(db), "--config", str(config), *args],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_user_template_replaces_the_built_in_one_by_name(
    setup: tuple[Path, Path, int],
) -> None:
    db, config, article = setup
    (config.parent / "templates" / "article.md.j2").write_text(
        "# {{ article.title | md_line }}\n{% for a in claims %}\n* {{ a.exact | md_inline }}\n"
        "{{ annotation(a, article) }}\n{% endfor %}\n"
    )
    done = cli(db, config, "export", "--article", str(article))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.split("\n")
    assert lines[0] == "# Trump and Petro Open Channel After Diplomatic Standoff"
    assert "* Trump described the conversation as constructive" in lines
    assert "- Speaker: [[Donald-Trump|Donald Trump]]" in lines  # the built-in annotation block
    listed = cli(db, config, "export", "--templates").stdout
    assert f"article.md.j2      yours     {config.parent / 'templates' / 'article.md.j2'}" in listed
    assert "actor.md.j2        built in" in listed


BAD = {
    "sandbox": ("ok\n{{ ''.__class__.__mro__ }}\n", 2, "refused by the sandbox"),
    "syntax": ("line one\n{% for a in claims %}\n", 2, "Unexpected end of template"),
    "undefined": ("a\nb\n{{ no_such_thing }}\n", 3, "'no_such_thing' is undefined"),
    "attribute": ("{{ article.nope }}\n", 1, "has no attribute 'nope'"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_a_template_error_is_one_line_and_writes_nothing(
    setup: tuple[Path, Path, int], tmp_path: Path, case: str
) -> None:
    db, config, _ = setup
    source, line, said = BAD[case]
    path = config.parent / "templates" / "article.md.j2"
    path.write_text(source)
    out = tmp_path / "notes"
    done = cli(db, config, "export", "--all", "--out", str(out))
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    [message] = done.stderr.strip().split("\n")
    assert f"template {path}, line {line}: " in message and said in message, message
    assert message.endswith("; nothing was written")
    assert not out.exists()


def test_a_sandboxed_template_cannot_reach_python_internals(tmp_path: Path) -> None:
    (tmp_path / "index.md.j2").write_text("{{ ().__class__.__base__.__subclasses__() }}")
    with pytest.raises(TemplateError, match=r"index\.md\.j2, line 1: refused by the sandbox"):
        Templates(tmp_path).render("index.md.j2")


def test_the_built_in_templates_can_be_printed_to_copy(setup: tuple[Path, Path, int]) -> None:
    db, config, _ = setup
    for name in NAMES:
        assert cli(db, config, "export", "--template", name).stdout == built_in_source(name)
    done = cli(db, config, "export", "--template", "nope.md.j2")
    assert done.returncode != 0 and "no template nope.md.j2" in done.stderr
