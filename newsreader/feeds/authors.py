"""Author strings -> a display name: "name (email)", "email (name)", "Name <email>", mailto.

RSS ``<author>`` and ``dc:creator`` hold free text. feedparser splits it with an e-mail
pattern that knows only two-to-four-letter top-level domains and no ``mailto:``, so
``jonas@insanity.industries (Jonas Große Sundrup)`` came out as "stries (Jonas Große
Sundrup". Both parser paths use :func:`split_name_address` instead: it recognises the
whole string as one of the forms below or leaves it as it is — it never cuts text out of
the middle of a name.

- ``Name (address)``, ``Name <address>``, ``"Name" <address>``
- ``address (Name)``, ``address <Name>`` (a name may itself hold parentheses)
- ``address`` or ``<address>`` alone (no name)

An address is ``local@domain`` with any top-level domain (IDN too), optionally written as
``mailto:address``. Anything else — ``Jane Doe (@jane)``, ``Smith & Sons (Ltd)`` — is a
name. The rules match gofeed's ``ParseNameAddress`` table (tests/data/gofeed/).
"""

from __future__ import annotations

import re

MAX_LENGTH = 1000
"""Longer strings are taken as a name without looking for an address (bounds the work)."""
_ADDRESS = r"(?:mailto:)?([^\s@()<>\[\]\"',;]+@[^\s@()<>\[\]\"',;]+\.[^\s@()<>\[\]\"',;.]+)"
_NAME_FIRST = re.compile(rf"(.*?)\s*(?:\(\s*{_ADDRESS}\s*\)|<\s*{_ADDRESS}\s*>)", re.I | re.S)
_ADDRESS_FIRST = re.compile(rf"{_ADDRESS}\s*(?:\((.*)\)|<(.*)>)", re.I | re.S)
_ADDRESS_ONLY = re.compile(rf"<?\s*{_ADDRESS}\s*>?", re.I)


def split_name_address(value: str) -> tuple[str, str]:
    """(name, e-mail address) of an author string; either may be ""."""
    value = value.strip()
    if len(value) > MAX_LENGTH:
        return value, ""
    match = _ADDRESS_ONLY.fullmatch(value)
    if match:
        return "", match.group(1)
    match = _ADDRESS_FIRST.fullmatch(value)
    if match:
        name = (match.group(2) if match.group(2) is not None else match.group(3)).strip()
        return _unquote(name), match.group(1)
    match = _NAME_FIRST.fullmatch(value)
    if match and match.group(1).strip():
        return _unquote(match.group(1)), match.group(2) or match.group(3)
    return value, ""


def author_name(value: str) -> str:
    """What to show as the author: the name, else the address, else ""."""
    name, address = split_name_address(value)
    return name or address


def _unquote(name: str) -> str:
    name = name.strip()
    if len(name) >= 2 and name[0] == name[-1] == '"':
        name = name[1:-1].strip()
    return name
