"""Exported files: safe names inside the output folder, in-place updates, the user's section.

- Names come from untrusted titles through :func:`newsreader.safety.safe_filename`, are
  bounded in bytes (file systems limit names to 255 bytes, not characters), and every
  path is resolved and checked to lie inside the output folder before anything is written
  (so neither a title nor a symlink planted in the folder can send a write elsewhere).
- A file is rewritten only when its bytes would change, atomically (a temporary file in
  the same folder, then a rename), so unchanged exports leave files untouched. A Markdown
  page whose only change is its front matter's ``exported:`` time counts as unchanged.
- The text between the user-section markers (:data:`mdtext.USER_BEGIN` and
  :data:`mdtext.USER_END`) belongs to the user and is carried over on every re-export.
  Generated text never contains a marker line, so the first opening marker and the last
  closing marker of a file delimit that section. Text outside it is regenerated.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import re
import secrets
from collections.abc import Iterable
from pathlib import Path

from newsreader.export.mdtext import MARKER_LINE, USER_BEGIN, USER_END
from newsreader.models import Actor
from newsreader.safety import safe_filename

MAX_STEM_BYTES = 120
"""Longest file name stem, in UTF-8 bytes (room left for an id suffix and extension)."""
USER_HEADING = "## My notes"
"""The heading generated above the user's section."""
_ID_SUFFIX = re.compile(r"-([0-9a-f]{12})\.md$")
_EXPORTED = re.compile(r"^exported: [^\n]*$", re.MULTILINE)
"""The export-time line of a generated page's front matter (its first such line)."""


class ExportPathError(ValueError):
    """A path the export refuses to write (outside the output folder, not a folder…)."""


@functools.lru_cache(maxsize=16384)
def safe_stem(title: str, *, fallback: str = "untitled") -> str:
    """A portable file name stem for ``title``: no separators, no device names, bounded."""
    stem = safe_filename(title, max_length=80, fallback=fallback)
    if len(stem.encode("utf-8")) > MAX_STEM_BYTES:
        encoded = stem.encode("utf-8")[:MAX_STEM_BYTES]
        stem = safe_filename(encoded.decode("utf-8", "ignore"), fallback=fallback)
    return stem


def article_stem(title: str, export_id: str) -> str:
    """An article's file stem: its safe title then its stable export id."""
    return f"{safe_stem(title)}-{export_id}"


def actor_stems(actors: Iterable[Actor]) -> dict[int, str]:
    """Each actor's file stem: its safe name; names that clash (ignoring case) get a digest."""
    plain = {actor.id: safe_stem(actor.name, fallback="actor") for actor in actors}
    names = {actor.id: actor.name for actor in actors}
    seen: dict[str, int] = {}
    for stem in plain.values():
        seen[stem.casefold()] = seen.get(stem.casefold(), 0) + 1
    stems = {}
    for actor_id, stem in plain.items():
        if seen[stem.casefold()] > 1:
            digest = hashlib.blake2b(names[actor_id].encode("utf-8"), digest_size=3)
            stem = f"{stem}-{digest.hexdigest()}"
        stems[actor_id] = stem
    return stems


def output_dir(path: Path) -> Path:
    """Create (if needed) and resolve the output folder."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except FileExistsError as exc:
        raise ExportPathError(f"{path} exists and is not a folder") from exc
    if not path.is_dir():
        raise ExportPathError(f"{path} is not a folder")
    return path.resolve()


def _check_name(part: str) -> str:
    if not part or part in (".", "..") or "/" in part or "\\" in part or "\0" in part:
        raise ExportPathError(f"unsafe file name {part!r}")
    return part


def _within(path: Path, root: Path) -> Path:
    if path != root and not path.is_relative_to(root):
        raise ExportPathError(f"{path} is outside {root}")
    return path


def subfolder(root: Path, name: str) -> Path:
    """The folder ``root/name`` (created if needed), resolved and checked to be inside."""
    root = root.resolve()
    folder = root / _check_name(name)
    try:
        folder.mkdir(exist_ok=True)
    except FileExistsError:
        raise ExportPathError(f"{folder} exists and is not a folder") from None
    resolved = _within(folder.resolve(), root)
    if resolved == root or not resolved.is_dir():
        raise ExportPathError(f"{folder} is not a folder inside {root}")
    return resolved


def child(folder: Path, name: str) -> Path:
    """The file ``folder/name`` of a resolved folder; a symlink must stay inside it."""
    target = folder / _check_name(name)
    if target.is_symlink():
        return _within(target.resolve(), folder)
    return target


def inside(root: Path, *parts: str) -> Path:
    """``root/parts…`` (folders created), refusing anything that lands outside ``root``."""
    folder = root.resolve()
    for part in parts[:-1]:
        folder = subfolder(folder, part)
    return child(folder, parts[-1])


def files_by_id(folder: Path) -> dict[str, Path]:
    """Exported article files in ``folder`` by the export id their name ends with."""
    found: dict[str, Path] = {}
    if folder.is_dir():
        for entry in sorted(os.scandir(folder), key=lambda e: e.name):
            match = _ID_SUFFIX.search(entry.name)
            if match and entry.is_file(follow_symlinks=False):
                found.setdefault(match.group(1), Path(entry.path))
    return found


def user_section(text: str) -> str | None:
    """The user's text between the markers of an exported file, or None if there are none."""
    markers = list(MARKER_LINE.finditer(text))
    begins = [m for m in markers if "/" not in m.group(0)]
    ends = [m for m in markers if "/" in m.group(0)]
    if not begins or not ends or ends[-1].start() < begins[0].end():
        return None
    inner = text[begins[0].end() : ends[-1].start()]
    return inner[2:] if inner.startswith("\r\n") else inner.removeprefix("\n")


def with_user_section(generated: str, previous: str | None = None) -> str:
    """A whole file: the generated text, then the user's section (kept from ``previous``)."""
    inner = user_section(previous) if previous is not None else None
    if inner is None:
        inner = "\n"
    elif inner and not inner.endswith("\n"):
        inner += "\n"
    return f"{generated.rstrip()}\n\n{USER_HEADING}\n\n{USER_BEGIN}\n{inner}{USER_END}\n"


def write_if_changed(path: Path, text: str) -> bool:
    """Write ``text`` to ``path`` atomically unless it already holds exactly that.

    A new file gets the usual permissions (0666 less the umask); a rewritten one keeps its own.
    """
    data = text.encode("utf-8", "surrogateescape")  # a user's section may not be UTF-8
    try:
        if path.read_bytes() == data:
            return False
        mode: int | None = path.stat().st_mode & 0o7777
    except FileNotFoundError:
        mode = None
        path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        if mode is not None:
            os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    return True


def write_markdown(path: Path, generated: str) -> bool:
    """Write an exported Markdown file, keeping the user's section of the file already there.

    When the page differs from the file only in its ``exported:`` time, nothing is written
    (False): the file keeps the time its content was last exported.
    """
    try:
        previous: str | None = path.read_text(encoding="utf-8", errors="surrogateescape")
    except FileNotFoundError:
        previous = None
    text = with_user_section(generated, previous)
    if previous is not None and _same_but_exported(text, previous):
        return False
    return write_if_changed(path, text)


def _same_but_exported(text: str, previous: str) -> bool:
    """``text`` equals ``previous`` once its ``exported:`` line is the one ``previous`` has."""
    new, old = _EXPORTED.search(text), _EXPORTED.search(previous)
    if new is None or old is None:
        return text == previous
    return text[: new.start()] + old.group(0) + text[new.end() :] == previous


def adopt(existing: Path | None, target: Path) -> None:
    """Move an article's file to its new name (its title changed) unless one is there."""
    if existing is not None and existing != target and not target.exists():
        os.replace(existing, target)
