"""Who did what in a film, read from spaCy Matcher cues and the dependency parse.

Two shapes of cue:
- a cue followed by a list of people: "stars A, B and C", "directed by A",
  "new cast members include A (Credit) and B", "from director A";
- a verb whose subjects are people: "A will direct", "A joins the cast as B",
  "A, who plays B", "A and B will star".
People are PERSON entities (or, beside a cue, short runs of capitalised proper nouns the
small model mislabels), and only through a cue.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from spacy.matcher import Matcher
from spacy.tokens import Doc, Span, Token
from spacy.vocab import Vocab

from bot.extraction.cues import FILM_NOUNS, NOT_FILM_DIRECTOR, ROLE_TITLES, words


@dataclass
class RoleHit:
    person: Span
    role: str
    cue: Token  # where the cue is: the film is looked for around it
    character: str | None = None
    known_for: str | None = None
    status: str | None = None
    film_token: int | None = None  # a title token the cue names explicitly
    needs_film: bool = False  # a past-tense cue: only an explicit film counts
    weak: bool = False  # "A's <film>": a director unless the article casts A in it
    owner: bool = False  # found by a possessive alone ("A's new film X"): no role is said


_LIST_CUES = {
    "actor": [
        [{"LOWER": {"IN": ["stars", "starring", "co-stars", "co-starring", "featuring"]}}],
        [{"LOWER": "cast"}, {"ORTH": ":"}],
        [{"LOWER": {"IN": ["star"]}}, {"LOWER": {"IN": ["are", "include"]}}],
        [
            {"LOWER": "cast"},
            {"LOWER": "also", "OP": "?"},
            {"LOWER": {"IN": ["includes", "include", "including"]}},
        ],
        [
            {"LOWER": {"IN": ["members", "ensemble"]}},
            {"LOWER": "also", "OP": "?"},
            {"LOWER": {"IN": ["include", "includes"]}},
        ],
        [{"LOWER": {"IN": ["joined", "accompanied"]}}, {"LOWER": "by"}],
        [{"LOWER": {"IN": ["alongside", "opposite"]}}],
        [{"LOWER": "along"}, {"LOWER": "with"}],
        [
            {"LOWER": "joining"},
            {"LOWER": {"IN": ["them", "him", "her", "the"]}},
            {"LOWER": "cast", "OP": "?"},
            {"LOWER": {"IN": ["are", "is", "will", "be"]}, "OP": "+"},
        ],
        [
            {"LOWER": "rounding"},
            {"LOWER": "out"},
            {"LOWER": "the"},
            {"LOWER": "cast"},
            {"LOWER": {"IN": ["are", "is"]}},
        ],
        [{"LOWER": {"IN": ["voiced", "played", "portrayed"]}}, {"LOWER": "by"}],
        [{"LOWER": {"IN": ["toplined", "headlined", "fronted"]}}, {"LOWER": "by"}],
        [{"LOWER": "star"}, {"LOWER": "power"}, {"LOWER": "of"}],
        [{"LOWER": {"IN": ["includes", "include", "including"]}}],
        [{"LOWER": "led"}, {"LOWER": "by"}],
        [{"LOWER": {"IN": ["are", "is"]}}],
    ],
    "director": [
        [{"LOWER": {"IN": ["directed", "helmed", "co-directed"]}}, {"LOWER": "by"}],
        [{"LOWER": "direction"}, {"LOWER": "by"}],
        [{"LOWER": {"IN": ["director", "directors"]}}, {"ORTH": ":"}],
    ],
    "writer": [
        [{"LOWER": {"IN": ["written", "penned", "co-written", "scripted"]}}, {"LOWER": "by"}],
        [{"LOWER": {"IN": ["screenplay", "script"]}}, {"LOWER": "by"}],
        [{"LOWER": {"IN": ["writer", "writers", "screenplay"]}}, {"ORTH": ":"}],
    ],
    "producer": [
        [{"LOWER": {"IN": ["produced", "co-produced", "exec-produced"]}}, {"LOWER": "by"}],
    ],
}

# Verbs whose PERSON subjects take the role (present, future, perfect or passive forms).
_SUBJECT_VERBS = {
    "actor": {"star", "play", "portray", "voice", "join", "reprise", "lead", "topline", "board",
              "co-star", "cast", "return", "headline", "round", "essay", "land", "nab",
              "appear"},
    "director": {"direct", "helm", "co-direct"},
    "writer": {"write", "pen", "co-write", "script"},
    "producer": {"produce", "co-produce"},
}  # fmt: skip
_TALKS = frozenset({"talks", "negotiations", "discussions", "line", "deal"})
_PART_NOUNS = frozenset({"lead", "role", "part", "title", "starring"})
_CHARACTER_VERBS = {"play", "portray", "voice", "reprise"}
_EARLIER = {"former", "ex", "first-film", "original", "previous", "replacing", "replaces", "late"}
_NEW_WORDS = {"new", "newcomer", "newcomers", "joining", "joins", "joined", "join", "newly"}
_RETURN_WORDS = {"returning", "return", "returns", "back", "reprising", "reprise", "reprises"}
_LIST_SKIP = {
    ",", "and", "as", "well", "also", "returning", "newcomers", "newcomer", "new", "stars",
    "star", "actors", "actor", "actress", "actresses", "fellow", "both", "plus", "including",
    "with", "alongside", "the", "such", "like", "co-stars", "are", "is", "will", "be", "&",
    "oscar", "winner", "nominee", "previously", "announced", "veteran", "veterans", "—", "–",
    "-", "'s",
}  # fmt: skip


@lru_cache(maxsize=4)
def _matcher(vocab: Vocab) -> Matcher:
    matcher = Matcher(vocab)
    for role, patterns in _LIST_CUES.items():
        matcher.add(role, patterns)
    return matcher


def find_roles(doc: Doc, title_at: set[int]) -> list[RoleHit]:
    """Every role a cue gives a PERSON, in text order."""
    hits: list[RoleHit] = []
    for match_id, start, end in _matcher(doc.vocab)(doc):
        role = doc.vocab.strings[match_id]
        cue = doc[start]
        if (
            role == "actor"
            and cue.lower_ in {"stars", "star"}
            and start - 1 not in title_at
            and _noun_stars(doc, start)
        ):
            continue
        if cue.lower_ in {
            "includes",
            "include",
            "including",
            "led",
            "are",
            "is",
        } and not _cast_before(doc, start):
            continue
        if cue.lower_ in {"alongside", "opposite", "along"}:
            role = _partner_role(doc, start, strict=cue.lower_ == "along")
            if role is None:
                continue
        listed = list(_list_after(doc, end, role, cue, title_at))
        if cue.lower_ in {"played", "portrayed", "voiced"} and len(listed) == 1:
            listed[0].character = listed[0].character or _character_before(doc, start)
        hits.extend(listed)
    for cue in _SENTENCE_CUES:
        hits.extend(cue(doc, title_at))
    hits.sort(key=lambda h: h.person.start)
    return hits


def _partner_role(doc: Doc, i: int, strict: bool = False) -> str | None:
    """ "producing alongside A" makes A a producer; "stars opposite A" an actor;
    `strict` ("along with A") needs the acting verb to say so."""
    for k in range(i - 1, max(doc[i].sent.start, i - 4) - 1, -1):  # the nearest verb decides
        lemma = doc[k].lemma_.lower()
        if lemma in {"star", "co-star", "act", "appear", "play", "lead"}:
            return "actor"
        if lemma in {"produce", "producer", "co-produce"}:
            return "producer"
        if lemma in {"direct", "write", "co-write", "co-direct", "director", "writer"}:
            return None
    return None if strict else "actor"


def _cast_before(doc: Doc, i: int) -> bool:
    """ "the ensemble ... also includes", "a cast led by": a list of actors follows."""
    lo = max(doc[i].sent.start, i - 8)
    return any(doc[k].lower_ in {"cast", "ensemble", "lineup", "line-up"} for k in range(lo, i))


def _noun_stars(doc: Doc, i: int) -> bool:
    """ "Hollywood stars such as ..." is not a cast; "returning stars A" is."""
    prev = doc[i - 1] if i > 0 else None
    return bool(prev is not None and prev.pos_ == "PROPN" and prev.ent_type_ not in {""})


_ORG_WORDS = words(
    """pictures studios studio films film entertainment media productions inc llc ltd bros
    bros. group company co corp network networks channel tv television records house
    features releasing distribution classics animation games"""
)


# Verbs in a list of another role that start the cast: "directed by A and stars B".
_ACTING_VERBS = frozenset({"stars", "star", "co-stars", "starring", "featuring"})


def _person_at(doc: Doc, i: int) -> Span | None:
    """A name starting at token i: a PERSON entity, or, right after a role cue, a short
    run of capitalised proper nouns the recogniser labelled otherwise or not at all
    ("stars Keanu Reeves" is an ORG to the small model)."""
    tok = doc[i]
    if tok._.title_key:
        return None
    if tok.ent_iob_ == "I" and tok.ent_type_ == "PERSON":
        # "Starring Kumail Nanjiani": the recogniser took the cue into the name
        ent = next((e for e in tok.sent.ents if e.start < i < e.end), None)
        if ent is not None and _looks_like_name(doc[i : ent.end]):
            return doc[i : ent.end]
    if tok.ent_iob_ == "B":
        ent = next((e for e in tok.sent.ents if e.start == i), None)
        if ent is not None and ent.label_ == "PERSON":
            return ent
        if ent is not None and ent.label_ in {"ORG", "GPE", "NORP", "PRODUCT", "WORK_OF_ART"}:
            return ent if _looks_like_name(ent) else None
    if tok.ent_type_ or tok._.title_key:
        return None
    end = i
    while (
        end < len(doc)
        and end - i < 3
        and _name_word(doc[end])
        and doc[end].ent_type_ in {"", "NORP", "GPE", "ORG", "PERSON"}
    ):
        end += 1
    span = doc[i:end]
    return span if len(span) >= 2 and _looks_like_name(span) else None


def _name_word(tok: Token) -> bool:
    text = tok.text
    return (
        tok.pos_ == "PROPN"
        and text[:1].isupper()
        and text.replace("-", "").replace("'", "").replace("’", "").replace(".", "").isalpha()
        and not tok._.title_key
    )


def _looks_like_name(span: Span) -> bool:
    return (
        2 <= len(span) <= 4
        and all(_name_word(t) or (t.text.endswith(".") and len(t.text) <= 3) for t in span)
        and not any(t.lower_ in _ORG_WORDS for t in span)
    )


def _list_after(doc: Doc, i: int, role: str, cue: Token, title_at: set[int]) -> Iterator[RoleHit]:
    """People listed after a cue, with "(Credit)" and "as Character" beside them."""
    status = _status_before(doc, cue.i)
    sent_end = cue.sent.end
    n = 0
    while i < sent_end:
        tok = doc[i]
        low = tok.lower_
        if low in _RETURN_WORDS:
            status = "returning"
        elif low in _NEW_WORDS:
            status = "new"
        person = _person_at(doc, i)
        if person is not None and _speaker(person):
            break  # "stars A, B told Variety": B is the one speaking, not listed
        if person is not None:
            hit = RoleHit(person, role, cue, status=status)
            i = person.end
            i = _beside(doc, i, hit, title_at)
            n += 1
            yield hit
            continue
        if n and role != "actor" and tok.pos_ == "VERB" and low in _ACTING_VERBS:
            break  # "directed by A and stars B": B is cast, not a director
        if low in _LIST_SKIP or (tok.is_punct and tok.text not in {".", ";", ":", "!", "?"}):
            if tok.text in {"(", ")"} and n == 0:
                break
            i += 1
            continue
        break


_SPEECH = frozenset({"tell", "say", "confirm", "explain", "add", "note", "report", "reveal"})


def _speaker(person: Span) -> bool:
    """The name is the subject of a verb of speech ("B told Variety", "B said")."""
    root = person.root
    return root.dep_ == "nsubj" and root.head.lemma_.lower() in _SPEECH


def _beside(doc: Doc, i: int, hit: RoleHit, title_at: set[int]) -> int:
    """Read "(Credit)", "(as X)" and "as X" after a listed name; return where to go on."""
    n = len(doc)
    if i < n and doc[i].text == "(":
        close = next((k for k in range(i + 1, min(i + 12, n)) if doc[k].text == ")"), None)
        if close is not None:
            inner = doc[i + 1 : close]
            if len(inner) and inner[0].lower_ == "as":
                hit.character = _capitalised(doc, i + 2, close)
            elif (
                len(inner)
                and (inner[0].i in title_at or inner[0].text[:1].isupper())
                and not any(t.like_num and len(t.text) == 4 for t in inner)
            ):
                hit.known_for = inner.text
            return close + 1
    if i < n and doc[i].lower_ == "as":
        hit.character = _capitalised(doc, i + 1, doc[i].sent.end)
        k = i + 1
        while (
            k < n and k < doc[i].sent.end and (doc[k].text[:1].isupper() or doc[k].text in {"'s"})
        ):
            k += 1
        return k
    return i


def _capitalised(doc: Doc, i: int, limit: int) -> str | None:
    """A capitalised name starting at i ("Queen Maren"), else None ("a detective")."""
    toks = []
    k = i
    while k < limit and (
        doc[k].text[:1].isupper() or (toks and doc[k].lower_ in {"de", "van", "von", "of"})
    ):
        toks.append(doc[k])
        k += 1
    while toks and not toks[-1].text[:1].isupper():
        toks.pop()
    if not toks or toks[0].lower_ in {"the", "a", "an", "her", "his", "their"}:
        return None
    return doc[toks[0].i : toks[-1].i + 1].text


def _status_before(doc: Doc, i: int) -> str | None:
    for k in range(max(doc[i].sent.start, i - 2), i + 1):
        low = doc[k].lower_
        if low in _RETURN_WORDS:
            return "returning"
        if low in _NEW_WORDS:
            return "new"
    return None


def _role_titles(doc: Doc, title_at: set[int]) -> Iterator[RoleHit]:
    """ "director A", "from director A", "producer A", "the film's director, A"."""
    for ent in doc.ents:
        if ent.label_ != "PERSON" or ent.start == 0:
            continue
        k = ent.start - 1
        if doc[k].text == "," and k > 0:
            k -= 1
        word = doc[k].lower_
        role = ROLE_TITLES.get(word)
        if role is None:
            continue
        before = doc[k - 1].lower_ if k > 0 else ""
        if role == "director" and (before in NOT_FILM_DIRECTOR or _of_photography(doc, k)):
            continue
        if any(doc[j].lower_ in _EARLIER for j in range(max(ent.sent.start, k - 5), k)):
            continue  # "replacing first-film helmer A": someone else's credit
        hit = RoleHit(ent, role, doc[k])
        if role == "director" and _acting(ent.sent):
            continue  # "Director David Lynch will play filmmaker John Ford in X"
        if k > 0 and (k - 1 in title_at):
            hit.film_token = k - 1  # "Barbie director Greta Gerwig": Barbie's
        elif k > 1 and doc[k - 1].text in {"'s", "’s"} and (k - 2 in title_at):
            hit.film_token = k - 2
        elif (
            before
            and before[:1].isalpha()
            and doc[k - 1].text[:1].isupper()
            and k - 1 not in title_at
        ):
            continue  # "Marvel director A", "Oscar-winning director A": not this film's
        yield hit
        if word == "writer-director":
            yield RoleHit(ent, "writer", doc[k], film_token=hit.film_token)


# "the James Bond film franchise": a character's series, not a director's film
_SERIES_NOUNS = frozenset({"franchise", "series", "universe", "saga", "films", "movies"})
_FILMISH = FILM_NOUNS | {"new", "upcoming", "latest", "next", "own", "quirky", "untitled"}


def _possessive_directors(doc: Doc, title_at: set[int]) -> Iterator[RoleHit]:
    """ "Denis Villeneuve's Dune", "Clint Eastwood's upcoming film Juror #2", "this Azazel
    Jacobs drama": the auteur's possessive names the director (unless A acts in it)."""
    for ent in doc.ents:
        if ent.label_ != "PERSON" or len(ent) < 2:
            continue
        k = ent.end
        owned = ent[-1].text in {"'s", "’s"}  # the recogniser may keep the "'s"
        if not owned and k < len(doc) and doc[k].text in {"'s", "’s", "'", "’"}:
            owned, k = True, k + 1
        if owned:
            film_token = None
            seen_noun = False
            while k < len(doc) and k - ent.end <= 6:
                tok = doc[k]
                if k in title_at:
                    film_token = k
                    break
                if tok.lower_ in FILM_NOUNS:
                    seen_noun = True
                elif tok.lower_ not in _FILMISH and not tok.is_punct and tok.pos_ != "ADJ":
                    break
                k += 1
            # "Kristen Wiig's Imogene" may name its star: a film noun must say it is her film
            if (
                seen_noun
                and not _acting(ent.sent)
                and (film_token is not None or _sentence_has_no_title(doc, ent, title_at))
            ):
                yield RoleHit(
                    ent, "director", doc[k - 1], film_token=film_token, weak=True, owner=True
                )
        elif (
            k < len(doc)
            and doc[k].lower_ in FILM_NOUNS
            and not (k + 1 < len(doc) and doc[k + 1].lower_ in _SERIES_NOUNS)
            and ent.start > 0
            # "this Azazel Jacobs drama" points at the film under discussion; "the James
            # Bond flick" may name a franchise, a character or a star: left out
            and doc[ent.start - 1].lower_ in {"this", "that"}
        ):
            yield RoleHit(ent, "director", doc[k], weak=True, owner=True)


def _acting(sent: Span) -> bool:
    """The sentence is about someone acting: a director's title there is their profession
    ("Director David Lynch will play ..."), not this film's credit."""
    return any(
        (t.lemma_.lower() in {"play", "portray", "voice", "act"} and t.pos_ in {"VERB", "AUX"})
        or t.lower_ in {"acting", "cameo"}
        for t in sent
    )


def _sentence_has_no_title(doc: Doc, ent: Span, title_at: set[int]) -> bool:
    """ "Richard Curtis' quirky new comedy" is the article's film only when the sentence
    names no other title ("Spotlight, Tom McCarthy's film about ...")."""
    return not any(t.i in title_at or t.text[:1] in {'"', "“"} for t in ent.sent)


def _paren_films(doc: Doc, title_at: set[int]) -> Iterator[RoleHit]:
    """ "Adam Driver (Megalopolis)": an actor of that title when it is one of the article's
    films (a credit of another title stays a "known for")."""
    for ent in doc.ents:
        k = ent.end
        if ent.label_ != "PERSON" or k + 2 >= len(doc) or doc[k].text != "(":
            continue
        inner = k + 1
        while inner < len(doc) and doc[inner].text in {'"', "“", "‘", "'"}:
            inner += 1
        if inner in title_at:
            yield RoleHit(ent, "actor", doc[inner], film_token=inner, weak=True)


def _played_by(doc: Doc, title_at: set[int]) -> Iterator[RoleHit]:
    """ "Jodi Kantor (Zoe Kazan)": a character, then the actor who plays them, as reviews
    and round-ups write casts."""
    for ent in doc.ents:
        if ent.label_ != "PERSON" or ent.start < 2 or ent.end >= len(doc):
            continue
        if doc[ent.start - 1].text != "(" or doc[ent.end].text != ")":
            continue
        k = ent.start - 2
        outer_end = k + 1
        while k >= 0 and _name_word(doc[k]) and outer_end - k <= 4:
            k -= 1
        outer = doc[k + 1 : outer_end]
        if not len(outer) or any(t.i in title_at for t in outer):
            continue
        yield RoleHit(ent, "actor", doc[ent.start], character=outer.text)


def _of_photography(doc: Doc, k: int) -> bool:
    return k + 2 < len(doc) and doc[k + 1].lower_ == "of" and doc[k + 2].lower_ == "photography"


def _subjects(doc: Doc, title_at: set[int]) -> Iterator[RoleHit]:
    """People who are the subject of a role verb: "A will direct", "A, who plays B"."""
    for tok in doc:
        if tok.pos_ not in {"VERB", "AUX"} and not (
            tok.lower_ in {"star", "stars", "direct", "directs"}
            and tok.dep_ in {"ROOT", "relcl", "xcomp", "conj"}
        ):
            continue
        lemma = tok.lemma_.lower()
        role = next((r for r, verbs in _SUBJECT_VERBS.items() if lemma in verbs), None)
        if role is None:
            continue
        passive = any(c.dep_ == "auxpass" for c in tok.children)
        if role == "actor" and lemma == "cast" and not passive:
            continue
        if passive and lemma != "cast":
            continue
        objects = [c for c in tok.children if c.dep_ in {"dobj", "attr"}]
        preps = [c for c in tok.children if c.dep_ == "prep"]
        if lemma in {"join", "direct"}:
            # "A joins B and C in X": the "in" may hang on the last name
            preps += [
                t for o in objects for t in o.subtree
                if t.dep_ == "prep" and t.lower_ == "in" and t not in preps
            ]  # fmt: skip
        if lemma == "round" and any(p.lower_ == "with" for p in preps):
            continue  # "A rounded out the cast with B and C": A is the one casting
        if lemma in {"join", "lead", "headline", "round", "topline", "board"} and not any(
            _is_cast_object(o, title_at) for o in objects + _pobjs(preps)
        ):
            continue
        if lemma in {"essay", "land", "nab"} and not any(
            o.lemma_.lower() in _PART_NOUNS for o in objects
        ):
            continue  # "A essays the lead", "A lands a role"; "Sony lands the rights" no
        if lemma == "voice" and any(
            o.pos_ == "NOUN"
            and o.lemma_.lower() not in _PART_NOUNS
            and any(c.dep_ == "poss" for c in o.children)
            for o in objects
        ):
            continue  # "A voiced his concern": an opinion, not a voice role
        if lemma == "return" and not any(p.lower_ == "as" for p in preps):
            continue
        if lemma == "appear" and not any(
            _is_cast_object(o, title_at) for o in _pobjs([p for p in preps if p.lower_ == "in"])
        ):
            continue  # "A will also appear in the film"; "A appeared on a podcast" no
        if role in {"writer", "producer"} and lemma in {"write", "produce"} and not objects:
            continue
        past = tok.tag_ in {"VBD", "VBN"} and not passive and not _perfect_future(tok)
        film_token = _title_in(tok, title_at)
        for person in _subject_people(doc, tok):
            hit = RoleHit(person, role, tok, film_token=film_token, needs_film=past)
            if lemma in {"join", "cast"}:
                hit.status = "new"
            elif lemma in {"reprise", "return"}:
                hit.status = "returning"
            if role == "actor":
                hit.character = _character(tok, objects, preps, title_at)
            yield hit
        if lemma in {"join", "direct"} and any(p.lower_ == "in" for p in preps):
            # "A joins B and C in X", "A will direct B in X": B and C are its cast
            for obj in objects:
                for person in _names_at(doc, obj):
                    yield RoleHit(person, "actor", tok, film_token=film_token, needs_film=past)


def _perfect_future(verb: Token) -> bool:
    return any(
        c.lower_ in {"has", "have", "will", "'ll"} and c.dep_ == "aux" for c in verb.children
    )


def _pobjs(preps: list[Token]) -> list[Token]:
    return [g for p in preps for g in p.children if g.dep_ == "pobj"]


def _is_cast_object(tok: Token, title_at: set[int]) -> bool:
    return tok.lower_ in {"cast", "ensemble", "lineup", "film", "movie", "sequel", "project"} or (
        tok.i in title_at
    )


def _title_in(verb: Token, title_at: set[int]) -> int | None:
    """A title the verb governs: "joins the cast of X", "will direct X", "stars in X"."""
    for t in verb.subtree:
        if t.i in title_at and t.i > verb.i:
            return t.i
    return None


def _subject_people(doc: Doc, verb: Token) -> Iterator[Span]:
    subjects = [c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}]
    # "A is set to direct", "A is also likely to star", "A signed on and will star":
    # the subject of the verb the role verb completes
    head, steps = verb, 0
    while not subjects and head.dep_ in {"xcomp", "conj", "acomp"} and steps < 3:
        head, steps = head.head, steps + 1
        subjects = [c for c in head.children if c.dep_ in {"nsubj", "nsubjpass"}]
    # "A and B are in talks to join": the verb hangs on "talks", "talks" on the clause
    if not subjects and verb.dep_ == "acl" and verb.head.lower_ in _TALKS:
        clause = verb.head.head.head if verb.head.head.dep_ == "prep" else verb.head.head
        subjects = [c for c in clause.children if c.dep_ in {"nsubj", "nsubjpass"}]
    if not subjects and verb.dep_ == "pcomp" and verb.head.lower_ == "with":
        subjects = [c for c in verb.head.children if c.dep_ == "pobj"]  # "with A starring"
    if verb.dep_ == "relcl" and any(s.lower_ in {"who", "that"} for s in subjects):
        subjects = [verb.head]  # "A, who plays B"
    for subj in subjects:
        if subj.lower_ in {"he", "she"}:
            person = antecedent(doc, subj)
            if person is not None:
                yield person
            continue
        yield from _names_at(doc, subj)


def antecedent(doc: Doc, pronoun: Token) -> Span | None:
    """The person "he" or "she" stands for, only when it cannot be anyone else: the one
    person named earlier in the sentence, or else the one person of the sentence before
    (two people there, or none, and the pronoun is left alone)."""
    sent = pronoun.sent
    people = [e for e in sent.ents if e.label_ == "PERSON" and e.end <= pronoun.i]
    if not people and sent.start > 0:
        people = [e for e in doc[sent.start - 1].sent.ents if e.label_ == "PERSON"]
    people = [e for e in people if not any(t._.title_key for t in e)]
    surnames = {e[-1].text.replace("'s", "").replace("’s", "") for e in people}
    if len(surnames) != 1:
        return None
    return max(people, key=len)


def _names_at(doc: Doc, head: Token) -> Iterator[Span]:
    """The people a noun phrase names: its head and its conjuncts ("A, B and C")."""
    for tok in [head, *_conjuncts(head)]:
        ent = next((e for e in doc.ents if e.start <= tok.i < e.end), None)
        if ent is not None:
            if ent.label_ == "PERSON" or _looks_like_name(ent):
                yield ent
            continue
        left = tok.i
        while left > 0 and doc[left - 1].dep_ == "compound" and doc[left - 1].head == tok:
            left -= 1
        span = doc[left : tok.i + 1]
        if _looks_like_name(span):
            yield span


def _conjuncts(tok: Token) -> list[Token]:
    out = []
    stack = [tok]
    while stack:
        t = stack.pop()
        for c in t.children:
            if c.left_edge.i > 0 and t.doc[c.left_edge.i - 1].text == "(":
                continue  # "A (Old Henry - 2021)": a credit in parentheses, not a person
            if c.dep_ in {"conj", "appos"} and c not in out:
                out.append(c)
                stack.append(c)
    return out


def _character(
    verb: Token, objects: list[Token], preps: list[Token], title_at: set[int]
) -> str | None:
    lemma = verb.lemma_.lower()
    if lemma in _CHARACTER_VERBS:
        for o in objects:
            if o.i not in title_at and o.pos_ == "PROPN":
                name = _name_ending_at(o)
                if name:
                    return name
    as_preps = [p for p in preps if p.lower_ == "as"]
    as_preps += [p for o in objects for p in o.children if p.dep_ == "prep" and p.lower_ == "as"]
    # "plays the role of B", "takes on the part of B"
    as_preps += [
        p for o in objects if o.lemma_.lower() in {"role", "part"}
        for p in o.children if p.dep_ == "prep" and p.lower_ == "of"
    ]  # fmt: skip
    for p in as_preps:
        return _as_character(p)
    return None


def _name_ending_at(head: Token) -> str | None:
    """The capitalised name a noun phrase ends in: "Italian racing mogul Enzo Ferrari"
    -> "Enzo Ferrari"; None for a common noun ("Enzo's wife", "a detective")."""
    doc = head.doc
    if head.pos_ != "PROPN" or not head.text[:1].isupper():
        return None
    if head.i + 1 < len(doc) and doc[head.i + 1].text in {"'s", "’s"}:
        return None
    start = head.i
    while start > head.left_edge.i and doc[start - 1].text[:1].isupper():
        start -= 1
    if doc[start].lower_ in {"the", "a", "an"}:
        start += 1
    return doc[start : head.i + 1].text if start <= head.i else None


def _as_character(as_tok: Token) -> str | None:
    """The part after "as": the name its noun phrase ends in."""
    pobj = next((c for c in as_tok.children if c.dep_ == "pobj"), None)
    if pobj is None:
        return None
    return _name_ending_at(pobj)


def _hyphen_directed(doc: Doc, title_at: set[int]) -> Iterator[RoleHit]:
    """ "the William Brent Bell-directed feature", "the Clooney-directed story": the name
    before "-directed" directed the film the phrase names."""
    for tok in doc[2:]:
        if tok.lower_ not in {"directed", "helmed"} or doc[tok.i - 1].text not in {"-", "–"}:
            continue
        end = tok.i - 1
        start = end
        while start > 0 and end - start < 4 and _name_word(doc[start - 1]):
            start -= 1
        if start == end:
            continue
        ahead = doc[tok.i + 1 : tok.i + 6]
        noun = next(
            (t for t in ahead if t.lower_ in FILM_NOUNS | {"story", "project"} or t.i in title_at),
            None,
        )
        if noun is None:
            continue
        name = doc[start:end]
        film_token = noun.i if noun.i in title_at else None
        if film_token is None:
            after = noun.i + 1
            film_token = after if after in title_at else None
        yield RoleHit(name, "director", tok, film_token=film_token)


_WORKS_NOT_FILMS = frozenset(
    {"novel", "book", "memoir", "play", "song", "album", "poem", "series", "story", "article"}
)


def _title_by(doc: Doc, title_at: set[int]) -> Iterator[RoleHit]:
    """'"Introduction" by Hong Sangsoo', "Vermiglio by Maura Delpero (Italy)": a film
    and its director, as line-ups write them (not "the novel X by A")."""
    for i in sorted(title_at):
        if i + 1 in title_at:
            continue  # only the title's last token
        k = i + 1
        while k < len(doc) and (doc[k].is_quote or doc[k].text == ","):
            k += 1
        if k + 1 >= len(doc) or doc[k].lower_ != "by":
            continue
        lo = max(doc[i].sent.start, i - 4)
        if any(doc[j].lower_ in _WORKS_NOT_FILMS for j in range(lo, i)):
            continue
        person = _person_at(doc, k + 1)
        if person is not None and person.label_ in {"PERSON", ""}:
            yield RoleHit(person, "director", doc[k], film_token=i)


def _directors_chair(doc: Doc, title_at: set[int]) -> Iterator[RoleHit]:
    """ "A will sit in the director's chair", "with A returning to the director's chair":
    the subject of the verb the chair hangs on directs."""
    for tok in doc:
        if tok.lower_ not in {"chair", "seat"} or not any(
            c.lower_ in {"director", "directors"} for c in tok.children
        ):
            continue
        verb = tok.head
        while verb.pos_ not in {"VERB", "AUX"} and verb.head.i != verb.i:
            verb = verb.head
        if verb.pos_ not in {"VERB", "AUX"} or verb.lemma_.lower() in {"leave", "vacate", "exit"}:
            continue
        people = list(_subject_people(doc, verb))
        if not people and verb.dep_ == "pcomp":  # "with A returning to the director's chair"
            people = [p for c in verb.head.children if c.dep_ == "pobj" for p in _names_at(doc, c)]
        for person in people:
            yield RoleHit(person, "director", verb, film_token=_title_in(verb, title_at))


def _character_before(doc: Doc, i: int) -> str | None:
    """ "Major Susan Turner, played by A": the capitalised name just before the cue."""
    end = i
    if end > 0 and doc[end - 1].text == ",":
        end -= 1
    start = end
    while (
        start > 0
        and end - start < 5
        and (_name_word(doc[start - 1]) or doc[start - 1].text.endswith("."))
    ):
        start -= 1
    if start == end or doc[start].lower_ in {"the", "a", "an"}:
        return None
    return _capitalised(doc, start, end)


_JOB_WORDS = frozenset(
    {"executive", "produce", "produces", "president", "ceo", "chief", "head", "agent", "founder"}
)


def _possessive_characters(doc: Doc, title_at: set[int]) -> Iterator[RoleHit]:
    """ "Tom Cruise's Jack Reacher must break her out": an actor's possessive before a
    character's full name (a person's name of two words or more that no title holds)
    is the part they play. Weak: a director of the film is not made cast by it."""
    for owner in doc.ents:
        if owner.label_ != "PERSON" or len(owner) < 2:
            continue
        k = owner.end
        if owner[-1].text not in {"'s", "’s"}:
            if k < len(doc) and doc[k].text in {"'s", "’s", "'", "’"}:
                k += 1
            else:
                continue
        owned = _person_at(doc, k) if k < len(doc) else None
        if owned is None or len(owned) < 2 or any(t.i in title_at for t in owned):
            continue
        if owned.end < len(doc) and doc[owned.end].text in {"'s", "’s"}:
            continue  # "A's B's film": B owns something, B is a person
        if any(t.lower_ in ROLE_TITLES or t.lower_ in _JOB_WORDS for t in owned.sent):
            continue  # "Studio's Mimi Steinbauer executive produces": staff, not a part
        name = _capitalised(doc, owned.start, owned.end)
        if name:
            yield RoleHit(owner, "actor", doc[owned.start], character=name, weak=True)


def _directorial(doc: Doc, title_at: set[int]) -> Iterator[RoleHit]:
    """ "A's directorial debut X", "A is set to make her directorial debut on X": the
    owner of the directing, or the subject of the verb it is the object of."""
    for tok in doc:
        if tok.lower_ != "directorial" or tok.head.pos_ != "NOUN":
            continue
        noun = tok.head
        owners = [c for c in noun.children if c.dep_ == "poss"]
        people: list[Span] = []
        for owner in owners:
            if owner.lower_ in {"his", "her", "their"}:
                verb = noun.head if noun.dep_ in {"dobj", "attr"} else None
                if verb is not None and verb.pos_ in {"VERB", "AUX"}:
                    people += list(_subject_people(doc, verb))
            else:
                people += list(_names_at(doc, owner))
        after = next((t.i for t in doc[noun.i + 1 : noun.i + 5] if t.i in title_at), None)
        film_token = after if after is not None else _title_in(noun, title_at)
        for person in people:
            yield RoleHit(person, "director", noun, film_token=film_token)


_PERFORMANCE_NOUNS = frozenset({"performance", "turn", "portrayal"})
_NOT_AS = frozenset({"know", "describe", "see", "refer", "bill", "credit", "serve", "work"})


def _performances(doc: Doc, title_at: set[int]) -> Iterator[RoleHit]:
    """How reviews and features cast: "A is terrific as B", "with A as B", "A's
    performance as B", "A gives a career-best turn". The part must be a capitalised name
    ("as executive producer" is a job, "known as B" a nickname)."""
    for tok in doc:
        if tok.lower_ == "as" and tok.dep_ == "prep":
            character = _as_character(tok)
            if character is None:
                continue
            head = tok.head
            if head.lemma_.lower() in _NOT_AS or head.lemma_.lower() in _CHARACTER_VERBS:
                continue  # "known as", and the verbs `_subjects` reads already
            people: list[Span] = []
            if head.pos_ == "PROPN":  # "with A as B", "A as B"
                people = list(_names_at(doc, head))
            elif head.pos_ == "ADJ" and head.dep_ == "acomp":  # "A is terrific as B"
                people = list(_subject_people(doc, head.head))
            elif head.lemma_.lower() in _PERFORMANCE_NOUNS:
                people = _performers(doc, head)
            for person in people:
                if any(t.i in title_at for t in person):
                    continue
                yield RoleHit(person, "actor", tok, character=character, weak=True)
        elif tok.lemma_.lower() in _PERFORMANCE_NOUNS and tok.pos_ == "NOUN":
            if any(c.lower_ == "as" for c in tok.children):
                continue  # read above, with its part
            for person in _performers(doc, tok):
                yield RoleHit(person, "actor", tok, weak=True)


def _performers(doc: Doc, noun: Token) -> list[Span]:
    """Who gives the performance: its possessor, or the subject of "gives"/"delivers"."""
    owners = [c for c in noun.children if c.dep_ == "poss" and c.pos_ == "PROPN"]
    if owners:
        return [p for o in owners for p in _names_at(doc, o)]
    verb = noun.head
    if noun.dep_ == "dobj" and verb.lemma_.lower() in {"give", "deliver", "turn", "offer"}:
        return list(_subject_people(doc, verb))
    return []


_LATEST = frozenset({"latest", "newest", "new", "next"})


def _latest_from(doc: Doc, title_at: set[int]) -> Iterator[RoleHit]:
    """ "X, the latest from A", "the new film from A": a person a film comes from is its
    director (weak: a person the article casts in it is not)."""
    for ent in doc.ents:
        if ent.label_ != "PERSON" or ent.start == 0 or doc[ent.start - 1].lower_ != "from":
            continue
        if len(ent) < 2 or any(t.i in title_at for t in ent):
            continue
        before = doc[ent.start - 2] if ent.start >= 2 else None
        if before is None or not (before.lower_ in FILM_NOUNS or before.lower_ in _LATEST):
            continue
        if before.lower_ in _LATEST and before.i > 0 and doc[before.i - 1].lower_ != "the":
            continue  # "the latest from A", not "news from A"
        film_token = next(
            (k for k in range(before.i - 1, max(before.i - 5, -1), -1) if k in title_at), None
        )  # "X, the latest from A"
        yield RoleHit(ent, "director", doc[ent.start - 1], film_token=film_token, weak=True)


def _dir_credits(doc: Doc, title_at: set[int]) -> Iterator[RoleHit]:
    """ "X (dir. A)": a listing's director credit, whatever the recogniser makes of A."""
    for tok in doc[:-1]:
        if tok.lower_ != "dir." or (doc[tok.i + 1].ent_type_ == "PERSON"):
            continue  # a PERSON after it is read by `_role_titles`
        person = _person_at(doc, tok.i + 1)
        if person is None:  # whatever label the recogniser gave the name
            ent = next((e for e in doc.ents if e.start == tok.i + 1), None)
            person = ent if ent is not None and _looks_like_name(ent) else None
        if person is None:
            continue
        k = tok.i - 1
        while k >= 0 and doc[k].text in {"(", '"', "“", "”", ","}:
            k -= 1
        yield RoleHit(person, "director", tok, film_token=k if k in title_at else None)


# The sentence cues `roles` runs after the list and appositive patterns, each a reader of
# one construction; their hits are merged and sorted by where the person stands.
_SENTENCE_CUES: tuple[Callable[[Doc, set[int]], Iterator[RoleHit]], ...] = (
    _role_titles,
    _possessive_directors,
    _played_by,
    _paren_films,
    _subjects,
    _possessive_characters,
    _hyphen_directed,
    _directorial,
    _performances,
    _latest_from,
    _dir_credits,
    _directors_chair,
    _title_by,
)
