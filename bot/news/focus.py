"""Which film a place in an article talks about.

Articles about several films (box office round-ups, a release-date aside at
the end of a casting story) switch subject as they go. A position belongs to
the film named last before it in its sentence, else the first film named
after it there, else the film the previous sentences were about. Quoted titles
that are not a subject of the article still count within their own sentence,
so "her debut "Some Title" won in 2021" does not date the article's film. For
people the quoted title must stand right before them ("Some Title" director X).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from bot.news.names import strip_possessive
from bot.news.spans import Sentence


class Focus:
    def __init__(
        self,
        sentences: list[Sentence],
        owner_of: dict[str, str],
        subjects: set[str],
        primary: str,
    ) -> None:
        """`owner_of` maps every title form to the title it names; `subjects` are
        the titles that can carry the focus across sentences."""
        self._mentions: list[list[tuple[int, int, str, bool]]] = []
        self._carried: list[str] = []
        self._starts: list[list[int]] = []
        self._cache: dict[
            int, tuple[list[int], list[str], tuple[list[int], list[int], list[str]]]
        ] = {}
        current = primary
        for sent in sentences:
            found: list[tuple[int, int, str, bool]] = []
            for i, j in sent.titles:
                owner = owner_of.get(strip_possessive(sent.span(i, j)))
                if owner is None:
                    continue
                strong = owner in subjects
                if strong or i in sent.quoted:
                    found.append((i, _reach(sent, j), owner, strong))
            self._mentions.append(found)
            self._carried.append(current)
            self._starts.append([t.start for t in sent.tokens])
            strong_ones = [f for _, _, f, s in found if s]
            if strong_ones:
                current = strong_ones[-1]

    def at(self, sentence: int, token: int, near: int = 1 << 30) -> str:
        """The film the token at `token` of sentence `sentence` is about. A quoted
        title that is not a subject only counts up to `near` tokens past its reach.

        Mentions are in text order, so each lookup is a binary search."""
        strong_starts, strong_films, weak = self._index(sentence)
        k = bisect_left(strong_starts, token)
        best_start, best = -1, self._carried[sentence]
        if k > 0:
            best_start, best = strong_starts[k - 1], strong_films[k - 1]
        w = bisect_left(weak[0], token)
        if w > 0 and weak[0][w - 1] > best_start and token <= weak[1][w - 1] + near:
            return weak[2][w - 1]
        if best_start >= 0:
            return best
        if k < len(strong_starts):
            return strong_films[k]
        return best

    def _index(
        self, sentence: int
    ) -> tuple[list[int], list[str], tuple[list[int], list[int], list[str]]]:
        cached = self._cache.get(sentence)
        if cached is None:
            found = self._mentions[sentence]
            strong = [(i, f) for i, _, f, s in found if s]
            weak = [(i, r, f) for i, r, f, s in found if not s]
            cached = (
                [i for i, _ in strong],
                [f for _, f in strong],
                ([i for i, _, _ in weak], [r for _, r, _ in weak], [f for _, _, f in weak]),
            )
            self._cache[sentence] = cached
        return cached

    def at_char(self, sentence: int, pos: int) -> str:
        """Like `at`, for a character offset into the sentence text."""
        return self.at(sentence, bisect_right(self._starts[sentence], pos))


def _reach(sent: Sentence, end: int) -> int:
    """Where what is said about the title at (.., end) stops: its apposition
    (""Title," the festival hit starring X") or the title itself."""
    toks = sent.tokens
    k = end + 1  # past the closing quote
    if k + 1 < len(toks) and toks[k].text == "," and toks[k + 1].low in ("a", "an", "the"):
        k += 2
        while k < len(toks) and toks[k].text not in ",.;" and k - end < 40:
            k += 1
        return k
    return end
