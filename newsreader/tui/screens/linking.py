"""The link dialog: how the marked claim and the claim here relate. Both quotes are shown
as text only."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from newsreader.annotations.claimlinks import PASSIVE
from newsreader.models import LINK_RELATIONS, Annotation
from newsreader.safety import clean_line
from newsreader.tui import commands
from newsreader.tui.widgets.key_bar import KeyBar

_SHOWN = 200


@dataclass(frozen=True, slots=True)
class LinkChoice:
    """The relation picked; ``reverse``: the claim here relates to the marked one."""

    relation: str
    reverse: bool = False


CHOICES = tuple(LinkChoice(r) for r in LINK_RELATIONS) + tuple(
    LinkChoice(r, reverse=True) for r in LINK_RELATIONS
)
"""The marked claim supports … the claim here; then the claim here supports … it."""


def _claim(label: str, claim: Annotation) -> Text:
    flat = " ".join(clean_line(claim.exact).split())
    if len(flat) > _SHOWN:
        flat = flat[: _SHOWN - 1] + "…"
    text = Text(label, style="bold")
    text.append("“" + flat + "”", style="italic")
    if claim.snapshot.title:
        text.append(" · " + clean_line(claim.snapshot.title), style="dim")
    return text


def choice_label(choice: LinkChoice) -> str:
    """How a choice reads: "supports the claim here" / "is supported by the claim here"."""
    if choice.reverse:
        return f"is {PASSIVE[choice.relation]} the claim here"
    return f"{choice.relation} the claim here"


class LinkScreen(ModalScreen[LinkChoice | None]):
    """The marked claim, the relations, the claim here; enter links, escape cancels."""

    BINDINGS = commands.bindings("dialog")

    def __init__(self, marked: Annotation, here: Annotation) -> None:
        super().__init__()
        self.marked, self.here = marked, here

    def compose(self) -> ComposeResult:
        """Both quotes around the list of relations."""
        with Vertical(classes="dialog", id="link-dialog") as dialog:
            dialog.border_title = "Link two claims"
            yield Static(_claim("The marked claim ", self.marked), id="link-marked")
            yield OptionList(
                *(Option(Text(choice_label(c))) for c in CHOICES), id="link-relations", compact=True
            )
            yield Static(_claim("The claim here ", self.here), id="link-here")
            yield Static(Text("enter links · esc cancels", style="dim"), classes="dialog-hint")
        yield KeyBar()

    def on_mount(self) -> None:
        """The relations have the focus."""
        self.query_one("#link-relations", OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Enter on a relation links with it."""
        event.stop()
        self.dismiss(CHOICES[event.option_index])

    def action_close(self) -> None:
        """Cancel."""
        self.dismiss(None)
