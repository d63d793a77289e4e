"""Read, starred, labels and Later of each item: a three-way merge, flag by flag.

The base is what both sides agreed at the last sync. A flag that changed on one side
only takes that side's value; a flag that both changed has the same value on both (it
is a yes or no); a flag changed here and back again is the server's. So "read here,
starred there" keeps both, and changes made offline are simply the differences from the
base, sent at the next sync. The first time an item is seen, a flag set on either side
is kept. A server that drops a flag from many items at once (half or more of at least
:data:`MASS_REMOVAL`) is not believed for that flag: nothing here is taken away, and
the log says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from newsreader.store.sync import ItemState

MASS_REMOVAL = 10


@dataclass(frozen=True, slots=True)
class Remote:
    """The server's state: its unread, starred and labelled item ids."""

    unread: set[str]
    starred: set[str]
    labels: dict[str, set[str]]
    """By label name as the server spells it (Later's label among them)."""


@dataclass(slots=True)
class Plan:
    """What a merge decided: flags to set here, flags to send, the new bases."""

    read_here: dict[bool, list[int]] = field(default_factory=lambda: {True: [], False: []})
    star_here: dict[bool, list[int]] = field(default_factory=lambda: {True: [], False: []})
    label_here: dict[tuple[str, bool], list[int]] = field(default_factory=dict)
    send: dict[tuple[str, bool], list[str]] = field(default_factory=dict)
    """(flag stream, add?) -> item ids; a flag is "read", "starred" or a label name."""
    bases: list[tuple[int, str, bool, bool, tuple[str, ...]]] = field(default_factory=list)
    """(article id, remote id, read, starred, labels incl. Later's) agreed now."""
    lines: list[str] = field(default_factory=list)
    expected: dict[int, ItemState] = field(default_factory=dict)
    """Each changed article's state as merged from: applied only if still so."""

    @property
    def sent(self) -> int:
        return sum(len(v) for v in self.send.values())


def flag(local: bool, remote: bool, base: bool | None) -> bool:
    """One flag's merged value."""
    if base is None:
        return local or remote
    if local != base and remote == base:
        return local
    return remote


def plan(
    states: Sequence[ItemState], remote: Remote, labels: Sequence[str], later_label: str
) -> Plan:
    """Merge every item; ``labels`` are the label names synced (folders left out)."""
    result = Plan()
    names = {n.casefold(): n for n in labels}
    names.setdefault(later_label.casefold(), later_label)
    members = {n.casefold(): ids for n, ids in remote.labels.items()}
    refused = _refused(states, remote, members, names, later_label, result.lines)
    for state in states:
        _merge_item(state, remote, names, members, later_label, refused, result)
    return result


def _local_labels(state: ItemState, later_label: str) -> set[str]:
    here = {n.casefold() for n in state.labels if n.casefold() != later_label.casefold()}
    if state.later:
        here.add(later_label.casefold())
    return here


def _refused(
    states: Sequence[ItemState],
    remote: Remote,
    members: dict[str, set[str]],
    names: dict[str, str],
    later_label: str,
    lines: list[str],
) -> set[str]:
    """The flags the server takes off too many items to believe."""
    refused = set()
    counts: dict[str, list[int]] = {}
    for s in states:
        if s.base_starred:
            entry = counts.setdefault("starred", [0, 0])
            entry[0] += 1
            entry[1] += s.remote_id not in remote.starred and s.starred
        for name in s.base_labels or ():
            key = name.casefold()
            entry = counts.setdefault(key, [0, 0])
            entry[0] += 1
            entry[1] += s.remote_id not in members.get(key, set()) and key in _local_labels(
                s, later_label
            )
    for key, (had, lost) in counts.items():
        if lost >= MASS_REMOVAL and lost * 2 >= had:
            refused.add(key)
            shown = "starred" if key == "starred" else f"label {names.get(key, key)!r}"
            lines.append(
                f"the server dropped {shown} from {lost} of {had} items at once:"
                " not believed, nothing taken away here"
            )
    return refused


def _merge_item(
    state: ItemState,
    remote: Remote,
    names: dict[str, str],
    members: dict[str, set[str]],
    later_label: str,
    refused: set[str],
    result: Plan,
) -> None:
    rid = state.remote_id
    remote_read = rid not in remote.unread
    remote_star = rid in remote.starred
    if "starred" in refused and state.base_starred and not remote_star:
        remote_star = True  # not believed: as if unchanged there
    read = flag(state.read, remote_read, state.base_read)
    starred = flag(state.starred, remote_star, state.base_starred)
    here_labels = _local_labels(state, later_label)
    base_labels = None if state.base_labels is None else {n.casefold() for n in state.base_labels}
    agreed: set[str] = set()
    changed_here: list[str] = []
    changed_there: list[str] = []
    for key in set(names) | here_labels | (base_labels or set()):
        there = rid in members.get(key, set())
        base = None if base_labels is None else key in base_labels
        if key in refused and base and not there:
            there = True
        value = flag(key in here_labels, there, base)
        if value:
            agreed.add(key)
        if value != (key in here_labels):
            result.label_here.setdefault((names.get(key, key), value), []).append(state.article_id)
            changed_there.append(names.get(key, key))
        if value != there:
            result.send.setdefault((names.get(key, key), value), []).append(rid)
            changed_here.append(names.get(key, key))
    for name, value, here, there in (
        ("read", read, state.read, remote_read),
        ("starred", starred, state.starred, remote_star),
    ):
        if value != here:
            (result.read_here if name == "read" else result.star_here)[value].append(
                state.article_id
            )
            changed_there.append(name)
        if value != there:
            result.send.setdefault((name, value), []).append(rid)
            changed_here.append(name)
    if changed_here or changed_there:
        result.expected[state.article_id] = state
    if changed_here and changed_there and state.base_read is not None:
        result.lines.append(
            f"{state.title[:60]!r}: {', '.join(changed_here)} here and"
            f" {', '.join(changed_there)} on the server: both kept"
        )
    labels = tuple(sorted((names.get(k, k) for k in agreed), key=str.casefold))
    result.bases.append((state.article_id, rid, read, starred, labels))


def waiting(states: Sequence[ItemState], later_label: str) -> int:
    """How many items were changed here since the last sync (their changes wait)."""
    count = 0
    for s in states:
        if s.base_read is None:
            continue
        base_labels = {n.casefold() for n in s.base_labels or ()}
        count += (
            s.read != s.base_read
            or s.starred != s.base_starred
            or _local_labels(s, later_label) != base_labels
        )
    return count
