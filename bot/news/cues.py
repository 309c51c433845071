"""Cue tables: the generic film-journalism phrasing the extractor keys on.

Only phrasing lives here ("directed by", "will star in", "has pushed"), never a
name or title from any article. Each table is indexed by the word a match
starts (or ends) with, so a token only checks the cues that can match it.
"""

from __future__ import annotations

from bot.news.names import STUDIO_SUFFIXES, Token
from bot.news.summarize import wordset

Cue = tuple[str, ...]

# Cues followed by a person (or a list of people).
PRE_CUES: list[tuple[Cue, tuple[str, ...], str | None]] = [
    (("written", "and", "directed", "by"), ("writer", "director"), None),
    (("directed", "and", "written", "by"), ("writer", "director"), None),
    (("writer-director",), ("writer", "director"), None),
    (("writer/director",), ("writer", "director"), None),
    (("directed", "by"), ("director",), None),
    (("co-directed", "by"), ("director",), None),
    (("from", "director"), ("director",), None),
    (("from", "filmmaker"), ("director",), None),
    (("director",), ("director",), None),
    (("directors",), ("director",), None),
    (("filmmaker",), ("director",), None),
    (("filmmakers",), ("director",), None),
    (("helmer",), ("director",), None),
    (("helmed", "by"), ("director",), None),
    (("written", "by"), ("writer",), None),
    (("co-written", "by"), ("writer",), None),
    (("screenplay", "by"), ("writer",), None),
    (("script", "by"), ("writer",), None),
    (("penned", "by"), ("writer",), None),
    (("co-wrote", "with"), ("writer",), None),
    (("wrote", "with"), ("writer",), None),
    (("co-written", "with"), ("writer",), None),
    (("script", "comes", "from"), ("writer",), None),
    (("screenplay", "comes", "from"), ("writer",), None),
    (("screenwriter",), ("writer",), None),
    (("screenwriters",), ("writer",), None),
    (("writer",), ("writer",), None),
    (("writers",), ("writer",), None),
    (("co-writer",), ("writer",), None),
    (("produced", "by"), ("producer",), None),
    (("executive", "producer"), ("producer",), None),
    (("executive", "producers"), ("producer",), None),
    (("producer",), ("producer",), None),
    (("producers",), ("producer",), None),
    (("co-producer",), ("producer",), None),
    (("starring",), ("actor",), None),
    (("co-starring",), ("actor",), None),
    (("also", "starring"), ("actor",), None),
    (("stars",), ("actor",), None),
    (("star",), ("actor",), None),
    (("co-star",), ("actor",), None),
    (("co-stars",), ("actor",), None),
    (("actor",), ("actor",), None),
    (("actress",), ("actor",), None),
    (("actors",), ("actor",), None),
    (("actresses",), ("actor",), None),
    (("newcomer",), ("actor",), "new"),
    (("newcomers",), ("actor",), "new"),
    (("cast", "members", "include"), ("actor",), None),
    (("cast", "member"), ("actor",), None),
    (("cast", "includes"), ("actor",), None),
    (("cast", "include"), ("actor",), None),
    (("cast", "also", "includes"), ("actor",), None),
    (("ensemble", "includes"), ("actor",), None),
    (("joined", "by"), ("actor",), None),
    (("alongside",), ("actor",), None),
    (("opposite",), ("actor",), None),
    (("featuring",), ("actor",), None),
    (("played", "by"), ("actor",), None),
    (("portrayed", "by"), ("actor",), None),
    (("directs",), ("actor",), None),  # "X directs A, B and C": only as a list (see LIST_ONLY)
    (("joining", "them", "are"), ("actor",), "new"),
    (("joining", "them", "is"), ("actor",), "new"),
    (("joining", "him", "are"), ("actor",), "new"),
    (("joining", "her", "are"), ("actor",), "new"),
    (("joining", "the", "cast", "are"), ("actor",), "new"),
    (("joining", "the", "cast", "is"), ("actor",), "new"),
    (("also", "joining", "are"), ("actor",), "new"),
    (("returning", "are"), ("actor",), "returning"),
    (("also", "returning", "are"), ("actor",), "returning"),
]

# Cues that follow the person they describe: (phrase, role, status, takes a character).
POST_CUES: list[tuple[Cue, str, str | None, bool]] = [
    (("stars", "as"), "actor", None, True),
    (("will", "star", "as"), "actor", None, True),
    (("stars", "in"), "actor", None, False),
    (("will", "star", "in"), "actor", None, False),
    (("will", "star"), "actor", None, False),
    (("to", "star"), "actor", None, False),
    (("to", "co-star"), "actor", None, False),
    (("to", "lead"), "actor", None, False),
    (("will", "headline"), "actor", None, False),
    (("to", "headline"), "actor", None, False),
    (("headlines",), "actor", None, False),
    (("will", "topline"), "actor", None, False),
    (("toplines",), "actor", None, False),
    (("will", "lead"), "actor", None, False),
    (("leads",), "actor", None, False),
    (("co-star", "."), "actor", None, False),
    (("co-star", ","), "actor", None, False),
    (("co-star", "in"), "actor", None, False),
    (("co-star", "as"), "actor", None, True),
    (("appears", "as"), "actor", None, True),
    (("appears", "in"), "actor", None, False),
    (("will", "appear", "in"), "actor", None, False),
    (("are", "returning"), "actor", "returning", False),
    (("is", "returning"), "actor", "returning", False),
    (("will", "return"), "actor", "returning", False),
    (("return", ","), "actor", "returning", False),
    (("return", "."), "actor", "returning", False),
    (("return", "as"), "actor", "returning", True),
    (("return", "to", "star"), "actor", "returning", False),
    (("returns", ","), "actor", "returning", False),
    (("are", "back"), "actor", "returning", False),
    (("to", "join"), "actor", "new", False),
    (("round", "out", "the", "cast"), "actor", None, False),
    (("rounds", "out", "the", "cast"), "actor", None, False),
    (("round", "out", "the", "ensemble"), "actor", None, False),
    (("complete", "the", "cast"), "actor", None, False),
    (("completes", "the", "cast"), "actor", None, False),
    (("to", "play"), "actor", None, True),
    (("to", "portray"), "actor", None, True),
    (("is", "starring"), "actor", None, False),
    (("starring", "."), "actor", None, False),
    (("starring", ","), "actor", None, False),
    (("also", "stars"), "actor", None, False),
    (("co-stars",), "actor", None, False),
    (("will", "co-star"), "actor", None, False),
    (("stars", "alongside"), "actor", None, False),
    (("stars", "opposite"), "actor", None, False),
    (("plays",), "actor", None, True),
    (("will", "play"), "actor", None, True),
    (("will", "now", "play"), "actor", None, True),
    (("is", "playing"), "actor", None, True),
    (("is", "set", "to", "play"), "actor", None, True),
    (("has", "been", "cast", "as"), "actor", "new", True),
    (("has", "been", "cast"), "actor", "new", False),
    (("was", "cast", "as"), "actor", None, True),
    (("is", "cast", "as"), "actor", None, True),
    (("portrays",), "actor", None, True),
    (("will", "portray"), "actor", None, True),
    (("has", "joined", "the", "cast"), "actor", "new", False),
    (("joined", "the", "cast"), "actor", "new", False),
    (("joins", "the", "cast"), "actor", "new", False),
    (("has", "joined"), "actor", "new", False),
    (("joins",), "actor", "new", False),
    (("has", "boarded"), "actor", "new", False),
    (("has", "signed", "on"), "actor", "new", False),
    (("is", "in", "talks", "to", "star"), "actor", "new", False),
    (("reprises",), "actor", "returning", False),
    (("will", "reprise"), "actor", "returning", False),
    (("is", "reprising"), "actor", "returning", False),
    (("returns", "as"), "actor", "returning", True),
    (("will", "return", "as"), "actor", "returning", True),
    (("is", "returning", "as"), "actor", "returning", True),
    (("returns", "to", "direct"), "director", None, False),
    (("will", "return", "to", "direct"), "director", None, False),
    (("directs",), "director", None, False),
    (("will", "direct"), "director", None, False),
    (("to", "direct"), "director", None, False),
    (("to", "helm"), "director", None, False),
    (("back", "to", "direct"), "director", None, False),
    (("directing", "from"), "director", None, False),
    (("directed", "both"), "director", None, False),
    (("directed", "."), "director", None, False),
    (("directed", ","), "director", None, False),
    (("directed", "from"), "director", None, False),
    (("directed", "it"), "director", None, False),
    (("is", "directing"), "director", None, False),
    (("is", "set", "to", "direct"), "director", None, False),
    (("is", "attached", "to", "direct"), "director", None, False),
    (("helms",), "director", None, False),
    (("will", "helm"), "director", None, False),
    (("is", "helming"), "director", None, False),
    (("directed", "the", "film"), "director", None, False),
    (("directed", "the", "movie"), "director", None, False),
    (("wrote", "the", "script"), "writer", None, False),
    (("wrote", "the", "screenplay"), "writer", None, False),
    (("co-wrote",), "writer", None, False),
    (("will", "write"), "writer", None, False),
    (("to", "write"), "writer", None, False),
    (("is", "writing"), "writer", None, False),
    (("penned", "the", "script"), "writer", None, False),
    (("penned", "the", "screenplay"), "writer", None, False),
    (("produces",), "producer", None, False),
    (("also", "produces"), "producer", None, False),
    (("will", "produce"), "producer", None, False),
    (("to", "produce"), "producer", None, False),
    (("is", "producing"), "producer", None, False),
    (("is", "also", "producing"), "producer", None, False),
    (("produced", "the", "film"), "producer", None, False),
]
# A "joins"-style cue only counts when the cast or a character is named nearby.
JOIN_CUES = {"joins", "has", "joined"}
# Cues that need a film noun right after them ("leads the cast", "leads that sequel").
NEEDS_FILM_NOUN = {("leads",), ("appears", "in"), ("will", "appear", "in")}
FILM_NOUNS = wordset(
    """cast ensemble film movie sequel prequel remake reboot adaptation project feature
    picture thriller drama comedy biopic series franchise spinoff spin-off lineup role"""
)
# Nouns that make "<Title>, a/the ... <noun>" a film's apposition.
GENRE_NOUNS = wordset(
    """film movie drama comedy thriller biopic adaptation sequel prequel remake reboot
    feature documentary horror musical western romance epic fantasy satire romcom
    mystery animation spinoff spin-off blockbuster actioner dramedy tale story"""
)
# Pre cues that only count when a list of two or more full names follows.
LIST_ONLY = {("directs",)}
# Words between a person and a "to <verb>" cue: "is in final talks to star".
AUX_WORDS = wordset(
    """is are was has have had been also in final early advanced talks negotiations
    tapped poised expected set attached signed on now officially reportedly will would
    closing a deal eyed eyeing being lined up due"""
)
# Words before a title or name that describe a person: "Oscar winner", "her brother".
DESCRIPTOR_NOUNS = wordset(
    """winner winners nominee nominees alum alums alumna alumnae alumnus alumni veteran
    veterans vet star favorite favourite breakout standout icon legend legends
    creator co-creator brother sister wife husband partner son daughter father mother
    collaborator collaborators friend cousin"""
)
DESCRIPTOR_WORDS = wordset(
    """the a an his her their fellow rising acclaimed celebrated beloved veteran longtime
    frequent former breakout emerging up-and-coming two-time three-time four-time
    five-time multiple legendary"""
)
DESCRIPTOR_SUFFIXES = ("-winning", "-nominated", "-year-old", "-time", "-winner", "-nominee")

RETURN_WORDS = {"returning", "return", "returns", "back"}
NEW_WORDS = {"new", "newly", "newcomer", "newcomers", "joining", "additions", "fresh"}

# Spans after these are media outlets or sources, never people or films.
OUTLET_CUES: list[Cue] = [
    ("told",),
    ("tells",),
    ("tell",),
    ("repped", "by"),
    ("represented", "by"),
    ("managed", "by"),
    ("interview", "with"),
    ("speaking", "to"),
    ("speaking", "with"),
    ("according", "to"),
    ("via",),
    ("reported", "by"),
    ("first", "reported", "by"),
    ("exclusively", "to"),
    ("in", "a", "statement", "to"),
]

TITLE_PRE: list[Cue] = [
    ("film", ","),
    ("movie", ","),
    ("sequel", ","),
    ("trailer", "for"),
    ("teaser", "for"),
    ("featurette", "for"),
    ("poster", "for"),
    ("first", "look", "at"),
    ("behind", "the", "scenes", "of"),
    ("cast", "of"),
    ("release", "of"),
    ("script", "for"),
    ("will", "release"),
    ("will", "direct"),
    ("to", "direct"),
    ("directs",),
    ("will", "produce"),
    ("to", "produce"),
    ("will", "write"),
    ("to", "write"),
    ("has", "joined"),
    ("will", "join"),
    ("to", "join"),
    ("to", "release"),
    ("will", "distribute"),
    ("has", "acquired"),
    ("acquired",),
    ("screenplay", "for"),
    ("star", "in"),
    ("starring", "role", "in"),
    ("cast", "in"),
    ("direct", "in"),
    ("premiere", "of"),
    ("production", "on"),
    ("filming", "on"),
    ("set", "of"),
    ("footage", "from"),
    ("clip", "from"),
    ("has", "moved"),
    ("has", "delayed"),
    ("has", "pushed"),
    ("has", "dated"),
    ("has", "shifted"),
    ("has", "set"),
    ("moved",),
    ("delayed",),
    ("upcoming",),
    ("new", "film"),
    ("new", "movie"),
    ("the", "film"),
    ("the", "movie"),
    ("the", "sequel"),
    ("adaptation",),
    ("biopic",),
    ("thriller",),
    ("blockbuster",),
    ("spinoff",),
    ("spin-off",),
]
TITLE_POST: list[Cue] = [
    ("stars",),
    ("will", "star"),
    ("is", "directed"),
    ("wrapped",),
    ("began", "filming"),
    ("begins", "filming"),
    ("will", "debut"),
    ("will", "now", "debut"),
    ("debuts",),
    ("hits",),
    ("will", "hit"),
    ("opens",),
    ("will", "open"),
    ("arrives",),
    ("will", "arrive"),
    ("premieres",),
    ("opened",),
    ("debuted",),
    ("grossed",),
    ("earned",),
    ("topped",),
    ("rounded", "out"),
    ("received",),
    ("will", "premiere"),
    ("is", "set"),
    ("is", "slated"),
    ("is", "scheduled"),
    ("is", "due"),
    ("will", "be", "released"),
    ("will", "now", "be", "released"),
    ("follows",),
    ("is", "the", "latest"),
    ("is", "the", "new"),
    ("is", "the", "next"),
    ("is", "based", "on"),
    ("is", "an", "adaptation"),
    ("is", "the", "sequel"),
    ("is", "a", "sequel"),
    ("tells", "the", "story"),
    (",", "directed", "by"),
    (",", "starring"),
    (",", "which", "stars"),
    (",", "from", "director"),
    (",", "written", "by"),
    (",", "produced", "by"),
    (",", "which", "is", "directed"),
    ("trailer",),
    ("teaser",),
]
TITLE_NEG_PRE: list[Cue] = [
    ("sequel", "to"),
    ("follow-up", "to"),
    ("known", "for"),
    ("starred", "in"),
    ("appeared", "in"),
    ("roles", "in"),
    ("role", "in"),
    ("work", "on"),
    ("the", "original"),
    ("remake", "of"),
    ("previously", "directed"),
    ("also", "directed"),
    ("who", "directed"),
    ("who", "starred", "in"),
]

COMPANY_SUFFIXES = STUDIO_SUFFIXES - {"group", "network", "networks", "television", "media"}
STUDIO_PRE: list[Cue] = [("studio",), ("distributor",), ("streamer",), ("banner",)]
STUDIO_POST: list[Cue] = [
    ("has", "moved"),
    ("has", "delayed"),
    ("has", "pushed"),
    ("has", "dated"),
    ("has", "shifted"),
    ("has", "set"),
    ("has", "released"),
    ("will", "release"),
    ("will", "distribute"),
    ("is", "releasing"),
    ("will", "stream"),
    ("will", "begin", "streaming"),
    ("is", "distributing"),
    ("has", "acquired"),
    ("acquired",),
    ("has", "unveiled"),
    ("unveiled",),
    ("has", "announced"),
    ("announced",),
]

TITLE_GLUE = {"of", "the", "a", "an", "to", "at", "vs.", "vs", "for", "from"}
CHAR_SKIP = {"the", "a", "an", "role", "of", "young", "younger", "older", "character"}
GENERIC_TITLE_HEADS = {"part", "chapter", "volume", "vol.", "episode", "season", "book", "act"}


def by_first(cues: list[Cue]) -> dict[str, list[Cue]]:
    """Cue phrases grouped by first word, so each token checks only its own."""
    out: dict[str, list[Cue]] = {}
    for cue in cues:
        out.setdefault(cue[0], []).append(cue)
    return out


def by_last(cues: list[Cue]) -> dict[str, list[Cue]]:
    out: dict[str, list[Cue]] = {}
    for cue in cues:
        out.setdefault(cue[-1], []).append(cue)
    return out


def cues_at(tokens: list[Token], i: int, index: dict[str, list[Cue]]) -> list[Cue]:
    """Cues from `index` that match at token i (in table order)."""
    if i >= len(tokens):
        return []
    return [c for c in index.get(tokens[i].low, ()) if matches(tokens, i, c)]


def cues_before(tokens: list[Token], end: int, index: dict[str, list[Cue]]) -> list[Cue]:
    """Cues from `index` that end just before token `end`."""
    if end <= 0 or end > len(tokens):
        return []
    return [c for c in index.get(tokens[end - 1].low, ()) if ends_at(tokens, end, c)]


def matches(tokens: list[Token], i: int, phrase: Cue) -> bool:
    if i < 0 or i + len(phrase) > len(tokens):
        return False
    return all(tokens[i + k].low == w for k, w in enumerate(phrase))


def ends_at(tokens: list[Token], end: int, phrase: Cue) -> bool:
    return matches(tokens, end - len(phrase), phrase)


PRE_INDEX: dict[str, list[tuple[Cue, tuple[str, ...], str | None]]] = {}
for _cue in PRE_CUES:
    PRE_INDEX.setdefault(_cue[0][0], []).append(_cue)
POST_INDEX: dict[str, list[tuple[Cue, str, str | None, bool]]] = {}
for _pcue in POST_CUES:
    POST_INDEX.setdefault(_pcue[0][0], []).append(_pcue)
OUTLET_INDEX = by_first(OUTLET_CUES)
TITLE_PRE_INDEX = by_last(TITLE_PRE)
TITLE_POST_INDEX = by_first(TITLE_POST)
TITLE_NEG_INDEX = by_last(TITLE_NEG_PRE)
STUDIO_PRE_INDEX = by_last(STUDIO_PRE)
STUDIO_POST_INDEX = by_first(STUDIO_POST)
# Verbs a person could also be the subject of: a company only when not name-shaped ("X24").
COMPANY_POST: list[Cue] = [
    ("is", "producing"),
    ("is", "co-producing"),
    ("is", "financing"),
    ("will", "produce"),
    ("will", "co-produce"),
    ("is", "backing"),
]
COMPANY_POST_INDEX = by_first(COMPANY_POST)
