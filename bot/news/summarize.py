"""Sentence splitting and extractive summaries for news articles.

Summaries are 2-4 whole sentences copied from the article (only whitespace is
normalised), emitted in the article's order. Sentences are scored by position
(news puts the point first), by overlap with the article's recurring names and
titles, and by concrete news (dates, numbers, release/casting verbs), so a
later sentence that carries the news can beat a soft lead.

Everything here is linear in the input size: the regexes have no nested
quantifiers, and the quote pairing is a single scan per paragraph.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from dataclasses import dataclass

__all__ = ["clean_text", "quotes_balanced", "split_sentences", "summarize", "wordset"]


def wordset(words: str) -> frozenset[str]:
    """A word list written as one readable string."""
    return frozenset(words.split())


_TAG = re.compile(r"<[^<>]{0,300}>")
_ENTITY = re.compile(r"&(?:#\d{1,7}|#x[0-9a-fA-F]{1,6}|[A-Za-z]{2,10});")
_BLANK_LINE = re.compile(r"\n[ \t\f\v]*\n\s*")
_WS = re.compile(r"\s+")
# A terminal mark, optional closers, then white space: a candidate boundary.
_TERMINAL = re.compile(r"[.!?…]+[\"”’')\]]*[ \t\r\n]+")
_WORD_BEFORE = re.compile(r"([\w.'’-]{1,30})$")

# Words that end in a period without ending a sentence (lower case, no period).
ABBREVIATIONS = wordset(
    """mr mrs ms dr prof st jr sr vs etc bros inc co ltd corp vol ch pt gen col lt sgt
    capt cmdr rev hon sen rep gov pres mt ft approx est dept univ jan feb mar apr jun jul
    aug sep sept oct nov dec fig e.g i.e a.m p.m u.s u.k"""
)
_OPENERS = "\"“‘'([«"

_DOUBLE_QUOTES = {'"': "both", "“": "open", "”": "close", "«": "open", "»": "close"}


# Outlet tags and wire datelines that open a paragraph: "EXCLUSIVE:", "VENICE --",
# "LOS ANGELES (AP) —", "CANNES, France —". Not part of any sentence.
_LEAD_TAG = re.compile(
    r"(?:(?i:exclusive|breaking(?: news)?|updated?|update \d+|watch|review|first look|"
    r"spoilers?|opinion|analysis|video|photos?)\s*[:|]\s*)+"
)
_DATELINE = re.compile(
    r"[A-Z][A-Z.'’ -]{2,40}(?:,\s*[A-Z][A-Za-z.]{1,20}(?:\s[A-Z][A-Za-z.]{1,20})?)?"
    r"(?:\s*\([A-Za-z .&-]{1,25}\))?\s*(?:--|—|–|-)\s+(?=\S)"
)


def strip_lead_tags(block: str) -> str:
    """A paragraph without the outlet tag and dateline it opens with."""
    text = block.lstrip()
    m = _LEAD_TAG.match(text)
    if m:
        text = text[m.end() :]
    m = _DATELINE.match(text)
    if m and sum(c.isalpha() for c in m.group()) >= 3:
        text = text[m.end() :]
    return text


def clean_text(body: str) -> str:
    """Drop HTML remnants (tags, entities, CRs) so sentence rules see plain text."""
    if not body:
        return ""
    text = body.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    if "<" in text:
        text = _TAG.sub(" ", text)
    if "&" in text and _ENTITY.search(text):
        text = html.unescape(text)
    return text


def _blocks(text: str) -> list[str]:
    """Paragraphs (blank-line separated); a line ending a sentence also ends a block."""
    blocks: list[str] = []
    for para in _BLANK_LINE.split(text):
        current: list[str] = []
        for line in para.split("\n"):
            current.append(line)
            stripped = line.rstrip()
            if stripped and stripped[-1] in '.!?…"”’)':
                blocks.append(" ".join(current))
                current = []
        if current:
            blocks.append(" ".join(current))
    return [b for b in blocks if b.strip()]


def _quote_spans(block: str) -> list[tuple[int, int]]:
    """Pair double quotes in one scan; an unmatched opener yields no span."""
    spans: list[tuple[int, int]] = []
    open_at = -1
    for i, ch in enumerate(block):
        kind = _DOUBLE_QUOTES.get(ch)
        if kind is None:
            continue
        if open_at < 0:
            if kind != "close":
                open_at = i
        elif kind != "open":
            spans.append((open_at, i))
            open_at = -1
    return spans


def _is_abbreviation(block: str, dot: int) -> bool:
    """True when the '.' at `dot` ends an abbreviation or an initial, not a sentence."""
    m = _WORD_BEFORE.search(block, max(0, dot - 30), dot)
    if not m:
        return False
    word = m.group(1).lstrip("'’-").lower()
    if not word:
        return False
    if word in ABBREVIATIONS:
        return True
    if len(word) == 1 and word.isalpha():
        return True  # an initial: "J. Smith"
    # Dotted initials such as "u.s" or "j.j".
    parts = word.split(".")
    return len(parts) > 1 and all(len(p) == 1 for p in parts)


def _split_block(block: str) -> list[str]:
    spans = _quote_spans(block)
    out: list[str] = []
    start = 0
    span_i = 0
    for m in _TERMINAL.finditer(block):
        punct_end = m.end()
        while punct_end > m.start() and block[punct_end - 1].isspace():
            punct_end -= 1
        nxt = m.end()
        if nxt >= len(block):
            continue
        ch = block[nxt]
        if ch in _OPENERS and nxt + 1 < len(block):
            ch = block[nxt + 1]
        if not (ch.isupper() or ch.isdigit()):
            continue
        marks = block[m.start() : punct_end].rstrip("\"”’')]")
        if marks == "." and _is_abbreviation(block, m.start()):
            continue
        # Inside a closed quote? Then the quote continues: not a boundary.
        while span_i < len(spans) and spans[span_i][1] < m.start():
            span_i += 1
        if span_i < len(spans):
            q_open, q_close = spans[span_i]
            if q_open < m.start() < q_close and punct_end <= q_close:
                continue
        out.append(block[start:punct_end])
        start = m.end()
    out.append(block[start:])
    return out


def split_sentences(body: str) -> list[str]:
    """Split an article into sentences, keeping a quotation in one piece.

    A sentence boundary inside a closed quotation is not a boundary, so quoted
    speech stays whole with its attribution. A quotation left open at the end of
    a paragraph (news style for multi-paragraph quotes) cannot be paired; its
    sentences are split normally and report unbalanced quotes. HTML remnants are
    removed and white space inside each sentence is collapsed to single spaces.
    """
    text = clean_text(body)
    sentences: list[str] = []
    for block in _blocks(text):
        for piece in _split_block(strip_lead_tags(block)):
            s = _WS.sub(" ", piece).strip()
            if s:
                sentences.append(s)
    return sentences


def quotes_balanced(sentence: str) -> bool:
    """True when every double quote in the sentence is closed within it."""
    straight = sentence.count('"')
    if straight % 2:
        return False
    return sentence.count("“") == sentence.count("”")


# --- scoring ---------------------------------------------------------------

_CAP_WORD = re.compile(r"\b[A-Z][\w'’-]*[A-Za-z0-9]|\b[A-Z]\b")
_NUMBER = re.compile(r"\d")
_MONTH = re.compile(
    r"\b(?:January|February|March|April|May|June|July|August|September|October|"
    r"November|December|spring|summer|fall|autumn|winter)\b"
)
_NEWS_WORDS = re.compile(
    r"\b(?:announc\w*|reveal\w*|releas\w*|debut\w*|premier\w*|moved|delay\w*|push\w*|"
    r"dated|set to|set for|slated|will (?:now )?(?:debut|arrive|open|hit|star|play|direct)|"
    r"joined|joins|cast|casting|stars?|starring|directed|directs|trailer|teaser|"
    r"theaters|theatres|cinemas|streaming|digital|sequel|production|filming|wrapped)\b",
    re.IGNORECASE,
)
_WEAK_WORDS = re.compile(
    r"\b(?:you can|click|below|above|subscribe|sign up|follow us|stay tuned|"
    r"check out|read more|watch it|see it)\b",
    re.IGNORECASE,
)
_PRONOUN_START = re.compile(r"^(?:He|She|They|It|This|That|These|Those|His|Her|Their)\b")
_STOP_CAPS = wordset(
    """The A An And But Or So In On At To For From With By Of As If When While After Before
    This That These Those It Its He She They We You I His Her Their Our Your There Here
    What Who Why How Where Which Meanwhile However Also Still Now Then Yet"""
)


@dataclass
class _Scored:
    index: int
    text: str
    score: float


def _key_terms(sentences: list[str]) -> Counter[str]:
    """Capitalised words that recur across sentences: the article's entities."""
    seen: Counter[str] = Counter()
    for s in sentences:
        words = {w for w in _CAP_WORD.findall(s) if w not in _STOP_CAPS}
        seen.update(words)
    return Counter({w: n for w, n in seen.items() if n >= 2})


def _score(index: int, sentence: str, total: int, terms: Counter[str]) -> float:
    score = 0.0
    # Position: the lead matters, but not overwhelmingly.
    score += 1.6 / (1 + index) + (0.3 if index < 3 else 0.0)
    if terms:
        top = max(terms.values())
        words = {w for w in _CAP_WORD.findall(sentence) if w in terms}
        score += min(2.0, sum(0.4 + 0.6 * terms[w] / top for w in words) / 2)
    if _MONTH.search(sentence):
        score += 0.8
    if _NUMBER.search(sentence):
        score += 0.4
    score += min(1.5, 0.5 * len(_NEWS_WORDS.findall(sentence)))
    if _WEAK_WORDS.search(sentence):
        score -= 2.0
    if _PRONOUN_START.match(sentence):
        score -= 0.6
    if sentence.endswith("?"):
        score -= 0.8
    if sentence[:1] in '"“':
        score -= 0.5  # pure quotes read badly out of context
    if len(sentence) < 40:
        score -= 0.8
    return score


def _trim(sentence: str, max_chars: int) -> str:
    """Cut an over-long sentence at a word boundary, before any quote it would split."""
    if max_chars <= 1:
        return ""
    cut = sentence[: max_chars - 1]
    space = cut.rfind(" ")
    if space > max_chars // 3:
        cut = cut[:space]
    if not quotes_balanced(cut):
        opener = max(cut.rfind('"'), cut.rfind("“"))
        head = cut[:opener].rstrip()
        cut = head if len(head) > 20 else ""
    cut = cut.rstrip(" ,;:–—-")
    return f"{cut}…" if cut else ""


def summarize(body: str, *, max_chars: int = 600) -> str:
    """Pick the 2-4 best whole sentences within `max_chars`, in article order.

    The result never exceeds `max_chars`. When not even one whole sentence fits,
    the best sentence is cut at a word boundary (never inside a quotation) and
    ends with "…": the only case where the output is not whole sentences.
    Sentences with an unclosed quotation are never used.
    """
    if max_chars <= 0:
        return ""
    sentences = split_sentences(body)
    if not sentences:
        return ""
    terms = _key_terms(sentences)
    scored = [
        _Scored(i, s, _score(i, s, len(sentences), terms))
        for i, s in enumerate(sentences)
        if quotes_balanced(s)
    ]
    if not scored:
        return ""
    ranked = sorted(scored, key=lambda c: (-c.score, c.index))
    chosen: list[_Scored] = []
    used = 0
    for cand in ranked:
        if len(chosen) == 4:
            break
        extra = len(cand.text) + (1 if chosen else 0)
        if used + extra > max_chars:
            continue
        # Past two sentences, only add ones that carry real weight.
        if len(chosen) >= 2 and cand.score < 0.5 * chosen[0].score:
            continue
        chosen.append(cand)
        used += extra
    if not chosen:
        return _trim(ranked[0].text, max_chars)
    chosen.sort(key=lambda c: c.index)
    return " ".join(c.text for c in chosen)
