"""One person across an article: "Christopher McQuarrie", "Chris McQuarrie" and
"McQuarrie" are the same man; a lone first name or an unknown single word is nobody.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from spacy.tokens import Span

from bot.catalog.normalize import normalize_key
from bot.extraction.cues import words

_STRIP_HEAD = words(
    """director filmmaker star actor actress producer writer screenwriter newcomer newcomers
    stars actors actresses producers writers directors mr mrs ms dr sir dame oscar-winner
    """
)


_POSSESSIVES = frozenset({"'s", "’s", "‘s"})


def clean_name(span: Span) -> str:
    """The name without a leading role word or a trailing possessive."""
    toks = list(span)
    owners = [n for n, t in enumerate(toks[:-1]) if t.text.endswith(tuple(_POSSESSIVES))]
    if owners:
        toks = toks[owners[-1] + 1 :]  # "Moonlight’s Trevante Rhodes": the credit is not the name
    while toks and (toks[0].lower_ in _STRIP_HEAD or not toks[0].text[:1].isupper()):
        toks = toks[1:]
    while toks and toks[-1].text in {"'s", "’s", "'", "’", ",", "."}:
        toks = toks[:-1]
    if not toks:
        return ""
    name = span.doc[toks[0].i : toks[-1].i + 1].text.replace("’s", "").strip()
    if name.endswith(".") and len(name.split()[-1]) > 3 and name.split()[-1] not in {"Jr.", "Sr."}:
        name = name[:-1]
    return name


class PersonIndex:
    """The full forms of names an article uses, to resolve short forms to them."""

    def __init__(self, full_names: Iterable[str], known_people: Collection[str] = ()) -> None:
        self.full: list[str] = []
        for name in full_names:
            if len(name.split()) >= 2 and name not in self.full:
                self.full.append(name)
        self.known = {normalize_key(p) for p in known_people}

    def resolve(self, name: str) -> str | None:
        """The article's canonical form of `name`, or None when it is not a full name."""
        words = name.split()
        if not words:
            return None
        if len(words) == 1:
            same = {self._canonical(f) for f in self.full if f.split()[-1] == name}
            if len(same) == 1:
                return same.pop()
            return name if normalize_key(name) in self.known else None
        return self._canonical(name)

    def _canonical(self, name: str) -> str:
        first, last = name.split()[0], name.split()[-1]
        for full in self.full:
            f_first, f_last = full.split()[0], full.split()[-1]
            if f_last == last and (f_first.startswith(first) or first.startswith(f_first)):
                return full
        return name

    def aliases(self, canonical: str) -> tuple[str, ...]:
        last = canonical.split()[-1]
        forms = [f for f in self.full if f != canonical and self._canonical(f) == canonical]
        owners = {self._canonical(f) for f in self.full if f.split()[-1] == last}
        if len(canonical.split()) >= 2 and owners == {canonical}:
            forms.append(last)
        return tuple(dict.fromkeys(forms))
