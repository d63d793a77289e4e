"""The Jinja2 templates Markdown pages are rendered from: built in, or the user's own.

A template named ``article.md.j2`` (``actor.md.j2``, ``index.md.j2``, ``annotation.md.j2``)
is looked up first in the user's folder, ``templates/`` beside config.toml, then among the
built-in ones (this package's ``templates/``), which write exactly what the export wrote
before it had templates.

Templates run sandboxed (Jinja's immutable sandbox: no ``__class__`` tricks, no mutating
what they are given) with every name they use required (StrictUndefined). There is no
HTML autoescaping: feed text reaches a page through the filters below, the export's own
Markdown and YAML escaping (:mod:`newsreader.export.mdtext`), which the built-in templates
apply to every untrusted string. Any failure -- a syntax error, an unknown name, a refused
attribute -- is a :class:`TemplateError` whose message is one line naming the template's
file and line.
"""

from __future__ import annotations

import functools
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment

from newsreader.export import mdtext

NAMES = ("article.md.j2", "actor.md.j2", "index.md.j2", "annotation.md.j2")
"""The templates the export renders."""
BUILT_IN = Path(__file__).resolve().parent / "templates"
"""Where the built-in templates are (shipped inside the package)."""
_RUNTIME_ERRORS = (jinja2.TemplateError, TypeError, ValueError, ArithmeticError, LookupError)


class TemplateError(ValueError):
    """A template could not be read or rendered; the message is one line for the user."""


def user_dir(config_path: Path) -> Path:
    """The folder of the user's templates: ``templates/`` beside the config file."""
    return config_path.parent / "templates"


@dataclass(frozen=True, slots=True)
class Found:
    """Where a template name resolves: the file, and whether it is the user's."""

    name: str
    path: Path
    user: bool


def _iso(ts: float | None) -> str:
    """A time for a front matter: ISO 8601 UTC, or ``null``."""
    return mdtext.iso_time(ts) or "null"


def _md_escape(text: str, line_start: bool = True) -> str:
    return mdtext.escape(text, line_start=line_start)


def _md_line(text: str) -> str:
    """Feed text as one Markdown line of its own (a heading's text)."""
    return mdtext.escape(mdtext.one_line(text))


def _md_inline(text: str) -> str:
    """Feed text as one line inside a line of Markdown."""
    return mdtext.escape(mdtext.one_line(text), line_start=False)


def dated(shown: str, date_kind: str) -> str:
    """A date as a line shows it: "updated …" for a last-updated date."""
    return f"updated {shown}" if date_kind == "updated" and shown else shown


def _indented(markdown: str) -> str:
    """The user's Markdown indented two spaces (under a list item), blank lines left empty."""
    lines = mdtext.neutralise_markers(markdown).split("\n")
    return "\n".join(f"  {line}" if line.strip() else "" for line in lines)


def _yaml_list(values: Iterable[str], key: str) -> str:
    return mdtext.yaml_list(key, list(values))


def _plural(count: int, word: str) -> str:
    return mdtext.plural(count, word)


FILTERS: dict[str, Callable[..., str]] = {
    "yaml": mdtext.yaml_str,
    "yaml_list": _yaml_list,
    "iso": _iso,
    "human_time": mdtext.human_time,
    "human_date": mdtext.human_date,
    "dated": dated,
    "md_escape": _md_escape,
    "md_line": _md_line,
    "md_inline": _md_inline,
    "one_line": mdtext.one_line,
    "block_quote": mdtext.block_quote,
    "user_md": mdtext.neutralise_markers,
    "indented": _indented,
    "plural": _plural,
}
"""The filters every template has: the export's escaping and formatting."""


class _Sandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, remembering its verdict per (type, attribute): the
    verdict depends on nothing else, and asking anew for every attribute a page reads
    made the sandbox most of the export's time."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._verdicts: dict[tuple[type, str], bool] = {}

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        key = (type(obj), attr)
        verdict = self._verdicts.get(key)
        if verdict is None:
            verdict = self._verdicts[key] = super().is_safe_attribute(obj, attr, value)
        return verdict


@functools.lru_cache(maxsize=8)
def _environment(user: Path | None) -> jinja2.Environment:
    """One sandboxed environment per user folder (compiled templates are kept)."""
    folders = [str(user)] if user is not None else []
    env = _Sandbox(
        loader=jinja2.FileSystemLoader([*folders, str(BUILT_IN)]),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        auto_reload=False,
    )
    env.filters.update(FILTERS)
    return env


def _where(exc: BaseException) -> tuple[str, int | None]:
    """The template file and line an error came from (Jinja rewrites its traceback so
    that a template's frames carry the template's file name and line)."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return exc.filename or exc.name or "?", exc.lineno
    frames = traceback.extract_tb(exc.__traceback__)
    for frame in reversed(frames):
        if frame.filename.endswith(".j2"):
            return frame.filename, frame.lineno
    return "?", None


def _message(exc: BaseException) -> str:
    if isinstance(exc, jinja2.TemplateNotFound):
        return f"no template {exc.name}"
    text = " ".join(str(exc).split()).rstrip(".") or type(exc).__name__
    if isinstance(exc, jinja2.exceptions.SecurityError):
        return f"refused by the sandbox: {text}"
    if not isinstance(exc, jinja2.TemplateError):
        return f"{type(exc).__name__}: {text}"
    return text


class Templates:
    """The templates of one export: the user's folder first, then the built-in ones."""

    def __init__(self, user: Path | None = None) -> None:
        self.user = user
        """The user's template folder (None: the built-in templates only)."""

    @classmethod
    def for_config(cls, config_path: Path) -> Templates:
        """The templates for the config file ``config_path`` (its folder's templates/)."""
        return cls(user_dir(config_path))

    def render(self, name: str, **context: Any) -> str:
        """Render the template ``name``; any failure raises :class:`TemplateError`."""
        try:
            template = _environment(self.user).get_template(name)
            return template.render(context)
        except TemplateError:
            raise
        except _RUNTIME_ERRORS as exc:
            raise self.error(exc) from None

    def error(self, exc: BaseException) -> TemplateError:
        """``exc`` (raised by a template) as one line naming its file and line."""
        filename, line = _where(exc)
        at = f", line {line}" if line is not None else ""
        return TemplateError(f"template {filename}{at}: {_message(exc)}")

    def lookup(self) -> list[Found]:
        """Where each template name resolves now (the user's file wins)."""
        found = []
        for name in NAMES:
            mine = self.user / name if self.user is not None else None
            if mine is not None and mine.is_file():
                found.append(Found(name, mine, True))
            else:
                found.append(Found(name, BUILT_IN / name, False))
        return found

    def strays(self) -> list[Path]:
        """Files in the user's folder that no export reads (a misspelt name, say)."""
        if self.user is None or not self.user.is_dir():
            return []
        return sorted(p for p in self.user.iterdir() if p.is_file() and p.name not in NAMES)


def built_in_source(name: str) -> str:
    """The text of the built-in template ``name`` (to copy and change)."""
    if name not in NAMES:
        raise TemplateError(f"no template {name} (there are: {', '.join(NAMES)})")
    return (BUILT_IN / name).read_text(encoding="utf-8")
