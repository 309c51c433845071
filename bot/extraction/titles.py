"""Where titles are in a text, before and after the parse.

Candidates come from quotation marks, the catalog (a PhraseMatcher built from the
catalogued titles found in this article), the model's WORK_OF_ART entities and
Title Case spans that a cue names as a film. Before the parse every candidate is
merged into one token, so the parser reads "Mission: Impossible – Dead Reckoning
Part One stars Cruise" as a title and a verb instead of a string of nouns.
"""

from __future__ import annotations

import calendar
import datetime as dt
import itertools
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from spacy.tokens import Doc, Span

from bot.catalog.normalize import normalize_key
from bot.extraction.cues import (
    CONTEXT_AFTER,
    CONTEXT_BEFORE,
    FIELD_LABELS,
    FILM_AFTER,
    FILM_BEFORE,
    FILM_NOUNS,
    ROLE_TITLES,
    words,
)
from bot.extraction.dates import DateMention, find_dates

# Words a title keeps in lower case between capitalised ones, and joining marks.
_CONNECT = words(
    """of the a an and in on at to for from with & : – — - / 's ’s vs. vs v. or de la le del du
    von van y el et
    """
)
_CURLY = re.compile(r"“([^“”\n]{1,90})”|‘([^‘’\n]{1,90})’|(?<![\w’'])'([^'\n]{1,90})'(?![\w])")
_STRAIGHT = re.compile(r'"')
_ROMAN = re.compile(r"^(?:I{1,3}|IV|V|VI{1,3}|IX|X{1,3})$")
_MAX_TITLE_TOKENS = 14
_QUOTE_MARKS = frozenset({'"', "“", "”", "‘", "’", "'"})


@dataclass
class Mention:
    start: int  # token index in the parsed doc (one merged token)
    key: str
    text: str
    film_cues: int = 0
    context_cues: int = 0
    quoted: bool = False


# A run ending in one of these is a company ("Paramount Pictures", "Warner Bros.").
COMPANY_WORDS = words(
    """pictures studios studio entertainment media productions releasing distribution
    bros inc llc ltd classics films features animation group company"""
)
_MONTHS = frozenset(
    m.lower() for m in (*calendar.month_name[1:], *calendar.month_abbr[1:], "sept", "sept.")
) | {f"{m.lower()}." for m in calendar.month_abbr[1:]}
_CALENDAR = frozenset(
    m.lower() for m in (*calendar.month_name[1:], *calendar.month_abbr[1:], *calendar.day_name)
)
_LEADING = words("in on at for from with and but as after before when while if of to by")
# Credit participles opening a clause, never a title: "Starring Kumar, the actioner ...".
_PARTICIPLES = words("starring featuring directed written produced helmed")
# Contractions the tokenizer splits off a word: a run ending before one was cut mid-word.
_PLURAL_FILM_NOUNS = words("films movies features pictures")
_CLITICS = words("n't n’t 're ’re 've ’ve 'll ’ll 'd ’d 'm ’m")


def _cap(tok) -> bool:
    text = tok.text
    return (
        bool(text)
        and text[0].isupper()
        and any(c.isalpha() for c in text)
        and text.lower().rstrip(".") not in _CALENDAR
    )


def _number(tok) -> bool:
    """A sequel's number ("2", "22"), not a number word ("first" is like_num to spaCy)."""
    return tok.text[:1].isdigit()


def _title_case(words: list[str]) -> bool:
    """Most content words capitalised, the first one too, and no speech marks."""
    if not words or not (words[0][:1].isupper() or words[0][:1].isdigit()):
        return False
    if any(w in {",", ".", "?", "!", ";"} for w in words[:-1]):
        return False
    content = [w for w in words if w.lower() not in _CONNECT and any(c.isalpha() for c in w)]
    if not content:
        return False
    caps = sum(1 for w in content if w[0].isupper() or _ROMAN.match(w))
    return caps / len(content) >= 0.85


def quoted_spans(doc: Doc) -> list[Span]:
    """Title Case text inside quotation marks (speech is long, lower case, punctuated)."""
    out: list[Span] = []
    for start, end in _quote_pairs(doc.text):
        text = doc.text[start:end].strip().rstrip(",.;:").strip()
        for mark in ("'s", "’s"):
            text = text.removesuffix(mark)  # “Sicilian Ghost Story’s” debut: the film's
        if not text:
            continue
        start = doc.text.index(text, start)
        span = doc.char_span(start, start + len(text), alignment_mode="contract")
        if span is None or not 0 < len(span) <= _MAX_TITLE_TOKENS:
            continue
        if _title_case([t.text for t in span]):
            out.append(span)
    return out


def _quote_pairs(text: str) -> list[tuple[int, int]]:
    """Inner spans of quotations: curly pairs, and straight quotes paired in order per
    paragraph (so the text between a closing and the next opening quote is never one)."""
    pairs = []
    for m in _CURLY.finditer(text):
        group = next(i for i in range(1, 4) if m.group(i) is not None)
        pairs.append(m.span(group))
    pos = 0
    for para in text.split("\n"):
        marks = [m.start() for m in _STRAIGHT.finditer(para)]
        for a, b in zip(marks[::2], marks[1::2], strict=False):
            if b - a <= 91:
                pairs.append((pos + a + 1, pos + b))
        pos += len(para) + 1
    return pairs


def is_title_case(span: Span) -> bool:
    """Every word capitalised but the joining ones ("The Boy and the Heron")."""
    return _title_case([t.text for t in span]) and all(
        _cap(t) or _number(t) or t.lower_ in _CONNECT or t.is_punct for t in span
    )


_ARTICLES = frozenset({"the", "a", "an"})


def title_case_runs(doc: Doc, split_lists: bool = True) -> list[Span]:
    """Maximal runs of capitalised words, with lower-case joining words inside;
    `split_lists` ends a run at an "and" between two titles (see `_two_titles_joined`)."""
    out: list[Span] = []
    i, n = 0, len(doc)
    while i < n:
        if not _cap(doc[i]):
            i += 1
            continue
        last, j = i, i + 1
        while j < n and j - i < _MAX_TITLE_TOKENS:
            tok = doc[j]
            if tok.is_space or "\n" in tok.text:
                break
            if _cap(tok) or _number(tok):
                last, j = j, j + 1
                continue
            if tok.text == "#" and j + 1 < n and _number(doc[j + 1]):
                last, j = j + 1, j + 2  # "Witness #3": the number is part of the title
                continue
            if split_lists and _two_titles_joined(doc, i, j):
                break  # "The Tomorrow War and News of the World": two titles in a list
            if (
                tok.text in {"–", "—"}
                and tok.whitespace_
                and doc[j - 1].whitespace_
                and not any(t.text == ":" for t in doc[i:j])
            ):
                break  # "Adam Wingard – Death Note", "Bully – No Rating": two things
            if tok.lower_ in _CONNECT and j + 1 < n and (_cap(doc[j + 1]) or _number(doc[j + 1])):
                j += 1
                continue
            if (
                tok.lower_ in _CONNECT
                and j + 2 < n
                and doc[j + 1].lower_ in _CONNECT
                and _cap(doc[j + 2])
            ):
                j += 2
                continue
            break
        while (
            last > i and doc[last].lower_ in _ARTICLES and last + 1 < n and not _cap(doc[last + 1])
        ):
            last -= 1  # "Godzilla 2: The movie is moved": the next sentence's first word
            while last > i and doc[last].text in {":", "-", "–", "—"}:
                last -= 1
        if last + 1 < n and doc[last].whitespace_ == "" and doc[last + 1].lower_ in _CLITICS:
            i = last + 2  # "Laura Hasn't Slept", "Don't Look Up": cut inside a word, no title,
            while i < n and (_cap(doc[i]) or _number(doc[i])) and not doc[i].is_space:
                i += 1  # nor is its tail ("Look Up")
            continue
        for k in range(i + 1, last):
            if doc[k].text == ":" and doc[k + 1].lower_ in _LEADING | _PARTICIPLES:
                i = k + 1  # "Synopsis: When Superman ...": a label, then a sentence
                break
        first = i
        while first < last and (
            doc[first].lower_ in _LEADING | _PARTICIPLES or not _cap(doc[first])
        ):
            first += 1  # "In the US": a sentence's first word is not part of a title
        # "Wes Anderson's The French Dispatch": the film is what the name owns
        for k in range(first + 1, min(first + 4, last)):
            owned = doc[k].text in {"'s", "’s", "'", "’"} and doc[k + 1].lower_ in _ARTICLES
            if owned or (
                k >= first + 2
                and doc[k].text in {"'s", "’s"}
                and doc[first].lower_ not in _ARTICLES
            ):
                first = k + 1  # "Netflix’s The Gray Man", "Alexandre Moors’ The Yellow Birds"
                break
        span = doc[first : last + 1]
        if (
            doc[first].lower_ not in _LEADING | _PARTICIPLES
            and span.text != "I"
            and not (len(span) == 1 and span[0].lower_ in _ARTICLES)
            and not (len(span) > 1 and span[-1].lower_.rstrip(".") in COMPANY_WORDS)
        ):
            out.append(span)
        i = last + 1
    return out


def _two_titles_joined(doc: Doc, i: int, j: int) -> bool:
    """ "and" between two runs of two or more words each, the second capitalised from its
    first word: read as two titles ("Pride and Prejudice", "The Boy and the Heron" stay)."""
    if doc[j].lower_ not in {"and", "&"} or j - i < 2 or j + 2 >= len(doc):
        return False
    nxt, after = doc[j + 1], doc[j + 2]
    return _cap(nxt) and (_cap(after) or (after.lower_ in _CONNECT and after.is_alpha))


def _open_paren(doc: Doc, start: int) -> int | None:
    """The index of an unclosed "(" shortly before `start` in its sentence."""
    lo = max(0, start - 15)
    for k in range(start - 1, lo - 1, -1):
        text = doc[k].text
        if text == ")" or doc[k].is_sent_end:
            return None
        if text == "(":
            return k
    return None


def _lower_at(doc: Doc, i: int) -> str:
    return doc[i].lower_ if 0 <= i < len(doc) else ""


def _ends_before(doc: Doc, start: int, phrase: tuple[str, ...]) -> bool:
    k = len(phrase)
    return start - k >= 0 and tuple(doc[start - k + m].lower_ for m in range(k)) == phrase


def _starts_after(doc: Doc, end: int, phrase: tuple[str, ...]) -> bool:
    return end + len(phrase) <= len(doc) and all(
        doc[end + m].lower_ == w for m, w in enumerate(phrase)
    )


def _skip_back(doc: Doc, start: int) -> int:
    """Index just past determiners and adjectives before a title ("the new sequel")."""
    j = start
    while j - 1 >= 0 and doc[j - 1].lower_ in {
        "the", "a", "an", "new", "upcoming", "forthcoming", "untitled", "latest", "next",
        "animated", "live-action", "original", "anticipated", "highly", "much", "long",
        "awaited", "long-awaited", "much-anticipated",
    }:  # fmt: skip
        j -= 1
    return j


_FRANCHISE_ONE = frozenset({"a", "an", "another", "untitled"})
_FRANCHISE_MANY = words("films movies sequels installments instalments adventures entries")


def _franchise_use(doc: Doc, start: int, end: int, before: int) -> bool:
    """ "a Star Wars film", "an untitled 'Star Wars' movie", "the Avatar sequels": a film
    of the franchise the title names, not the film of that title."""
    nxt = _lower_at(doc, end)
    if nxt in _FRANCHISE_MANY:
        return True
    if nxt not in FILM_NOUNS | {"adventure", "entry"} or nxt in {"debut", "feature"}:
        return False
    return any(_lower_at(doc, k) in _FRANCHISE_ONE for k in range(before - 1, start))


def film_cues(doc: Doc, start: int, end: int, published_year: int | None) -> tuple[int, int]:
    """(film cues, context cues) around the title at doc[start:end]."""
    film = context = 0
    while start > 0 and doc[start - 1].text in _QUOTE_MARKS:
        start -= 1
    if start >= 2 and doc[start - 1].text in {"'s", "’s"}:
        # "the Searchlight film Wes Anderson's X": read around the possessor
        k = start - 2
        while k > 0 and start - k <= 4 and _cap(doc[k - 1]):
            k -= 1
        if _cap(doc[k]):
            start = k
    while end < len(doc) and (
        doc[end].text in _QUOTE_MARKS
        or (doc[end].text == "," and end + 1 < len(doc) and doc[end + 1].text in _QUOTE_MARKS)
    ):
        end += 1  # "X," the sequel: the comma inside the quotes
    if end > 0 and doc[end - 1].text in _QUOTE_MARKS and doc[end - 2].text == ",":
        end -= 1
        while doc[end - 1].text in _QUOTE_MARKS or doc[end - 1].text == ",":
            end -= 1
        end = max(end, start + 1)
        nxt_comma = True
    else:
        nxt_comma = False
    before = _skip_back(doc, start)
    if _franchise_use(doc, start, end, before):
        return 0, 1
    prev = _lower_at(doc, start - 1)
    if "-" in prev and prev.rsplit("-", 1)[1] in FILM_NOUNS:
        prev = prev.rsplit("-", 1)[1]  # "the narco-thriller X"
    noun_at = start - 1
    if (
        prev == ","
        and _lower_at(doc, start - 2) in FILM_NOUNS - _PLURAL_FILM_NOUNS
        and _lower_at(doc, end) == ","
    ):  # not "head of movies, Julie Rapaport,": a person's post
        prev = _lower_at(doc, start - 2)  # "Almodóvar's next film, X,"
        noun_at = start - 2
    nxt = _lower_at(doc, end)
    # "the sequel X", "Netflix's new thriller X"; "the 2019 film X" is an old one.
    if prev in FILM_NOUNS or (before < start and _lower_at(doc, start - 1) in FILM_NOUNS):
        year_tok = doc[noun_at - 1] if noun_at >= 1 else None
        if _earlier_possessor(doc, noun_at, published_year):
            context += 1  # "last year's remake X", "2009's thriller X": an earlier film
        elif (
            year_tok is not None
            and year_tok.like_num
            and len(year_tok.text) == 4
            and published_year
            and year_tok.text.isdigit()
            and int(year_tok.text) < published_year
        ):
            context += 1
        elif _series_words(doc, noun_at):
            context += 1  # "the two-season Max comedy X": a series, not a film
        else:
            film += 1
    # "X, the upcoming thriller from ...", "X (2025)"
    after = end + 1
    if nxt_comma:
        after = end
        while after < len(doc) and (doc[after].text in _QUOTE_MARKS or doc[after].text == ","):
            after += 1
        nxt = ","
    if nxt == "," and _lower_at(doc, after) in {"the", "a", "an"}:
        for k in range(after + 1, min(after + 7, len(doc))):
            if doc[k].lower_ in FILM_NOUNS:
                film += 1
                break
            if doc[k].is_punct or doc[k].lower_ in {"of", "who", "which", "that"}:
                break  # "X, the star of Y": the noun must be X's own
    if nxt == "(" and _lower_at(doc, end + 1) in {"dir.", "dir", "directed"}:
        film += 1  # "X (dir. A)": a festival listing's credit
    by = after if nxt_comma else end
    if (
        _lower_at(doc, by) == "by"
        and by + 1 < len(doc)
        and doc[by + 1].ent_type_ == "PERSON"
        and doc[by + 1].ent_iob_ == "B"
    ):
        film += 1  # '"Introduction" by Hong Sangsoo': a film and its director
    if _is_a_film(doc, end):
        film += 1  # "X is a romantic comedy", "X was the latest thriller from ..."
    if nxt == "(" and end + 2 < len(doc) and doc[end + 2].text == ")":
        year = doc[end + 1].text
        if year.isdigit() and len(year) == 4 and published_year:
            if int(year) < published_year:
                context += 1
            else:
                film += 1
    if _own_line(doc, start, end) or _colon_heading(doc, start, end):
        film += 1  # a round-up's heading: "She Said (15)", "- X. The film is moved ..."
    if _release_news_after(doc, start, end) or (
        _lower_at(doc, start - 1) not in _NAME_BEFORE and _dated_after(doc, end, published_year)
    ):
        film += 1  # "X will now open", "X, previously set for May 5", "X takes the May 5 date"
    if any(_starts_after(doc, end, p) for p in FILM_AFTER) and _lower_at(doc, end + 1) != "in":
        film += 1
    if any(_ends_before(doc, start, p) for p in FILM_BEFORE):
        film += 1
    if nxt in CONTEXT_AFTER or (nxt in {"'s", "’s"} and _lower_at(doc, end + 1) in CONTEXT_AFTER):
        context += 1
    elif nxt in {"'s", "’s"} and _owns_film(doc, end + 1):
        context += 1  # "Ana Ruiz's epic action movie X": the owner, not the film
    if any(_ends_before(doc, before, p) for p in CONTEXT_BEFORE) or _credit_verb_before(
        doc, before
    ):
        context += 1
    if _lower_at(doc, before - 1) in _SERIES or _credit_of_name(doc, before):
        context += 1  # "the series X"; "Hakeem Kae-Kazim from X", "Naomi Scott of X"
        if _lower_at(doc, before - 1) in {"first", "original", "previous", "earlier"}:
            context += 1  # "the first "Ember Falls"": the film this one follows
    # "2009's "Orphan"": a film of an earlier year
    if before >= 2 and doc[before - 1].text in {"'s", "’s"}:
        year = doc[before - 2].text
        if year.isdigit() and len(year) == 4 and published_year and int(year) < published_year:
            context += 1
    # "Hayley Atwell (Agent Carter)", "Fuhrman ("Orphan," "Knives Out")": credits beside a name.
    opening = _open_paren(doc, start)
    if opening is not None and opening >= 1:
        owner = opening - 1
        if doc[owner].text in {"'", "’", "'s", "’s"} and owner >= 1:
            owner -= 1  # "Richard Curtis' ("Love Actually")"
        if _cap(doc[owner]):
            context += 1
    return film, context


# Word forms that make a title the subject of release news: "X opens", "X will now hit",
# "X was originally supposed to release", "X, The Y and Z all open".
_RELEASE_FORMS = words(
    """open opens opening opened release releases released releasing hit hits hitting arrive
    arrives arriving arrived debut debuts debuting debuted premiere premieres premiered bow
    bows bowed move moves moved moving shift shifts shifted push pushes pushed delay delays
    delayed postponed dated land lands"""
)
_BARE_FORMS = words("open release arrive debut premiere bow move shift push delay land")
_RELEASE_PLANS = words("supposed expected scheduled slated set due poised")
_RELEASE_SKIP = words(
    """is was were are will would now also has have had been be being originally initially
    previously currently still finally officially again both all reportedly then instead"""
)


_SCHEDULE_WORDS = words(
    """slot date dates set slated scheduled dated move moves moved moving push pushes pushed
    pushing jump jumps jumped jumping shift shifts shifted shifting vacate vacates vacated
    vacating take takes took taking delayed postponed release releases released releasing
    open opens opening bow bows arrive arrives hit hits debut debuts premiere premieres land
    lands"""
)


_SCHEDULE_NOUNS = words("slot date dates release releases debut premiere open opening bow")
# Words before a person's name, never before a title: "from director A, will now ...".
_NAME_BEFORE = frozenset(
    {*ROLE_TITLES, "star", "stars", "starring", "actor", "actress", "by", "newcomer"}
)
_SCHEDULE_SKIP = words(
    """, which that is was has had have been be will would now also previously originally
    initially get gets got being"""
) | {","}


def _dated_after(doc: Doc, end: int, published_year: int | None) -> bool:
    """ "The Batman, which moves from October 2021 to March 2022", "Black Adam, previously
    set for December 22, 2021", "Dune takes the October 1, 2021 date": a schedule word,
    then a month or a coming year, in the title's own clause."""
    k = end
    while k < len(doc) and doc[k].lower_ in _SCHEDULE_SKIP:
        k += 1  # "X, which was previously set for ...": the title is the subject
    if k >= len(doc) or doc[k].lower_ not in _SCHEDULE_WORDS - _SCHEDULE_NOUNS:
        return False  # "a UK release on March 20": the title word is the noun's modifier
    cued = False
    for j in range(k, min(k + 10, len(doc))):
        tok = doc[j]
        if tok.text in {".", ";", "!", "?", "(", ")"} or "\n" in tok.text:
            return False
        low = tok.lower_
        if low in _SCHEDULE_WORDS:
            cued = True
        elif cued and low in _MONTHS:
            return True
        elif cued and tok.text.isdigit() and len(tok.text) == 4 and published_year:
            return int(tok.text) >= published_year
        elif j > k and _cap(tok) and low not in _SCHEDULE_WORDS:
            return False  # another name or title owns what follows
    return False


_CREDIT_VERBS = words("starred appeared featured co-starred headlined played")
_NEXT_VERBS = words("appear appears star stars")


def _credit_verb_before(doc: Doc, before: int) -> bool:
    """ "Fonda recently starred in the comedy X", "will next appear in the pandemic
    dramedy X": a credit told of someone, within the title's clause."""
    for k in range(before - 1, max(-1, before - 7), -1):
        tok = doc[k]
        if tok.is_punct or "\n" in tok.text:
            return False
        if tok.lower_ == "in" and k >= 1:
            verb = doc[k - 1].lower_
            if verb in _CREDIT_VERBS:
                return True
            return verb in _NEXT_VERBS and k >= 2 and doc[k - 2].lower_ == "next"
    return False


def _release_news_after(doc: Doc, start: int, end: int) -> bool:
    """The title (or the list it opens) is the subject of a release verb."""
    k, n = end, len(doc)
    if start > 0 and (
        doc[start - 1].lower_ in {"'s", "’s"}
        or (doc[start - 1].lower_ in {"and", "&"} and doc[start].lower_ not in {"the", "a", "an"})
    ):
        return False  # the tail of a longer title ("The One and Only Ivan"), cut wrong
    if "'s" in doc[start:end].text or "’s" in doc[start:end].text:
        return False
    listed = 0
    while k < n and listed < 25:  # "X, Y and Z all open": the rest of the list
        tok = doc[k]
        if tok.is_space or tok.text in {".", ";", "!", "?", ":"}:
            return False
        nxt = doc[k + 1] if k + 1 < n else tok
        if (
            _cap(tok)
            or _number(tok)
            or (tok.text in {",", "&"} and (_cap(nxt) or nxt.lower_ == "and"))
            or (tok.lower_ in _CONNECT and tok.lower_ != "to" and _cap(nxt))
        ):
            k, listed = k + 1, listed + 1
            continue
        break
    verb_at = k
    while k < n and doc[k].lower_ in _RELEASE_SKIP:
        k += 1
    word = _lower_at(doc, k)
    after = doc[k + 1] if k + 1 < n else None
    if word.startswith("releas") and _lower_at(doc, k - 1) not in {"be", "been", "was", "is"}:
        return False  # "Open Road has released two films": a company releases
    if after is not None and (
        after.lower_ in {"by", "of", "the", "a", "an", "its", "their", "his", "her", "two"}
        or after.like_num
        or _cap(after)
    ):
        return False  # "Disney moved X to May": the mover is a company
    if word in _RELEASE_FORMS:
        # a bare form ("premiere", "release") is a verb only after "will", "to"...
        return k > verb_at or word not in _BARE_FORMS
    if word in _RELEASE_PLANS:
        nxt = _lower_at(doc, k + 1)
        return nxt == "for" or (nxt == "to" and _lower_at(doc, k + 2) in _RELEASE_FORMS)
    return False


def _is_a_film(doc: Doc, end: int) -> bool:
    """A copula and a film noun after the title: "X is a romantic comedy" (not "X is a
    film star", "X is the director of ...")."""
    if _lower_at(doc, end) not in {"is", "was"} or _lower_at(doc, end + 1) not in {
        "a",
        "an",
        "the",
    }:
        return False
    for k in range(end + 2, min(end + 7, len(doc))):
        word = doc[k].lower_
        if word in FILM_NOUNS:
            return _lower_at(doc, k + 1) not in CONTEXT_AFTER
        if doc[k].is_punct or word in {"of", "who", "which", "that", "and"}:
            return False
    return False


def _colon_heading(doc: Doc, start: int, end: int) -> bool:
    """ "Godzilla 2: The movie is being moved from ...": a round-up item's title at the
    start of its line, a colon, and a sentence about a film or its release."""
    if end >= len(doc) or doc[end].text not in {":", "."} or doc[start].lower_ in FIELD_LABELS:
        return False
    if doc[end].text == "." and len(doc[start:end].text.split()) < 2:
        return False  # "Title. The film ..." needs a title of two words or more
    start = _after_bullet(doc, start)
    if start > 0 and "\n" not in doc[start - 1].text:
        return False
    rest = []
    for tok in doc[end + 1 : end + 14]:
        if "\n" in tok.text or tok.text in {".", "!", "?"}:
            break
        rest.append(tok.lower_)
    # the sentence after the colon opens like one ("The film is ...", "It ...")
    return (
        bool(rest)
        and rest[0] in {"the", "this", "it", "its", "a", "an"}
        and any(w in FILM_NOUNS or w in _RELEASE_FORMS or w in _ITEM_WORDS for w in rest)
    )


_ITEM_WORDS = frozenset({"project", "release", "date", "slated", "scheduled", "move"})


def calendar_entries(
    doc: Doc, published: dt.date
) -> list[tuple[Span, DateMention, tuple[str, ...]]]:
    """A release calendar: a line that is only a date ("March 26"), then lines of titles,
    each perhaps with its studios in parentheses ("Nobody (Uni)"). Each title with the
    date of the line above its group and the studios its line names."""
    out: list[tuple[Span, DateMention, tuple[str, ...]]] = []
    current: DateMention | None = None
    for line in lines(doc):
        text = line.text.strip()
        dates = find_dates(text, published) if len(text) <= 24 else []
        if dates and dates[0].start == 0 and dates[0].end >= len(text.rstrip(".:")) - 1:
            current = dates[0]
            continue
        if current is None:
            continue
        end = line.end
        for tok in line:
            if tok.text == "(":
                end = tok.i
                break
        span = doc[line.start : end]
        if not len(span) or len(span) > _MAX_TITLE_TOKENS or not is_title_case(span):
            current = None  # prose again: the calendar has ended
            continue
        if end < line.end and doc[line.end - 1].text != ")":
            current = None
            continue
        inside = doc[end + 1 : line.end - 1].text if end < line.end else ""
        studios = tuple(p.strip() for p in re.split(r"[/,]", inside) if p.strip()[:1].isupper())
        out.append((span, current, studios))
    return out


def lines(doc: Doc) -> list[Span]:
    """The doc cut at its line breaks (the tokenizer makes each one a whitespace token),
    without them: the lines of a calendar, the paragraphs of an article."""
    out: list[Span] = []
    start = 0
    for tok in doc:
        if tok.is_space and "\n" in tok.text:
            if tok.i > start:
                out.append(doc[start : tok.i])
            start = tok.i + 1
    if start < len(doc):
        out.append(doc[start:])
    return out


def colon_headings(doc: Doc) -> list[Span]:
    """Title Case text opening a line and ended by a colon, as round-ups list films
    ("Godzilla 2: The movie is being moved from ...")."""
    out = []
    dashed: list[Span] = []
    for tok in doc:
        if tok.text in _DASHES and tok.i >= 2 and tok.whitespace_:
            item = _dash_item(doc, tok.i)
            if item is not None:
                dashed.append(item)
            continue
        if tok.text not in {":", "."} or tok.i < 1:
            continue
        start = tok.i
        while start > 0 and "\n" not in doc[start - 1].text and tok.i - start < _MAX_TITLE_TOKENS:
            start -= 1
        if start > 0 and "\n" not in doc[start - 1].text:
            continue
        while start < tok.i and (doc[start].text in _BULLETS or _item_number(doc[start])):
            start += 1  # "- The Monuments Men. The film ...", "2. Title: ..."
        span = doc[start : tok.i]
        if len(span) and is_title_case(span) and _colon_heading(doc, start, tok.i):
            out.append(span)
    if len(dashed) >= 2:  # a list of "* Title — what it is" items
        out.extend(dashed)
    return out


_DASHES = frozenset({"—", "–", "-"})


def _dash_item(doc: Doc, dash: int) -> Span | None:
    """ "* White Boy Rick — Newcomer Richie Merritt plays ...": a bulleted or numbered
    line whose Title Case opening ends at a spaced dash."""
    start = dash
    while start > 0 and "\n" not in doc[start - 1].text and dash - start < _MAX_TITLE_TOKENS:
        start -= 1
    opens_item = doc[start].text in _BULLETS or _item_number(doc[start])
    if not opens_item or (start > 0 and "\n" not in doc[start - 1].text):
        return None
    while start < dash and (doc[start].text in _BULLETS or _item_number(doc[start])):
        start += 1
    span = doc[start:dash]
    return span if len(span) and is_title_case(span) else None


_BULLETS = frozenset({"-", "•", "*", "–", "—"})


def _item_number(tok) -> bool:
    return tok.text.rstrip(".)").isdigit() and len(tok.text) <= 3


def _after_bullet(doc: Doc, start: int) -> int:
    """Where the line of `start` begins when only a bullet or a number precedes it."""
    k = start
    while k > 0 and start - k < 2 and (doc[k - 1].text in _BULLETS or _item_number(doc[k - 1])):
        k -= 1
    return k if k < start and (k == 0 or "\n" in doc[k - 1].text) else start


_SERIES = frozenset({"tv", "series", "season", "seasons", "showrunner", "episode", "sitcom"})


_PERIODS = words("year summer winter spring fall autumn month week season decade")


def _earlier_possessor(doc: Doc, noun_at: int, published_year: int | None) -> bool:
    """ "last year's remake", "2009's thriller": the noun names a film of an earlier time."""
    k = noun_at - 1
    while k >= 0 and doc[k].pos_ == "ADJ" and doc[k].lower_ not in _PERIODS:
        k -= 1  # pre-parse pos_ is empty: adjectives are skipped only after the parse
    if k < 2 or doc[k].text not in {"'s", "’s"}:
        return False
    owner = doc[k - 1]
    if owner.lower_ in _PERIODS and doc[k - 2].lower_ == "last":
        return True
    return (
        owner.text.isdigit() and len(owner.text) == 4 and bool(published_year)
        and int(owner.text) < (published_year or 0)
    )  # fmt: skip


def _credit_of_name(doc: Doc, before: int) -> bool:
    """ "from"/"of" after a name of two capitalised words: "A B from X" names A B's
    credit, not the article's film (the film is what comes first: "X, from A")."""
    if before < 3 or _lower_at(doc, before - 1) not in {"from", "of"}:
        return False
    k, words = before - 2, 0
    while k >= 0 and before - k <= 6:
        tok = doc[k]
        if tok.text == "-" and words:
            k -= 1
            continue
        if not (_cap(tok) and tok.is_alpha) or tok.lower_ in FILM_NOUNS | _CONNECT:
            break
        words, k = words + 1, k - 1
    return words >= 2 and not (k >= 0 and doc[k].lower_ in {"the", "a", "an"})


def _series_words(doc: Doc, noun_at: int) -> bool:
    """A series word among the few before a genre noun ("the two-season Max comedy")."""
    for tok in doc[max(0, noun_at - 4) : noun_at]:
        word = tok.lower_
        if word in _SERIES or word.rsplit("-", 1)[-1] in _SERIES:
            return True
    return False


def _owns_film(doc: Doc, k: int) -> bool:
    """A film noun within the few modifiers after a possessive ("'s epic action movie")."""
    for tok in doc[k : k + 4]:
        if tok.lower_ in FILM_NOUNS:
            return True
        if not tok.is_alpha or tok.text[:1].isupper():
            return False
    return False


def _line_start(doc: Doc, start: int) -> int:
    """Where the line holding `start` begins once a number is skipped: "1. X", "2) X"
    (a bullet is not enough: some pages bullet every paragraph or menu item)."""
    k = start
    while (
        k > 0
        and start - k < 2
        and (
            doc[k - 1].text in {".", ")"}
            or (doc[k - 1].text[:-1].isdigit() and doc[k - 1].text[-1:] in {".", ")"})
            or (doc[k - 1].text.isdigit() and len(doc[k - 1].text) <= 2)
        )
    ):
        k -= 1
    numbered = k < start and doc[k].text[:1].isdigit()
    return k if numbered and (k == 0 or "\n" in doc[k - 1].text) else start


def _own_line(doc: Doc, start: int, end: int) -> bool:
    """The span is a line of its own (a numbered or bulleted one too), perhaps with
    "(15)", "(2024)" or "(Studio/Streamer)" after it."""
    start = _line_start(doc, start)
    if start > 0 and "\n" not in doc[start - 1].text:
        return False
    k = end
    if k < len(doc) and doc[k].text == "(":
        close = next((j for j in range(k + 1, min(k + 10, len(doc))) if doc[j].text == ")"), None)
        if close is not None and "\n" not in doc[k:close].text:
            k = close + 1
    if k < len(doc) and "\n" not in doc[k].text:
        return _colon_heading(doc, start, end)
    span = doc[start:end]
    if span[0].lower_ in FIELD_LABELS or span[0].lower_.startswith("best"):
        return False  # "Director: India Donaldson", "Best Young Actor"
    if k == end and _section_heading(doc, span):
        return False  # "Dramatic Competition" above "* Adam (Max Mayer)": a section's name
    return len(span) <= 10 and any(c.isalpha() for c in span.text) and start > 0


def _section_heading(doc: Doc, span: Span) -> bool:
    """A line above two rows (bulleted or numbered items, or lines that end without a
    sentence's stop, "Title Director, Country, Premiere"): the heading of a line-up
    ("Dramatic Competition", "SPECIAL PRESENTATIONS"), not one of its films. A film's
    heading in a round-up stands above prose."""
    if span[0].text in _BULLETS or _item_number(span[0]):
        return False  # an item of the list itself
    rows = [line for line in lines(doc) if line.start >= span.end][:2]
    return len(rows) == 2 and all(_row(line) for line in rows)


def sub_headings(doc: Doc) -> list[Span]:
    """Lines that head a section of prose: a few capitalised words without a stop, the
    next line a paragraph ("CCH Pounder Returns to the Franchise" above its story)."""
    paras = lines(doc)
    out = []
    for line, nxt in itertools.pairwise(paras):
        caps = sum(1 for w in line.text.split() if w[:1].isupper())  # titles are merged
        if (
            caps >= 2
            and len(line) <= 14
            and not (line[0].text in _BULLETS or _item_number(line[0]))
            and _row(line)
            and not _row(nxt)
        ):
            out.append(line)
    return out


def _row(line: Span) -> bool:
    """A line-up's row: an item, or a line of a few words that ends without a stop."""
    if line[0].text in _BULLETS or _item_number(line[0]):
        return True
    last = line[-1].text
    while last in _QUOTE_MARKS and len(line) > 1:
        line = line[:-1]
        last = line[-1].text
    return len(line) <= 30 and last not in {".", "!", "?", ":"}


def candidate_texts(
    doc: Doc, known_titles: Collection[str], published_year: int | None
) -> dict[str, str]:
    """key -> text of every span that may be a title in this (unparsed) doc."""
    found: dict[str, str] = {}
    known = {normalize_key(t) for t in known_titles}
    for span in quoted_spans(doc):
        if not _nickname(span):
            found.setdefault(normalize_key(span.text), span.text)
    for span in colon_headings(doc):
        found.setdefault(normalize_key(span.text), span.text)
    if published_year:
        for span, _, _ in calendar_entries(doc, dt.date(published_year, 1, 1)):
            found.setdefault(normalize_key(span.text), span.text)
    runs = title_case_runs(doc)
    heading_ends = {h.end for h in colon_headings(doc)}
    for span in runs:
        key = normalize_key(span.text)
        if not key or key in found:
            continue
        if any(span.start < e < span.end and doc[e].text in _DASHES for e in heading_ends):
            continue  # "The Children Act — Emma Thompson stars": the heading and a name
        sentence_word = len(span) == 1 and (
            span.start == 0
            or doc[span.start - 1].is_sent_end
            or doc[span.start - 1].text in {".", "\n", "\n\n", '"', "“", "("}
        )
        film, _ = film_cues(doc, span.start, span.end, published_year)
        if key in known and (film or not sentence_word):
            found[key] = span.text
            continue
        if (film and not sentence_word and not _starts_with_role_word(span)) or _own_line(
            doc, span.start, span.end
        ):
            found[key] = span.text
    # Catalogued titles inside longer runs ("Netflix Dune" is rare; "Dune" alone is not),
    # and catalogued titles with "and" in them ("Pride and Prejudice and Zombies").
    whole = [
        r
        for r in title_case_runs(doc, split_lists=False)
        if any(t.lower_ in {"and", "&"} for t in r) and normalize_key(r.text) in known
    ]
    for span in whole:
        found.setdefault(normalize_key(span.text), span.text)
    for span in runs:
        for sub in subspans(span):
            key = normalize_key(sub.text)
            if key in known and key not in found and len(sub.text) > 3:
                found[key] = sub.text
    # A subtitle alone ("Dead Reckoning") names the film it ends.
    subtitles = [normalize_key(seg) for text in found.values() for seg in segments(text)[1:]]
    for span in runs:
        key = normalize_key(span.text)
        if len(span) >= 2 and any(sub == key or sub.startswith(key + " ") for sub in subtitles):
            found.setdefault(key, span.text)
    found.pop("", None)
    return found


def _nickname(span: Span) -> bool:
    """Lena 'Hammer' Ortiz: quoted between two halves of a name, a nickname."""
    doc = span.doc
    first, last = span.start - 2, span.end + 1
    if first < 0 or last >= len(doc):
        return False
    return (
        doc[span.start - 1].text in _QUOTE_MARKS
        and doc[span.end].text in _QUOTE_MARKS
        and all(doc[k].is_alpha and doc[k].text[:1].isupper() for k in (first, last))
        and doc[first].whitespace_ == " "
        and doc[span.end].whitespace_ == " "
    )


def _starts_with_role_word(span: Span) -> bool:
    return span[0].lower_ in {"director", "star", "actor", "actress", "producer", "writer"}


def subspans(span: Span) -> Iterable[Span]:
    n = len(span)
    if n > 8:
        return
    for i in range(n):
        for j in range(i + 1, n + 1):
            if (i, j) != (0, n) and _cap(span[i]) and (_cap(span[j - 1]) or _number(span[j - 1])):
                yield span[i:j]


_SEGMENT = re.compile(r"\s*(?::|–|—|\s-\s)\s*")


def segments(title: str) -> list[str]:
    """ "Mission: Impossible – Dead Reckoning" -> its parts, the whole first."""
    parts = [p for p in _SEGMENT.split(title) if p]
    if len(parts) < 2:
        return [title]
    return [title, *(p for p in parts[1:] if len(p.split()) >= 2)]
