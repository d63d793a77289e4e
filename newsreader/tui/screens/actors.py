"""The actors screen: every actor with counts; for one, every claim by or about them and
every mention across all articles, newest first. ``enter`` on one dismisses the screen
with ``(article_id, start)``. The lists live in :mod:`newsreader.tui.widgets.actor_lists`;
the store is read in thread workers with their own connections.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.events import Key, Resize
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Input, Static
from textual.worker import get_current_worker

from newsreader.annotations.mentions import actor_summaries, refresh_name_matches
from newsreader.safety import clean_line
from newsreader.store import connect
from newsreader.store.actors import Activity, ActorSummary
from newsreader.tui import commands
from newsreader.tui.screens.dossier import Dossier, actor_timeline
from newsreader.tui.screens.dossier import activity as load_activity
from newsreader.tui.screens.help import HelpScreen
from newsreader.tui.widgets.actor_lists import (
    COLUMNS,
    LIST_KEYS,
    ActivityList,
    ActorList,
    command_bindings,
)
from newsreader.tui.widgets.key_bar import KeyBar
from newsreader.tui.widgets.line_list import LineList

NARROW_WIDTH = 100
"""Below this many columns, one list is shown at a time."""
LONG_SCAN = 2000
"""Articles to scan for names beyond which the cached counts are shown meanwhile."""
_SCREEN_KEYS = {
    "next_pane": ("", "The other list"),
    "previous_pane": ("", "The other list"),
    "search": ("Filter", "Filter the actors by name or alias (or just type)"),
    "back": ("Back", "Back: clear the filter, to the actors, or leave"),
    "quit": ("Close", "Leave the actors screen"),
    "help": None,
}
"""Registry commands bound here: ``(footer, description)`` of this screen, or None to keep
the registry's ("" footer hides the key from the footer)."""


_ACTIVITY = {c.id for c in commands.in_scope("activity")}
"""Keys of the claims list (T: the timeline), shown in the help while it has the focus."""


def sort_actors(summaries: list[ActorSummary]) -> list[ActorSummary]:
    """Busiest first (claims by + about + mentions), then by name ignoring case."""
    return sorted(
        summaries,
        key=lambda s: (
            -(s.claims_by + s.claims_about + s.mentions),
            s.actor.name.casefold(),
            s.actor.id,
        ),
    )


def filter_actors(summaries: list[ActorSummary], text: str) -> list[ActorSummary]:
    """The actors whose name or an alias contains ``text``, ignoring case."""
    needle = text.strip().casefold()
    if not needle:
        return summaries
    return [
        s
        for s in summaries
        if any(needle in name.casefold() for name in (s.actor.name, *s.actor.aliases))
    ]


@dataclass
class ActorsLoaded(Message):
    """Every actor, sorted (or the error that stopped the load)."""

    summaries: list[ActorSummary]
    error: str = ""
    final: bool = True
    """False for the counts shown while the names found in new text are still counted."""


@dataclass
class ActivityLoaded(Message):
    """One actor's activity or timeline; ``token`` says which request it answers."""

    token: int
    dossier: Dossier
    error: str = ""


def actor_header(summary: ActorSummary) -> Text:
    """The chosen actor above their activity: name, kind, aliases, description."""
    actor = summary.actor
    text = Text(clean_line(actor.name), style="bold")
    text.append(f"  {actor.kind}", style="dim")
    text.append(f"  · {summary.mentions} mentions, {summary.tagged} tagged", style="dim")
    if actor.aliases:
        text.append("\nalso: " + ", ".join(clean_line(a) for a in actor.aliases), style="dim")
    if actor.description:
        text.append("\n" + clean_line(actor.description))
    return text


class ActorsScreen(Screen[tuple[int, int] | None]):
    """Every actor, and the chosen one's claims and mentions across all articles.

    Dismissed with ``(article_id, start)`` when the user picks a claim or mention, or
    None when they leave (escape from the actor list, or ``q``).
    """

    BINDINGS = command_bindings(_SCREEN_KEYS)
    AUTO_FOCUS = "#actors"

    def __init__(self, db_path: Path) -> None:
        super().__init__()
        self.db_path = Path(db_path)
        self.summaries: list[ActorSummary] = []
        """Every actor, busiest first (the filter picks from these)."""
        self._token = 0
        self._shown_actor: int | None = None
        self._provisional = False
        """The list shows cached counts while names are counted."""
        self.timeline = False
        """The right list shows the actor's claims by when they were said (T toggles)."""

    def compose(self) -> ComposeResult:
        """The actor list (with its filter) beside the chosen actor's activity."""
        with Horizontal(id="actors-panes"):
            with Vertical(id="actors-pane", classes="pane -active"):
                yield Input(placeholder="filter by name or alias", id="actors-filter")
                yield Static(Text(COLUMNS, style="dim"), id="actors-columns")
                yield ActorList(id="actors")
            with Vertical(id="activity-pane", classes="pane"):
                yield Static(id="actor-header")
                yield ActivityList(id="activity")
        yield KeyBar()

    @property
    def actor_list(self) -> ActorList:
        """The left list."""
        return self.query_one("#actors", ActorList)

    @property
    def activity(self) -> ActivityList:
        """The right list."""
        return self.query_one("#activity", ActivityList)

    @property
    def filter_input(self) -> Input:
        """The filter prompt above the actor list."""
        return self.query_one("#actors-filter", Input)

    def on_mount(self) -> None:
        """Start loading the actors."""
        self.query_one("#actors-pane").border_title = "Actors"
        self.query_one("#actors-pane").border_subtitle = "claims by · about · mentions"
        self.query_one("#activity-pane").border_title = "Claims and mentions"
        self.filter_input.display = False
        self._read(
            "actors",
            self._load_actors,
            lambda error: ActorsLoaded([], f"Could not read the actors: {error}"),
        )

    def _load_actors(self, conn: sqlite3.Connection) -> ActorsLoaded:
        """The counts once the names in new or changed text are counted; before a long
        count (after a name most articles use changed), the cached counts meanwhile."""

        def progress(done: int, total: int) -> None:
            if done == 0 and total > LONG_SCAN:
                self.post_message(ActorsLoaded(sort_actors(actor_summaries(conn)), final=False))

        refresh_name_matches(conn, progress)
        return ActorsLoaded(sort_actors(actor_summaries(conn)))

    # --- loading ------------------------------------------------------------------------
    def _read(
        self,
        group: str,
        job: Callable[[sqlite3.Connection], Message],
        failed: Callable[[str], Message],
    ) -> None:
        """Run ``job`` on a fresh connection in a thread; post what it returns."""
        self.run_worker(
            partial(self._read_in_thread, job, failed),
            thread=True,
            exclusive=True,
            group=group,
            exit_on_error=False,
        )

    def _read_in_thread(
        self, job: Callable[[sqlite3.Connection], Message], failed: Callable[[str], Message]
    ) -> None:
        worker = get_current_worker()
        try:
            conn = connect(self.db_path, migrate_schema=False)
            try:
                message = job(conn)
            finally:
                conn.close()
        except sqlite3.Error as exc:
            message = failed(str(exc))
        if not worker.is_cancelled:
            self.post_message(message)

    def on_actors_loaded(self, message: ActorsLoaded) -> None:
        """Show the actors and the first one's activity."""
        if message.error:
            self.notify(clean_line(message.error), severity="error", markup=False)
        self.summaries = message.summaries
        self.query_one("#actors-pane").border_subtitle = (
            "claims by · about · mentions"
            if message.final
            else "claims by · about · mentions (counting names…)"
        )
        if message.final:  # the counts changed: the header and activity too
            self._shown_actor = None
        self._apply_filter(keep=not self._provisional)
        self._provisional = not message.final

    def on_activity_loaded(self, message: ActivityLoaded) -> None:
        """Show the chosen actor's activity (answers to older requests are dropped)."""
        if message.token != self._token:
            return
        if message.error:
            self.notify(clean_line(message.error), severity="error", markup=False)
        found = message.dossier
        self.activity.set_items(
            found.items,
            "No claims yet." if self.timeline else "No claims or mentions yet.",
            found.links,
            found.dates if self.timeline else None,
        )
        title = "Timeline: claims by when said" if self.timeline else "Claims and mentions"
        self.query_one("#activity-pane").border_title = f"{title} ({len(found.items)})"

    def _apply_filter(self, *, keep: bool = True) -> None:
        rows = filter_actors(self.summaries, self.filter_input.value)
        actors = self.actor_list
        actors.empty_hint = (
            "No actor matches the filter."
            if self.summaries
            else "No actors yet: tag a name in the reader."
        )
        actors.set_rows(rows, keep=keep or actors.cursor != 0)
        shown = (
            f"{len(rows)} of {len(self.summaries)}"
            if len(rows) != len(self.summaries)
            else str(len(rows))
        )
        self.query_one("#actors-pane").border_title = f"Actors ({shown})"
        self._show_current()

    def _show_current(self) -> None:
        """Load the activity of the actor under the cursor (unless already shown)."""
        summary = self.actor_list.current
        actor_id = summary.actor.id if summary else None
        if actor_id == self._shown_actor:
            return
        self._shown_actor = actor_id
        self._token += 1
        header = self.query_one("#actor-header", Static)
        if summary is None or actor_id is None:
            header.update(Text())
            self.activity.set_items([], "")
            return
        header.update(actor_header(summary))
        self.activity.set_items([], "Loading…")
        token = self._token
        load = actor_timeline if self.timeline else load_activity
        self._read(
            "activity",
            lambda conn: ActivityLoaded(token, load(conn, actor_id)),
            lambda error: ActivityLoaded(token, Dossier([]), f"Could not read the claims: {error}"),
        )

    def action_toggle_timeline(self) -> None:
        """T: the actor's claims on a timeline, or back to their claims and mentions."""
        self.timeline = not self.timeline
        self._shown_actor = None
        self._show_current()

    # --- choosing -----------------------------------------------------------------------
    @on(LineList.CursorMoved, "#actors")
    def _actor_moved(self) -> None:
        self._show_current()

    @on(LineList.Chosen, "#actors")
    def _actor_chosen(self) -> None:
        self._focus_list(self.activity)

    @on(LineList.Chosen, "#activity")
    def _activity_chosen(self) -> None:
        self.choose(self.activity.current)

    def choose(self, item: Activity | None) -> None:
        """Dismiss with the item's article and offset; an orphan has no spot to go to."""
        if item is None:
            return
        if item.orphaned:
            self.notify(
                "This annotation is orphaned: its article's text no longer holds the"
                " quote, so there is no spot to jump to.",
                severity="warning",
                markup=False,
            )
        elif item.article_id is None:
            self.notify("That article is no longer in the store.", severity="warning", markup=False)
        else:
            self.dismiss((item.article_id, item.start))

    # --- filter -------------------------------------------------------------------------
    def action_search(self) -> None:
        """/: filter the actors by name or alias."""
        self.filter_input.display = True
        self._focus_list(self.actor_list)
        self.filter_input.focus()

    def on_key(self, event: Key) -> None:
        """Typing a letter that no key is bound to, on the actor list, starts the filter."""
        char = event.character
        if (
            self.focused is self.actor_list
            and event.is_printable
            and char
            and char.strip()
            and event.key not in self.active_bindings
        ):
            event.stop()
            event.prevent_default()
            self.action_search()
            self.filter_input.insert_text_at_cursor(char)

    @on(Input.Changed, "#actors-filter")
    def _filter_changed(self) -> None:
        self._apply_filter()

    @on(Input.Submitted, "#actors-filter")
    def _filter_submitted(self) -> None:
        self.filter_input.display = bool(self.filter_input.value.strip())
        self.actor_list.focus()

    def clear_filter(self) -> None:
        """Show every actor again and hide the prompt."""
        self.filter_input.value = ""
        self._apply_filter()
        self.filter_input.display = False
        self.actor_list.focus()

    # --- moving around ------------------------------------------------------------------
    def _in_actors_pane(self) -> bool:
        return self.focused is None or self.focused in (self.actor_list, self.filter_input)

    def _focus_list(self, target: LineList) -> None:
        target.focus()
        self._mark_active()

    def _mark_active(self) -> None:
        left = self._in_actors_pane()
        self.query_one("#actors-pane").set_class(left, "-active")
        self.query_one("#activity-pane").set_class(not left, "-active")

    def on_descendant_focus(self) -> None:
        """The focused list is the one shown in the narrow layout."""
        self._mark_active()

    def on_resize(self, event: Resize) -> None:
        """Side by side when wide; one list at a time when narrow."""
        self.set_class(event.size.width < NARROW_WIDTH, "-narrow")

    def action_next_pane(self) -> None:
        """tab: the other list."""
        self._focus_list(self.activity if self._in_actors_pane() else self.actor_list)

    def action_previous_pane(self) -> None:
        """shift+tab: the other list."""
        self.action_next_pane()

    def action_back(self) -> None:
        """escape: close the filter, else back to the actors, else clear it, else leave."""
        if self.focused is self.filter_input or (
            self.focused is self.actor_list and self.filter_input.value
        ):
            self.clear_filter()
        elif not self._in_actors_pane():
            self._focus_list(self.actor_list)
        else:
            self.dismiss(None)

    def action_back_or_quit(self) -> None:
        """q: leave the screen."""
        self.dismiss(None)

    def action_help(self) -> None:
        """?: the keys of this screen (as bound now, keymap included)."""
        keys: dict[str, list[str]] = {}
        for item in self.active_bindings.values():
            if item.binding.id in LIST_KEYS or item.binding.id in _SCREEN_KEYS.keys() | _ACTIVITY:
                shown = self.app.get_key_display(item.binding)
                keys.setdefault(item.binding.tooltip or item.binding.description, []).append(shown)
        text = Text("Keys for Actors\n\n", style="bold")
        for description, displays in keys.items():
            text.append(f"  {' '.join(dict.fromkeys(displays)):<18}", style="bold")
            text.append(description + "\n")
        text.append(
            "\nTyping a name filters the actors; enter on a claim or mention opens"
            " its article there; T on the claims shows them on a timeline.\n",
            style="dim",
        )
        self.app.push_screen(HelpScreen(text))
