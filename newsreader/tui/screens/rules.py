"""The rules screen (ctrl+r): the rules of config.toml with how many articles each
matches now; enter lists a rule's matches, ``A`` applies every rule to every article."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from newsreader.feeds.rules import describe
from newsreader.rulespec import Rule
from newsreader.store import connect
from newsreader.store.search import QueryError
from newsreader.store.views import Source, count_articles
from newsreader.tui import commands
from newsreader.tui.context import NewsApp
from newsreader.tui.widgets.key_bar import KeyBar
from newsreader.wording import plural

HINT = "enter lists a rule's matches · A applies every rule now · esc closes"
NO_RULES = (
    "No rules yet. Add [[rules]] tables to config.toml, e.g.\n\n"
    '  [[rules]]\n  name = "sport"\n  query = "title:football"\n'
    '  actions = ["read", "label:sport"]\n\n'
    "Actions: read, star, label:NAME, hide, delete."
)


@dataclass(frozen=True, slots=True)
class RulesChoice:
    """What the screen was closed for: list ``query``'s matches, or apply (query "")."""

    query: str


class RulesScreen(ModalScreen[RulesChoice | None]):
    """The rules, their queries and actions, and their matches (counted in a worker)."""

    BINDINGS = [*commands.bindings("dialog"), *commands.bindings("rules")]

    @dataclass
    class Counted(Message):
        """The matches of each rule (None: its query does not read)."""

        counts: list[int | None]

    def __init__(self, app: NewsApp, problems: list[str]) -> None:
        super().__init__()
        self.news, self.problems = app, problems
        self.rules: list[Rule] = list(app.settings.rules)

    def compose(self) -> ComposeResult:
        """The rules (or how to write one), the problems, the hint."""
        with Vertical(classes="dialog", id="rules-dialog"):
            yield Static(Text("Rules", style="bold"), classes="dialog-title")
            if self.rules:
                yield OptionList(*self._options(None), id="rules-list", compact=True)
            else:
                yield Static(Text(NO_RULES), id="rules-empty")
            for problem in self.problems:
                yield Static(Text(problem, style="bold red"), classes="rules-problem")
            yield Static(Text(HINT), classes="dialog-hint")
        yield KeyBar()

    def _options(self, counts: list[int | None] | None) -> list[Option]:
        options = []
        for index, rule in enumerate(self.rules):
            if counts is None:
                found = "counting…"
            elif counts[index] is None:
                found = "not used"
            else:
                found = plural(counts[index] or 0, "match", "matches")
            line = Text(f"{rule.name}  ", style="bold")
            line.append(describe(rule))
            line.append(f"  ({found})", style="dim")
            options.append(Option(line, id=f"rule-{index}"))
        return options

    def on_mount(self) -> None:
        """Count every rule's matches in a worker."""
        if self.rules:
            self._count()

    @work(thread=True, exclusive=True, exit_on_error=False, description="Counting matches")
    def _count(self) -> None:
        conn = connect(self.news.db_path, migrate_schema=False)
        counts: list[int | None] = []
        try:
            for rule in self.rules:
                try:
                    counts.append(count_articles(conn, Source("search", query=rule.query)))
                except QueryError:
                    counts.append(None)
        finally:
            conn.close()
        self.post_message(self.Counted(counts))

    def on_rules_screen_counted(self, message: Counted) -> None:
        """Show the counts, the highlighted rule kept."""
        listed = self.query_one(OptionList)
        keep = listed.highlighted
        listed.clear_options()
        listed.add_options(self._options(message.counts))
        listed.highlighted = keep

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """List the chosen rule's matches."""
        event.stop()
        self.dismiss(RulesChoice(self.rules[event.option_index].query))

    def action_apply_rules(self) -> None:
        """A: apply every rule to every article."""
        if self.rules:
            self.dismiss(RulesChoice(""))

    def action_close(self) -> None:
        """Close."""
        self.dismiss(None)
