"""Extraction on real film news: precision, recall and F1 per fact type, previous vs current.

The development set is benchmarks/extraction_devset/*.yaml: one entry per article with its
address (`url`) and the facts its text states (films, cast and characters, directors,
studios, release dates), annotated by hand. The articles' texts are third-party and are not
in the repository. To get them, open each `url` and save the article's text as
`<id>.txt` in one folder (default `var/extraction-texts`):

    line 1: date YYYY-MM-DD      (the article's publication date, the entry's `published`)
    line 2: the headline
    line 3: empty
    then the article body as plain paragraphs (no navigation, ads, bylines, captions,
    "related" links or comments).

Where an entry has `text_ends`, the annotation stops at those words (some stored pages
were only the article's opening): a longer text is cut there before scoring.

    python benchmarks/extraction.py                      # both extractors, every text found
    python benchmarks/extraction.py --texts DIR --details
    python benchmarks/extraction.py --only current
    python benchmarks/extraction.py --annotator b     # only the articles of b.yaml

Texts that are missing are listed on stderr in one line and the rest are scored. Each
extractor runs in its own subprocess: "previous" is bot.news.extract.extract as of git
commit 6ce9f5e (exported with `git archive`), "current" is bot.extraction.extract when that
package exists, else bot.news.extract.extract. Prints one JSON document: per extractor,
precision/recall/F1 per fact type and overall (micro), invented films (neither a film of
the article nor one it names for context), actors credited as director, articles per
second, peak RSS, and the RSS of a process that only imports the extractor (so the memory
the extraction itself adds shows). `--details` adds each article's false positives and
misses; `by_annotator` gives the figures per annotation file, so a file kept out of
development measures how well the extractor does on articles nobody tuned it on.

Scoring (the dev-set contract): names and titles compare by normalize_key; a predicted
film matches an annotated one when its title's key is the key of the title or of an
alias; a studio matches when the words of one key start the other's ("Paramount" ~
"Paramount Pictures", a leading "the" aside); a release date matches at the predicted
precision (day, month, or year for a year or a season); every fact on an unmatched film
is a false positive. An annotated studio or character may list several accepted forms.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import importlib.util
import inspect
import json
import os
import resource
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEVSET = ROOT / "benchmarks" / "extraction_devset"
DEFAULT_TEXTS = ROOT / "var" / "extraction-texts"
PREVIOUS_COMMIT = "6ce9f5e"
FACT_TYPES = ("films", "cast", "characters", "directors", "studios", "releases")

# --- the extractor side (runs in a subprocess; only the standard library at import) ------


def _load_extractor(kind: str) -> tuple[Callable, str, bool]:
    """The extract function, its module name, and whether it takes `headline`."""
    if kind == "current" and importlib.util.find_spec("bot.extraction") is not None:
        from bot.extraction import extract  # type: ignore[import-not-found]

        module = "bot.extraction"
    else:
        from bot.news.extract import extract

        module = "bot.news.extract"
    takes_headline = "headline" in inspect.signature(extract).parameters
    return extract, module, takes_headline


def _release_date(release) -> str:
    """A predicted release date written at its precision (a season counts as its year)."""
    date = release.date
    if release.precision == "day":
        return date.isoformat()
    if release.precision == "month":
        return f"{date.year:04d}-{date.month:02d}"
    return f"{date.year:04d}"


def _film_json(film) -> dict:
    return {
        "title": film.title,
        "aliases": list(film.aliases),
        "studios": list(film.studios),
        "people": [{"name": p.name, "role": p.role, "character": p.character} for p in film.people],
        "releases": [
            {"date": _release_date(r), "kind": r.kind, "region": r.region} for r in film.releases
        ],
    }


def _worker(kind: str, import_only: bool) -> None:
    """Read articles as JSON on stdin, print what the extractor finds as JSON on stdout."""
    started = time.perf_counter()
    extract, module, takes_headline = _load_extractor(kind)
    import bot

    out: dict = {
        "module": module,
        "package_path": str(Path(bot.__file__).resolve().parent),
        "import_seconds": time.perf_counter() - started,
    }
    if not import_only:
        articles = json.load(sys.stdin)
        facts: dict[str, list] = {}
        errors: dict[str, str] = {}

        def run(article: dict) -> list:
            published = dt.date.fromisoformat(article["published"])
            headline, body = article["headline"], article["body"]
            if takes_headline:
                result = extract(body, published, headline=headline)
            else:  # as `marquee ingest` passes a headline to the old signature
                result = extract(f"{headline}.\n{body}" if headline else body, published)
            return [_film_json(f) for f in result.films]

        warmup = time.perf_counter()
        if articles:  # the first call may load a model: timed apart
            with contextlib.suppress(Exception):  # errors are reported article by article below
                run(articles[0])
        out["warmup_seconds"] = time.perf_counter() - warmup
        timed = time.perf_counter()
        for article in articles:
            try:
                facts[article["id"]] = run(article)
            except Exception as exc:  # one bad article must not hide the others' scores
                errors[article["id"]] = f"{type(exc).__name__}: {exc}"
                facts[article["id"]] = []
        out["seconds"] = time.perf_counter() - timed
        out["facts"] = facts
        out["errors"] = errors
    out["maxrss_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    json.dump(out, sys.stdout)


# --- the dev set -------------------------------------------------------------------------


@dataclass
class Article:
    id: str
    published: dt.date
    headline: str
    body: str


def load_annotations(folder: Path = DEVSET) -> list[dict]:
    import yaml

    entries: list[dict] = []
    for path in sorted(folder.glob("*.yaml")):
        try:
            loaded = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        except yaml.YAMLError as exc:
            raise SystemExit(f"{path.name}: not valid YAML ({exc.__class__.__name__})") from None
        if not isinstance(loaded, list):
            raise SystemExit(f"{path.name}: expected a list of articles")
        for n, entry in enumerate(loaded, 1):
            if not isinstance(entry, dict) or not entry.get("id") or not entry.get("url"):
                raise SystemExit(f"{path.name}: entry {n} needs an id and a url")
            entry["annotator"] = path.stem
            entries.append(entry)
    ids = [e["id"] for e in entries]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise SystemExit(f"duplicate ids in the dev set: {', '.join(dupes)}")
    return entries


def read_text(path: Path, entry: dict) -> Article:
    """An article file in the ingest format: date line, headline, blank line, body."""
    from bot.news.article import parse_article

    parsed = parse_article(path.read_bytes(), name=path.name)
    first, _, rest = parsed.body.partition("\n")
    if rest.startswith("\n") or rest.startswith("\r\n"):
        headline, body = first.strip(), rest.strip()
    else:  # no headline line
        headline, body = "", parsed.body
    ends = entry.get("text_ends")
    if ends and ends in body:
        body = body[: body.index(ends) + len(ends)]
    return Article(entry["id"], parsed.published, headline, body)


# --- scoring -----------------------------------------------------------------------------


def _key(text) -> str:
    from bot.catalog.normalize import normalize_key

    return normalize_key(str(text))


def _keys(values: Iterable) -> set[str]:
    return {k for k in (_key(v) for v in values) if k}


def _date_text(value) -> str:
    """YAML turns 2025-07-04 into a date and leaves 2025-07 and 2025 as text/int."""
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def _studio_key(name) -> str:
    """A studio's key without a leading "the" ("The Walt Disney Studios")."""
    key = _key(name)
    return key[4:] if key.startswith("the ") else key


def _studio_match(a: str, b: str) -> bool:
    """One key's words start the other's: "paramount" ~ "paramount pictures"."""
    wa, wb = a.split(), b.split()
    n = min(len(wa), len(wb))
    return n > 0 and wa[:n] == wb[:n]


def _forms(value) -> list:
    """An annotated studio or character: one name or a list of accepted forms."""
    return value if isinstance(value, list) else [value]


@dataclass
class Counts:
    predicted: int = 0
    predicted_right: int = 0
    gold: int = 0
    gold_found: int = 0

    def add(self, other: Counts) -> None:
        self.predicted += other.predicted
        self.predicted_right += other.predicted_right
        self.gold += other.gold
        self.gold_found += other.gold_found

    def report(self) -> dict:
        p = self.predicted_right / self.predicted if self.predicted else None
        r = self.gold_found / self.gold if self.gold else None
        f = 2 * p * r / (p + r) if p is not None and r is not None and p + r else None
        return {
            "precision": _round(p),
            "recall": _round(r),
            "f1": _round(f if f is not None else (0.0 if p == 0 or r == 0 else None)),
            "predicted": self.predicted,
            "predicted_right": self.predicted_right,
            "annotated": self.gold,
            "annotated_found": self.gold_found,
        }


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 3)


@dataclass
class ArticleScore:
    counts: dict[str, Counts] = field(default_factory=lambda: {t: Counts() for t in FACT_TYPES})
    invented_films: list[str] = field(default_factory=list)
    actors_as_directors: list[str] = field(default_factory=list)
    false_positives: list[str] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)


def _compare(
    fact_type: str,
    gold: list[tuple],
    predicted: set[tuple],
    same: Callable[[tuple, tuple], bool],
    score: ArticleScore,
    show: Callable[[tuple], str],
) -> None:
    counts = score.counts[fact_type]
    counts.gold += len(gold)
    counts.predicted += len(predicted)
    for g in gold:
        if any(same(p, g) for p in predicted):
            counts.gold_found += 1
        else:
            score.misses.append(f"{fact_type}: {show(g)}")
    for p in sorted(predicted, key=repr):
        if any(same(p, g) for g in gold):
            counts.predicted_right += 1
        else:
            score.false_positives.append(f"{fact_type}: {show(p)}")


def score_article(entry: dict, films: list[dict]) -> ArticleScore:
    """Compare one article's predicted films (as the worker writes them) with its entry."""
    score = ArticleScore()
    gold_films = entry.get("films") or []
    titles = [f["title"] for f in gold_films]
    film_keys = [_keys([f["title"], *(f.get("aliases") or [])]) for f in gold_films]
    context = _keys(entry.get("context_films") or [])
    people_alias = {_key(k): _key(v) for k, v in (entry.get("people_aliases") or {}).items()}

    def person(name) -> str:
        k = _key(name)
        return people_alias.get(k, k)

    def film_of(title: str) -> int | str:
        k = _key(title)
        for i, keys in enumerate(film_keys):
            if k in keys:
                return i
        return f"?{title}"  # an unmatched film: every fact on it is a false positive

    def film_name(ref: int | str) -> str:
        return titles[ref] if isinstance(ref, int) else f"{ref[1:]} (not a film of the text)"

    gold: dict[str, list[tuple]] = {t: [] for t in FACT_TYPES}
    for i, film in enumerate(gold_films):
        gold["films"].append((i,))
        for member in film.get("cast") or []:
            gold["cast"].append((i, person(member["name"])))
            character = member.get("character")
            if character:
                forms = frozenset(_keys(_forms(character)))
                gold["characters"].append((i, person(member["name"]), forms))
        gold["directors"].extend((i, person(d)) for d in film.get("directors") or [])
        gold["studios"].extend(
            (i, frozenset(_studio_key(f) for f in _forms(s))) for s in film.get("studios") or []
        )
        gold["releases"].extend(
            (i, _date_text(r["date"])) for r in film.get("releases") or [] if "date" in r
        )

    predicted: dict[str, set[tuple]] = {t: set() for t in FACT_TYPES}
    cast_everywhere = {p for _, p in gold["cast"]}
    seen_invented: set[str] = set()
    for film in films:
        ref = film_of(film["title"])
        predicted["films"].add((ref,))
        title_key = _key(film["title"])
        if isinstance(ref, str) and title_key not in context and title_key not in seen_invented:
            seen_invented.add(title_key)
            score.invented_films.append(film["title"])
        for p in film.get("people") or []:
            who = person(p["name"])
            if p.get("role") == "actor":
                predicted["cast"].add((ref, who))
                if p.get("character"):
                    predicted["characters"].add((ref, who, _key(p["character"])))
            elif p.get("role") == "director":
                predicted["directors"].add((ref, who))
                own = isinstance(ref, int) and (ref, who) in gold["directors"]
                if who in cast_everywhere and not own:
                    score.actors_as_directors.append(f"{p['name']} on {film['title']}")
        predicted["studios"].update((ref, _studio_key(s)) for s in film.get("studios") or [])
        predicted["releases"].update((ref, r["date"]) for r in film.get("releases") or [])

    def same_pair(p: tuple, g: tuple) -> bool:
        return p == g

    def same_character(p: tuple, g: tuple) -> bool:
        return p[:2] == g[:2] and p[2] in g[2]

    def same_studio(p: tuple, g: tuple) -> bool:
        return p[0] == g[0] and any(_studio_match(p[1], form) for form in g[1])

    def show(t: tuple) -> str:
        rest = [", ".join(sorted(x)) if isinstance(x, frozenset) else str(x) for x in t[1:]]
        return " / ".join([film_name(t[0]), *rest])

    matchers = {"characters": same_character, "studios": same_studio}
    for fact_type in FACT_TYPES:
        match = matchers.get(fact_type, same_pair)
        _compare(fact_type, gold[fact_type], predicted[fact_type], match, score, show)
    return score


def annotated_counts(entries: Iterable[dict]) -> dict[str, int]:
    """How many facts of each type the entries annotate."""
    counts = {t: 0 for t in FACT_TYPES}
    for entry in entries:
        for t, c in score_article(entry, []).counts.items():
            counts[t] += c.gold
    return counts


def _totals(scores: Iterable[ArticleScore]) -> dict:
    """Micro-averaged precision, recall and F1 per fact type and overall."""
    totals = {t: Counts() for t in FACT_TYPES}
    overall = Counts()
    for s in scores:
        for t in FACT_TYPES:
            totals[t].add(s.counts[t])
            overall.add(s.counts[t])
    return {
        "per_type": {t: totals[t].report() for t in FACT_TYPES},
        "overall": overall.report(),
    }


def summarize(
    scores: dict[str, ArticleScore], details: bool, groups: dict[str, str] | None = None
) -> dict:
    """Micro-averaged figures over every scored article, and per annotator file when
    `groups` maps article ids to it (a file held out of development shows overfitting)."""
    out: dict = {
        **_totals(scores.values()),
        "invented_films": sum(len(s.invented_films) for s in scores.values()),
        "actors_credited_as_director": sum(len(s.actors_as_directors) for s in scores.values()),
    }
    if groups:
        out["by_annotator"] = {
            name: {
                "articles": sum(1 for i in scores if groups.get(i) == name),
                **_totals(s for i, s in scores.items() if groups.get(i) == name),
            }
            for name in sorted(set(groups.values()))
        }
    if details:
        out["details"] = {
            article_id: {
                "false_positives": s.false_positives,
                "misses": s.misses,
                "invented_films": s.invented_films,
                "actors_credited_as_director": s.actors_as_directors,
            }
            for article_id, s in scores.items()
        }
    return out


# --- running the extractors --------------------------------------------------------------


def _export_previous(into: Path) -> Path | None:
    """Commit PREVIOUS_COMMIT's tree in `into`, or None (with a one-line reason) if absent."""
    probe = subprocess.run(
        [
            "git",
            "-C",
            str(ROOT),
            "rev-parse",
            "--verify",
            "--quiet",
            f"{PREVIOUS_COMMIT}^{{commit}}",
        ],
        capture_output=True,
        text=True,
    )
    if probe.returncode != 0:
        print(
            f"no git history with commit {PREVIOUS_COMMIT} here: 'previous' is skipped",
            file=sys.stderr,
        )
        return None
    archive = into / "previous.tar"
    with archive.open("wb") as fh:
        subprocess.run(
            ["git", "-C", str(ROOT), "archive", "--format=tar", PREVIOUS_COMMIT],
            stdout=fh,
            check=True,
        )
    tree = into / "previous"
    with tarfile.open(archive) as tar:
        tar.extractall(tree, filter="data")
    return tree


def _run_worker(kind: str, root: Path, articles: list[Article] | None) -> dict:
    """Run the extractor `kind` from `root` (first on sys.path) in a fresh interpreter."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", kind]
    if articles is None:
        cmd.append("--import-only")
    payload = json.dumps(
        [
            {
                "id": a.id,
                "published": a.published.isoformat(),
                "headline": a.headline,
                "body": a.body,
            }
            for a in articles or []
        ]
    )
    env = {**os.environ, "PYTHONPATH": str(root)}
    done = subprocess.run(
        cmd, input=payload, capture_output=True, text=True, cwd=root, env=env, check=False
    )
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise RuntimeError(f"the {kind} extractor failed: {last}")
    result = json.loads(done.stdout)
    if Path(result["package_path"]).resolve() != (root / "bot").resolve():
        raise RuntimeError(f"the {kind} extractor imported bot from {result['package_path']}")
    return result


def measure(
    kind: str, root: Path, articles: list[Article], entries: dict[str, dict], details: bool
) -> dict:
    baseline = _run_worker(kind, root, None)
    run = _run_worker(kind, root, articles)
    scores = {a.id: score_article(entries[a.id], run["facts"].get(a.id, [])) for a in articles}
    out = {
        "extractor": run["module"] + (f" at {PREVIOUS_COMMIT}" if kind == "previous" else ""),
        **summarize(scores, details, {a.id: entries[a.id]["annotator"] for a in articles}),
        "articles": len(articles),
        "errors": run["errors"],
        "articles_per_second": round(len(articles) / run["seconds"], 2) if run["seconds"] else None,
        "first_call_seconds": round(run["warmup_seconds"], 3),
        "import_seconds": round(baseline["import_seconds"], 3),
        "peak_rss_mb": round(run["maxrss_kb"] / 1024, 1),
        "import_only_rss_mb": round(baseline["maxrss_kb"] / 1024, 1),
    }
    out["added_by_extraction_mb"] = round(out["peak_rss_mb"] - out["import_only_rss_mb"], 1)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--texts", type=Path, default=DEFAULT_TEXTS, help="folder of <id>.txt")
    parser.add_argument("--devset", type=Path, default=DEVSET, help="folder of annotation YAML")
    parser.add_argument("--only", choices=("previous", "current"), help="run one extractor")
    parser.add_argument("--details", action="store_true", help="per-article errors and misses")
    parser.add_argument(
        "--annotator", help="score only the articles of one annotation file (e.g. a for a.yaml)"
    )
    parser.add_argument("--worker", choices=("previous", "current"), help=argparse.SUPPRESS)
    parser.add_argument("--import-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        _worker(args.worker, args.import_only)
        return 0

    sys.path.insert(0, str(ROOT))
    entries = {e["id"]: e for e in load_annotations(args.devset)}
    if args.annotator:
        entries = {i: e for i, e in entries.items() if e["annotator"] == args.annotator}
        if not entries:
            print(f"no annotation file {args.annotator}.yaml in {args.devset}", file=sys.stderr)
            return 2
    if not args.texts.is_dir():
        print(f"no folder of texts at {args.texts} (see --texts)", file=sys.stderr)
        return 2
    articles: list[Article] = []
    missing: list[str] = []
    unreadable: list[str] = []
    for article_id, entry in entries.items():
        path = args.texts / f"{article_id}.txt"
        if not path.is_file():
            missing.append(article_id)
            continue
        try:
            articles.append(read_text(path, entry))
        except Exception as exc:  # an unreadable text is reported, the others still count
            unreadable.append(f"{article_id} ({exc})")
    if missing:
        print(f"missing texts ({len(missing)}): {', '.join(missing)}", file=sys.stderr)
    if unreadable:
        print(f"unreadable texts ({len(unreadable)}): {'; '.join(unreadable)}", file=sys.stderr)
    if not articles:
        print(f"no texts to score in {args.texts}", file=sys.stderr)
        return 2

    scored = {a.id: entries[a.id] for a in articles}
    report: dict = {
        "devset": {
            "annotated_articles": len(entries),
            "scored_articles": len(articles),
            "missing": missing,
            "annotated_facts": annotated_counts(scored.values()),
        },
        "machine": f"{os.cpu_count()} CPUs, shared with other jobs; timings are indicative",
        "extractors": {},
    }
    kinds = [args.only] if args.only else ["previous", "current"]
    with tempfile.TemporaryDirectory(prefix="extraction-bench-") as tmp:
        for kind in kinds:
            root = ROOT if kind == "current" else _export_previous(Path(tmp))
            if root is None:
                continue
            try:
                report["extractors"][kind] = measure(kind, root, articles, scored, args.details)
            except RuntimeError as exc:
                print(str(exc), file=sys.stderr)
                return 1
    json.dump(report, sys.stdout, indent=2, ensure_ascii=False)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
