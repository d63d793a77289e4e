"""The claim editor's record fields: when it was said (an ISO date), its sources and its
links to other claims (both quotes). Everything shown comes from the store and is shown
as text only.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from newsreader.annotations import claimlinks
from newsreader.annotations.claimlinks import RecordChange, parse_day
from newsreader.annotations.service import AnnotationError
from newsreader.models import Annotation, Evidence
from newsreader.safety import clean_line, is_safe_link
from newsreader.tui import commands

SOURCE_HINT = "a web address, or #ID for an article; enter adds it"


@dataclass(frozen=True, slots=True)
class ClaimRecord:
    """A claim's event date, sources and links, as the editor starts with them."""

    event_date: str | None = None
    evidence: tuple[Evidence, ...] = ()
    links: tuple[tuple[str, str, str], ...] = ()
    """``(relation as read from this claim, the other claim's quote, its article's title)``."""


def record_of(conn: sqlite3.Connection, claim: Annotation) -> ClaimRecord:
    """A claim's event date, sources and links, read now (for the editor)."""
    links = tuple(
        (relation, other.exact, other.article_title)
        for relation, other in (
            claimlinks.describe(link, claim.id) for link in claimlinks.links(conn, claim.id)
        )
    )
    return ClaimRecord(claim.event_date, tuple(claimlinks.evidence(conn, claim.id)), links)


@dataclass(slots=True)
class _Source:
    label: str
    evidence_id: int | None = None
    """None for one added in this dialog (``label`` is what was typed)."""


def _source_label(e: Evidence) -> str:
    return f"{clean_line(e.title)} · {e.url}" if e.title else e.url


class SourceList(OptionList):
    """The claim's sources; ``x`` or ``delete`` removes the highlighted one."""

    BINDINGS = commands.bindings("sources")

    def __init__(self, sources: list[_Source], *, id: str | None = None) -> None:
        super().__init__(*(Option(Text(s.label)) for s in sources), id=id, compact=True)
        self.sources = sources
        self.removed: list[int] = []

    def add(self, label: str) -> None:
        """A source typed in the dialog (cited when the claim is saved)."""
        self.sources.append(_Source(label))
        self.add_option(Option(Text(label)))
        self.highlighted = len(self.sources) - 1

    def action_remove_highlighted(self) -> None:
        """Drop the highlighted source."""
        index = self.highlighted
        if index is None or not 0 <= index < len(self.sources):
            return
        gone = self.sources.pop(index)
        if gone.evidence_id is not None:
            self.removed.append(gone.evidence_id)
        self.remove_option_at_index(index)


class RecordFields(Vertical):
    """Event date, sources (add with enter, remove with x) and links, under the note."""

    def __init__(self, record: ClaimRecord | None = None) -> None:
        super().__init__(id="claim-record")
        self.record = record or ClaimRecord()

    def compose(self) -> ComposeResult:
        """The date, its error line, the sources, the links."""
        record = self.record
        yield Static(Text("Said or happened on (YYYY-MM-DD)", style="bold"), classes="field-label")
        yield Input(
            record.event_date or "",
            placeholder="optional: else the article's date counts",
            id="event-date",
            compact=True,
        )
        yield Static(Text(), id="record-error")
        yield Static(Text("Sources", style="bold"), classes="field-label")
        yield Input(placeholder=SOURCE_HINT, id="source-add", compact=True)
        yield SourceList([_Source(_source_label(e), e.id) for e in record.evidence], id="sources")
        if record.links:
            yield Static(Text("Links (x on one in the panel removes it)", style="bold"))
            yield Static(_links_text(record.links), id="claim-links")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in the sources box adds what was typed (checked first)."""
        if event.input.id != "source-add":
            return
        event.stop()
        typed = event.value.strip()
        if not typed:
            return
        if not (typed.startswith("#") and typed[1:].isdigit()) and not is_safe_link(typed):
            self.say(f"Not a source: {typed!r} (an http(s) address, or #ID for an article)")
            return
        self.say("")
        self.query_one("#sources", SourceList).add(clean_line(typed))
        event.input.value = ""

    def say(self, problem: str) -> None:
        """Show a problem in one line under the date ("" clears it)."""
        self.query_one("#record-error", Static).update(Text(clean_line(problem), style="bold"))

    def change(self) -> RecordChange:
        """What to store; AnnotationError (shown, one line) when the date is not a date."""
        day = self.query_one("#event-date", Input).value.strip()
        if day:
            try:
                day = parse_day(day)
            except AnnotationError as exc:
                self.say(str(exc))
                self.query_one("#event-date", Input).focus()
                raise
        sources = self.query_one("#sources", SourceList)
        return RecordChange(
            day or None,
            tuple(s.label for s in sources.sources if s.evidence_id is None),
            tuple(sources.removed),
        )


def _links_text(links: tuple[tuple[str, str, str], ...]) -> Text:
    text = Text()
    for index, (relation, quote, title) in enumerate(links):
        if index:
            text.append("\n")
        text.append(f"{relation} ", style="bold")
        flat = " ".join(quote.split())
        text.append("“" + (flat if len(flat) <= 120 else flat[:119] + "…") + "”", style="italic")
        if title:
            text.append(" · " + clean_line(title), style="dim")
    return text
