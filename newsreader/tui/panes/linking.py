"""Linking two claims from the keyboard: ``M`` marks the claim here, then ``K`` on another
claim (in any article) asks how they relate and stores the link."""

from __future__ import annotations

from functools import partial
from typing import Protocol

from textual.app import App
from textual.notifications import SeverityLevel

from newsreader.annotations import claimlinks, service
from newsreader.models import Annotation, ClaimLink
from newsreader.store.annotations import get_annotation
from newsreader.tui.context import NewsApp
from newsreader.tui.marks import quote
from newsreader.tui.screens.linking import LinkChoice, LinkScreen


class Pane(Protocol):
    """What the linker needs of the reader pane."""

    @property
    def app(self) -> App[object]:
        """The running app (to push the dialog)."""

    @property
    def news(self) -> NewsApp:
        """The store."""

    def say(self, message: str, severity: SeverityLevel = "information") -> None:
        """One line for the user."""

    def load_marks(self, *, keep: bool = False) -> None:
        """Read the open article's marks (and links) again."""


class Linker:
    """The marked claim, kept while the reader moves from article to article."""

    def __init__(self, pane: Pane) -> None:
        self.pane = pane
        self.marked: int | None = None
        """The id of the claim marked to link (None: none)."""

    def mark(self, here: Annotation | None) -> None:
        """Mark ``here`` (the claim under the cursor or on the panel's row)."""
        if here is None or here.kind != "claim":
            self.pane.say("Put the cursor on a claim (or its row in the panel) to mark it.")
            return
        self.marked = here.id
        self.pane.say(
            f"Marked the claim {quote(here.exact)}: go to another claim (any article) "
            "and press K to link them."
        )

    def link(self, here: Annotation | None) -> None:
        """Ask how the marked claim and ``here`` relate, then link them."""
        pane = self.pane
        marked = get_annotation(pane.news.conn, self.marked) if self.marked else None
        if marked is None or marked.deleted is not None:
            self.marked = None
            pane.say("Mark a claim first: M on it, then K on the claim to link it to.", "warning")
        elif here is None or here.kind != "claim":
            pane.say("Put the cursor on the claim to link the marked one to.", "warning")
        elif here.id == marked.id:
            pane.say("That is the marked claim: go to another claim to link it.", "warning")
        else:
            pane.app.push_screen(LinkScreen(marked, here), partial(self._save, marked.id, here.id))

    def _save(self, marked_id: int, here_id: int, choice: LinkChoice | None) -> None:
        if choice is None:
            return
        pane = self.pane
        source, target = (here_id, marked_id) if choice.reverse else (marked_id, here_id)
        try:
            link, new = claimlinks.link_claims(pane.news.conn, source, choice.relation, target)
        except service.USER_ERRORS as exc:
            pane.say(f"Not linked: {exc}", "error")
            return
        self.marked = None
        pane.load_marks(keep=True)
        said = "Linked" if new else "Already linked"
        pane.say(f"{said}: {quote(link.source.exact)} {link.relation} {quote(link.target.exact)}.")

    def unlink(self, link_id: int) -> ClaimLink | None:
        """Remove a link (x on its row in the panel); returns it, to undo."""
        pane = self.pane
        link = claimlinks.link_by_id(pane.news.conn, link_id)
        try:
            claimlinks.remove_link(pane.news.conn, link_id)
        except service.USER_ERRORS as exc:
            pane.say(f"The link was not removed: {exc}", "error")
            return None
        pane.load_marks(keep=True)
        pane.say("Removed the link (ctrl+z brings it back).")
        return link
