"""Studios, distributors and streamers: ORG entities a cue ties to a film.

"Paramount has released ...", "distributed by A24", "Netflix's X", "the Netflix film
X", "X, from Universal". An organisation that is told things, reports them or hosts
an event is an outlet or an event, never a studio.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from spacy.tokens import Doc, Span

from bot.catalog.normalize import normalize_key
from bot.extraction.cues import FILM_NOUNS, NOT_STUDIO, words
from bot.extraction.titles import COMPANY_WORDS

_STUDIO_VERBS = words(
    """release distribute acquire produce develop finance co-finance debut unveil drop date
    set move push delay shift launch share reveal greenlight handle buy land nab back
    partner premiere bump slate schedule bring pick secure snap win score take plan
    """
)
_OUTLET_VERBS = words(
    """report learn confirm tell break hear understand write say claim note
    """
)
_BY_VERBS = words("distribute produce release finance acquire back co-produce pick buy handle")
_QUOTES = frozenset({'"', "“", "”", "‘", "’", "'"})
_POSSESSIVES = frozenset({"'s", "’s", "'", "’"})


_SLATE_NOUNS = words("slate schedule calendar lineup line-up films movies releases dates titles")


def slate_owners(doc: Doc, title_at: set[int]) -> list[Span]:
    """Studios the article says are moving their own slate: "Warner Bros. is moving the
    release dates of eight of its major films", "Disney made changes to their release
    schedule". Every film of such an article is theirs."""
    out = []
    for ent, label in _organisations(doc, title_at):
        root = ent.root
        if label != "ORG" or root.dep_ not in {"nsubj", "nsubjpass"} or not _plausible(ent):
            continue
        verb = root.head
        if verb.lemma_.lower() in _OUTLET_VERBS or verb.pos_ not in {"VERB", "AUX"}:
            continue
        owned = [
            t for t in verb.subtree
            if t.i > verb.i and t.lower_ in _SLATE_NOUNS
            and any(c.dep_ == "poss" and c.lower_ in {"its", "their"} for c in t.children)
        ]  # fmt: skip
        if owned:
            out.append(ent)
    return out


def _organisations(doc: Doc, title_at: set[int]) -> list[tuple[Span, str]]:
    """The recogniser's entities, and names ending in a company word it labelled
    otherwise or not at all ("Northlight Films" read as a person)."""
    out = [(e, e.label_) for e in doc.ents]
    inside = {i for e in doc.ents if e.label_ == "ORG" for i in range(e.start, e.end)}
    for tok in doc:
        if (
            tok.lower_.rstrip(".") not in COMPANY_WORDS
            or not tok.text[:1].isupper()
            or tok.i in inside
            or tok.i in title_at
        ):
            continue
        start = tok.i
        while (
            start > 0
            and tok.i - start < 4
            and doc[start - 1].pos_ == "PROPN"
            and doc[start - 1].text[:1].isupper()
            and doc[start - 1].i not in title_at
        ):
            start -= 1
        if start < tok.i:
            out.append((doc[start : tok.i + 1], "ORG"))
            inside.update(range(start, tok.i + 1))
    return out


def studio_mentions(doc: Doc, title_at: set[int]) -> Iterator[tuple[Span, int | None]]:
    """(organisation, the title token the cue names or None) for each studio cue."""
    orgs = _organisations(doc, title_at)
    org_at = {i for e, label in orgs if label == "ORG" for i in range(e.start, e.end)}
    sources = _not_companies(doc)
    for ent, label in orgs:
        if normalize_key(ent.text) in sources:
            continue
        if label in _STREAMER_LABELS and _plausible(ent) and _streams_on(ent):
            # "arriving next month on Netflix", "will then debut on Netflix"
            yield ent, _title_under(ent.root.head.head, title_at, before=True)
            continue
        if label != "ORG" or not _plausible(ent):
            continue
        root = ent.root
        subject = root
        if root.dep_ == "conj" and root.head.i in org_at:
            subject = root.head  # "Paramount Pictures and Skydance Media have released"
        head = subject.head
        # "Paramount has released the trailer", "Netflix will debut it"
        if subject.dep_ in {"nsubj", "nsubjpass"} and head.lemma_.lower() in _STUDIO_VERBS:
            if head.lemma_.lower() in _OUTLET_VERBS:
                continue
            titles = _titles_under(head, title_at)
            for token in titles or [None]:  # "pushing forward X and Y": each of them
                yield ent, token
            continue
        # "producing for Fade to Black Films", "co-producing for his Sankara Pictures"
        if root.dep_ == "pobj" and head.lower_ == "for" and head.head.lemma_.lower() in _FOR_VERBS:
            yield ent, _title_under(head.head, title_at)
            continue
        # "the Fox sequel X", "Paramount thriller X", "Fox films X and Y", "a Sony release"
        after = _film_noun_after(doc, ent.end)
        if after is not None and not (ent.end < len(doc) and doc[ent.end].text in _POSSESSIVES):
            titles = [k for k in _list_from(doc, after + 1) if k in title_at]
            for token in titles or [None]:
                yield ent, token
            continue
        # "distributed by Neon", "produced by Blumhouse"
        if root.dep_ == "pobj" and head.lower_ == "by" and head.head.lemma_.lower() in _BY_VERBS:
            if _acts_on_a_film(head.head, title_at):
                yield ent, _title_under(head.head, title_at)
            continue
        # "Netflix's X", "Paramount's "Mean Girls" musical", "Amazon MGM Studios' actioner"
        nxt = ent.end
        inside = ent[-1].text in _POSSESSIVES  # the recogniser may keep the "'s"
        if inside or (nxt < len(doc) and doc[nxt].text in _POSSESSIVES):
            k = nxt if inside else nxt + 1
            while k < len(doc) and k - nxt <= 5:
                tok = doc[k]
                if k in title_at:
                    yield ent, k
                    break
                if tok.lower_ in FILM_NOUNS:
                    yield ent, None  # "Amazon MGM Studios' Jason Statham actioner"
                    break
                if not (tok.pos_ in {"ADJ", "NOUN", "PROPN", "NUM"} or tok.text in _QUOTES):
                    break
                k += 1
            continue
        # "X (Universal)", "Oppenheimer for Universal Pictures", "X, from Universal"
        before = ent.start - 1
        while before >= 0 and doc[before].text in _QUOTES:
            before -= 1
        if before >= 1 and doc[before].text in {"(", "for", "from"}:
            prev = before - 1
            while prev >= 0 and (doc[prev].text in _QUOTES or doc[prev].text == ","):
                prev -= 1
            if prev >= 0 and prev in title_at:
                yield ent, prev
                continue
        # "the new film from A24", "a new film to look out for from Shudder"
        if root.dep_ == "pobj" and head.lower_ == "from" and _film_noun_above(head):
            yield ent, None


_FILM_TRADE_NOUNS = words("title project rights package")


def _acts_on_a_film(verb, title_at: set[int]) -> bool:
    """The thing "picked up by" or "produced by" the organisation is a film (a title, a
    film noun or a pronoun standing for one), not "a casting call picked up by" a site."""
    if verb.dep_ in {"acl", "relcl"}:
        patient = verb.head
    else:
        patient = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
    if patient is None:
        return True
    return (
        patient.i in title_at
        or patient.lemma_.lower() in FILM_NOUNS | _FILM_TRADE_NOUNS
        or patient.pos_ == "PRON"
        or patient.lower_ in {"which", "that"}
    )


def _plausible(ent: Span) -> bool:
    words = {t.lower_ for t in ent}
    if _among_people(ent):
        return False
    if words & NOT_STUDIO and ent[-1].lower_.rstrip(".") not in COMPANY_WORDS:
        return False  # "Sundance Institute" is an event's; "Summit Entertainment" a studio
    if any(t.like_num for t in ent) or len(ent.text) < 2:
        return False
    return not _cited(ent)


def _cited(ent: Span) -> bool:
    """The organisation is a source here: "told Variety", "according to Deadline", "via
    The Wrap", "Deadline reports", "The Hollywood Reporter claims"."""
    doc = ent.doc
    before = doc[ent.start - 1].lower_ if ent.start > 0 else ""
    before2 = doc[ent.start - 2].lower_ if ent.start > 1 else ""
    if before in {"told", "via", "per"} or (
        before == "to" and before2 in {"according", "told", "said", "spoke", "speaking"}
    ):
        return True
    return ent.root.dep_ in {"nsubj"} and ent.root.head.lemma_.lower() in _OUTLET_VERBS


def _not_companies(doc: Doc) -> set[str]:
    """Names that are a source or an event somewhere in the article: a name cited once
    as the source ("according to Deadline") is an outlet at every mention, and one that
    opens an event's or an outlet's name ("Sundance Film Festival") is that event."""
    out = set()
    for ent in doc.ents:
        if _cited(ent) or (ent.label_ == "ORG" and _among_people(ent)):
            out.add(normalize_key(ent.text))  # a source, or one of a list of people
    out |= _owners_beside_people(doc)
    for tok in doc:
        if tok.lower_ not in NOT_STUDIO or not tok.text[:1].isupper():
            continue
        k = tok.i
        while k > 0 and tok.i - k < 4 and doc[k - 1].text[:1].isupper() and doc[k - 1].is_alpha:
            k -= 1
        for j in range(k + 1, tok.i + 1):
            out.add(normalize_key(doc[k:j].text))  # "Sundance" of "Sundance Film Festival"
    out.discard("")
    return out


_STREAMER_LABELS = frozenset({"ORG", "GPE", "PRODUCT"})
_ON_VERBS = words(
    """arrive debut premiere stream launch land drop hit release come bow available exclusive"""
)
_FOR_VERBS = words("produce co-produce finance co-finance develop make executive")
_NOUN_SKIP = frozenset({"ADJ", "NOUN", "PROPN", "NUM", "ADV"})


def _streams_on(ent: Span) -> bool:
    """ "on Netflix" after a verb of release: the streamer that carries the film."""
    root = ent.root
    prep = root.head
    if root.dep_ != "pobj" or prep.lower_ != "on" or not ent.text[:1].isupper():
        return False
    return prep.head.lemma_.lower() in _ON_VERBS and prep.head.pos_ in {"VERB", "ADJ"}


def _film_noun_after(doc: Doc, k: int) -> int | None:
    """The film noun right after an organisation, past a few modifiers: "Fox sequel",
    "Paramount thriller", "Searchlight film", "Sony release"."""
    for j in range(k, min(k + 4, len(doc))):
        tok = doc[j]
        if tok.lower_ in FILM_NOUNS or tok.lower_ in {"release", "releases"}:
            return j if tok.tag_ in {"NN", "NNS"} else None
        if tok.pos_ not in _NOUN_SKIP or tok.ent_type_ or tok.text[:1].isupper():
            return None
    return None


def _list_from(doc: Doc, k: int) -> list[int]:
    """Token indexes of a list starting at k: "X and Y", "X, Y and Z"."""
    out: list[int] = []
    while k < len(doc):
        tok = doc[k]
        if tok.text in _QUOTES:
            k += 1
            continue
        if not out or doc[k - 1].text in {",", "and", "&"} or doc[k - 1].text in _QUOTES:
            out.append(k)
            k += 1
            while k < len(doc) and doc[k].text in _QUOTES:
                k += 1
            if k < len(doc) and doc[k].text in {",", "and", "&"}:
                k += 1
                continue
        break
    return out


def _film_noun_above(prep) -> bool:
    """A film noun among the few words a "from" hangs on ("a new film to look out for
    from X")."""
    node = prep.head
    for _ in range(4):
        if node.lower_ in FILM_NOUNS:
            return True
        if node.head.i == node.i:
            return False
        node = node.head
    return False


def _owners_beside_people(doc: Doc) -> set[str]:
    """ "The Coen Brothers' X and Susanne Bier's Y": owners of titles listed together are
    of one kind; beside a person's film, a possessor is a filmmaker, not a studio."""
    out = set()
    for tok in doc:
        if tok.dep_ != "poss" or tok.ent_type_ not in {"ORG", ""}:
            continue
        owned = tok.head
        siblings = [c for c in owned.children if c.dep_ == "conj"]
        if owned.dep_ == "conj":
            siblings.append(owned.head)
        if any(c.dep_ == "poss" and c.ent_type_ == "PERSON" for s in siblings for c in s.children):
            ent = next((e for e in doc.ents if e.start <= tok.i < e.end), None)
            out.add(normalize_key(ent.text if ent is not None else tok.text))
    return out


def _among_people(ent: Span) -> bool:
    """ "produced by Bell, Jordan Levine and Russ Posternak": a name in a list of people
    is a person the recogniser misread, not a company."""
    root = ent.root
    linked = [root.head] if root.dep_ == "conj" else []
    linked += [c for c in root.children if c.dep_ == "conj"]
    return any(t.ent_type_ == "PERSON" for t in linked)


def _title_under(verb, title_at: set[int], before: bool = False) -> int | None:
    """The first title in the verb's phrase; with `before`, also its subject ("X
    arriving on Netflix" hangs the verb on X)."""
    for t in verb.subtree:
        if t.i in title_at:
            return t.i
    if before and verb.i in title_at:
        return verb.i
    return None


def _titles_under(verb, title_at: set[int]) -> list[int]:
    """Every title in the verb's objects: "pushing forward X and Y"."""
    return [t.i for t in verb.subtree if t.i in title_at]


def clean_studios(ent: Span) -> list[str]:
    """The companies an entity names: "Universal and Illumination's" -> two, and
    "WB/Legendary" -> two."""
    toks = list(ent)
    while toks and toks[-1].text in _POSSESSIVES | {",", "."}:
        toks = toks[:-1]
    if not toks:
        return []
    text = ent.doc[toks[0].i : toks[-1].i + 1].text
    out = []
    for part in re.split(r"\s+(?:and|&)\s+|\s*/\s*", text):  # "WB/Legendary/HBO Max"
        part = part.strip().rstrip(",.")
        if part.lower().startswith("the "):
            part = part[4:]
        if part:
            out.append(part)
    return out
