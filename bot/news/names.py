"""Tokens, capitalised spans and person-name resolution for news text.

Only generic English word lists live here (stop words, role words, months,
name particles, common nicknames): never a name or title from any article.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from bot.news.summarize import ABBREVIATIONS, wordset

_TOKEN = re.compile(r"[^\W_]+(?:['’.\-][^\W_]+)*|[^\w\s]")


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    start: int
    end: int
    low: str  # lower-cased text, computed once: cue matching compares it a lot

    @property
    def is_word(self) -> bool:
        return self.text[:1].isalnum()

    @property
    def is_cap(self) -> bool:
        return self.text[:1].isupper()

    @property
    def is_digit(self) -> bool:
        return self.text[:1].isdigit()


def tokenize(sentence: str) -> list[Token]:
    """Words and single punctuation marks; abbreviations keep their period."""
    tokens: list[Token] = []
    for m in _TOKEN.finditer(sentence):
        text = m.group()
        if text == "." and tokens:
            prev = tokens[-1]
            if prev.end == m.start() and prev.is_word and _takes_period(prev.text):
                text = prev.text + "."
                tokens[-1] = Token(text, prev.start, m.end(), text.lower())
                continue
        tokens.append(Token(text, m.start(), m.end(), text.lower()))
    return tokens


def _takes_period(word: str) -> bool:
    low = word.lower()
    if low in ABBREVIATIONS:
        return True
    if len(word) == 1 and word.isupper():
        return True  # an initial
    parts = low.split(".")
    return len(parts) > 1 and all(len(p) == 1 for p in parts)


MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
}  # fmt: skip

STOP_CAPS = wordset(
    """the a an and but or nor so in on at to for from with by of as if when while after
    before this that these those it its he she they we you i his her their our your there
    here what who whom why how where which meanwhile however also still now then yet not no
    yes all both each every some any many most more much other such only just even luckily
    finally first last next new now today tomorrow yesterday tonight later earlier
    according per via despite during since until unlike like about over under into onto
    between among against without within upon is was are were be been will would can could
    should may might must do does did has have had my me him them us one two three four five
    six seven eight nine ten part chapter volume vol vol. episode season"""
)

ROLE_WORDS = wordset(
    """director directors filmmaker filmmakers helmer writer writers screenwriter
    screenwriters producer producers star stars starring actor actors actress actresses
    co-star co-stars newcomer newcomers cast executive showrunner creator composer
    cinematographer editor returning new joining writer-director writer-directors
    producer-director studio distributor streamer franchise film movie sequel prequel
    trailer teaser featurette"""
)

WEEKDAYS = wordset("monday tuesday wednesday thursday friday saturday sunday")

# Words that end organisation names rather than person names.
STUDIO_SUFFIXES = wordset(
    """pictures studios studio films entertainment productions animation features releasing
    media bros. company classics distribution group network networks television"""
)

# Nouns that make a capitalised span an event, place or institution, not a person.
INSTITUTION_WORDS = wordset(
    """festival awards award academy con comic-con convention university college school
    street avenue city county state states kingdom america europe asia africa island
    islands theater theatre cinema cinemas museum hotel magazine news times post journal
    reporter daily weekly online network channel radio press association guild"""
)

PARTICLES = wordset("de da das do dos del della der den di du la le van von y bin ibn al el ter")
# Articles that open company and outlet names ("El ...", "Die ..."), not given names.
FOREIGN_ARTICLES = wordset("el la los las le les il lo die der das")
NAME_SUFFIXES = wordset("jr. sr. jr sr ii iii iv")

NICKNAMES: dict[str, frozenset[str]] = {
    nick: frozenset(full.split())
    for nick, full in {
        "bob": "robert", "bobby": "robert", "rob": "robert", "robbie": "robert",
        "bill": "william", "billy": "william", "will": "william", "liam": "william",
        "mike": "michael", "mick": "michael", "jim": "james", "jimmy": "james",
        "jamie": "james", "joe": "joseph", "joey": "joseph", "tom": "thomas",
        "tommy": "thomas", "dick": "richard", "rick": "richard", "ricky": "richard",
        "rich": "richard", "liz": "elizabeth", "beth": "elizabeth", "betty": "elizabeth",
        "lizzie": "elizabeth", "kate": "katherine catherine kathryn",
        "katie": "katherine catherine kathryn", "cathy": "catherine",
        "steve": "steven stephen", "tony": "anthony", "andy": "andrew", "drew": "andrew",
        "ed": "edward edmund", "eddie": "edward", "ted": "edward theodore",
        "jack": "john", "johnny": "john", "harry": "henry harold", "hank": "henry",
        "peggy": "margaret", "maggie": "margaret", "sandy": "sandra alexandra",
        "chuck": "charles", "charlie": "charles", "larry": "lawrence laurence",
        "jerry": "gerald jerome", "greg": "gregory", "jeff": "jeffrey geoffrey",
        "pete": "peter", "patty": "patricia", "trish": "patricia", "sue": "susan",
        "becky": "rebecca", "jenny": "jennifer", "jen": "jennifer", "nate": "nathan nathaniel",
        "zach": "zachary", "zack": "zachary", "ken": "kenneth", "ron": "ronald",
        "don": "donald", "frank": "francis franklin", "fran": "frances francis",
    }.items()
}  # fmt: skip


def is_name_word(tok: Token) -> bool:
    """A capitalised word that can be part of a person's name."""
    if not tok.is_cap or not tok.is_word:
        return False
    low = tok.low
    if low.endswith(("'s", "’s")):
        low = low[:-2]
    if low in STOP_CAPS or low in ROLE_WORDS or low in MONTHS or low in WEEKDAYS:
        return False
    if low in STUDIO_SUFFIXES or low in INSTITUTION_WORDS:
        return False
    if low.endswith(("-winning", "-nominated", "-year-old", "-based", "-born")):
        return False  # "Oscar-winning", "Emmy-nominated": describes a person, is not one
    if _DOTTED_INITIALS.fullmatch(tok.text):
        return low not in _DOTTED_PLACES  # "B.", "D.J." are initials; "U.S." is not
    # All-caps acronyms (NASA, UK) and words with digits are not names.
    return not (len(tok.text) > 1 and tok.text.isupper()) and not any(c.isdigit() for c in tok.text)


_DOTTED_INITIALS = re.compile(r"(?:[A-Z]\.){1,3}")
_DOTTED_PLACES = wordset("u.s. u.k. u.s.a. l.a. n.y. d.c. e.u. u.n.")


def strip_possessive(word: str) -> str:
    if word.endswith(("'s", "’s")):
        return word[:-2]
    if word.endswith(("s'", "s’")):
        return word[:-1]
    return word


def parse_name(tokens: list[Token], i: int, max_words: int = 5) -> int:
    """End index (exclusive) of a person-name span starting at i, or i when none.

    A name is capitalised words with optional particles ("de", "van") and
    initials between them, and an optional suffix ("Jr."). A possessive ends it.
    """
    n = len(tokens)
    if i >= n or not is_name_word(tokens[i]) or tokens[i].low in FOREIGN_ARTICLES:
        return i
    j = i
    words = 0
    while j < n and words < max_words:
        tok = tokens[j]
        if is_name_word(tok):
            j += 1
            words += 1
            if tok.text.endswith(("'s", "’s")):
                break
            continue
        if (
            tok.low in PARTICLES
            and not tok.is_cap
            and j + 1 < n
            and is_name_word(tokens[j + 1])
            and words > 0
        ):
            j += 1
            continue
        if tok.low in NAME_SUFFIXES and words >= 2:
            j += 1
            break
        if tok.text == "," and j + 1 < n and tokens[j + 1].low in ("jr.", "sr."):
            j += 2
            break
        break
    return j


def name_text(tokens: list[Token], i: int, j: int, sentence: str) -> str:
    """The surface text of tokens[i:j] without a trailing possessive."""
    if j <= i:
        return ""
    text = sentence[tokens[i].start : tokens[j - 1].end]
    return strip_possessive(text)


def parse_name_back(tokens: list[Token], end: int) -> int:
    """Start index of a person name that ends just before `end`, or `end` when none."""
    i = end
    words = 0
    while i > 0 and words < 5:
        tok = tokens[i - 1]
        if is_name_word(tok):
            i -= 1
            words += 1
            continue
        if (
            tok.low in PARTICLES
            and not tok.is_cap
            and words > 0
            and i >= 2
            and is_name_word(tokens[i - 2])
        ):
            i -= 1
            continue
        if tok.low in NAME_SUFFIXES and words == 0:
            i -= 1
            continue
        break
    while i < end and not is_name_word(tokens[i]):
        i += 1  # never start on a particle or suffix
    if i < end and tokens[i].low in FOREIGN_ARTICLES:
        return end
    return i


def _first_names_match(a: str, b: str) -> bool:
    a, b = a.lower().rstrip("."), b.lower().rstrip(".")
    if a == b:
        return True
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) >= 3 and long_.startswith(short):
        return True
    if len(short) == 1:
        return long_.startswith(short)  # an initial
    return long_ in NICKNAMES.get(short, frozenset()) or short in NICKNAMES.get(long_, frozenset())


def _words(name: str) -> list[str]:
    return [w for w in name.split() if w.lower() not in NAME_SUFFIXES]


@dataclass
class Person:
    name: str
    forms: list[str]


class PersonIndex:
    """Groups the forms a text uses for one person.

    "Jon Doe" and "Jonathan Doe" are one person (same surname,
    one first name a prefix or nickname of the other); a bare surname belongs to
    the only full name with that surname (or, when several, to none).
    """

    def __init__(self) -> None:
        self._people: list[Person] = []
        self._by_surname: dict[str, list[Person]] = {}

    def add(self, name: str) -> Person | None:
        """Register a multi-word name; returns the person it now belongs to."""
        words = _words(name)
        if len(words) < 2:
            return None
        surname = words[-1].lower()
        for person in self._by_surname.get(surname, []):
            pwords = _words(person.name)
            if _first_names_match(pwords[0], words[0]):
                if name not in person.forms:
                    person.forms.append(name)
                if len(words[0]) > len(pwords[0]) or (
                    len(words[0]) == len(pwords[0]) and len(name) > len(person.name)
                ):
                    person.name = name
                return person
        person = Person(name, [name])
        self._people.append(person)
        self._by_surname.setdefault(surname, []).append(person)
        return person

    def resolve(self, form: str) -> Person | None:
        """The person a full name or bare surname refers to, if unambiguous."""
        words = _words(form)
        if not words:
            return None
        if len(words) == 1:
            found = self._by_surname.get(words[0].lower(), [])
            return found[0] if len(found) == 1 else None
        for person in self._by_surname.get(words[-1].lower(), []):
            if form in person.forms or _first_names_match(_words(person.name)[0], words[0]):
                return person
        return None

    def __iter__(self) -> Iterable[Person]:
        return iter(self._people)
