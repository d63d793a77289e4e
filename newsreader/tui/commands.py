"""The action registry: every user action declared once.

Each :class:`Command` carries its id (the key users rebind in ``[keymap]``), default keys,
footer text and description. ``BINDINGS`` of every pane, the footer, the command palette
and the help screen are all derived from :data:`COMMANDS`; nothing else lists keys.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding, BindingType

SCOPES = (
    "feeds",
    "articles",
    "reader",
    "panel",
    "global",
    "dialog",
    "help",
    "confirm",
    "editor",
    "rules",
    "sources",
    "activity",
)
"""Where commands apply: a pane (bound on that pane's widget), the reader's annotations
panel, everywhere (the main screen), any dialog, a yes/no question, or a dialog that saves."""

SCOPE_TITLES = {
    "feeds": "Feeds",
    "articles": "Articles",
    "reader": "Reader",
    "panel": "Annotations panel",
    "global": "Everywhere",
    "dialog": "Dialogs",
    "help": "Help",
    "confirm": "Questions",
    "editor": "Editors",
    "rules": "Rules",
    "sources": "Claim editor: sources",
    "activity": "Actor dossier",
}


@dataclass(frozen=True, slots=True)
class Command:
    """One user action."""

    id: str
    """Binding id, used in ``[keymap]`` of config.toml."""
    keys: str
    """Default keys, comma separated, in Textual key names ("" = palette only)."""
    action: str
    """The Textual action run, e.g. ``screen.toggle_star`` or a widget's ``cursor_down``."""
    description: str
    """Shown in the help screen and the command palette."""
    scopes: tuple[str, ...]
    footer: str = ""
    """Short footer label; empty keeps the command out of the footer."""
    palette: bool = True
    """Offer the command in the command palette (motions are not)."""

    @property
    def title(self) -> str:
        """The palette title."""
        return self.description


def _refs() -> tuple[Command, ...]:
    return tuple(
        Command(
            f"open_reference_{n}",
            str(n),
            f"pane.open_reference({n})",
            "Open link reference n in the browser",
            ("reader",),
            palette=n == 1,
        )
        for n in range(1, 10)
    )


_LISTS = ("feeds", "articles", "panel")
_ITEMS = ("articles", "reader")

COMMANDS: tuple[Command, ...] = (
    # everywhere
    Command("quit", "q", "screen.back_or_quit", "Back one level, or quit", ("global",), "Quit"),
    Command("help", "question_mark", "screen.help", "Show the keys", ("global",), "Help"),
    Command(
        "search",
        "slash",
        "screen.to_pane('articles', 'search')",
        "Search articles (with filters)",
        ("global",),
        "Search",
    ),
    Command("refresh", "r", "screen.refresh", "Refresh this feed", ("global",), "Refresh"),
    Command(
        "refresh_all", "R", "screen.refresh(True)", "Refresh all feeds (and sync)", ("global",)
    ),
    Command("sync", "", "screen.sync", "Sync with the feed server now", ("global",)),
    Command(
        "back", "escape", "screen.back", "Back / cancel the refresh", ("global",), palette=False
    ),
    Command("next_pane", "tab", "screen.next_pane", "Next pane", ("global",), palette=False),
    Command(
        "previous_pane",
        "shift+tab",
        "screen.next_pane(-1)",
        "Previous pane",
        ("global",),
        palette=False,
    ),
    Command(
        "save_search",
        "ctrl+s",
        "screen.to_pane('articles', 'save_search')",
        "Save this search as a smart feed",
        ("global",),
    ),
    Command(
        "actors",
        "at",
        "screen.to_pane('reader', 'actors')",
        "Actors: every claim and mention, by actor",
        ("global",),
        "Actors",
    ),
    Command(
        "rules",
        "ctrl+r",
        "screen.rules",
        "Rules: what each matches, apply them now",
        ("global",),
    ),
    Command(
        "export_all", "", "screen.to_pane('reader', 'export_all')", "Export all notes…", ("global",)
    ),
    Command(
        "export_dossier",
        "",
        "screen.to_pane('reader', 'export_dossier')",
        "Export actor dossier…",
        ("global",),
    ),
    Command(
        "change_theme", "ctrl+t", "app.change_theme", "Change the theme", ("global",), palette=False
    ),
    # lists (feeds and articles)
    Command("cursor_down", "j,down", "cursor_down", "Down", _LISTS, palette=False),
    Command("cursor_up", "k,up", "cursor_up", "Up", _LISTS, palette=False),
    Command("cursor_first", "g,home", "cursor_first", "First", _LISTS, palette=False),
    Command("cursor_last", "G,end", "cursor_last", "Last", _LISTS, palette=False),
    Command("page_down", "pagedown", "page_down", "Page down", _LISTS, palette=False),
    Command("page_up", "pageup", "page_up", "Page up", _LISTS, palette=False),
    Command("select", "enter", "select", "Open", ("feeds", "articles"), "Open", palette=False),
    # feeds
    Command(
        "add_feed",
        "a",
        "screen.to_pane('feeds', 'add_feed')",
        "Add a feed (URL, page URL or file)",
        ("feeds", "articles"),
        "Add feed",
    ),
    Command("remove_feed", "d", "pane.remove_feed", "Remove this feed or saved search", ("feeds",)),
    Command(
        "feed_settings",
        "comma",
        "pane.feed_settings",
        "Feed settings (full text: fetch its pages)",
        ("feeds",),
        "Settings",
    ),
    Command(
        "mark_all_read",
        "A",
        "pane.mark_all_read",
        "Mark everything listed read",
        ("feeds", "articles"),
    ),
    # articles (and the reader, about the open article)
    Command(
        "next_unread",
        "n",
        "pane.on_article('next_unread')",
        "Next unread article (across feeds)",
        _ITEMS,
        "Next unread",
    ),
    Command(
        "previous_unread",
        "p",
        "pane.on_article('previous_unread')",
        "Previous unread article",
        _ITEMS,
    ),
    Command("toggle_read", "m", "pane.on_article('toggle_read')", "Toggle read", _ITEMS),
    Command("toggle_star", "s", "pane.on_article('toggle_star')", "Toggle star", _ITEMS, "Star"),
    Command(
        "toggle_later",
        "L",
        "pane.on_article('toggle_later')",
        "Put in the Later queue, or take out of it",
        _ITEMS,
    ),
    Command(
        "labels",
        "number_sign",
        "pane.on_article('labels')",
        "Labels: add or take off (with completion)",
        _ITEMS,
    ),
    Command(
        "unhide",
        "",
        "pane.on_article('unhide')",
        "Show a hidden article in the lists again (is:hidden finds them)",
        _ITEMS,
    ),
    Command(
        "pipe",
        "vertical_line",
        "pane.on_article('pipe')",
        "Pipe the article to a command of config.toml",
        _ITEMS,
    ),
    Command(
        "play",
        "P",
        "pane.on_article('play')",
        "Play the article's podcast or video",
        _ITEMS,
    ),
    Command(
        "open_browser",
        "o",
        "pane.on_article('open_in_browser')",
        "Open the article in the browser",
        _ITEMS,
    ),
    Command(
        "unread_only", "u", "pane.toggle_unread_only", "Show only unread articles", ("articles",)
    ),
    # reader: the text cursor and the selection
    Command("reader_left", "left,h", "move('char', -1)", "Cursor left", ("reader",), palette=False),
    Command(
        "reader_right", "right,l", "move('char', 1)", "Cursor right", ("reader",), palette=False
    ),
    Command(
        "reader_down", "j,down", "move('line', 1)", "Cursor down a line", ("reader",), palette=False
    ),
    Command(
        "reader_up", "k,up", "move('line', -1)", "Cursor up a line", ("reader",), palette=False
    ),
    Command("reader_word_next", "w", "move('word', 1)", "Next word", ("reader",), palette=False),
    Command(
        "reader_word_previous", "b", "move('word', -1)", "Previous word", ("reader",), palette=False
    ),
    Command(
        "reader_word_end", "E", "move('word_end', 1)", "End of the word", ("reader",), palette=False
    ),
    Command(
        "reader_sentence_next",
        "right_parenthesis",
        "move('sentence', 1)",
        "Next sentence",
        ("reader",),
        palette=False,
    ),
    Command(
        "reader_sentence_previous",
        "left_parenthesis",
        "move('sentence', -1)",
        "Previous sentence (or its start)",
        ("reader",),
        palette=False,
    ),
    Command(
        "reader_paragraph_next",
        "right_curly_bracket",
        "move('paragraph', 1)",
        "Next paragraph",
        ("reader",),
        palette=False,
    ),
    Command(
        "reader_paragraph_previous",
        "left_curly_bracket",
        "move('paragraph', -1)",
        "Previous paragraph (or its start)",
        ("reader",),
        palette=False,
    ),
    Command(
        "reader_page_down",
        "space,pagedown",
        "move('page', 1)",
        "Page down",
        ("reader",),
        palette=False,
    ),
    Command("reader_page_up", "pageup", "move('page', -1)", "Page up", ("reader",), palette=False),
    Command(
        "reader_top",
        "g,home",
        "move('document', -1)",
        "Top of the article",
        ("reader",),
        palette=False,
    ),
    Command(
        "reader_bottom",
        "G,end",
        "move('document', 1)",
        "End of the article",
        ("reader",),
        palette=False,
    ),
    Command(
        "select_left", "shift+left", "extend('char', -1)", "Select left", ("reader",), palette=False
    ),
    Command(
        "select_right",
        "shift+right",
        "extend('char', 1)",
        "Select right",
        ("reader",),
        palette=False,
    ),
    Command(
        "select_up",
        "shift+up",
        "extend('line', -1)",
        "Select up a line",
        ("reader",),
        palette=False,
    ),
    Command(
        "select_down",
        "shift+down",
        "extend('line', 1)",
        "Select down a line",
        ("reader",),
        palette=False,
    ),
    Command(
        "visual",
        "v",
        "toggle_visual",
        "Start or end a selection (then move)",
        ("reader",),
        palette=False,
    ),
    Command(
        "select_sentence",
        "S",
        "select_sentence",
        "Select the sentence under the cursor",
        ("reader",),
        palette=False,
    ),
    Command(
        "select_paragraph",
        "V",
        "select_paragraph",
        "Select the paragraph under the cursor",
        ("reader",),
        palette=False,
    ),
    Command(
        "clear_selection",
        "escape",
        "clear_selection",
        "Drop the selection (escape never leaves the reader: q does)",
        ("reader",),
        palette=False,
    ),
    # reader: annotations
    Command(
        "full_text",
        "F",
        "pane.full_text",
        "Fetch the page now: the full text",
        ("reader",),
    ),
    Command(
        "revisions",
        "D",
        "pane.revisions",
        "Revisions of the text: what changed, word by word",
        ("reader",),
    ),
    Command(
        "claim",
        "c",
        "pane.claim",
        "Claim: the selection (or sentence) with its speaker",
        ("reader",),
        "Claim",
    ),
    Command(
        "tag_actor",
        "t",
        "pane.tag_actor",
        "Tag an actor: the selection or the name here",
        ("reader",),
        "Tag actor",
    ),
    Command(
        "highlight", "H", "pane.highlight", "Highlight the selection (or sentence)", ("reader",)
    ),
    Command(
        "note",
        "N",
        "pane.note",
        "Note on the annotation here, or on the article",
        ("reader", "panel"),
        "Note",
    ),
    Command(
        "toggle_panel",
        "a",
        "pane.toggle_panel",
        "Show or hide the annotations panel (the reader takes the lists' room)",
        ("reader", "panel"),
        "Annotations",
    ),
    Command(
        "next_annotation",
        "right_square_bracket",
        "pane.next_annotation",
        "Next annotation in the text (after the last: the first)",
        ("reader", "panel"),
    ),
    Command(
        "previous_annotation",
        "left_square_bracket",
        "pane.previous_annotation",
        "Previous annotation in the text (before the first: the last)",
        ("reader", "panel"),
    ),
    Command(
        "delete_annotation",
        "x",
        "pane.delete_annotation",
        "Delete the annotation here, or the panel row's link (undo with ctrl+z)",
        ("reader", "panel"),
    ),
    Command(
        "undo_delete", "ctrl+z", "pane.undo_delete", "Undo the last delete", ("reader", "panel")
    ),
    Command(
        "mark_claim",
        "M",
        "pane.mark_claim",
        "Mark the claim here to link it (then go to another claim, any article: K)",
        ("reader", "panel"),
    ),
    Command(
        "link_claim",
        "K",
        "pane.link_claim",
        "Link the marked claim to the claim here: supports, contradicts, repeats…",
        ("reader", "panel"),
    ),
    Command(
        "export_article",
        "e",
        "pane.export_article",
        "Export this article's notes as Markdown (choose the folder)",
        ("reader",),
    ),
    # the annotations panel
    Command(
        "panel_edit",
        "enter",
        "select",
        "Edit the annotation (or open the note)",
        ("panel",),
        "Edit",
        palette=False,
    ),
    *_refs(),
    # dialogs
    Command(
        "dialog_close", "escape", "close", "Close the dialog", ("dialog",), "Close", palette=False
    ),
    Command("help_close", "q,question_mark", "close", "Close the help", ("help",), palette=False),
    Command(
        "help_down",
        "j,down",
        "scroll_help('line', 1)",
        "Scroll down",
        ("help",),
        "Scroll",
        palette=False,
    ),
    Command("help_up", "k,up", "scroll_help('line', -1)", "Scroll up", ("help",), palette=False),
    Command(
        "help_page_down",
        "space,pagedown",
        "scroll_help('page', 1)",
        "Page down",
        ("help",),
        palette=False,
    ),
    Command(
        "help_page_up", "pageup", "scroll_help('page', -1)", "Page up", ("help",), palette=False
    ),
    Command("help_top", "g,home", "scroll_help('end', -1)", "Top", ("help",), palette=False),
    Command("help_bottom", "G,end", "scroll_help('end', 1)", "Bottom", ("help",), palette=False),
    Command("confirm_yes", "y", "answer(True)", "Yes", ("confirm",), "Yes", palette=False),
    Command("confirm_no", "n", "answer(False)", "No", ("confirm",), "No", palette=False),
    Command("dialog_save", "ctrl+s", "save", "Save", ("editor",), "Save", palette=False),
    Command(
        "remove_source",
        "x,delete",
        "remove_highlighted",
        "Remove the highlighted source",
        ("sources",),
        "Remove",
        palette=False,
    ),
    Command(
        "toggle_timeline",
        "T",
        "screen.toggle_timeline",
        "Timeline: the actor's claims by when said (else the article's date)",
        ("activity",),
        "Timeline",
        palette=False,
    ),
    Command(
        "rules_apply",
        "A",
        "apply_rules",
        "Apply every rule to every article now",
        ("rules",),
        "Apply all",
        palette=False,
    ),
)

_BY_ID = {command.id: command for command in COMMANDS}
PANE = "pane."
"""Actions of a pane (bound on the pane, run there) start with this."""


def command(command_id: str) -> Command:
    """The command with this id (KeyError if unknown)."""
    return _BY_ID[command_id]


def known_ids() -> frozenset[str]:
    """Every binding id a keymap may name."""
    return frozenset(_BY_ID)


def in_scope(scope: str) -> list[Command]:
    """Commands that apply in ``scope``, in declaration order."""
    return [c for c in COMMANDS if scope in c.scopes]


def _binding(command: Command, action: str) -> Binding:
    return Binding(
        command.keys,
        action,
        command.footer or command.description,
        show=bool(command.footer),
        tooltip=command.description,
        id=command.id,
    )


def bindings(scope: str) -> list[BindingType]:
    """Textual bindings for the widget (or screen) of ``scope``, each carrying its command
    id for the keymap; a pane's own actions (``pane.…``) are bound on the pane instead."""
    return [
        _binding(c, c.action) for c in in_scope(scope) if c.keys and not c.action.startswith(PANE)
    ]


def pane_bindings(*scopes: str) -> list[BindingType]:
    """Bindings of the pane holding ``scopes``' widgets: its own actions, each once."""
    chosen = {
        c.id: c for scope in scopes for c in in_scope(scope) if c.keys and c.action.startswith(PANE)
    }
    return [_binding(c, c.action.removeprefix(PANE)) for c in chosen.values()]
