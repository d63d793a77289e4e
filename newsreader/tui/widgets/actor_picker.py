"""Choosing actors in the claim dialog: a name box over a list of actors (a combo box).

The box has the focus and takes the typing; ``↑`` ``↓`` move the list's cursor from it. With
nothing typed the list offers the dialog's suggestions; typing filters every known actor
(case and diacritics ignored) and the first row is then what was typed: the actor of that
name or alias, else "＋ new: NAME", created when the claim is saved. A new actor is only
ever chosen by typing its name or by picking a "＋ new" row, never by default.

One picker chooses a single actor (the speaker: the row under the cursor, ``▸``); the other
ticks any number (``[x]``: whom a claim is about; ``enter`` ticks or unticks the row under
the cursor and clears the box). The line above the box says in words what saving will
store, so no state is shown by colour alone. Names are shown as text, never as markup.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from newsreader.annotations.folding import fold
from newsreader.safety import clean_line
from newsreader.tui.suggest import ActorChoice, filter_actors

CURSOR = "▸"
"""Marks the list row under the cursor (the chosen speaker)."""
TICKED, UNTICKED = "[x]", "[ ]"
"""Mark the rows of a many-actor picker that are (not) chosen."""
TYPED_SHOWN = 50
"""Most known actors listed for what was typed."""


def choice_key(choice: ActorChoice) -> tuple[str, object]:
    """What makes two choices the same actor: its id, or the folded name to create."""
    if choice.actor_id is not None:
        return ("id", choice.actor_id)
    return ("new", fold(choice.name))


def exact_actor(actors: list[tuple[int, str, str]], typed: str) -> ActorChoice | None:
    """The known actor whose name or an alias is ``typed`` (case and diacritics ignored).

    ``actors`` rows are ``(id, name, "name | alias…" folded)`` (see ``ActorCache.rows``).
    """
    wanted = f" | {fold(typed)} | "
    for actor_id, name, words in actors:
        if wanted in f" | {words} | ":
            return ActorChoice(name, actor_id=actor_id)
    return None


def typed_choices(
    actors: list[tuple[int, str, str]], typed: str, suggested: list[ActorChoice]
) -> list[ActorChoice]:
    """The rows for a typed name: first the actor it names, else the actor to create (with
    the aliases a suggestion of that name carries), then the other actors matching it."""
    first = exact_actor(actors, typed)
    if first is None:
        same = [c for c in suggested if c.is_new and fold(c.name) == fold(typed)]
        first = same[0] if same else ActorChoice(f"＋ new: {typed}", name=typed)
    others = [
        c for c in filter_actors(actors, typed, limit=TYPED_SHOWN) if c.actor_id != first.actor_id
    ]
    return [first, *others]


def spoken(choice: ActorChoice) -> str:
    """A choice as the summary line says it."""
    if choice.is_new:
        return f"{choice.name} (new actor)"
    return choice.label


class ActorPicker(Vertical):
    """A name box over a list of actors; see the module's docstring. With an ``id``, the
    box is ``#ID-filter`` and the list ``#ID-list``.

    Args:
        title: the field's name ("Speaker", "About").
        actors: every known actor, as ``ActorCache.rows`` gives them.
        offered: the rows shown while nothing is typed, best first.
        many: tick any number of actors (else choose one: the row under the cursor).
        chosen: the actors chosen at the start (many: ticked; one: the first, if listed).
        none: the row meaning "nobody" (one-actor pickers), chosen when nothing else is.
        suggested: the suggestions (known actors in or near the quote, names to create):
            a one-actor picker starts on the first known one; a typed new name takes the
            aliases of the suggestion of that name.
        placeholder: what the empty box says.
    """

    class Picked(Message):
        """``enter`` chose the actor of a one-actor picker: the dialog moves on."""

    def __init__(
        self,
        title: str,
        actors: list[tuple[int, str, str]],
        offered: list[ActorChoice],
        *,
        many: bool = False,
        chosen: Sequence[ActorChoice] = (),
        none: ActorChoice | None = None,
        suggested: Sequence[ActorChoice] = (),
        placeholder: str = "",
        id: str | None = None,
    ) -> None:  # noqa: A002 (Textual's name)
        super().__init__(id=id, classes="actor-picker")
        self.field_title = title
        self.actors = actors
        self.offered = list(offered)
        self.many = many
        self.none = none
        self.suggested = list(suggested)
        self.placeholder = placeholder
        self.ticked: dict[tuple[str, object], ActorChoice] = (
            {choice_key(c): c for c in chosen} if many else {}
        )
        self._start = None if many or not chosen else chosen[0]
        self.rows: list[ActorChoice] = []
        self._marked: int | None = None
        self._last_toggled: tuple[str, object] | None = None

    # --- building ------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        """The summary line, the box and the list."""
        yield Static(classes="picker-summary")
        yield Input(
            placeholder=self.placeholder,
            compact=True,
            classes="picker-input",
            id=f"{self.id}-filter" if self.id else None,
        )
        options = OptionList(
            compact=True, classes="picker-list", id=f"{self.id}-list" if self.id else None
        )
        options.can_focus = False  # the box keeps the focus and the typing
        yield options

    def on_mount(self) -> None:
        """Show the offered rows, the cursor on the starting choice."""
        self._fill("")

    @property
    def input(self) -> Input:
        """The name box."""
        return self.query_one(".picker-input", Input)

    @property
    def options(self) -> OptionList:
        """The list under it."""
        return self.query_one(".picker-list", OptionList)

    @property
    def typed(self) -> str:
        """What is in the box, as one clean line."""
        return clean_line(self.input.value).strip()

    def _fill(self, typed: str) -> None:
        if typed:
            rows = typed_choices(self.actors, typed, self.suggested)
            if self.none is not None:
                rows.append(self.none)
            self._show(rows, 0)
        elif self.many:
            ticked = list(self.ticked.values())
            rest = [c for c in self.offered if choice_key(c) not in self.ticked]
            rows = [*ticked, *rest]
            keys = [choice_key(c) for c in rows]
            last = self._last_toggled
            self._show(rows, keys.index(last) if last in keys else 0)
        else:
            self._show(*self._untyped_rows())

    def _untyped_rows(self) -> tuple[list[ActorChoice], int]:
        """The offered rows and where the cursor starts: the last choice made while the box
        was empty, else the first known actor suggested (one named in or near the quote),
        else "nobody" (never an actor to create)."""
        rows = list(self.offered)
        start = self._start
        if start is not None:
            keys = [choice_key(c) for c in rows]
            if choice_key(start) not in keys:
                rows.insert(0, start)
                return rows, 0
            return rows, keys.index(choice_key(start))
        keys = [choice_key(c) for c in rows]
        known = next((c for c in self.suggested if not c.is_new), None)
        if known is not None and choice_key(known) in keys:
            return rows, keys.index(choice_key(known))
        return rows, rows.index(self.none) if self.none in rows else 0

    def _show(self, rows: list[ActorChoice], highlighted: int) -> None:
        self.rows = rows
        self._marked = highlighted if rows else None
        options = self.options
        options.clear_options()
        options.add_options([Option(self._prompt(i)) for i in range(len(rows))])
        options.highlighted = self._marked
        self._summarise()

    def _prompt(self, index: int) -> Text:
        choice = self.rows[index]
        cursor = CURSOR if index == self._marked else " "
        text = Text(f"{cursor} ")
        if self.many:
            text.append(TICKED if choice_key(choice) in self.ticked else UNTICKED)
            text.append(" ")
        text.append(clean_line(choice.label))
        return text

    def _remark(self, index: int | None) -> None:
        """Move the ``▸`` to row ``index``."""
        old, self._marked = self._marked, index
        if not self.many and not self.typed:
            self._start = self.current  # kept when what is typed is cleared again
        options = self.options
        for row in (old, index):
            if row is not None and 0 <= row < len(self.rows):
                options.replace_option_prompt_at_index(row, self._prompt(row))
        self._summarise()

    # --- what is chosen ------------------------------------------------------------------
    @property
    def current(self) -> ActorChoice | None:
        """The row under the cursor."""
        index = self._marked
        return self.rows[index] if index is not None and 0 <= index < len(self.rows) else None

    @property
    def choice(self) -> ActorChoice | None:
        """One-actor picker: the chosen actor (None for nobody)."""
        current = self.current
        return None if current is None or current is self.none else current

    @property
    def chosen(self) -> list[ActorChoice]:
        """Many-actor picker: the ticked actors, and what was typed but not yet added."""
        chosen = list(self.ticked.values())
        pending = self.current if self.typed else None
        if pending is not None and choice_key(pending) not in self.ticked:
            chosen.append(pending)
        return chosen

    def _summarise(self) -> None:
        summary = Text(f"{self.field_title}: ", style="bold")
        if self.many:
            chosen = self.chosen
            summary.append(
                ", ".join(clean_line(spoken(c)) for c in chosen) if chosen else "nobody yet"
            )
        else:
            choice = self.choice
            summary.append(clean_line(spoken(choice)) if choice is not None else "none")
        self.query_one(".picker-summary", Static).update(summary)

    def toggle(self, index: int | None = None) -> None:
        """Tick or untick row ``index`` (the cursor's), then empty the box."""
        index = self._marked if index is None else index
        if index is None or not 0 <= index < len(self.rows):
            self.app.bell()
            return
        key = choice_key(self.rows[index])
        self._last_toggled = key  # the cursor stays on it when the list is refilled
        if key in self.ticked:
            del self.ticked[key]
        else:
            self.ticked[key] = self.rows[index]
        if self.typed:
            self.input.value = ""  # refills the list (Changed)
        else:
            self.options.replace_option_prompt_at_index(index, self._prompt(index))
            self._summarise()

    # --- events --------------------------------------------------------------------------
    def on_input_changed(self, event: Input.Changed) -> None:
        """Typing filters the list."""
        event.stop()
        self._fill(self.typed)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """``enter``: tick the row under the cursor (many), or take it and move on (one)."""
        event.stop()
        if self.many:
            self.toggle()
        else:
            self._chose()

    def _chose(self) -> None:
        self.post_message(self.Picked())

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        """The list's cursor moved (arrows, a click): mark the row."""
        event.stop()
        if event.option_index != self._marked:
            self._remark(event.option_index)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """A click on a row: tick it (many) or choose it (one)."""
        event.stop()
        self.input.focus()
        if self.many:
            self.toggle(event.option_index)
        else:
            self._remark(event.option_index)
            self._chose()

    def on_key(self, event: events.Key) -> None:
        """``↑`` ``↓`` ``page up`` ``page down`` in the box move the list's cursor."""
        actions = {
            "up": "cursor_up",
            "down": "cursor_down",
            "pageup": "page_up",
            "pagedown": "page_down",
        }
        action = actions.get(event.key)
        if action is None or not self.rows:
            return
        event.stop()
        event.prevent_default()
        getattr(self.options, f"action_{action}")()
