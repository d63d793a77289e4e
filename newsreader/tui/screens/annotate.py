"""The claim and tag dialogs: pick a speaker, the actors a claim is about, a status, a note.

They return what was chosen; the main screen writes it through the annotation service.
Every name and quote shown comes from the store or a feed and is shown as text only.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import (
    Input,
    OptionList,
    RadioButton,
    RadioSet,
    Select,
    SelectionList,
    Static,
    TextArea,
)
from textual.widgets.option_list import Option

from newsreader.models import ACTOR_KINDS, CLAIM_STATUSES
from newsreader.safety import clean_line, clean_text
from newsreader.tui import commands
from newsreader.tui.suggest import ActorChoice, filter_actors

NO_SPEAKER = ActorChoice("(no speaker)")
_QUOTE_SHOWN = 400


@dataclass(frozen=True, slots=True)
class ClaimForm:
    """A claim's fields as filled in the dialog."""

    speaker: ActorChoice | None
    about_ids: tuple[int, ...]
    status: str
    note: str
    new_kind: str = "person"
    """Kind given to a speaker created from the dialog."""


def _label(title: str) -> Static:
    return Static(Text(title, style="bold"), classes="field-label")


def _quote(text: str) -> Text:
    flat = " ".join(clean_text(text, multiline=True).split())
    if len(flat) > _QUOTE_SHOWN:
        flat = flat[:_QUOTE_SHOWN - 1] + "…"
    return Text("“" + flat + "”", style="italic")


class ClaimScreen(ModalScreen[ClaimForm | None]):
    """New claim (or edit one): speaker, about, status and note.

    Args:
        quote: the claim's text.
        suggested: actors found in or near it, best first (some to create).
        actors: every known actor as ``(id, name, searchable names)``.
        about: actors of the article offered for "about", ``(id, name)``.
        initial: the current fields when editing.
    """

    BINDINGS = [*commands.bindings("dialog"), *commands.bindings("editor")]

    def __init__(self, quote: str, suggested: list[ActorChoice],
                 actors: list[tuple[int, str, str]], about: list[tuple[int, str]],
                 initial: ClaimForm | None = None) -> None:
        super().__init__()
        self.quote = quote
        self.suggested = suggested
        self.actors = actors
        self.about = about
        self.initial = initial
        self.choices: list[ActorChoice] = []

    def compose(self) -> ComposeResult:
        """Quote, speaker filter and list, about, status, kind for new actors, note."""
        initial = self.initial
        status = initial.status if initial else "unverified"
        chosen = set(initial.about_ids) if initial else set()
        with VerticalScroll(classes="dialog", id="claim-dialog"):
            yield Static(Text("Edit claim" if initial else "New claim", style="bold"),
                         classes="dialog-title")
            yield Static(_quote(self.quote), id="claim-quote")
            yield _label("Speaker (type to filter; ＋ creates the actor)")
            yield Input(placeholder="a name", id="speaker-filter")
            yield OptionList(id="speaker-list")
            yield _label("About")
            yield SelectionList[int](*((Text(clean_line(name)), actor_id, actor_id in chosen)
                                       for actor_id, name in self.about), id="about-list")
            yield _label("Status")
            with RadioSet(id="status"):
                for name in CLAIM_STATUSES:
                    yield RadioButton(name, value=name == status, name=name)
            yield _label("Kind of a new actor")
            yield Select([(k, k) for k in ACTOR_KINDS], value="person", allow_blank=False,
                         id="new-kind")
            yield _label("Note (Markdown)")
            yield TextArea(clean_text(initial.note, multiline=True) if initial else "",
                           id="claim-note")
            yield Static(Text("ctrl+s saves · esc cancels · tab moves", style="dim"))

    def on_mount(self) -> None:
        """Fill the speaker list and start there (tab goes field to field, not the box)."""
        self.query_one("#claim-dialog").can_focus = False
        self._fill_speakers("")
        if self.initial is not None:
            speaker = self.initial.speaker
            self._highlight(speaker.actor_id if speaker is not None else None)
        self.query_one("#speaker-list", OptionList).focus()

    def _fill_speakers(self, typed: str) -> None:
        typed = clean_line(typed)
        if typed:
            found = filter_actors(self.actors, typed)
            exact = any(c.label.casefold() == typed.casefold() for c in found)
            new = [] if exact else [ActorChoice(f"＋ new: {typed}", name=typed)]
            self.choices = [*found, *new, NO_SPEAKER]
        else:
            shown = {c.actor_id for c in self.suggested if c.actor_id is not None}
            others = [c for c in filter_actors(self.actors, "") if c.actor_id not in shown]
            self.choices = [*self.suggested, NO_SPEAKER, *others]
        self._show_choices()

    def _show_choices(self, highlighted: int = 0) -> None:
        options = self.query_one("#speaker-list", OptionList)
        options.clear_options()
        options.add_options([Option(Text(clean_line(c.label))) for c in self.choices])
        options.highlighted = highlighted

    def _highlight(self, actor_id: int | None) -> None:
        """Start on the claim's current speaker (edit)."""
        index = next((i for i, c in enumerate(self.choices) if c.actor_id == actor_id), None)
        if index is None and actor_id is not None:
            name = next((n for i, n, _ in self.actors if i == actor_id), f"actor {actor_id}")
            self.choices.insert(0, ActorChoice(name, actor_id=actor_id))
            index = 0
        if index is None:
            index = self.choices.index(NO_SPEAKER)
        self._show_choices(index)

    def on_input_changed(self, event: Input.Changed) -> None:
        """Typing filters the speakers (and offers to create the typed name)."""
        event.stop()
        self._fill_speakers(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in the filter goes to the list."""
        event.stop()
        self.query_one("#speaker-list", OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Enter on a speaker moves on to "about"."""
        event.stop()
        self.query_one("#about-list", SelectionList).focus()

    @property
    def speaker(self) -> ActorChoice | None:
        """The highlighted speaker (None for "no speaker")."""
        index = self.query_one("#speaker-list", OptionList).highlighted
        if index is None or not 0 <= index < len(self.choices):
            return None
        choice = self.choices[index]
        return None if choice is NO_SPEAKER else choice

    def action_save(self) -> None:
        """ctrl+s: return the filled-in claim."""
        pressed = self.query_one("#status", RadioSet).pressed_button
        kind = self.query_one("#new-kind", Select).value
        self.dismiss(ClaimForm(
            speaker=self.speaker,
            about_ids=tuple(self.query_one("#about-list", SelectionList).selected),
            status=pressed.name if pressed is not None and pressed.name else "unverified",
            note=self.query_one("#claim-note", TextArea).text,
            new_kind=kind if isinstance(kind, str) else "person",
        ))

    def action_close(self) -> None:
        """Cancel."""
        self.dismiss(None)


@dataclass(frozen=True, slots=True)
class TagForm:
    """The actor a selection is tagged as: a name (new or known) and a kind for new ones."""

    name: str
    kind: str


class TagScreen(ModalScreen[TagForm | None]):
    """Tag a selection as an actor: create one, or add the text to a known actor's aliases.

    Args:
        selected: the selected text (it becomes an alias).
        guess: the name to offer first (the fuller name the text uses, or the selection).
        actors: every known actor as ``(id, name, searchable names)``.
    """

    BINDINGS = [*commands.bindings("dialog"), *commands.bindings("editor")]

    def __init__(self, selected: str, guess: str, actors: list[tuple[int, str, str]]) -> None:
        super().__init__()
        self.selected = clean_line(selected)
        self.guess = clean_line(guess)
        self.actors = actors
        self.names: list[str] = []

    def compose(self) -> ComposeResult:
        """The selection, a name, matching actors and the kind."""
        with Vertical(classes="dialog", id="tag-dialog"):
            title = Text("Tag ", style="bold")
            title.append("“" + self.selected + "”", style="bold italic")
            title.append(" as an actor", style="bold")
            yield Static(title, classes="dialog-title")
            yield _label("Name (a known actor gets the text as an alias)")
            yield Input(self.guess, id="tag-name")
            yield OptionList(id="tag-matches")
            yield _label("Kind of a new actor")
            yield Select([(k, k) for k in ACTOR_KINDS], value="person", allow_blank=False,
                         id="tag-kind")
            yield Static(Text("enter tags · ↓ picks a known actor · esc cancels", style="dim"))

    def on_mount(self) -> None:
        """Show the actors matching the guess; start in the name field."""
        self._fill(self.guess)
        self.query_one("#tag-name", Input).focus()

    def _fill(self, typed: str) -> None:
        typed = clean_line(typed)
        known = filter_actors(self.actors, typed or self.selected, limit=30)
        exact = any(c.label.casefold() == typed.casefold() for c in known)
        self.names = [c.label for c in known] + ([typed] if typed and not exact else [])
        labels = [f"{c.label} (add alias “{self.selected}”)" for c in known]
        if typed and not exact:
            labels.append(f"＋ new actor: {typed}")
        options = self.query_one("#tag-matches", OptionList)
        options.clear_options()
        options.add_options([Option(Text(clean_line(label))) for label in labels])

    def on_input_changed(self, event: Input.Changed) -> None:
        """Typing filters the known actors."""
        event.stop()
        self._fill(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in the name field tags with that name."""
        event.stop()
        self._finish(event.value)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Enter on a listed actor tags with it."""
        event.stop()
        if 0 <= event.option_index < len(self.names):
            self._finish(self.names[event.option_index])

    def action_save(self) -> None:
        """ctrl+s: tag with the typed name."""
        self._finish(self.query_one("#tag-name", Input).value)

    def _finish(self, name: str) -> None:
        name = clean_line(name)
        if not name:
            self.app.bell()
            return
        kind = self.query_one("#tag-kind", Select).value
        self.dismiss(TagForm(name, kind if isinstance(kind, str) else "other"))

    def action_close(self) -> None:
        """Cancel."""
        self.dismiss(None)
