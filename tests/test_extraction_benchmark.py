"""The extraction benchmark's scoring, on annotations and texts written for these tests."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
try:
    import extraction as bench  # type: ignore[import-not-found]
finally:
    sys.path.pop(0)


def film(title, *, people=(), studios=(), releases=()):
    """A predicted film as the benchmark's worker writes it."""
    return {
        "title": title,
        "aliases": [],
        "studios": list(studios),
        "people": [
            {"name": name, "role": role, "character": character} for name, role, character in people
        ],
        "releases": [{"date": d, "kind": "theatrical", "region": None} for d in releases],
    }


ENTRY = {
    "id": "made-up",
    "url": "https://example.org/made-up",
    "published": dt.date(2031, 3, 1),
    "films": [
        {
            "title": "The Glass Harbour",
            "aliases": ["Glass Harbour 2", "Untitled Harbour Sequel"],
            "cast": [
                {"name": "Mara Quill", "character": ["Captain Ines Vale", "Ines Vale"]},
                {"name": "Tomas Reed"},
            ],
            "directors": ["Ada Brook"],
            "studios": ["Northlight Pictures"],
            "releases": [
                {"date": dt.date(2032, 7, 4), "kind": "theatrical"},
                {"date": "2032-05", "kind": "theatrical", "superseded": True},
                {"date": 2031, "kind": "festival"},
            ],
        }
    ],
    "context_films": ["Harbour Lights"],
    "people_aliases": {"Mara Q.": "Mara Quill"},
}


def counts(score, fact_type):
    c = score.counts[fact_type]
    return c.predicted, c.predicted_right, c.gold, c.gold_found


def test_a_film_matches_through_an_alias_and_facts_on_it_count():
    predicted = [
        film(
            "Glass Harbour 2",
            people=[("Mara Q.", "actor", "Ines Vale"), ("Ada Brook", "director", None)],
        )
    ]
    score = bench.score_article(ENTRY, predicted)
    assert counts(score, "films") == (1, 1, 1, 1)
    assert counts(score, "cast") == (1, 1, 2, 1)  # the alias of the person's name counts
    assert counts(score, "characters") == (1, 1, 1, 1)  # any listed form of the character
    assert counts(score, "directors") == (1, 1, 1, 1)
    assert "cast: The Glass Harbour / tomas reed" in score.misses


def test_studio_matches_when_one_key_starts_the_other():
    cases = [
        ("Northlight", 1),
        ("northlight pictures inc", 1),
        ("The Northlight Pictures", 1),
        ("Northlit", 0),
        ("Pictures", 0),
    ]
    for name, right in cases:
        score = bench.score_article(ENTRY, [film("The Glass Harbour", studios=[name])])
        assert counts(score, "studios") == (1, right, 1, right), name


def test_a_studio_may_be_annotated_with_several_accepted_forms():
    entry = {**ENTRY, "films": [{**ENTRY["films"][0], "studios": [["Disney", "Walt Disney"]]}]}
    for name, right in [("The Walt Disney Studios", 1), ("Disney", 1), ("Walt", 1), ("Fox", 0)]:
        score = bench.score_article(entry, [film("The Glass Harbour", studios=[name])])
        assert counts(score, "studios") == (1, right, 1, right), name


def test_release_dates_match_at_their_precision():
    predicted = [film("The Glass Harbour", releases=["2032-07-04", "2032-05", "2031", "2032-07"])]
    score = bench.score_article(ENTRY, predicted)
    # the day, the superseded month and the year match; "2032-07" is a month the text never states
    assert counts(score, "releases") == (4, 3, 3, 3)
    assert score.false_positives == ["releases: The Glass Harbour / 2032-07"]


def test_facts_on_an_unmatched_film_are_false_positives_and_invented_films_are_counted():
    predicted = [
        film("Harbour Lights", people=[("Tomas Reed", "actor", None)]),
        film("Captain Ines Vale", releases=["2032-07-04"]),
    ]
    score = bench.score_article(ENTRY, predicted)
    assert counts(score, "films") == (2, 0, 1, 0)
    assert counts(score, "cast") == (1, 0, 2, 0)
    assert counts(score, "releases") == (1, 0, 3, 0)
    # a context film is a wrong film, but not an invented one; a character is invented
    assert score.invented_films == ["Captain Ines Vale"]


def test_an_actor_credited_as_director_is_counted():
    predicted = [film("The Glass Harbour", people=[("Tomas Reed", "director", None)])]
    score = bench.score_article(ENTRY, predicted)
    assert score.actors_as_directors == ["Tomas Reed on The Glass Harbour"]
    assert counts(score, "directors") == (1, 0, 1, 0)


def test_summary_is_micro_averaged_over_articles():
    perfect = bench.score_article(
        ENTRY,
        [
            film(
                "The Glass Harbour",
                people=[
                    ("Mara Quill", "actor", "Captain Ines Vale"),
                    ("Tomas Reed", "actor", None),
                    ("Ada Brook", "director", None),
                ],
                studios=["Northlight Pictures"],
                releases=["2032-07-04", "2032-05", "2031"],
            )
        ],
    )
    empty = bench.score_article(ENTRY, [])
    report = bench.summarize({"a": perfect, "b": empty}, details=True)
    overall = report["overall"]
    assert overall["precision"] == 1.0
    assert overall["recall"] == 0.5
    assert overall["f1"] == pytest.approx(0.667, abs=0.001)
    assert report["details"]["b"]["false_positives"] == []
    assert len(report["details"]["b"]["misses"]) == 9
    assert bench.annotated_counts([ENTRY])["releases"] == 3


def test_figures_per_annotation_file_keep_a_held_out_file_apart():
    perfect = bench.score_article(
        ENTRY,
        [
            film(
                "The Glass Harbour",
                people=[("Mara Quill", "actor", None), ("Tomas Reed", "actor", None)],
                studios=["Northlight Pictures"],
            )
        ],
    )
    empty = bench.score_article(ENTRY, [])
    report = bench.summarize({"x": perfect, "y": empty}, details=False, groups={"x": "a", "y": "b"})
    by_file = report["by_annotator"]
    assert by_file["a"]["articles"] == 1 and by_file["b"]["articles"] == 1
    assert by_file["a"]["per_type"]["cast"]["recall"] == 1.0
    assert by_file["b"]["per_type"]["cast"]["recall"] == 0.0
    assert by_file["b"]["overall"]["predicted"] == 0
    assert "by_annotator" not in bench.summarize({"x": perfect}, details=False)


def test_an_unknown_annotation_file_gets_a_one_line_answer(tmp_path, capsys):
    devset, texts = write_devset(tmp_path)
    code = bench.main(["--devset", str(devset), "--texts", str(texts), "--annotator", "zz"])
    assert code == 2
    assert capsys.readouterr().err.strip() == f"no annotation file zz.yaml in {devset}"


def test_text_is_cut_where_the_annotation_ends(tmp_path):
    path = tmp_path / "made-up.txt"
    path.write_text(
        "date 2031-03-01\nA Headline Line\n\nFirst paragraph ends here.\n\nA later one.\n",
        encoding="utf-8",
    )
    article = bench.read_text(path, {"id": "made-up", "text_ends": "ends here."})
    assert article.published == dt.date(2031, 3, 1)
    assert article.headline == "A Headline Line"
    assert article.body == "First paragraph ends here."


def write_devset(tmp_path):
    devset = tmp_path / "devset"
    texts = tmp_path / "texts"
    devset.mkdir()
    texts.mkdir()
    (devset / "t.yaml").write_text(
        """
- id: here
  url: https://example.org/here
  published: 2031-03-01
  films:
    - title: The Glass Harbour
      cast: [{name: Mara Quill}]
      directors: [Ada Brook]
- id: gone
  url: https://example.org/gone
  published: 2031-03-02
  films: [{title: Nothing Here}]
""",
        encoding="utf-8",
    )
    (texts / "here.txt").write_text(
        "date 2031-03-01\nMara Quill Joins 'The Glass Harbour'\n\n"
        'Mara Quill has joined the cast of "The Glass Harbour", directed by Ada Brook. '
        "The film opens July 4, 2032.\n",
        encoding="utf-8",
    )
    return devset, texts


def test_the_script_scores_the_texts_it_finds_and_lists_the_missing(tmp_path, capsys):
    devset, texts = write_devset(tmp_path)
    code = bench.main(
        ["--only", "current", "--devset", str(devset), "--texts", str(texts), "--details"]
    )
    out = capsys.readouterr()
    assert code == 0
    assert "missing texts (1): gone" in out.err
    report = json.loads(out.out)
    assert report["devset"]["scored_articles"] == 1
    current = report["extractors"]["current"]
    assert current["articles"] == 1 and current["errors"] == {}
    assert set(current["per_type"]) == set(bench.FACT_TYPES)
    assert current["peak_rss_mb"] >= current["import_only_rss_mb"] > 0
    assert "here" in current["details"]


def test_bad_annotations_get_a_one_line_answer(tmp_path):
    (tmp_path / "bad.yaml").write_text("- id: x\n  films: [\n", encoding="utf-8")
    with pytest.raises(SystemExit, match=r"bad.yaml: not valid YAML"):
        bench.load_annotations(tmp_path)
    (tmp_path / "bad.yaml").write_text("- id: x\n", encoding="utf-8")
    with pytest.raises(SystemExit, match=r"entry 1 needs an id and a url"):
        bench.load_annotations(tmp_path)


def test_previous_runs_from_the_exported_commit(tmp_path, capsys):
    probe = subprocess.run(
        ["git", "-C", str(ROOT), "cat-file", "-e", f"{bench.PREVIOUS_COMMIT}^{{commit}}"],
        capture_output=True,
    )
    if probe.returncode != 0:
        pytest.skip("no git history here")
    devset, texts = write_devset(tmp_path)
    code = bench.main(["--only", "previous", "--devset", str(devset), "--texts", str(texts)])
    out = capsys.readouterr()
    assert code == 0
    previous = json.loads(out.out)["extractors"]["previous"]
    # the worker refuses to report if bot came from anywhere but the exported tree
    assert previous["extractor"] == f"bot.news.extract at {bench.PREVIOUS_COMMIT}"
    assert previous["articles"] == 1
