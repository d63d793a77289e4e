"""What the reader shows of an article's annotations: styled spans and the panel's rows.

Plain Python over the domain's records (no Textual): the screen loads an
:class:`ArticleMarks` in a worker when an article opens, keeps it up to date as the user
annotates, and derives from it the reader's spans and the side panel's rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from newsreader.annotations.actors import ActorMatch
from newsreader.annotations.claimlinks import describe
from newsreader.models import Annotation, ClaimLink, Evidence, Note
from newsreader.tui.spans import Span, SpanIndex

_QUOTE = 160
"""Characters of a quote kept for a panel row (the row is cut to the panel's width)."""


@dataclass
class ArticleMarks:
    """One article's annotations, notes and the known actors found in its text."""

    article_id: int
    annotations: list[Annotation]
    notes: list[Note]
    found: list[ActorMatch] = field(default_factory=list)
    """Known actors found in the text by the matcher (not stored)."""
    actor_names: dict[int, str] = field(default_factory=dict)
    """Names of the actors in ``found`` and of tagged mentions."""
    names: list[str] = field(default_factory=list)
    """Capitalised names in the text that are not actors yet (most frequent first)."""
    edited: dict[int, str] = field(default_factory=dict)
    """Annotations edited after they were marked (the text changed under their quote),
    by id, with their quotes as marked."""
    links: dict[int, list[ClaimLink]] = field(default_factory=dict)
    """The links from and to each claim (by claim id), oldest first."""
    evidence: dict[int, list[Evidence]] = field(default_factory=dict)
    """Each claim's sources (by claim id)."""
    _found_spans: list[Span] | None = field(default=None, init=False, repr=False)
    _index: SpanIndex | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        """Know the names of the speakers, actors tagged and actors claims are about."""
        for annotation in self.annotations:
            for actor_id, name in _actors_of(annotation):
                self.actor_names[actor_id] = name

    @property
    def annotated(self) -> bool:
        """Whether the article has anything stored on it."""
        return bool(self.annotations or self.notes)

    def annotation(self, annotation_id: int) -> Annotation | None:
        """One of this article's annotations, by id."""
        return next((a for a in self.annotations if a.id == annotation_id), None)

    def note(self, note_id: int) -> Note | None:
        """One of this article's notes, by id."""
        return next((n for n in self.notes if n.id == note_id), None)

    def put(self, annotation: Annotation) -> None:
        """Add an annotation, or replace the one with its id (text order is kept)."""
        self.annotations = [a for a in self.annotations if a.id != annotation.id]
        self.annotations.append(annotation)
        self.annotations.sort(key=lambda a: (a.start, a.end, a.id))
        self._index = None
        for actor_id, name in _actors_of(annotation):
            self.actor_names[actor_id] = name

    def drop(self, annotation_id: int) -> None:
        """Forget an annotation (it was deleted)."""
        self.annotations = [a for a in self.annotations if a.id != annotation_id]
        self._index = None

    def put_note(self, note: Note) -> None:
        """Add a note, or replace the one with its id."""
        self.notes = [n for n in self.notes if n.id != note.id] + [note]
        self.notes.sort(key=lambda n: (n.created, n.id))

    def drop_note(self, note_id: int) -> None:
        """Forget a note (it was deleted)."""
        self.notes = [n for n in self.notes if n.id != note_id]

    def spans(self) -> list[Span]:
        """The reader's styled spans: stored annotations (not orphaned) and found actors."""
        if self._found_spans is None:  # thousands on a long article: made once
            self._found_spans = [
                Span(m.start, m.end, "actor", "actor", None, m.actor_id) for m in self.found
            ]
        spans = list(self._found_spans)
        for a in self.annotations:
            if a.orphaned:
                continue
            style = f"claim-{a.status or 'unverified'}" if a.kind == "claim" else a.kind
            spans.append(Span(a.start, a.end, a.kind, style, a.id, a.actor_id))
        return spans

    def span_index(self) -> SpanIndex:
        """:meth:`spans` indexed for the reader; kept until an annotation changes (sorting
        thousands of spans is work for the loading worker, not the event loop)."""
        if self._index is None:
            self._index = SpanIndex(self.spans())
        return self._index

    def actors_in(self, start: int, end: int) -> list[int]:
        """Actors found or tagged inside ``[start, end)``, in text order, each once."""
        hits = [(m.start, m.actor_id) for m in self.found if start <= m.start and m.end <= end]
        hits += [
            (a.start, a.actor_id)
            for a in self.annotations
            if a.kind == "mention"
            and a.actor_id is not None
            and not a.orphaned
            and start <= a.start
            and a.end <= end
        ]
        return list(dict.fromkeys(actor_id for _, actor_id in sorted(hits)))


WINDOW_BEFORE, WINDOW_AFTER = 4_000, 16_000
"""Characters around the cursor marked at once when an article opens (a few screens)."""
WIDEN = 2_000
"""How far the window may grow to reach a line break; past it, it ends at a space."""


def text_window(text: str, offset: int) -> tuple[int, int]:
    """The range around ``offset`` marked first, widened to whole lines when one ends near.

    No actor name spans a line break, so finding actors in whole lines finds exactly
    what a scan of the whole text finds there. A text without line breaks nearby (one
    huge paragraph) is cut at a space instead, keeping the window small: a name cut there
    is marked a moment later, with the rest, by the worker.
    """
    start = max(0, offset - WINDOW_BEFORE)
    end = min(len(text), offset + WINDOW_AFTER)
    if start:
        lowest = max(0, start - WIDEN)
        cut = text.rfind("\n", lowest, start)
        if cut < 0:
            cut = text.rfind(" ", lowest, start)
        start = cut + 1 if cut >= 0 else start
    if end < len(text):
        cut = text.find("\n", end, end + WIDEN)
        if cut < 0:
            cut = text.find(" ", end, end + WIDEN)
        end = cut if cut >= 0 else end
    return start, end


def _actors_of(annotation: Annotation) -> list[tuple[int, str]]:
    pairs = list(annotation.about)
    if annotation.actor_id is not None and annotation.actor_name:
        pairs.append((annotation.actor_id, annotation.actor_name))
    if annotation.speaker_id is not None and annotation.speaker_name:
        pairs.append((annotation.speaker_id, annotation.speaker_name))
    return pairs


@dataclass(frozen=True, slots=True)
class PanelRow:
    """One line of the annotations panel."""

    kind: str
    """"heading", "claim", "highlight", "actor", "note", "orphan" or "hint"."""
    text: str
    """What the row says (plain text, from the store: shown as text only)."""
    mark: str = ""
    """A short tag drawn before the text in the row's style (a claim's status)."""
    style: str = ""
    annotation_id: int | None = None
    note_id: int | None = None
    actor_id: int | None = None
    offset: int | None = None
    """Where the row's annotation starts in the text (None: nowhere, e.g. orphans)."""
    link_id: int | None = None
    """A "link" row's link (its ``annotation_id`` is the claim it is listed under)."""


def quote(text: str) -> str:
    """A quote on one line, shortened for a row."""
    flat = " ".join(text.split())
    return "“" + (flat if len(flat) <= _QUOTE else flat[: _QUOTE - 1] + "…") + "”"


def panel_rows(marks: ArticleMarks | None) -> list[PanelRow]:
    """The panel's rows: claims, highlights, actors, notes and orphans, each under a heading."""
    if marks is None:
        return [PanelRow("hint", "Open an article to see its annotations.")]
    live = [a for a in marks.annotations if not a.orphaned]
    claims = [a for a in live if a.kind == "claim"]
    sections = [
        ("Claims", [row for a in claims for row in _claim_rows(a, marks)]),
        (
            "Highlights",
            [
                PanelRow(
                    "highlight",
                    edited_row(
                        quote(a.exact) + (" ✎" if a.note else ""), a, marks.edited.get(a.id)
                    ),
                    style="highlight",
                    annotation_id=a.id,
                    offset=a.start,
                )
                for a in live
                if a.kind == "highlight"
            ],
        ),
        ("Actors", _actor_rows(marks, live)),
        (
            "Notes",
            [PanelRow("note", _first_line(n.body), "✎", "note", note_id=n.id) for n in marks.notes],
        ),
        (
            "Orphaned",
            [
                PanelRow(
                    "orphan",
                    edited_row(f"{a.kind} {quote(a.exact)}", a, marks.edited.get(a.id)),
                    "?",
                    "orphan",
                    annotation_id=a.id,
                )
                for a in marks.annotations
                if a.orphaned
            ],
        ),
    ]
    rows: list[PanelRow] = []
    for title, entries in sections:
        if entries:
            count = sum(e.kind not in ("link", "source") for e in entries)
            rows.append(PanelRow("heading", f"{title} ({count})"))
            rows.extend(entries)
    if not rows:
        rows.append(
            PanelRow(
                "hint",
                "Nothing marked yet: select text, then c claim, "
                "t tag an actor, H highlight; N writes a note.",
            )
        )
    return rows


EDITED = "edited after you marked it"


def edited_row(text: str, a: Annotation, as_marked: str | None) -> str:
    """A row's text for an annotation edited after it was marked: the words first (rows
    are cut to the panel's width), its quote as it was marked last when the row's quote
    is another (``as_marked`` None: not edited, the text as it is)."""
    if as_marked is None:
        return text
    was = "" if as_marked == a.exact else f" · was {quote(as_marked)}"
    return f"{EDITED} · {text}{was}"


def link_text(link: ClaimLink, claim_id: int) -> str:
    """A link as seen from one of its claims: "contradicts “…” · Other article"."""
    relation, other = describe(link, claim_id)
    where = f" · {other.article_title}" if other.article_title else ""
    return f"{relation} {quote(other.exact)}{where}"


def _claim_rows(a: Annotation, marks: ArticleMarks) -> list[PanelRow]:
    """A claim's row, then a row for each of its links and sources."""
    rows = [_claim_row(a, marks.edited.get(a.id))]
    rows += [
        PanelRow(
            "link",
            link_text(link, a.id),
            "  ↳",
            "hint",
            annotation_id=a.id,
            offset=a.start,
            link_id=link.id,
        )
        for link in marks.links.get(a.id, [])
    ]
    rows += [
        PanelRow(
            "source",
            f"source: {e.title} · {e.url}" if e.title else f"source: {e.url}",
            "  ↳",
            "hint",
            annotation_id=a.id,
            offset=a.start,
        )
        for e in marks.evidence.get(a.id, [])
    ]
    return rows


def _claim_row(a: Annotation, as_marked: str | None = None) -> PanelRow:
    status = a.status or "unverified"
    speaker = f"{a.speaker_name}: " if a.speaker_name else ""
    said = f" · said {a.event_date}" if a.event_date else ""
    return PanelRow(
        "claim",
        edited_row(speaker + quote(a.exact) + said + (" ✎" if a.note else ""), a, as_marked),
        status,
        f"claim-{status}",
        annotation_id=a.id,
        offset=a.start,
    )


def _actor_rows(marks: ArticleMarks, live: list[Annotation]) -> list[PanelRow]:
    """One row per actor marked in the text: tagged mentions and found names together."""
    counts: dict[int, int] = {}
    first: dict[int, int] = {}
    tagged: dict[int, int] = {}
    places = {(m.actor_id, m.start) for m in marks.found}
    for a in live:
        if a.kind == "mention" and a.actor_id is not None:
            places.add((a.actor_id, a.start))
            tagged[a.actor_id] = tagged.get(a.actor_id, 0) + 1
    for actor_id, start in places:
        counts[actor_id] = counts.get(actor_id, 0) + 1
        first[actor_id] = min(first.get(actor_id, start), start)
    order = sorted(counts, key=lambda i: (-counts[i], marks.actor_names.get(i, "").casefold()))
    rows = []
    for actor_id in order:
        name = marks.actor_names.get(actor_id, f"actor {actor_id}")
        extra = f", {tagged[actor_id]} tagged" if actor_id in tagged else ""
        rows.append(
            PanelRow(
                "actor",
                f"{name} ×{counts[actor_id]}{extra}",
                style="actor",
                actor_id=actor_id,
                offset=first[actor_id],
            )
        )
    return rows


def _first_line(body: str) -> str:
    for line in body.splitlines():
        if line.strip():
            return line.strip()
    return "(empty note)"
