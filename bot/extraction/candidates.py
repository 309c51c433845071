"""Which spans of an article are titles, decided before and around the parse.

The recogniser reads each Title Case candidate on its own (a person, a date or a
nationality is not a title; a studio or a person is cut off a run's end), the headline
adds its quoted and cued titles, and the survivors are merged into single proper-noun
tokens before the pipeline runs, so the parser sees "X stars A" as a title and a verb.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Token
from spacy.util import filter_spans

from bot.catalog.normalize import normalize_key
from bot.extraction.cues import FILM_NOUNS, ROLE_TITLES
from bot.extraction.titles import film_cues, quoted_spans, subspans, title_case_runs

# A merged title token carries its key: `token._.title_key`.
if not Token.has_extension("title_key"):
    Token.set_extension("title_key", default=None)

_OPEN_QUOTES = ('"', "“", "'", "‘")
_POSSESSIVE = frozenset({"'s", "’s"})
_JOINS = frozenset({"for", "from", "with", "at", "on", "in", "by", "to", "and", "&", "as"})
_TAIL_ENTS = frozenset({"ORG", "PERSON", "GPE", "DATE", "NORP", "TIME", "EVENT", "FAC", "LOC"})


def vet_titles(
    nlp: Language,
    cands: dict[str, str],
    known_titles: Collection[str],
    text: str,
    headings: Collection[str] = (),
) -> None:
    """Read each Title Case candidate on its own with the recogniser: a person or a date
    is not a title ("Tom Cruise stars in ..."), and a run that ends in a studio, a
    person or a day loses that tail ("Oppenheimer for Universal Pictures" -> "Oppenheimer",
    "Escape Room 2 on Wednesday"). Quoted titles are kept, and the catalog's unless they
    read as a person's name (IMDb holds films called "Tom Cruise" and "Cruise")."""
    known = {normalize_key(t) for t in known_titles}
    quoted = {k for k, t in cands.items() if any(q + t in text for q in _OPEN_QUOTES)}
    quoted |= set(headings)  # "Crazy Rich Asians: The film moves ...": a round-up's item
    _drop_surnames(nlp, cands, text, quoted)
    keys = [k for k, t in cands.items() if " " in t and k not in quoted]
    sentences = _sentences(nlp, [cands[k] for k in keys if k not in known])
    keys = [k for k in keys if cands[k] not in sentences]
    for key in set(cands) - set(keys):
        if cands[key] in sentences:
            del cands[key]  # "Sarah Paulson Joins the Sequel": a sub-heading, not a title
    texts = [cands[k] for k in keys]
    with nlp.select_pipes(enable=["tok2vec", "ner"]):
        for key, doc in zip(keys, nlp.pipe(texts), strict=True):
            whole = [e.label_ for e in doc.ents if len(e) == len(doc)]
            if key in known and "PERSON" not in whole:
                if _trim_entities(doc) == "":
                    del cands[key]
                continue  # otherwise the catalog's title, as it is
            if (
                "DATE" in whole
                or "NORP" in whole
                or (
                    "PERSON" in whole
                    and not any(t.like_num for t in doc)
                    and (
                        _named_alone(doc[-1].text, cands[key], text)
                        or _role_named(cands[key], text)
                        or not _noun_cued(cands[key], text)
                    )
                )
            ):
                del cands[key]
                continue
            replacement = _trim_entities(doc)
            if replacement is not None:
                del cands[key]
                if replacement:
                    cands.setdefault(normalize_key(replacement), replacement)


def _sentences(nlp: Language, texts: list[str]) -> set[str]:
    """Candidates that are sentences set in Title Case (a sub-heading, "Sarah Paulson
    Joins the Sequel"), not titles: a name of two or three words, then a finite verb.
    Each is read with the words after the name in lower case, where the tagger sees the
    verb ("The Man Who Knew Infinity" has no name before its verb)."""
    out = set()
    for text in texts:
        words = text.split()
        if len(words) < 4:
            continue
        for n in (2, 3):
            lowered = nlp(" ".join([*words[:n], *(w.lower() for w in words[n:])]))
            named = any(
                e.start == 0 and e.end == n and e.label_ in {"PERSON", "ORG"} for e in lowered.ents
            )
            if named and n < len(lowered) and lowered[n].tag_ in {"VBZ", "VBD"}:
                out.add(text)
                break
    return out


def _drop_surnames(nlp: Language, cands: dict[str, str], text: str, quoted: set[str]) -> None:
    """A one-word candidate that is half of a person's name somewhere ("Tom Cruise",
    "Hayley Atwell") is that person, even when the catalog holds a film of that name."""
    singles = [k for k, t in cands.items() if " " not in t and k not in quoted]
    pairs: dict[str, str] = {}
    for key in singles:
        word = re.escape(cands[key])
        m = re.search(rf"\b[A-Z][\w'’-]+\s+{word}\b|\b{word}\s+[A-Z][\w'’-]+", text)
        if m:
            pairs[key] = m.group(0)
    with nlp.select_pipes(enable=["tok2vec", "ner"]):
        for key, doc in zip(list(pairs), nlp.pipe(pairs.values()), strict=True):
            if any(e.label_ == "PERSON" and len(e) == len(doc) for e in doc.ents):
                del cands[key]


_FILM_NOUN_ALT = "|".join(sorted(FILM_NOUNS, key=len, reverse=True))


def _noun_cued(title: str, text: str) -> bool:
    """ "the new film Sky Runner", "Sky Runner, the upcoming thriller": a name-like span
    the recogniser calls a person is a title only when a film noun stands beside it."""
    t = re.escape(title)
    before = rf"\b(?:{_FILM_NOUN_ALT}),?\s+[\"“‘']?{t}"
    after = rf"{t}[\"”’']?,\s+(?:the|a|an)\s+(?:\S+\s+){{1,3}}(?:{_FILM_NOUN_ALT})\b"
    return re.search(before, text, re.IGNORECASE) is not None or re.search(after, text) is not None


_PERSON_NOUNS = (
    "author|novelist|writer|screenwriter|director|filmmaker|actor|actress|star|producer|"
    "composer|creator|co-creator|showrunner|singer|rapper|comedian|by"
)


def _role_named(title: str, text: str) -> bool:
    """ "author Ana Ruiz", "by Ana Ruiz": a person's role stands before the name."""
    pattern = rf"\b(?:{_PERSON_NOUNS})\s+{re.escape(title)}\b"
    return re.search(pattern, text, re.IGNORECASE) is not None


def _named_alone(last: str, full: str, text: str) -> bool:
    """ "Cruise" on its own elsewhere: the span is a person called by their surname."""
    rest = text.replace(full, " ")
    return re.search(rf"\b{re.escape(last)}\b", rest) is not None


def _trim_entities(doc: Doc) -> str | None:
    """The title inside a run that an entity starts or ends: "Dev Patel in The Journeyman"
    -> "The Journeyman", "Sony's Kraven the Hunter" -> "Kraven the Hunter", "The Boy and
    the Heron English" -> "The Boy and the Heron"; "" drops it, None keeps it."""
    for ent in doc.ents:
        if ent.label_ not in _TAIL_ENTS:
            continue
        if (
            ent.label_ == "PERSON"
            and ent.end == len(doc)
            and ent.start == 1
            and (doc[0].lower_ in ROLE_TITLES or doc[0].lower_ in {"star", "actor", "actress"})
        ):
            return ""  # "Director Chris McQuarrie" is a person with a title
        before = ent.start - 1
        if ent.label_ == "PERSON" and ent.end == len(doc):
            # "X from Ana Velo", "X from Director Ana Velo": the recogniser may take only
            # the surname; the name runs back to the joining word
            while (
                before > 1 and doc[before].text[:1].isupper() and doc[before].lower_ not in _JOINS
            ):
                before -= 1
        if ent.end == len(doc) and before > 0 and doc[before].lower_ in _JOINS:
            return "" if doc[0].ent_type_ == "PERSON" else doc[:before].text
        if ent.end == len(doc) and ent.start >= 2 and ent.label_ in {"NORP", "LANGUAGE"}:
            if doc[ent.start - 1].lower_ in {"the", "of", "a", "an", "and", "for", "to"}:
                return None  # "The Dream of the Romans": the name is the title's own
            return doc[: ent.start].text
        after = ent.end
        if ent.start == 0 and after + 1 < len(doc) and doc[after].lower_ in _JOINS | _POSSESSIVE:
            rest = doc[after + 1 :]
            if any(e.label_ == "PERSON" and e.start == rest.start for e in doc.ents):
                return ""  # "Ana Ruiz and Bo Lind": two people, no title
            return rest.text if rest[0].text[:1].isupper() else ""
    return None


def _title_case_headline(hdoc: Doc) -> bool:
    words = [t for t in hdoc if t.is_alpha and len(t) > 3]
    return bool(words) and sum(t.text[0].isupper() for t in words) >= 0.8 * len(words)


def headline_keys(
    nlp: Language, headline: str, cands: dict[str, str], known_titles: Collection[str]
) -> set[str]:
    hdoc = nlp.make_doc(headline)
    keys: set[str] = set()
    for span in quoted_spans(hdoc):
        key = normalize_key(span.text)
        keys.add(key)
        cands.setdefault(key, span.text)
    known = {normalize_key(t) for t in known_titles}
    runs = title_case_runs(hdoc)
    if not _title_case_headline(hdoc):
        # "Mickey 17 delayed again": in a sentence-case headline a cued run is a title
        for run in runs:
            if film_cues(hdoc, run.start, run.end, None)[0]:
                key = normalize_key(run.text)
                keys.add(key)
                cands.setdefault(key, run.text)
    for run in runs:
        for sub in [run, *subspans(run)]:
            key = normalize_key(sub.text)
            if key in known and len(sub) > 1:
                keys.add(key)
                cands.setdefault(key, sub.text)
    padded = f" {normalize_key(headline)} "
    # In a Title Case headline every word is capitalised: one word proves nothing there.
    single_ok = not _title_case_headline(hdoc)
    keys.update(k for k in cands if (" " in k or single_ok) and f" {k} " in padded)
    keys.discard("")
    return keys


def parse(nlp: Language, doc: Doc, cands: dict[str, str]) -> Doc:
    """Merge every candidate title into one proper-noun token, then run the pipeline."""
    if cands:
        matcher = PhraseMatcher(nlp.vocab)
        matcher.add("TITLE", [nlp.make_doc(t) for t in cands.values()])
        spans = filter_spans([doc[s:e] for _, s, e in matcher(doc)])
        with doc.retokenize() as retok:
            for span in spans:
                key = normalize_key(span.text)
                retok.merge(span, attrs={"TAG": "NNP", "POS": "PROPN", "_": {"title_key": key}})
    for tok in doc[1:]:
        if "\n" in doc[tok.i - 1].text and doc[tok.i - 1].is_space:
            tok.is_sent_start = True  # a line break ends a sentence: the parser keeps it
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    return doc
