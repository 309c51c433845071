"""Sentences as tokens, and the spans the extractor reads from them: Title Case
and quoted titles, catalog matches, "(Credit)" parentheticals and "as Character".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from bot.news.cues import CHAR_SKIP, TITLE_GLUE
from bot.news.names import (
    MONTHS,
    ROLE_WORDS,
    STOP_CAPS,
    WEEKDAYS,
    Token,
    strip_possessive,
    tokenize,
)
from bot.news.summarize import split_sentences


class Matcher:
    """Exact token-sequence lookup for catalog names and titles."""

    def __init__(self, names: Iterable[str]) -> None:
        self._by_first: dict[str, list[tuple[str, ...]]] = {}
        self.names: set[str] = set()
        for name in names:
            words = tuple(t.text for t in tokenize(name))
            if not words:
                continue
            self.names.add(name)
            self._by_first.setdefault(words[0], []).append(words)
        for seqs in self._by_first.values():
            seqs.sort(key=len, reverse=True)

    def match(self, tokens: list[Token], i: int) -> int:
        """End index of the longest known name starting at i, or i."""
        if i >= len(tokens):
            return i
        for seq in self._by_first.get(tokens[i].text, ()):
            end = i + len(seq)
            if end > len(tokens):
                continue
            ok = True
            for k, word in enumerate(seq):
                text = tokens[i + k].text
                if text != word and not (k == len(seq) - 1 and strip_possessive(text) == word):
                    ok = False
                    break
            if ok:
                return end
        return i

    def __bool__(self) -> bool:
        return bool(self._by_first)


@dataclass
class Sentence:
    index: int
    text: str
    tokens: list[Token]
    in_parens: list[bool] = field(default_factory=list)

    def span(self, i: int, j: int) -> str:
        return self.text[self.tokens[i].start : self.tokens[j - 1].end] if j > i else ""


@dataclass
class Hit:
    form: str
    role: str
    pos: tuple[int, int]
    status: str | None = None
    character: str | None = None
    mononym_ok: bool = True


def prepare(body: str) -> list[Sentence]:
    out: list[Sentence] = []
    for idx, text in enumerate(split_sentences(body)):
        tokens = tokenize(text)
        depth = 0
        flags: list[bool] = []
        for tok in tokens:
            if tok.text in "([":
                depth += 1
                flags.append(True)
            elif tok.text in ")]":
                flags.append(depth > 0)
                depth = max(0, depth - 1)
            else:
                flags.append(depth > 0)
        out.append(Sentence(idx, text, tokens, flags))
    return out


def parse_title(tokens: list[Token], i: int) -> int:
    """End of a Title Case span starting at i: capitalised words and numbers joined
    by colons, spaced dashes, '&' and a few small words ("of the")."""
    n = len(tokens)
    j = i
    last = i
    while j < n:
        tok = tokens[j]
        if tok.is_word and (tok.is_cap or tok.is_digit):
            j += 1
            last = j
            if tok.text.endswith(("'s", "’s")) and j < n and not tokens[j].is_cap:
                break
            continue
        if j == last and j > i and j + 1 < n:
            nxt = tokens[j + 1]
            nxt_ok = nxt.is_word and (nxt.is_cap or nxt.is_digit)
            if tok.text == ":" and nxt_ok:
                j += 1
                continue
            if tok.text in "–—-" and nxt_ok and tok.start > tokens[j - 1].end:
                j += 1
                continue
            if tok.text in ("&", "+") and nxt_ok:
                j += 1
                continue
            if tok.low in TITLE_GLUE and not tok.is_cap:
                k = j
                while k < n and k - j < 2 and tokens[k].low in TITLE_GLUE:
                    k += 1
                if (
                    k < n
                    and tokens[k].is_word
                    and tokens[k].is_cap
                    and tokens[k].low not in MONTHS
                    and tokens[k].low not in WEEKDAYS
                ):
                    j = k
                    continue
        break
    return last


def strip_lead(sent: Sentence, i: int, j: int) -> int:
    """Skip leading stop/role words of a span (keeping a title's "The")."""
    while i < j:
        low = sent.tokens[i].low
        if low in ROLE_WORDS or low in WEEKDAYS or (low in STOP_CAPS and low not in {"the", "a"}):
            i += 1
            continue
        if low in {"the", "a"} and (i + 1 >= j or not sent.tokens[i + 1].is_cap):
            i += 1
            continue
        break
    return i


def title_spans(sent: Sentence, titles: Matcher) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    toks = sent.tokens
    i = 0
    while i < len(toks):
        if sent.in_parens[i]:
            i += 1
            continue
        end = titles.match(toks, i) if titles else i
        if end > i:
            spans.append((i, end))
            i = end
            continue
        tok = toks[i]
        if tok.is_word and (tok.is_cap or tok.is_digit):
            j = parse_title(toks, i)
            start = strip_lead(sent, i, j)
            if start < j:
                spans.append((start, j))
            i = max(j, i + 1)
            continue
        i += 1
    return spans


def parenthetical(sent: Sentence, j: int) -> tuple[str | None, int]:
    """A credit in parentheses at token j: ("Some Show", index after ')')."""
    toks = sent.tokens
    if j >= len(toks) or toks[j].text != "(":
        return None, j
    k = j + 1
    while k < len(toks) and toks[k].text != ")" and k - j < 30:
        k += 1
    if k >= len(toks) or toks[k].text != ")" or k == j + 1:
        return None, j
    inner = sent.text[toks[j + 1].start : toks[k - 1].end].strip()
    first = toks[j + 1]
    if not (first.is_cap or first.is_digit) or inner.isdigit() or len(inner) > 80:
        return None, k + 1
    if first.low in MONTHS or first.low in STOP_CAPS - {"the", "a"} or first.low in ROLE_WORDS:
        return None, k + 1
    if all(t.is_digit or not t.is_word for t in toks[j + 1 : k]):
        return None, k + 1
    return inner, k + 1


def parse_character(sent: Sentence, i: int) -> tuple[str | None, int]:
    toks = sent.tokens
    k = i
    while k < len(toks) and k - i < 4 and toks[k].low in CHAR_SKIP and not toks[k].is_cap:
        k += 1
    if k >= len(toks) or not toks[k].is_cap or not toks[k].is_word:
        return None, i
    j = k
    while j < len(toks) and j - k < 6:
        tok = toks[j]
        if tok.is_word and tok.is_cap and tok.low not in MONTHS:
            j += 1
            if tok.text.endswith(("'s", "’s")):
                break
            continue
        if (
            tok.low in {"of", "de", "da", "van", "von", "the", "del", "la", "le"}
            and not tok.is_cap
            and j + 1 < len(toks)
            and toks[j + 1].is_cap
            and j > k
        ):
            j += 1
            continue
        break
    if j == k:
        return None, i
    text = strip_possessive(sent.span(k, j))
    if toks[k].low in STOP_CAPS and j - k == 1:
        return None, i
    return text, j
