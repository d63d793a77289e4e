"""Names compared the way people type them: case and diacritics ignored.

"bogota" finds "Bogotá", "PETRO" finds "Petro": the claim and tag dialogs filter actors
with it, and the annotation service uses it to find an actor by a typed name before it
creates one. Plain Python, no store.
"""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """``text`` without case, diacritics or repeated spaces ("Bogotá  D.C." -> "bogota d.c.")."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(bare.casefold().split())
