"""Actor choices offered by the claim and tag dialogs, best guess first.

Known actors found in or next to the selection come first; then names from the text that
are not actors yet, offered for creation. A short name ("Trump") is offered under the
fuller name the article also uses ("Donald Trump"), with the short one as an alias, so
tagging it once marks both from then on; the guesses themselves (titles and adjectives of
place left out, the surname offered) are the domain's :func:`guess_name`. Plain Python
over the domain (no Textual).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from newsreader.annotations.actors import ActorMatcher, full_name, guess_name, suggestions
from newsreader.annotations.folding import fold
from newsreader.annotations.sentences import sentence_at
from newsreader.tui.marks import ArticleMarks

MAX_SUGGESTIONS = 8


@dataclass(frozen=True, slots=True)
class ActorChoice:
    """An actor to use: an existing one (``actor_id``) or one to create (``name``)."""

    label: str
    actor_id: int | None = None
    name: str = ""
    aliases: tuple[str, ...] = ()

    @property
    def is_new(self) -> bool:
        """Whether choosing it creates the actor."""
        return self.actor_id is None


def around(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentences holding ``[start, end)``: where a claim's speaker is usually named."""
    return sentence_at(text, start)[0], sentence_at(text, max(start, end - 1))[1]


def new_choice(
    name: str, names: list[str], text: str = "", known: Iterable[str] = ()
) -> ActorChoice:
    """Create ``name``, under its fuller form when the text has one, with the aliases the
    tag dialog would offer (:func:`guess_name`: the short form, the surname)."""
    guess = guess_name(name, text, names, known)
    if guess.aliases:
        aliases = ", ".join(guess.aliases)
        return ActorChoice(
            f"＋ new: {guess.name} (alias {aliases})", name=guess.name, aliases=guess.aliases
        )
    return ActorChoice(f"＋ new: {guess.name}", name=guess.name)


def nearby_choices(
    text: str, start: int, end: int, marks: ArticleMarks | None, matcher: ActorMatcher | None
) -> list[ActorChoice]:
    """Actors in or around ``[start, end)``: known ones first, then names to create."""
    lo, hi = around(text, start, end)
    choices: list[ActorChoice] = []
    if marks is not None:
        for actor_id in marks.actors_in(lo, hi):
            name = marks.actor_names.get(actor_id, f"actor {actor_id}")
            choices.append(ActorChoice(name, actor_id=actor_id))
    known = {c.label.casefold() for c in choices}
    names = marks.names if marks is not None else []
    taken = matcher.names() if matcher is not None else set()
    for found in suggestions(text[lo:hi], matcher):
        choice = new_choice(found.name, names, text, taken)
        if choice.name.casefold() not in known:
            known.add(choice.name.casefold())
            choices.append(choice)
    return choices[:MAX_SUGGESTIONS]


def filter_actors(
    actors: list[tuple[int, str, str]], typed: str, limit: int = 50
) -> list[ActorChoice]:
    """Known actors whose name or aliases contain ``typed``, case and diacritics ignored
    (all, by name, when empty).

    ``actors`` holds ``(id, name, "name | alias | alias…" folded)`` rows.
    """
    folded = fold(typed)
    out = []
    for actor_id, name, words in actors:
        if not folded or folded in words:
            out.append(ActorChoice(name, actor_id=actor_id))
            if len(out) >= limit:
                break
    return out


__all__ = ["ActorChoice", "around", "filter_actors", "full_name", "nearby_choices", "new_choice"]
