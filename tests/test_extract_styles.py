"""The extractor on house styles beyond the seed: quoted titles (Variety, Deadline,
AP), descriptors before names, box-office round-ups, festival datelines,
interviews, wire copy with a streaming release, sequel announcements."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bot.news import cues, dates, focus, spans
from bot.news import extract as extract_module
from bot.news import names as names_module
from bot.news import releases as releases_module
from bot.news import summarize as summarize_module
from bot.news.extract import Extraction, FilmFact, PersonFact, candidate_names, extract
from tests.news_fixtures import ARTICLES, fixture, load


def film_named(result: Extraction, title: str) -> FilmFact:
    found = [f for f in result.films if f.title == title]
    assert found, [f.title for f in result.films]
    return found[0]


def roles(film: FilmFact, role: str) -> dict[str, PersonFact]:
    return {p.name: p for p in film.people if p.role == role}


def people_names(film: FilmFact) -> set[str]:
    return {p.name for p in film.people} | {a for p in film.people for a in p.aliases}


def releases(film: FilmFact) -> set[tuple[dt.date, str, str | None, str, str | None]]:
    return {(r.date, r.precision, r.region, r.kind, r.note) for r in film.releases}


def run(name: str) -> Extraction:
    published, body = fixture(name)
    return extract(body, published)


# --- 106: trade exclusive, quoted title, "in final negotiations to star opposite" ---


def test_variety_exclusive_quoted_title_and_casting_cues() -> None:
    result = run("106_variety_exclusive.txt")
    assert [f.title for f in result.films] == ["The Salt Road"]
    film = result.films[0]
    actors = roles(film, "actor")
    assert list(actors) == [
        "Jeremy Allen White",
        "Anya Taylor-Joy",
        "Brian Tyree Henry",
        "Lily Gladstone",
    ]
    assert actors["Jeremy Allen White"].status == "new"  # in negotiations
    assert actors["Lily Gladstone"].status == "new"  # "in talks to join the ensemble"
    assert list(roles(film, "director")) == ["Kathryn Bigelow"]  # "that X will direct"
    assert list(roles(film, "writer")) == ["Tony Gilroy"]  # "The script comes from X"
    assert roles(film, "writer")["Tony Gilroy"].known_for == "Andor, Michael Clayton"
    # "who is also producing alongside Megan Ellison": both producers, not actors.
    assert list(roles(film, "producer")) == ["Tony Gilroy", "Megan Ellison"]
    # Agencies after "repped by" are not companies of the film; the outlet is no one.
    assert "Untitled Entertainment" not in film.studios
    assert film.studios == ("A24", "Annapurna Pictures")  # "a drama from A24"
    assert not people_names(film) & {"Variety", "CAA", "Bruce Springsteen", "The Bear", "Andor"}
    assert film.releases == ()
    assert any("Production is expected to begin" in f and "fall 2025" in f for f in film.facts)
    assert not result.summary.startswith("EXCLUSIVE")
    assert result.summary.startswith("Jeremy Allen White is in final negotiations")


# --- 107: box-office round-up: several films, each with its own people -------------


def test_box_office_round_up_keeps_people_with_their_film() -> None:
    result = run("107_box_office.txt")
    assert result.films[0].title == "Deadpool & Wolverine"  # the lead, not the aside
    lead = result.films[0]
    assert list(roles(lead, "director")) == ["Shawn Levy"]
    assert list(roles(lead, "actor")) == ["Ryan Reynolds", "Hugh Jackman"]
    assert lead.studios == ("Marvel Studios",)
    tron = film_named(result, "Tron: Ares")
    assert list(roles(tron, "actor")) == ["Jared Leto"]  # "leads that sequel"
    assert list(roles(tron, "director")) == ["Joachim Rønning"]  # "which X directed"
    assert tron.studios == ("Disney",)  # "Disney has pushed the release of" it
    # "pushed the release of X from A to B": B is the release, A is stale.
    assert releases(tron) == {(dt.date(2025, 10, 17), "day", None, "announced", None)}
    twisters = film_named(result, "Twisters")
    assert list(roles(twisters, "actor")) == ["Glen Powell", "Daisy Edgar-Jones"]
    # Nobody is attached to the wrong film.
    assert not people_names(lead) & {"Glen Powell", "Jared Leto", "Joachim Rønning"}
    assert not people_names(tron) & {"Ryan Reynolds", "Shawn Levy", "Glen Powell"}
    assert lead.releases == ()
    everyone = set().union(*(people_names(f) for f in result.films))
    assert not everyone & {"Comscore", "Disney", "Universal", "Marvel Studios"}


# --- 108: festival dateline, possessive director before a quoted title -------------


def test_festival_dateline_and_possessive_director() -> None:
    result = run("108_festival_dateline.txt")
    assert [f.title for f in result.films] == ["The Room Next Door"]
    film = result.films[0]
    assert list(roles(film, "director")) == ["Pedro Almodóvar"]
    assert list(roles(film, "actor")) == [
        "Tilda Swinton",
        "Julianne Moore",
        "John Turturro",
        "Alessandro Nivola",
    ]
    assert film.studios == ("Sony Pictures Classics",)
    assert (dt.date(2024, 12, 20), "day", "US", "theatrical", None) in releases(film)
    assert not people_names(film) & {
        "Venice",
        "VENICE",
        "The Human Voice",
        "Sony Pictures Classics",
    }
    assert not result.summary.startswith("VENICE")
    assert result.summary.startswith('Pedro Almodóvar\'s "The Room Next Door"')


# --- 109: interview: speech in quotes, role then (Name), another film's year ------------


def test_interview_role_parenthesis_and_other_films_year() -> None:
    result = run("109_interview.txt")
    assert [f.title for f in result.films] == ["Paper Moons"]
    film = result.films[0]
    actors = roles(film, "actor")
    # "a widowed paper artist (Stellan Skarsgård)": the role described, then the actor.
    assert list(actors) == ["Stellan Skarsgård", "Maja Ek", "Noomi Rapace"]
    assert actors["Maja Ek"].status == "new"  # "played by newcomer X"
    assert actors["Noomi Rapace"].character is None  # "as Ek's mother" names no one
    assert list(roles(film, "writer")) == ["Anders Lindqvist"]  # "co-wrote with her brother X"
    # Two Lindqvists: the bare surname belongs to neither.
    assert "Lindqvist" not in roles(film, "writer")["Anders Lindqvist"].aliases
    assert film.studios == ("Neon",)  # "Neon handles U.S. distribution"
    # "Winter Birds" won in 2021: that year is not this film's.
    assert releases(film) == {
        (dt.date(2025, 5, 16), "day", "SE", "theatrical", None),
        (dt.date(2025, 1, 1), "year", None, "digital", "summer 2025"),  # "on Netflix"
    }
    assert not people_names(film) & {"Winter Birds", "Chernobyl", "Dragon Award", "Greta Lindqvist"}
    assert all(f.title not in ("Winter Birds", "Chernobyl") for f in result.films)


# --- 110: AP wire copy, ISO date, streaming, descriptor before names -------------------


def test_wire_story_with_streaming_release() -> None:
    result = run("110_wire_streaming.txt")
    assert [f.title for f in result.films] == ["The Quiet Orchard"]
    film = result.films[0]
    actors = roles(film, "actor")
    assert list(actors) == [
        "Saoirse Ronan",
        "Paul Mescal",
        "Brendan Gleeson",
        "Nicholas Braun",
        "Aoife Hinds",
    ]
    assert actors["Aoife Hinds"].status == "new"
    assert list(roles(film, "director")) == ["Lenny Abrahamson"]
    assert film.studios == ("Netflix",)
    assert releases(film) == {
        (dt.date(2025, 6, 13), "day", None, "digital", None),
        (dt.date(2025, 5, 30), "day", "IE", "theatrical", None),
    }
    assert not people_names(film) & {"Oscar", "Succession", "The Associated Press", "Room", "AP"}
    assert any("County Wexford" in f and "fall 2024" in f for f in film.facts)
    assert result.summary.startswith("Netflix will begin streaming")


# --- 111: sequel announcement: returning cast, new director, the first film's date ---------


def test_sequel_with_returning_cast_and_new_director() -> None:
    result = run("111_sequel_new_director.txt")
    assert [f.title for f in result.films] == ["Ember Falls 2"]
    film = result.films[0]
    actors = roles(film, "actor")
    assert list(actors) == ["Ayo Edebiri", "Glen Powell", "Ella Rubin", "Jharrel Jerome"]
    assert {n for n, p in actors.items() if p.status == "returning"} == {
        "Ayo Edebiri",
        "Glen Powell",
    }
    assert {n for n, p in actors.items() if p.status == "new"} == {"Ella Rubin", "Jharrel Jerome"}
    # The director being replaced is not this film's director.
    assert list(roles(film, "director")) == ["Emerald Fennell"]
    assert film.studios == ("Lionsgate",)
    # A season is a year-precision date with the season as its note; the first
    # film's opening day is not the sequel's.
    assert releases(film) == {(dt.date(2026, 1, 1), "year", None, "announced", "summer 2026")}
    assert not people_names(film) & {"Emmy", "Sam Raimi", "Deadline", "Ember Falls"}
    assert any("Cameras roll" in f and "spring 2025" in f for f in film.facts)
    assert not result.summary.startswith("EXCLUSIVE")


# --- small texts: one cue or trap each --------------------------------------------------

D = dt.date(2025, 8, 11)


@pytest.mark.parametrize(
    ("body", "title", "role", "expected", "absent"),
    [
        (
            "Poor Things stars Oscar winner Emma Stone, Mark Ruffalo and Willem Dafoe.",
            "Poor Things",
            "actor",
            ["Emma Stone", "Mark Ruffalo", "Willem Dafoe"],
            {"Oscar"},
        ),
        (
            "Nightfall stars Stranger Things alum Millie Bobby Brown and Emmy-nominated "
            "Jeremy Strong.",
            "Nightfall",
            "actor",
            ["Millie Bobby Brown", "Jeremy Strong"],
            {"Stranger Things", "Emmy-nominated Jeremy Strong"},
        ),
        (
            "Hollow Light, directed by Sundance Grand Jury Prize winner Chloé Zhao, stars "
            "Mia Goth.",
            "Hollow Light",
            "director",
            ["Chloé Zhao"],
            {"Sundance Grand Jury Prize", "Mia Goth"},
        ),
        (
            '"The Salt Road" stars Jeremy Allen White and Anya Taylor-Joy. '
            "It is directed by Kathryn Bigelow.",
            "The Salt Road",
            "actor",
            ["Jeremy Allen White", "Anya Taylor-Joy"],
            {"The Salt Road"},
        ),
        (
            "Glass Rivers is the latest film from director Sarah Polley and stars Claire Foy "
            "and Rooney Mara.",
            "Glass Rivers",
            "actor",
            ["Claire Foy", "Rooney Mara"],
            {"Sarah Polley"},
        ),
        (
            "Warner Bros. has dated Superman for July 11, 2025. James Gunn directs David "
            "Corenswet, Rachel Brosnahan and Nicholas Hoult.",
            "Superman",
            "actor",
            ["David Corenswet", "Rachel Brosnahan", "Nicholas Hoult"],
            {"James Gunn"},
        ),
        (
            "Netflix has set a Dec. 6 premiere for Mary, starring Noa Cohen. D.J. Caruso "
            "directed from a script by Timothy Michael Hayes.",
            "Mary",
            "director",
            ["D.J. Caruso"],
            {"Caruso", "Timothy Michael Hayes"},
        ),
        (
            "Ryan Coogler's Sinners stars Michael B. Jordan and Hailee Steinfeld.",
            "Sinners",
            "director",
            ["Ryan Coogler"],
            {"Michael B. Jordan"},
        ),
        (
            "Tom Hardy's Havoc stars Tom Hardy and Forest Whitaker.",
            "Havoc",
            "director",
            [],  # the possessive is a vehicle's star here, not its director
            {"Tom Hardy"},
        ),
    ],
)
def test_cue_or_trap(
    body: str, title: str, role: str, expected: list[str], absent: set[str]
) -> None:
    result = extract(body, D)
    assert [f.title for f in result.films] == [title]
    film = result.films[0]
    assert list(roles(film, role)) == expected
    assert not set(roles(film, role)) & absent


def test_quoted_speech_is_not_a_title() -> None:
    body = (
        '"It was the hardest thing I have done," Jane Doe said of "Red Harvest." '
        '"Absolutely nothing went to plan." Red Harvest stars John Roe.'
    )
    result = extract(body, D)
    assert [f.title for f in result.films] == ["Red Harvest"]
    assert {p.name for p in result.films[0].people} == {"John Roe"}


def test_numeric_dates_and_the_next_fourth_of_july() -> None:
    body = (
        "Glass Rivers hits Netflix on 10/17/2025. Paper Kites opens in theaters 2025-11-21. "
        "Orchard Lane stars Jane Roe. It opens on the 4th of July."
    )
    result = extract(body, D)
    by_title = {f.title: releases(f) for f in result.films}
    assert by_title.get("Glass Rivers") == {(dt.date(2025, 10, 17), "day", None, "digital", None)}
    orchard = extract("Orchard Lane stars Jane Roe. It opens on the 4th of July.", D)
    # Published in August with a present-tense verb: next year's Fourth of July.
    assert releases(orchard.films[0]) == {(dt.date(2026, 7, 4), "day", None, "announced", None)}


def test_descriptor_words_never_become_people() -> None:
    body = (
        "Red Summit stars two-time Oscar winner Frances McDormand, Golden Globe nominee "
        "Colman Domingo and newcomer Lily Park. Red Summit is directed by Cannes Palme d'Or "
        "winner Julia Ducournau."
    )
    film = extract(body, D).films[0]
    actors = roles(film, "actor")
    assert list(actors) == ["Frances McDormand", "Colman Domingo", "Lily Park"]
    assert actors["Lily Park"].status == "new"
    assert list(roles(film, "director")) == ["Julia Ducournau"]


def test_earlier_film_of_a_franchise_keeps_its_own_dates() -> None:
    body = (
        '"Wicked: For Good" opens Nov. 21, 2025, a year after "Wicked" opened on Nov. 22, '
        "2024. Jon M. Chu directed both films, which star Cynthia Erivo and Ariana Grande."
    )
    result = extract(body, D)
    assert [f.title for f in result.films] == ["Wicked: For Good"]
    film = result.films[0]
    assert releases(film) == {(dt.date(2025, 11, 21), "day", None, "announced", None)}
    assert list(roles(film, "director")) == ["Jon M. Chu"]
    assert list(roles(film, "actor")) == ["Cynthia Erivo", "Ariana Grande"]


def test_returning_cast_list_and_back_to_direct() -> None:
    body = (
        '"The Accountant 2" arrives on Prime Video on 2025-05-23 after its theatrical run. '
        "Ben Affleck and Jon Bernthal return, with Gavin O'Connor back to direct."
    )
    film = extract(body, D).films[0]
    actors = roles(film, "actor")
    assert list(actors) == ["Ben Affleck", "Jon Bernthal"]
    assert {p.status for p in actors.values()} == {"returning"}
    assert list(roles(film, "director")) == ["Gavin O'Connor"]
    assert releases(film) == {(dt.date(2025, 5, 23), "day", None, "digital", None)}


@pytest.mark.parametrize(
    ("body", "actors", "directors"),
    [
        # An infinitive after a person is not a hire.
        (
            'It was hard for Jane Doe to direct kids, she said of "Red Line," which stars '
            "John Roe.",
            ["John Roe"],
            [],
        ),
        # Who played a role in an earlier film is not in this one.
        (
            'Critics called "Red Line," starring John Roe, a triumph. The role was played by '
            "Mary Major in the 1990 original.",
            ["John Roe"],
            [],
        ),
        # A job title then a name in parentheses is not a role.
        ('The company\'s CEO (Jane Doe) said "Red Line" stars John Roe.', ["John Roe"], []),
        # Short quoted speech is not a film; a co-star's earlier film is not this one.
        (
            '"Yes," she said. "No." "Red Line" stars John Roe and Ann Lee, who previously '
            'starred in "Blue Line" with Tom Poe.',
            ["John Roe", "Ann Lee"],
            [],
        ),
        (
            'Amazon MGM Studios has set "Project Hail Mary" for March 20, 2026, with Ryan '
            "Gosling starring. Phil Lord and Christopher Miller directed.",
            ["Ryan Gosling"],
            ["Phil Lord", "Christopher Miller"],
        ),
    ],
)
def test_precision_traps(body: str, actors: list[str], directors: list[str]) -> None:
    result = extract(body, D)
    assert len(result.films) == 1, [f.title for f in result.films]
    film = result.films[0]
    assert list(roles(film, "actor")) == actors
    assert list(roles(film, "director")) == directors


def test_no_fixture_titles_or_people_in_extractor_code() -> None:
    """Generality: nothing the fixtures are about is spelled out in the code."""
    code = "\n".join(
        Path(m.__file__).read_text(encoding="utf-8").lower()  # type: ignore[arg-type]
        for m in (
            cues,
            dates,
            extract_module,
            focus,
            names_module,
            releases_module,
            spans,
            summarize_module,
        )
    )
    checked = 0
    for path in sorted(ARTICLES.glob("1*.txt")):
        published, body = load(path)
        for film in extract(body, published).films:
            for text in (film.title, *(p.name for p in film.people)):
                assert text.lower() not in code, (path.name, text)
                checked += 1
    assert checked > 50


# --- 112: market deal: title-case tag, "a thriller from X", other films' casts ----------


def test_market_deal_story() -> None:
    result = run("112_market_deal.txt")
    assert [f.title for f in result.films] == ["The Wolf Hour"]
    film = result.films[0]
    assert film.studios == ("Focus Features",)  # not "Updated: Focus Features"
    assert list(roles(film, "actor")) == ["Mahershala Ali", "Vicky Krieps"]  # "will headline"
    assert list(roles(film, "director")) == ["Andrea Arnold"]  # "a thriller from BAFTA winner X"
    assert list(roles(film, "writer")) == ["Phoebe Waller-Bridge"]
    # Other films' people (a rival deal, past credits) stay out.
    assert not people_names(film) & {"Jessie Buckley", "Daniel Day-Lewis", "BAFTA", "Neon"}
    # "Production begins in September" is not a release; the release is the year only.
    assert releases(film) == {(dt.date(2026, 1, 1), "year", None, "theatrical", None)}
    assert result.summary.startswith("Focus Features has landed")


def test_attributed_quotation_is_speech_not_a_title() -> None:
    body = (
        '"Thank You," said director Jane Doe, whose Red Line stars John Roe. Red Line opens May 5.'
    )
    film = extract(body, D).films[0]
    assert film.title == "Red Line"
    assert list(roles(film, "director")) == ["Jane Doe"]
    assert list(roles(film, "actor")) == ["John Roe"]


@pytest.mark.parametrize(
    ("body", "title", "people"),
    [
        # A quoted earlier film in a relative clause does not take the main verb's cast.
        (
            "Bugonia is the new film from Yorgos Lanthimos. The film, which follows the "
            'success of "Poor Things," stars Emma Stone and Jesse Plemons.',
            "Bugonia",
            [("actor", "Emma Stone"), ("actor", "Jesse Plemons"), ("director", "Yorgos Lanthimos")],
        ),
        # "who directed <earlier film>" is no cue for it; "will direct <Title>" is.
        (
            'Greta Gerwig, who directed "Barbie," will direct "Narnia" for Netflix.',
            "Narnia",
            [("director", "Greta Gerwig")],
        ),
        # A credit right after a quoted earlier title belongs to that title.
        (
            '"Michael Clayton" director Tony Gilroy is returning to features with '
            '"Dark Harbor," starring Riz Ahmed.',
            "Dark Harbor",
            [("actor", "Riz Ahmed")],
        ),
    ],
)
def test_which_film_a_person_belongs_to(
    body: str, title: str, people: list[tuple[str, str]]
) -> None:
    result = extract(body, D)
    assert [f.title for f in result.films] == [title]
    assert [(p.role, p.name) for p in result.films[0].people] == people


def test_long_sentence_of_quoted_titles_and_credits_extracts() -> None:
    """One unpunctuated run of quoted titles and credits (no per-sentence reset):
    looking up which film each credit belongs to must not rescan the sentence."""
    body = '"Red Line" stars John Roe and "Blue Line" stars Ann Lee, ' * 5000
    result = extract(body, D)
    assert {f.title for f in result.films} == {"Red Line", "Blue Line"}
    by_title = {f.title: [p.name for p in f.people] for f in result.films}
    assert by_title["Red Line"] == ["John Roe"]
    assert by_title["Blue Line"] == ["Ann Lee"]


@pytest.mark.parametrize("name", sorted(p.name for p in ARTICLES.glob("1*.txt")))
def test_a_catalog_that_knows_every_candidate_changes_nothing(name: str) -> None:
    """Catalog hints widen spans; cues still decide films, people and dates."""
    published, body = fixture(name)
    cands = candidate_names(body)

    def facts(result: Extraction) -> list[tuple[str, list[tuple[str, str]], list[dt.date]]]:
        return [
            (
                f.title,
                sorted((p.role, p.name) for p in f.people),
                sorted(r.date for r in f.releases),
            )
            for f in result.films
        ]

    hinted = extract(body, published, known_people=cands, known_titles=cands)
    assert facts(hinted) == facts(extract(body, published))


def test_title_case_headline_before_the_body() -> None:
    """Ingest puts the headline first; its Title Case must not glue words to a name."""
    published, body = fixture("106_variety_exclusive.txt")
    headline = 'Jeremy Allen White Boards Kathryn Bigelow\'s "The Salt Road" (EXCLUSIVE)'
    result = extract(f"{headline}.\n{body}", published)
    assert [f.title for f in result.films] == ["The Salt Road"]
    assert list(roles(result.films[0], "director")) == ["Kathryn Bigelow"]
