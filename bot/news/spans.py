"""Sentences as tokens, and the spans the extractor reads from them: Title Case
and quoted titles, catalog matches, "(Credit)" parentheticals and "as Character".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from bot.news.cues import CHAR_SKIP, TITLE_GLUE
from bot.news.names import (
    MONTHS,
    ROLE_WORDS,
    STOP_CAPS,
    WEEKDAYS,
    Token,
    is_name_word,
    strip_possessive,
    tokenize,
)
from bot.news.summarize import split_sentences, wordset


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
    # Title-shaped quotations: first inner token -> end (exclusive); the quote
    # marks sit at start - 1 and end.
    quoted: dict[int, int] = field(default_factory=dict)
    in_quote: list[bool] = field(default_factory=list)
    # "Name's Title": title start -> (name start, name end), the name's possessive included.
    owners: dict[int, tuple[int, int]] = field(default_factory=dict)
    titles: list[tuple[int, int]] = field(default_factory=list)

    def skipped(self, i: int) -> bool:
        """Inside parentheses or a quoted title: not a place for a person's name."""
        return self.in_parens[i] or self.in_quote[i]

    def outside(self, i: int, j: int) -> tuple[int, int]:
        """The span (i, j) widened to its quote marks, for cue checks around a title."""
        if self.quoted.get(i) == j:
            return i - 1, j + 1
        return i, j

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
    weak: bool = False  # dropped when the person has a stronger role in the article


# Quote marks: opening mark -> the closing marks that pair with it.
_QUOTE_CLOSE = {'"': '"', "“": "”", "‘": "’", "'": "'’"}
# Lower-case words a quoted title may contain ("Sex and the City", "I Saw the TV Glow").
_TITLE_SMALL = wordset(
    """of the a an and or nor but to in on at for from with by vs vs. as is are be my me
    your his her its our their no not up out into over off per via de la le du des del el
    y et von van"""
)
_TITLE_PUNCT = set(":&+-–—!?,'’.")


def _quote_pairs(text: str, tokens: list[Token]) -> list[tuple[int, int]]:
    """(opening, closing) token indexes of quotations, in one left-to-right scan.

    Single quotes only count at word edges, so apostrophes ("Jones' film") are
    never taken for quotation marks.
    """
    pairs: list[tuple[int, int]] = []
    open_at = -1
    for k, tok in enumerate(tokens):
        ch = tok.text
        if ch not in "\"“”‘’'":
            continue
        if open_at >= 0 and ch in _QUOTE_CLOSE[tokens[open_at].text]:
            before_ok = tokens[k - 1].end == tok.start
            after_ok = tok.end >= len(text) or not text[tok.end].isalnum()
            if ch == '"' or ch == "”" or (before_ok and after_ok):
                pairs.append((open_at, k))
                open_at = -1
                continue
        single_opens = (
            ch in "‘'"
            and open_at < 0
            and (tok.start == 0 or not text[tok.start - 1].isalnum())
            and k + 1 < len(tokens)
            and tokens[k + 1].start == tok.end
            and tokens[k + 1].is_cap
        )
        if ch in '"“' or single_opens:
            open_at = k
    return pairs


def _title_shaped(toks: list[Token]) -> bool:
    """A quotation that reads as a title: Title Case words with a few small words,
    not a spoken sentence ("the most intimate experience of my career")."""
    words = [t for t in toks if t.is_word]
    if not words or len(words) > 12 or not (words[0].is_cap or words[0].is_digit):
        return False
    if not (toks[0].is_word and (toks[-1].is_word or toks[-1].text in "!?")):
        return False
    small = 0
    for tok in toks:
        if not tok.is_word:
            if tok.text not in _TITLE_PUNCT:
                return False
        elif tok.low in _TITLE_SMALL and not tok.is_cap:
            small += 1
        elif not (tok.is_cap or tok.is_digit):
            return False
    return 2 * small < len(words)


_SPEECH_VERBS = wordset(
    """said says added adds told tells asked asks laughs laughed recalled recalls explained
    explains noted notes continued continues joked jokes admitted admits insisted insists
    wrote writes shouted replied replies"""
)
_PRONOUNS = wordset("he she they i we you it")


def _speech_follows(toks: list[Token], k: int) -> bool:
    """ "Game Over," he said: a quotation attributed to a speaker is speech."""
    if k < len(toks) and toks[k].text == ",":
        k += 1
    window = [t.low for t in toks[k : k + 5]]
    if window[:1] and window[0] in _SPEECH_VERBS:
        return True
    if len(window) >= 2 and window[0] in _PRONOUNS and window[1] in _SPEECH_VERBS:
        return True
    # "Game Over," director Jane Roe said
    return any(w in _SPEECH_VERBS for w in window[1:4]) and not any(
        w in (".", ";") for w in window[:3]
    )


def _mark_quotes(sent: Sentence) -> None:
    """Find title-shaped quotations; move a comma or period that US style puts
    inside the closing mark ("The Film," he said) after it, so the title's
    neighbours are the words around the quotation."""
    toks = sent.tokens
    for o, c in _quote_pairs(sent.text, toks):
        if c - o >= 3 and toks[c - 1].text in ",.":
            toks[c - 1], toks[c] = toks[c], toks[c - 1]
            c -= 1
        if c - o >= 2 and _title_shaped(toks[o + 1 : c]) and not _speech_follows(toks, c + 1):
            sent.quoted[o + 1] = c
            for k in range(o + 1, c):
                sent.in_quote[k] = True


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
        sent = Sentence(idx, text, tokens, flags, in_quote=[False] * len(tokens))
        _mark_quotes(sent)
        out.append(sent)
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
    """Title-shaped spans: quoted titles whole, catalog titles, Title Case runs.

    "Name's Title" (two or more name words before the possessive) yields the title
    alone and records the name in `sent.owners`: the house style for a director's film.
    """
    spans: list[tuple[int, int]] = []
    toks = sent.tokens
    i = 0
    while i < len(toks):
        if sent.in_parens[i]:
            i += 1
            continue
        if i in sent.quoted:
            end = sent.quoted[i]
            owner = _owner_before(toks, i - 1)
            if owner:
                sent.owners[i] = owner
                if spans and spans[-1][1] == owner[1]:
                    spans.pop()  # the owner's name is not a title
            spans.append((i, end))
            i = end
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
            cut = _owner_cut(toks, start, j)
            if cut > start:
                sent.owners[cut] = (start, cut)
                start = cut
            if start < j:
                spans.append((start, j))
            i = max(j, i + 1)
            continue
        i += 1
    return spans


def _possessive(tok: Token) -> bool:
    return tok.text.endswith(("'s", "’s"))


def _owner_cut(toks: list[Token], i: int, j: int) -> int:
    """Where the title starts after a leading "First Last's" in toks[i:j], else i."""
    for k in range(i + 1, min(j - 1, i + 4)):
        if _possessive(toks[k]):
            if all(is_name_word(t) for t in toks[i : k + 1]) and toks[k + 1].is_cap:
                return k + 1
            return i
    return i


def _owner_before(toks: list[Token], quote: int) -> tuple[int, int] | None:
    """A "First Last's" right before the opening quote at `quote`."""
    if quote < 2 or not _possessive(toks[quote - 1]):
        return None
    start = quote - 1
    while start > 0 and quote - start < 4 and is_name_word(toks[start - 1]):
        start -= 1
    if quote - start < 2 or not all(is_name_word(t) for t in toks[start:quote]):
        return None
    return start, quote


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
    if inner[:1] in "\"“‘'":  # (“Show,” “Film”): the credits, unquoted
        inner = ", ".join(
            s for s in (p.strip(" ,\"“”‘’'") for p in re.split(r"[\"“”]", inner)) if s
        )
    first = next((t for t in toks[j + 1 : k] if t.is_word), toks[j + 1])
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
    if toks[j - 1].text.endswith(("'s", "’s")) and j < len(toks) and not toks[j].is_cap:
        return None, i  # "as X's mother": a description, not a character's name
    text = strip_possessive(sent.span(k, j))
    if toks[k].low in STOP_CAPS and j - k == 1:
        return None, i
    return text, j
