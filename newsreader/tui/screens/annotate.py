"""The claim and tag dialogs: pick a speaker, the actors a claim is about, a status, a note.

They return what was chosen; the main screen writes it through the annotation service.
Every name and quote shown comes from the store or a feed and is shown as text only.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import (
    Input,
    OptionList,
    RadioButton,
    RadioSet,
    Select,
    Static,
    TextArea,
)
from textual.widgets.option_list import Option

from newsreader.annotations.actors import parse_aliases
from newsreader.annotations.claimlinks import RecordChange
from newsreader.annotations.service import AnnotationError
from newsreader.models import ACTOR_KINDS, CLAIM_STATUSES
from newsreader.safety import clean_line, clean_text
from newsreader.tui import commands
from newsreader.tui.screens.claimrecord import ClaimRecord, RecordFields
from newsreader.tui.suggest import ActorChoice, filter_actors
from newsreader.tui.widgets.actor_picker import ActorPicker
from newsreader.tui.widgets.key_bar import KeyBar

NO_SPEAKER = ActorChoice("(no speaker)")
_QUOTE_SHOWN = 400
SPEAKER_HINT = "type a name · ↑↓ moves · enter next field"
ABOUT_HINT = "type a name, enter adds it · ↑↓ then enter ticks/unticks"


@dataclass(frozen=True, slots=True)
class ClaimForm:
    """A claim's fields as filled in the dialog."""

    speaker: ActorChoice | None
    about_ids: tuple[int, ...]
    status: str
    note: str
    new_kind: str = "person"
    """Kind given to actors created from the dialog."""
    about_new: tuple[ActorChoice, ...] = ()
    """Actors the claim is about that do not exist yet (found or created on save)."""
    record: RecordChange = RecordChange()
    """Its event date and the sources added and removed."""


def _label(title: str) -> Static:
    return Static(Text(title, style="bold"), classes="field-label")


def _quote(text: str) -> Text:
    flat = " ".join(clean_text(text, multiline=True).split())
    if len(flat) > _QUOTE_SHOWN:
        flat = flat[: _QUOTE_SHOWN - 1] + "…"
    return Text("“" + flat + "”", style="italic")


class StatusButton(RadioButton):
    """A status choice that reads without colour: ``(•)`` chosen, ``( )`` not."""

    @property
    def _button(self) -> Content:
        mark = "(•)" if self.value else "( )"
        return Content.styled(mark, "bold" if self.value else "")


class ClaimScreen(ModalScreen[ClaimForm | None]):
    """New claim (or edit one): speaker, about, status and note, in 80×24 or more.

    The speaker's name box has the focus from the start. Both actor fields work alike
    (:class:`ActorPicker`): type to filter, pick a known actor, or create the typed name.

    Args:
        quote: the claim's text.
        suggested: actors found in or near it, best first (some to create).
        actors: every known actor as ``(id, name, searchable names)``.
        about: actors of the article offered for "about", ``(id, name)``.
        initial: the current fields when editing.
        record: the claim's event date, sources and links when editing.
    """

    BINDINGS = [*commands.bindings("dialog"), *commands.bindings("editor")]

    def __init__(
        self,
        quote: str,
        suggested: list[ActorChoice],
        actors: list[tuple[int, str, str]],
        about: list[tuple[int, str]],
        initial: ClaimForm | None = None,
        record: ClaimRecord | None = None,
    ) -> None:
        super().__init__()
        self.record = record
        self.quote = quote
        self.suggested = suggested
        self.actors = actors
        self.about = about
        self.initial = initial

    def compose(self) -> ComposeResult:
        """Quote, speaker, about, status, kind for new actors, note; the keys at the foot."""
        initial = self.initial
        status = initial.status if initial else "unverified"
        with VerticalScroll(classes="dialog", id="claim-dialog") as dialog:
            dialog.border_title = "Edit claim" if initial else "New claim"
            yield Static(_quote(self.quote), id="claim-quote")
            yield self._speaker_picker()
            yield self._about_picker()
            with Horizontal(classes="field-row"):
                yield Static(Text("Status ", style="bold"), classes="row-label")
                with RadioSet(id="status", compact=True):
                    for name in CLAIM_STATUSES:
                        yield StatusButton(name, value=name == status, name=name)
            with Horizontal(classes="field-row"):
                yield Static(Text("Kind of new actors ", style="bold"), classes="row-label")
                yield Select(
                    [(k, k) for k in ACTOR_KINDS],
                    value="person",
                    allow_blank=False,
                    id="new-kind",
                    compact=True,
                )
            yield _label("Note")
            yield TextArea(
                clean_text(initial.note, multiline=True) if initial else "",
                id="claim-note",
                compact=True,
                placeholder="Markdown: what you think of it, sources to check…",
            )
            yield RecordFields(self.record)
            yield Static(
                Text(
                    "ctrl+s saves · esc cancels · tab next field · date and sources below",
                    style="dim",
                ),
                classes="dialog-hint",
            )
        yield KeyBar()

    def _speaker_picker(self) -> ActorPicker:
        """Known actors near the quote first, then nobody, then names to create, then
        everyone else; the cursor starts on the claim's speaker, a known actor near the
        quote, or nobody."""
        known = [c for c in self.suggested if not c.is_new]
        new = [c for c in self.suggested if c.is_new]
        shown = {c.actor_id for c in known}
        others = [c for c in filter_actors(self.actors, "") if c.actor_id not in shown]
        chosen: list[ActorChoice] = []
        if self.initial is not None:
            speaker = self.initial.speaker
            chosen = [
                self._named(speaker.actor_id)
                if speaker is not None and speaker.actor_id is not None
                else speaker or NO_SPEAKER
            ]
        return ActorPicker(
            "Speaker",
            self.actors,
            [*known, NO_SPEAKER, *new, *others],
            chosen=chosen,
            none=NO_SPEAKER,
            suggested=self.suggested,
            placeholder=SPEAKER_HINT,
            id="speaker",
        )

    def _about_picker(self) -> ActorPicker:
        """The article's actors and the names near the quote, the claim's ones ticked."""
        offered = [ActorChoice(clean_line(name), actor_id=i) for i, name in self.about]
        listed = {c.actor_id for c in offered}
        offered += [c for c in self.suggested if c.is_new or c.actor_id not in listed]
        ticked = (
            [self._named(i) for i in self.initial.about_ids] if self.initial is not None else []
        )
        return ActorPicker(
            "About",
            self.actors,
            offered,
            many=True,
            chosen=ticked,
            suggested=self.suggested,
            placeholder=ABOUT_HINT,
            id="about",
        )

    def _named(self, actor_id: int) -> ActorChoice:
        """A known actor as a choice, by id."""
        name = next((n for i, n in self.about if i == actor_id), None)
        if name is None:
            name = next((n for i, n, _ in self.actors if i == actor_id), f"actor {actor_id}")
        return ActorChoice(clean_line(name), actor_id=actor_id)

    def on_mount(self) -> None:
        """Start in the speaker's name box (tab goes field to field, not to the box); the
        status keys start from the claim's status (Textual's start from the first)."""
        self.query_one("#claim-dialog").can_focus = False
        self.query_one("#speaker", ActorPicker).input.focus()
        status = self.initial.status if self.initial else CLAIM_STATUSES[0]
        radio = self.query_one("#status", RadioSet)
        for _ in range(CLAIM_STATUSES.index(status) if status in CLAIM_STATUSES else 0):
            radio.action_next_button()

    def on_actor_picker_picked(self, event: ActorPicker.Picked) -> None:
        """Enter in the speaker's box moves on to "about"."""
        event.stop()
        self.query_one("#about", ActorPicker).input.focus()

    @property
    def speaker(self) -> ActorChoice | None:
        """The chosen speaker (None for "no speaker")."""
        return self.query_one("#speaker", ActorPicker).choice

    def action_save(self) -> None:
        """ctrl+s: return the filled-in claim (a name typed and not picked counts)."""
        pressed = self.query_one("#status", RadioSet).pressed_button
        kind = self.query_one("#new-kind", Select).value
        about = self.query_one("#about", ActorPicker).chosen
        try:
            record = self.query_one(RecordFields).change()
        except AnnotationError:
            return  # said under the date, which has the focus
        self.dismiss(
            ClaimForm(
                speaker=self.speaker,
                about_ids=tuple(c.actor_id for c in about if c.actor_id is not None),
                status=pressed.name if pressed is not None and pressed.name else "unverified",
                note=self.query_one("#claim-note", TextArea).text,
                new_kind=kind if isinstance(kind, str) else "person",
                about_new=tuple(c for c in about if c.is_new),
                record=record,
            )
        )

    def action_close(self) -> None:
        """Cancel."""
        self.dismiss(None)


@dataclass(frozen=True, slots=True)
class TagForm:
    """The actor a selection is tagged as: a name (new or known) and a kind for new ones."""

    name: str
    kind: str
    aliases: tuple[str, ...] = ()
    """The aliases to give the actor: only those left in the dialog's alias field."""


class TagScreen(ModalScreen[TagForm | None]):
    """Tag a selection as an actor: create one, or add the text to a known actor's aliases.

    Args:
        selected: the selected text (it becomes an alias).
        guess: the name to offer first (the fuller name the text uses, or the selection).
        actors: every known actor as ``(id, name, searchable names)``.
        aliases: the aliases to offer ("Petro" for "Gustavo Petro"); the user may edit
            them, and only those left are stored.
    """

    BINDINGS = [*commands.bindings("dialog"), *commands.bindings("editor")]

    def __init__(
        self,
        selected: str,
        guess: str,
        actors: list[tuple[int, str, str]],
        aliases: tuple[str, ...] = (),
    ) -> None:
        super().__init__()
        self.selected = clean_line(selected)
        self.guess = clean_line(guess)
        self.actors = actors
        self.aliases = tuple(clean_line(a) for a in aliases)
        self.names: list[str] = []

    def compose(self) -> ComposeResult:
        """The selection, a name, matching actors and the kind."""
        with Vertical(classes="dialog", id="tag-dialog"):
            title = Text("Tag ", style="bold")
            title.append("“" + self.selected + "”", style="bold italic")
            title.append(" as an actor", style="bold")
            yield Static(title, classes="dialog-title")
            yield _label("Name (a known actor gets the aliases below)")
            yield Input(self.guess, id="tag-name", compact=True)
            yield OptionList(id="tag-matches", compact=True)
            yield _label("Aliases, comma-separated (also marked in the text)")
            yield Input(", ".join(self.aliases), id="tag-aliases", compact=True)
            yield _label("Kind of a new actor")
            yield Select(
                [(k, k) for k in ACTOR_KINDS],
                value="person",
                allow_blank=False,
                id="tag-kind",
                compact=True,
            )
            yield Static(
                Text("enter tags · ↓ picks a known actor · esc cancels"), classes="dialog-hint"
            )
        yield KeyBar()

    def on_mount(self) -> None:
        """Show the actors matching the guess; start in the name field."""
        self._fill(self.guess)
        self.query_one("#tag-name", Input).focus()

    def _fill(self, typed: str) -> None:
        typed = clean_line(typed)
        known = filter_actors(self.actors, typed or self.selected, limit=30)
        exact = any(c.label.casefold() == typed.casefold() for c in known)
        self.names = [c.label for c in known] + ([typed] if typed and not exact else [])
        labels = [c.label + self._adds(c.label) for c in known]
        if typed and not exact:
            labels.append(f"＋ new actor: {typed}")
        options = self.query_one("#tag-matches", OptionList)
        options.clear_options()
        options.add_options([Option(Text(clean_line(label))) for label in labels])

    def _typed_aliases(self, name: str) -> tuple[str, ...]:
        return parse_aliases(self.query_one("#tag-aliases", Input).value, name)

    def _adds(self, name: str) -> str:
        """What tagging as the known actor ``name`` adds: " (add alias “Petro”)"."""
        aliases = self._typed_aliases(name)
        if not aliases:
            return ""
        shown = ", ".join(f"“{a}”" for a in aliases)
        return f" (add alias{'es' if len(aliases) > 1 else ''} {shown})"

    def on_input_changed(self, event: Input.Changed) -> None:
        """Typing a name filters the known actors; editing the aliases relabels them."""
        event.stop()
        self._fill(self.query_one("#tag-name", Input).value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in the name or alias field tags with the typed name."""
        event.stop()
        self._finish(self.query_one("#tag-name", Input).value)

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
        self.dismiss(
            TagForm(name, kind if isinstance(kind, str) else "other", self._typed_aliases(name))
        )

    def action_close(self) -> None:
        """Cancel."""
        self.dismiss(None)
