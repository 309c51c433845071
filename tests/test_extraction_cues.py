"""The extractor's grammatical cues, each on a short text written for the tests: the fact
the cue yields, and what it must never yield (a character, an outlet, a genre or a list of
people is never a film, a person or a studio; a writer or producer is never cast; an
actor is never the director)."""

from __future__ import annotations

import datetime as dt

from bot.extraction import Extraction, FilmFact, extract

D = dt.date(2031, 3, 1)


def films(result: Extraction) -> dict[str, FilmFact]:
    return {f.title: f for f in result.films}


def film_in(
    body: str, title: str, *, published: dt.date = D, headline: str | None = None
) -> FilmFact:
    """The film called `title` among those extracted from `body`."""
    return films(extract(body, published, headline=headline))[title]


def names(film: FilmFact, role: str) -> set[str]:
    return {p.name for p in film.people if p.role == role}


def every_title(result: Extraction) -> set[str]:
    """The article's films and the titles it names only for context."""
    return {f.title for f in result.films} | set(result.context_titles)


def everyone(result: Extraction) -> set[str]:
    return {p.name for f in result.films for p in f.people}


# --- "the film", "he", "she": pointers resolved only when one referent is possible ------


def test_the_movie_points_at_the_articles_main_film() -> None:
    body = (
        "Harbor Pictures is moving up its horror feature Quiet Orchard from April 23 to "
        "April 30, now that the studio's own Glass Crown has left the date.\n\n"
        "The studio acquired the movie, which stars Nadia Ferro and Tomasz Wilk, last year. "
        "Quiet Orchard was shot in Lisbon and Quiet Orchard is its director's second film."
    )
    result = extract(body, D, headline="Quiet Orchard Moves Up A Week")
    found = films(result)
    assert names(found["Quiet Orchard"], "actor") == {"Nadia Ferro", "Tomasz Wilk"}
    assert all(not names(f, "actor") for t, f in found.items() if t != "Quiet Orchard")


def test_the_movie_in_a_round_up_without_a_main_film_points_nowhere() -> None:
    body = (
        "Paper Lanterns will now open on May 5. Iron Meadow will now open on June 9. "
        "The movie stars Lena Ostrova."
    )
    result = extract(body, D)
    assert {"Paper Lanterns", "Iron Meadow"} <= set(films(result))
    assert "Lena Ostrova" not in everyone(result)


def test_he_is_the_one_person_named_before() -> None:
    body = (
        "While Ravi Anand is enjoying the reviews of his last feature, he'll direct "
        "Mira Castell in Salt Kingdom, a crime thriller scripted by Ola Brenner."
    )
    film = film_in(body, "Salt Kingdom")
    assert names(film, "director") == {"Ravi Anand"}
    assert names(film, "actor") == {"Mira Castell"}  # directed, never a director
    assert "Ola Brenner" not in names(film, "actor")  # a writer is never cast


def test_she_with_two_people_before_is_left_alone() -> None:
    body = (
        "Salt Kingdom, the upcoming thriller directed by Ravi Anand, is adding names, with "
        "reports suggesting Mira Castell's involvement. She may star in this new movie."
    )
    film = film_in(body, "Salt Kingdom")
    assert names(film, "director") == {"Ravi Anand"}
    assert "Mira Castell" not in names(film, "actor")


# --- people: joins, xcomp subjects, directing cues, played by ---------------------------


def test_joins_b_and_c_in_x_casts_all_three() -> None:
    body = (
        "Per Deadline, Petra Lind joins Omar Haddad and Yuki Sato in Ana Ruiz's upcoming "
        "film Ember Falls 2, which follows a juror."
    )
    film = film_in(body, "Ember Falls 2")
    assert names(film, "actor") == {"Petra Lind", "Omar Haddad", "Yuki Sato"}
    assert not names(film, "actor") & names(film, "director")


def test_likely_to_star_and_set_to_direct_reach_their_subject() -> None:
    body = (
        "The Long Tide, the upcoming drama, is casting. Dara Quinn is also likely to star in "
        "the upcoming movie. Felix Novak is set to direct the drama."
    )
    film = film_in(body, "The Long Tide")
    assert "Dara Quinn" in names(film, "actor")
    assert names(film, "director") == {"Felix Novak"}
    assert "Dara Quinn" not in names(film, "director")


def test_a_credit_in_a_relative_clause_does_not_hide_the_articles_film() -> None:
    body = (
        "Marrow Road, the new thriller from Harbor Pictures, adds names. "
        'Ivo Petrov, who appeared in the 2019 film "Blue Acre," is also set to star.'
    )
    result = extract(body, D)
    found = films(result)
    assert set(found) == {"Marrow Road"}
    assert "Ivo Petrov" in names(found["Marrow Road"], "actor")
    assert "Blue Acre" in result.context_titles


def test_hyphenated_directed_names_the_director() -> None:
    body = (
        "The Jonah Brandt-directed feature Cold Lantern, which was written by Ilse Moor, "
        "follows a lighthouse keeper. Cold Lantern stars Ada Vance."
    )
    film = film_in(body, "Cold Lantern")
    assert names(film, "director") == {"Jonah Brandt"}
    assert names(film, "writer") == {"Ilse Moor"}
    assert names(film, "actor") == {"Ada Vance"}  # the writer is never cast


def test_the_directors_chair() -> None:
    body = (
        "Sony is moving fast on Night Ferry 2, the sequel to the horror hit, with Emil "
        "Strand returning to the director's chair. Night Ferry 2 stars Liv Hart."
    )
    film = film_in(body, "Night Ferry 2")
    assert names(film, "director") == {"Emil Strand"}
    assert "Emil Strand" not in names(film, "actor")
    assert "Liv Hart" not in names(film, "director")


def test_played_by_gives_actor_and_character() -> None:
    body = (
        "The new trailer for Iron Meadow, the upcoming thriller, is here. When Major Clara "
        "Voss, played by Hanna Berg, is arrested, the team must break her out."
    )
    film = film_in(body, "Iron Meadow")
    (person,) = [p for p in film.people if p.name == "Hanna Berg"]
    assert person.role == "actor" and person.character == "Major Clara Voss"
    assert "Major Clara Voss" not in everyone(extract(body, D))  # a character is no person
    assert "Major Clara Voss" not in films(extract(body, D))


def test_a_characters_film_franchise_is_never_a_director() -> None:
    body = (
        "1. Last Light\n\nLast Light is the latest in the Max Royal film franchise and stars "
        "Pierce Dunn. The release of the film has been shifted from April to November."
    )
    result = extract(body, D)
    assert "Max Royal" not in {p.name for f in result.films for p in f.people}


# --- titles: release news, numbered and colon headings -----------------------------------


def test_release_news_after_a_title_makes_it_a_film() -> None:
    body = (
        "It is a crowded season. Paper Lanterns will now open on August 14. Iron Meadow "
        "was originally supposed to release on March 24. Harbor Pictures has released two "
        "films this year."
    )
    found = films(extract(body, dt.date(2030, 3, 1)))
    assert {"Paper Lanterns", "Iron Meadow"} <= set(found)
    assert [r.date for r in found["Paper Lanterns"].releases] == [dt.date(2030, 8, 14)]
    assert "Harbor Pictures" not in found  # a company that releases is never a film


def test_numbered_round_up_headings_are_films() -> None:
    body = (
        "The following films have been postponed:\n\n1. Sooryalok\n\nDirected by Arjun "
        "Mehta, Sooryalok was originally supposed to release on March 24.\n\n"
        "2. Quiet Orchard\n\nThe release of Quiet Orchard has been shifted to November."
    )
    found = films(extract(body, dt.date(2030, 3, 1)))
    assert {"Sooryalok", "Quiet Orchard"} <= set(found)
    assert names(found["Sooryalok"], "director") == {"Arjun Mehta"}
    assert [r.date for r in found["Sooryalok"].releases] == [dt.date(2030, 3, 24)]


def test_colon_headings_of_a_round_up_are_films() -> None:
    body = (
        "Release dates keep moving.\n\n"
        "Salt Kingdom: The film is being moved from May 31, 2030, to June 5, 2031.\n\n"
        "Editor's Note: this list was updated on Friday.\n\n"
        "Glass Harbour Asians: This is a small move, only by two days.\n\n"
    )
    result = extract(body, dt.date(2029, 5, 1))
    found = films(result)
    assert "Salt Kingdom" in found
    assert {r.date for r in found["Salt Kingdom"].releases} == {
        dt.date(2030, 5, 31),
        dt.date(2031, 6, 5),
    }
    assert "Glass Harbour Asians" in found  # kept whole: a nationality ends the title
    assert "Editor's Note" not in found


# --- studios --------------------------------------------------------------------------


def test_a_streamer_after_a_release_verb_is_the_studio() -> None:
    body = (
        '"Paper Lanterns" opens in theaters on November 21. It will then debut on Netflix '
        "on December 14. Variety reported the news."
    )
    film = films(extract(body, dt.date(2030, 10, 1)))["Paper Lanterns"]
    assert film.studios == ("Netflix",)
    assert "Variety" not in film.studios  # an outlet is never a studio


def test_the_studio_before_a_film_noun_and_a_title() -> None:
    body = (
        "At the top, the release of the Fox sequel The Iron Meadow has been pushed back "
        "from May 5 to September 18. The new Sci Fi thriller Quiet Orchard is also moving."
    )
    result = extract(body, dt.date(2030, 3, 1))
    found = films(result)
    assert found["The Iron Meadow"].studios == ("Fox",)
    assert all("Sci Fi" not in f.studios for f in result.films)  # a genre is no studio


def test_a_studio_pushing_a_list_of_films_gets_each() -> None:
    body = (
        "Summit Entertainment is shifting its summer schedule around, pushing forward the "
        "release dates of both the heist film Paper Lanterns and the crime comedy sequel "
        "Iron Meadow 2."
    )
    found = films(extract(body, D))
    assert found["Paper Lanterns"].studios == ("Summit Entertainment",)
    assert found["Iron Meadow 2"].studios == ("Summit Entertainment",)


def test_conjoined_studios_and_producing_for() -> None:
    body = (
        "Harbor Pictures and Skyline Media have released a new trailer for Cold Lantern. "
        "Ana Ruiz and Bo Lind are producing for Northlight Films."
    )
    film = film_in(body, "Cold Lantern")
    assert set(film.studios) == {"Harbor Pictures", "Skyline Media", "Northlight Films"}
    assert not {"Ana Ruiz", "Bo Lind"} & set(film.studios)
    assert not {"Ana Ruiz", "Bo Lind"} & names(film, "actor")  # producers are never cast


def test_a_film_to_look_out_for_from_a_studio() -> None:
    body = (
        "Horror fans have a new film to look out for from Bleakhouse Films as the official "
        "trailer for Slash Harbor has been released."
    )
    film = film_in(body, "Slash Harbor")
    assert film.studios == ("Bleakhouse Films",)


def test_a_name_listed_with_people_is_not_a_studio() -> None:
    body = (
        "Quiet Orchard, the upcoming horror film, is produced by Bell, Jordan Levine, "
        "Russ Postman and Jesse Korma. Quiet Orchard stars Nadia Ferro."
    )
    film = film_in(body, "Quiet Orchard")
    assert "Bell" not in film.studios
    assert names(film, "actor") == {"Nadia Ferro"}


def test_a_day_told_in_the_past_tense_is_the_last_one_before_the_article() -> None:
    body = (
        "Quiet Orchard, the upcoming horror film, had its world premiere in New York on "
        "March 8. Quiet Orchard will open in theaters on March 18."
    )
    film = films(extract(body, dt.date(2030, 3, 13)))["Quiet Orchard"]
    dates = {r.date: r.kind for r in film.releases}
    assert dates == {dt.date(2030, 3, 8): "premiere", dt.date(2030, 3, 18): "theatrical"}
    assert dt.date(2031, 3, 8) not in dates  # never the next March 8


def test_an_actors_possessive_before_a_characters_name() -> None:
    body = (
        "Harbor Pictures has released the new trailer for Iron Meadow, the upcoming "
        "thriller. Nora Vale's Ines Rook must break out of prison. Harbor Pictures' "
        "Mimi Stein will executive produce."
    )
    film = film_in(body, "Iron Meadow")
    (nora,) = [p for p in film.people if p.name == "Nora Vale"]
    assert nora.role == "actor" and nora.character == "Ines Rook"
    assert "Ines Rook" not in {p.name for p in film.people}  # a character is no person
    assert "Mimi Stein" not in names(film, "actor")  # an executive is never cast


def test_the_part_after_as_is_the_name_its_phrase_ends_in() -> None:
    body = (
        "Kai Moreau has been cast as Jamaican reggae legend Tobias Vane in Salt Kingdom, "
        "the upcoming biopic. Salt Kingdom will co-star Lia Brandt as Tobias's wife."
    )
    film = film_in(body, "Salt Kingdom")
    cast = {p.name: p.character for p in film.people if p.role == "actor"}
    assert cast["Kai Moreau"] == "Tobias Vane"  # not "Jamaican"
    assert cast.get("Lia Brandt") is None  # "Tobias's wife" names no character


def test_a_numbered_round_up_does_not_give_one_films_facts_to_every_item() -> None:
    body = (
        "Here are the week's castings.\n\n"
        "1. Mara Quill will star alongside Tomas Reed in a love triangle drama.\n\n"
        "2. Director Ana Ruiz will play a filmmaker in the upcoming film Glass Harbour.\n\n"
        "3. Ivo Petrov has been cast as Bob Lane in an upcoming biopic.\n\n"
        "4. Nadia Ferro joins the cast of a comedy."
    )
    result = extract(body, D)
    found = films(result)
    assert set(found) == {"Glass Harbour"}
    assert names(found["Glass Harbour"], "actor") == {"Ana Ruiz"}
    assert not {"Mara Quill", "Tomas Reed", "Ivo Petrov", "Nadia Ferro"} & everyone(result)


def test_a_studio_moving_its_own_slate_owns_each_film_of_the_article() -> None:
    body = (
        "Harbor Pictures is moving the release dates of three of its films, as Variety "
        "reported in its list of changes:\n\n"
        "Paper Lanterns has moved from May 5, 2031 to June 9, 2031.\n\n"
        "Iron Meadow has moved from July 7, 2031 to August 8, 2031."
    )
    found = films(extract(body, D))
    assert found["Paper Lanterns"].studios == ("Harbor Pictures",)
    assert found["Iron Meadow"].studios == ("Harbor Pictures",)
    assert all("Variety" not in f.studios for f in found.values())  # an outlet never is


def test_two_studios_moving_their_slates_own_nothing_by_that_alone() -> None:
    body = (
        "Harbor Pictures is moving its schedule, and Skyline Media is shifting its slate.\n\n"
        "Paper Lanterns has moved from May 5, 2031 to June 9, 2031.\n\n"
        "Iron Meadow has moved from July 7, 2031 to August 8, 2031."
    )
    found = films(extract(body, D))
    assert {"Paper Lanterns", "Iron Meadow"} <= set(found)
    assert all(not f.studios for f in found.values())


def test_a_release_calendar_gives_each_title_its_date_and_studios() -> None:
    body = (
        "Here's the updated wide release calendar through the summer:\n\n"
        "March 26\nNobody Home (Uni)\n\n"
        "March 31\nGodzilla v. Kong (WB/Legendary/HBO Max)\nQuiet Orchard\n\n"
        "Studios will keep moving dates."
    )
    found = films(extract(body, dt.date(2031, 3, 1)))
    assert set(found) == {"Nobody Home", "Godzilla v. Kong", "Quiet Orchard"}
    assert [r.date for r in found["Nobody Home"].releases] == [dt.date(2031, 3, 26)]
    assert found["Nobody Home"].studios == ("Uni",)
    assert set(found["Godzilla v. Kong"].studios) == {"WB", "Legendary", "HBO Max"}
    assert [r.date for r in found["Quiet Orchard"].releases] == [dt.date(2031, 3, 31)]
    assert "March 26" not in found and "March" not in found  # a date is never a film


def test_a_bulleted_item_opening_with_its_title_is_a_film_and_keeps_its_facts() -> None:
    body = (
        "Some holiday films will be left in the cold:\n\n"
        "- The Glass Harbour. The Ana Ruiz-directed war story was to arrive Dec. 18, but "
        "the film was moved to Feb. 7.\n"
        "- Harbor Lights: Shadow Run. Skyline Media planned a Christmas Day release, and "
        "now it is scheduled to open Jan. 17."
    )
    found = films(extract(body, dt.date(2030, 11, 10)))
    assert "The Glass Harbour" in found
    glass = found["The Glass Harbour"]
    assert names(glass, "director") == {"Ana Ruiz"}
    assert dt.date(2031, 2, 7) in {r.date for r in glass.releases}
    assert dt.date(2031, 1, 17) not in {r.date for r in glass.releases}  # the next item's
    assert "Skyline Media" not in glass.studios


def test_starring_first_star_power_of_and_essays_the_lead() -> None:
    body = (
        "Starring Kumail Nanjiani and Issa Rae, The Lovebird Club is a romantic comedy. "
        "Directed by Louis Leterrier, The Lovebird Club boasts the star power of Morgan "
        "Freeman and Woody Harrelson. Isabelle Fuhrman essays the lead. Harbor Pictures "
        "lands the rights, and Ola Brenner, who wrote it, lands a producer credit."
    )
    film = film_in(body, "The Lovebird Club")
    assert names(film, "actor") == {
        "Kumail Nanjiani", "Issa Rae", "Morgan Freeman", "Woody Harrelson", "Isabelle Fuhrman",
    }  # fmt: skip
    assert names(film, "director") == {"Louis Leterrier"}
    assert "Harbor Pictures" not in names(film, "actor")  # a studio is never cast


def test_a_copula_and_a_film_noun_name_a_film_not_a_star() -> None:
    body = (
        "Paper Harbour is a romantic comedy from Harbor Pictures. Nadia Ferro stars. "
        "Glass Crown is the director of photography on it, and Ivo Petrov is a film star."
    )
    result = extract(body, D)
    assert "Paper Harbour" in films(result)
    assert not {"Glass Crown", "Ivo Petrov"} & set(films(result))


def test_in_talks_with_a_starring_appear_in_and_the_role_of() -> None:
    body = (
        "Iron Meadow, the upcoming thriller, keeps adding names. Russell Crowe and Ana "
        "Lind are in talks to join the film. The shoot begins in May with Omar Haddad "
        "starring. Stephen Dorff (Old Henry - 2021) may also appear in the film. Petra "
        "Lind plays the role of Queen Maren. Ola Brenner appeared on a podcast."
    )
    film = film_in(body, "Iron Meadow")
    cast = {p.name: p.character for p in film.people if p.role == "actor"}
    assert {"Russell Crowe", "Ana Lind", "Omar Haddad", "Stephen Dorff", "Petra Lind"} <= set(cast)
    assert cast["Petra Lind"] == "Queen Maren"
    assert "Old Henry" not in cast  # a credit in parentheses is never a person
    assert "Ola Brenner" not in cast  # appearing on a podcast is no part in the film


def test_a_directorial_debut_names_the_director() -> None:
    body = (
        'Lena Hart is set to make her directorial debut on a film called "Violet Hour," a '
        "psychological thriller. Violet Hour stars Mara Quill."
    )
    film = film_in(body, "Violet Hour")
    assert names(film, "director") == {"Lena Hart"}
    assert names(film, "actor") == {"Mara Quill"}
    assert "Mara Quill" not in names(film, "director")


def test_review_style_casting_with_as() -> None:
    body = (
        "Iron Meadow, the new drama from Harbor Pictures, is a quiet triumph. Nadia Ferro is "
        "terrific as Queen Maren, with Omar Haddad as Tobias Vane. Ivo Petrov gives a "
        "career-best performance. Ola Brenner, known as Big Ola, serves as executive "
        "producer."
    )
    film = film_in(body, "Iron Meadow")
    cast = {p.name: p.character for p in film.people if p.role == "actor"}
    assert cast == {"Nadia Ferro": "Queen Maren", "Omar Haddad": "Tobias Vane", "Ivo Petrov": None}
    assert "Ola Brenner" not in cast  # a nickname or a producer's job is no part


def test_dir_abbreviation_and_the_latest_from_a_filmmaker() -> None:
    body = (
        "Salt Kingdom (dir. Ravi Anand) premieres in competition. Iron Meadow, the latest "
        "film from Greta Lindqvist, stars Nadia Ferro. Nadia Ferro told reporters that news "
        "from Omar Haddad was welcome."
    )
    found = films(extract(body, D))
    assert names(found["Salt Kingdom"], "director") == {"Ravi Anand"}
    assert names(found["Iron Meadow"], "director") == {"Greta Lindqvist"}
    assert names(found["Iron Meadow"], "actor") == {"Nadia Ferro"}
    assert "Omar Haddad" not in {p.name for f in found.values() for p in f.people}


# --- articles in other layouts and styles: headings, rows, sources, events --------------


def test_a_line_up_heading_is_never_a_film() -> None:
    body = (
        "The festival announced its competition today.\n\n"
        "Narrative Showcase\n"
        "* Copper Tide (Ana Velo)\n"
        "* Winter Ledger (Bo Marsh)\n\n"
        "MIDNIGHT SELECTIONS\n"
        "Salt Orchard Ravi Anand, Kenya, World Premiere\n"
        "Glass Harbor Mira Castell, Peru, World Premiere\n"
    )
    result = extract(body, D)
    assert not {"Narrative Showcase", "MIDNIGHT SELECTIONS"} & set(films(result))


def test_a_round_up_heading_above_prose_still_names_its_film() -> None:
    body = (
        "Three new films open this month.\n\n"
        "SALT ORCHARD\n\n"
        "Salt Orchard centers on a fisherman who finds a map. Directed by Lena Ostrova.\n\n"
        "GLASS HARBOR\n\n"
        "Glass Harbor follows two sisters in Lima. Directed by Tomasz Wilk.\n"
    )
    found = {t.upper(): f for t, f in films(extract(body, D)).items()}
    assert names(found["GLASS HARBOR"], "director") == {"Tomasz Wilk"}
    # a section's credit stays in its section, never on the next heading's film
    assert all("Lena Ostrova" not in names(f, "director") for f in found.values())


def test_a_title_cut_at_a_contraction_is_never_a_film() -> None:
    for apostrophe in ("'", "’"):
        body = (
            f"Copper Tide was based on the short film Nora Hasn{apostrophe}t Slept, which "
            "won a prize. The film stars Ana Velo."
        )
        assert "Nora Has" not in films(extract(body, D))


def test_a_label_and_a_clause_after_a_colon_are_never_a_film() -> None:
    body = (
        "Copper Tide stays at number one this week.\n\n"
        "Synopsis: When Copper Tide opens, a reporter goes missing.\n\n"
        "Starring Velo, the actioner was one of the first films delayed."
    )
    found = films(extract(body, D))
    assert "Copper Tide" in found
    assert not any(t.startswith(("Synopsis", "Starring", "When")) for t in found)


def test_a_title_case_sub_heading_sentence_is_never_a_film() -> None:
    body = (
        "Sequels keep coming.\n\n"
        "Laura Bennett Joins the Glass Crown Sequel\n\n"
        "Laura Bennett has joined Ravi Anand's Salt Kingdom, the studio said. "
        "Salt Kingdom is due in theaters on May 5, 2031.\n\n"
        "James Harlow Returns to the Ember Saga\n\n"
        "According to Variety, James Harlow will reprise his role in all four sequels."
    )
    result = extract(body, D)
    found = films(result)
    assert "Salt Kingdom" in found and "Laura Bennett" in names(found["Salt Kingdom"], "actor")
    assert not any("Joins" in t or "Returns" in t for t in found)
    # the second section is another franchise's news: its actor is not the first film's
    assert "James Harlow" not in everyone(result)


def test_a_quoted_cry_or_a_quoted_credit_is_never_a_film() -> None:
    body = (
        'The first instance of "WTF?" this week: Copper Tide falls 11%. Copper Tide opened '
        "last month. Its director is known for TV dramas like 'Glass Harbor'."
    )
    found = films(extract(body, D))
    assert "Copper Tide" in found
    assert not {"WTF?", "Glass Harbor"} & set(found)


def test_an_outlet_or_a_festival_is_never_a_studio() -> None:
    body = (
        "The Lantern Film Festival announced its slate today. This year Lantern will "
        'premiere four films on opening day, including "Copper Tide" and "Glass Harbor".\n\n'
        "Salt Kingdom, the upcoming thriller, was picked up by Northlight Films last week. "
        "A casting call for Salt Kingdom, picked up by Screen Circuit, claims the film "
        "needs extras. Salt Kingdom opens on May 5, according to Screen Circuit."
    )
    result = extract(body, D)
    studios = {s for f in result.films for s in f.studios}
    assert "Northlight Films" in films(result)["Salt Kingdom"].studios
    assert not {s for s in studios if "Lantern" in s or "Screen Circuit" in s}


def test_a_producer_voicing_a_concern_is_never_cast() -> None:
    body = (
        "Film producer Ravi Anand has voiced his concern at the rush of release dates. "
        "Copper Tide will hit theaters on May 28, 2031. Copper Tide stars Ana Velo."
    )
    film = film_in(body, "Copper Tide")
    assert "Ana Velo" in names(film, "actor")
    assert "Ravi Anand" not in names(film, "actor")


def test_a_credit_owning_an_actor_is_never_a_person() -> None:
    from bot.extraction.extract import _owns_a_person
    from bot.extraction.nlp import load_pipeline

    for apostrophe in ("'", "’"):
        text = f"Alongside Silver Creek{apostrophe}s Holland Rowan, it adds Ana Velo."
        doc = load_pipeline()(text)
        assert _owns_a_person(doc[1:3])  # "Silver Creek" owns the actor: a credit
        assert not _owns_a_person(doc[-3:-1])  # "Ana Velo" stands alone


def test_a_titles_first_words_are_never_a_person() -> None:
    body = (
        "Denis Villers could be the next director to helm the project. Villers, whose "
        "latest film Arrival Gate is in cinemas now and who is also onboard for the Glass "
        "Runner sequel, Glass Runner 2049, will try to avoid joining the ranks of directors "
        "who have tried and failed."
    )
    assert "Glass Runner" not in everyone(extract(body, D))


def test_a_date_moved_from_without_a_year_comes_before_the_new_one() -> None:
    body = "Copper Tide was pushed back from May 11 to Nov. 6. The film stars Ana Velo."
    film = films(extract(body, dt.date(2030, 6, 15)))["Copper Tide"]
    dates = {(r.date, r.superseded) for r in film.releases}
    assert (dt.date(2030, 11, 6), False) in dates
    assert (dt.date(2030, 5, 11), True) in dates
    assert all(r.date != dt.date(2031, 5, 11) for r in film.releases)


def test_a_series_or_an_actors_credit_is_never_the_articles_film() -> None:
    body = (
        'Another highlight is the premiere of "Copper Tide." The film stars Dana Villers, '
        'who has previously appeared in the series "Night Ledger". The cast features stars '
        'like Omar Haddad from "Salt Road", who plays the mentor.'
    )
    result = extract(body, D)
    found = films(result)
    assert "Copper Tide" in found
    assert not {"Night Ledger", "Salt Road"} & set(found)


def test_the_film_a_reboot_or_a_remake_starts_from_is_never_the_articles_film() -> None:
    body = (
        "Denis Villers could be the next director who attempts to reboot Sand Planet after "
        "he was approached to helm the project. Ana Velo also joined the Glass Harbor "
        "remake."
    )
    found = films(extract(body, D))
    assert not {"Sand Planet", "Glass Harbor"} & set(found)


def test_a_filmmaker_owning_a_film_beside_a_persons_film_is_never_a_studio() -> None:
    body = (
        "Netflix will give a theatrical release to more of its films. The Varga Brothers' "
        '"Copper Tide" and Susanne Lind\'s "Glass Harbor" will also receive a run in '
        "theaters this fall."
    )
    result = extract(body, D)
    studios = {s for f in result.films for s in f.studios}
    assert not {s for s in studios if "Varga" in s}


def test_the_name_before_a_film_noun_after_the_is_never_a_director() -> None:
    body = (
        "MGM is officially moving the Jack Harlow flick Copper Tide again. "
        "Copper Tide will now open on May 5, 2031."
    )
    film = film_in(body, "Copper Tide")
    assert not names(film, "director")
    assert any(r.date == dt.date(2031, 5, 5) for r in film.releases)


def test_a_date_of_anothers_unnamed_film_or_of_the_cinemas_is_never_the_films() -> None:
    body = (
        "Ana Velo's Copper Tide will hit the theatres on May 28, 2031, while Omar "
        "Haddad's sports drama 84 comes on June 4, 2031. The minister said cinema halls "
        "in the state will be permitted to operate from April 22, 2031."
    )
    film = film_in(body, "Copper Tide")
    dates = {r.date for r in film.releases}
    assert dt.date(2031, 5, 28) in dates
    assert not {dt.date(2031, 6, 4), dt.date(2031, 4, 22)} & dates


def test_the_project_slated_for_a_date_is_the_items_film() -> None:
    body = "Glass Harbor: The project is now slated to be released on January 24, 2032."
    film = film_in(body, "Glass Harbor", headline="Dates for Glass Harbor")
    assert dt.date(2032, 1, 24) in {r.date for r in film.releases}


def test_last_years_remake_is_never_the_articles_film() -> None:
    body = (
        "Copper Tide, co-starring Ana Velo, took second place with $23.5 million. It will "
        "be the duo's biggest opening over last year's remake The Glass Harbor Affair, "
        "which fell just short of that amount."
    )
    found = films(extract(body, D, headline="Copper Tide opens in second place"))
    assert "Copper Tide" in found
    assert "The Glass Harbor Affair" not in found


def test_a_date_of_filming_or_of_an_announcement_is_never_a_release() -> None:
    body = (
        "I almost believed that the Copper Tide movie would make its way to cinemas on "
        "July 16, 2031 when the studio announced it had wrapped filming back in October, "
        "but the film will now open on December 5, 2031."
    )
    film = film_in(body, "Copper Tide", headline="Copper Tide delayed")
    dates = {r.date for r in film.releases}
    assert dt.date(2031, 12, 5) in dates
    assert all(d.month != 10 for d in dates)


def test_a_working_title_names_the_sequel_and_its_caster_is_never_cast() -> None:
    body = (
        "Writer/director Dana Villers has been assembling the cast for a sequel to his 2029 "
        "horror film Copper Tide, a project we're referring to as Copper Tide 2 until we "
        "hear otherwise. Villers has just rounded out the cast with two new additions. "
        "The cast will include Ana Velo and Omar Haddad."
    )
    result = extract(body, D, headline="Copper Tide 2 cast")
    found = films(result)
    assert "Copper Tide 2" in found
    assert "Dana Villers" not in {n for f in found.values() for n in names(f, "actor")}
    # the sequel's cast is never the first film's
    assert "Copper Tide" not in found or not names(found["Copper Tide"], "actor")


def test_a_film_in_a_whose_clause_about_a_person_is_their_credit() -> None:
    body = (
        "Moreau, whose latest film Arrival is in cinemas now and who is also onboard for "
        "the Glass Runner sequel, Glass Runner 2049, will try to avoid joining the ranks."
    )
    assert "Glass Runner 2049" not in films(extract(body, D))


def test_a_placeholder_slot_is_never_a_film() -> None:
    body = (
        "Harbor Pictures dated Untitled Harbor Pictures Event Film for May 5, 2031. "
        "Copper Tide will now open on June 9, 2031."
    )
    found = films(extract(body, D))
    assert "Copper Tide" in found
    assert not any(t.lower().startswith("untitled") for t in found)


def test_a_title_and_its_maker_after_from_are_never_one_title() -> None:
    for maker in ("Ana Velo", "Director Ana Velo"):
        found = films(extract(f"The Glass Harbor from {maker} opens on May 5, 2031.", D))
        assert "The Glass Harbor" in found
        assert not any("from" in t for t in found)


def test_a_source_novel_or_book_is_never_the_film() -> None:
    for sentence in (
        'It adapts the novel "The Glass Harbor" by Ana Velo.',
        'It is based on Ana Velo’s book "The Glass Harbor".',
        "It is based on The Glass Harbor, a memoir.",
    ):
        found = films(extract(f"Copper Tide opens on May 5, 2031. {sentence}", D))
        assert "Copper Tide" in found
        assert "The Glass Harbor" not in found


def test_the_speaker_after_a_cast_list_is_never_cast() -> None:
    result = extract("Copper Tide stars Ana Velo, Omar Haddad told Screen Circuit Daily.", D)
    film = films(result)["Copper Tide"]
    assert names(film, "actor") == {"Ana Velo"}
    # nor is the outlet told anything a studio
    assert not film.studios


# --- fresh-article fixes: list ends, owners, events, franchises, round-up paragraphs ----


def test_a_director_list_ends_where_the_cast_verb_starts() -> None:
    body = (
        "Lantern Road will be released on Friday, October 24. That film was directed by "
        "Mara Quist and stars Olivia Brandt and Dev Sorensen."
    )
    film = film_in(body, "Lantern Road", headline="Lantern Road Gets A Date")
    assert names(film, "director") == {"Mara Quist"}
    assert names(film, "actor") == {"Olivia Brandt", "Dev Sorensen"}


def test_an_owners_possessive_before_the_title_is_not_part_of_it() -> None:
    body = (
        "Harbor Pictures has dated the thriller Salt Meridian for June 6. Its star, Ana "
        "Ruiz, next stars in Streamline’s The Paper Orchard. The film Salt Meridian also "
        "stars Leo Marsh. Jonas Petrov’ The Iron Gate screens at the festival."
    )
    titles = every_title(extract(body, D, headline="Salt Meridian Dated"))
    assert not any("’" in t for t in titles)
    assert "Streamline’s The Paper Orchard" not in titles


def test_a_quoted_title_with_a_possessive_is_the_same_film() -> None:
    body = (
        "Strand has acquired North American rights to the drama “Salt Meridian,” the "
        "company said, ahead of “Salt Meridian’s” debut on May 31."
    )
    result = extract(body, D, headline="Strand Buys Salt Meridian")
    assert [f.title for f in result.films] == ["Salt Meridian"]


def test_a_festival_is_never_a_film() -> None:
    body = (
        "The 59th Harbor Film Festival opened last night with the world premiere of the "
        "comedy Quiet Orchard. The Harbor Film Festival runs until June 17."
    )
    result = extract(body, D, headline="Harbor Film Festival Opens")
    assert not any("Festival" in f.title for f in result.films)


def test_a_franchise_named_for_its_films_is_not_a_film() -> None:
    body = (
        "Harbor Pictures pushed its calendar back. An untitled ‘Glass Crown’ film is now in "
        "the December 18, 2031 spot, and two more ‘Glass Crown’ movies follow in 2033. "
        "The drama Quiet Orchard moves to May 5, 2031."
    )
    result = extract(body, D, headline="Harbor Pictures Reshuffles Its Calendar")
    found = films(result)
    assert "Glass Crown" not in found
    assert "Quiet Orchard" in found


def test_the_movie_in_a_paragraph_naming_two_films_is_neither() -> None:
    body = (
        "The thriller Salt Meridian keeps its humor. Salt Meridian stars Ana Ruiz and opens "
        "on February 12. Salt Meridian is the studio's big bet.\n\n"
        "Glass Crown 2 will open against Salt Meridian on February 12. Much of the movie, "
        "directed by Jonas Petrov, takes place in Europe, with Leo Marsh in a lead role."
    )
    result = extract(body, D, headline="This Week's Trailers")
    found = films(result)
    assert "Jonas Petrov" not in names(found["Salt Meridian"], "director")


def test_a_bulleted_list_of_title_and_dash_items_names_each_film() -> None:
    body = (
        "Here are the films opening nationwide on Friday:\n\n"
        "* Salt Meridian — Newcomer Ana Ruiz plays a lighthouse keeper. Rated R.\n\n"
        "* Glass Crown — Leo Marsh stars as a judge who must decide a case. Rated PG-13.\n\n"
        "* The Paper Orchard — The third film in the series follows two sisters. Rated R."
    )
    result = extract(body, D, headline="This Week's New Movies")
    found = films(result)
    assert {"Salt Meridian", "Glass Crown", "The Paper Orchard"} <= set(found)
    assert not any("—" in t for t in found)
    assert names(found["Salt Meridian"], "actor") == {"Ana Ruiz"}


def test_a_credit_possessive_before_a_name_is_not_part_of_it() -> None:
    body = (
        "The thriller Salt Meridian follows a crew of divers, played by Moonlight‘s Ana "
        "Ruiz and Leo Marsh. It opens on May 5."
    )
    film = film_in(body, "Salt Meridian", headline="Salt Meridian Trailer")
    assert "Ana Ruiz" in names(film, "actor")
    assert not any("Moonlight" in n for n in names(film, "actor"))


def test_a_date_since_a_release_is_in_the_past() -> None:
    published = dt.date(2031, 8, 14)
    body = (
        'Harbor Pictures\' thriller "Salt Meridian" slipped to second place. "Salt Meridian" '
        "has garnered 4.35 million admissions since its release on July 26."
    )
    film = film_in(body, "Salt Meridian", published=published, headline="Box Office")
    assert all(r.date <= published for r in film.releases)


def test_a_trailers_date_and_a_box_office_weekend_are_not_releases() -> None:
    body = (
        "In a teaser trailer released by Harbor Pictures on March 21, the stars of the "
        "thriller Salt Meridian are reunited. Salt Meridian will hit theaters on "
        "September 6, 2031.\n\n"
        "Salt Meridian stayed at the top for a sixth straight weekend, pulling in $13 "
        "million between January 16–18."
    )
    film = film_in(body, "Salt Meridian", headline="Salt Meridian Teaser")
    assert [r.date for r in film.releases] == [dt.date(2031, 9, 6)]


def test_a_credit_run_does_not_stop_the_paragraphs_film() -> None:
    body = (
        "Here are the films opening on Friday:\n\n"
        "* Salt Meridian — Paper Moons and The Long Heat director Paul Feig helms this "
        "thriller, starring Anna Kendrick as a blogger. Henry Golding and Jean Smart also "
        "star.\n\n"
        "* Glass Crown — Olivia Brandt stars as a judge."
    )
    found = films(extract(body, D, headline="New Movies This Week"))
    assert {"Henry Golding", "Jean Smart"} <= names(found["Salt Meridian"], "actor")


def test_along_with_after_an_acting_verb_lists_cast_and_nothing_else() -> None:
    body = (
        "The drama Salt Meridian opens on May 5. John Miller stars, along with Sarah Collins "
        "and Peter Hale. Harbor Pictures, along with Mary Quinn, financed Salt Meridian."
    )
    result = extract(body, D, headline="Salt Meridian Dated")
    film = films(result)["Salt Meridian"]
    assert {"Sarah Collins", "Peter Hale"} <= names(film, "actor")
    assert "Mary Quinn" not in everyone(result)


def test_a_quoted_title_named_once_as_someones_credit_is_not_a_film() -> None:
    body = (
        "Harbor Pictures has set John Miller to direct “Salt Meridian,” a thriller about a "
        "lighthouse keeper. “Salt Meridian” starts shooting in May.\n\n"
        "Miller made “Paper Moons” last year. He also directed “Glass Houses” and "
        "“The Long Heat.”"
    )
    result = extract(body, D, headline="John Miller To Direct Salt Meridian")
    assert set(films(result)) == {"Salt Meridian"}


def test_a_line_up_of_quoted_titles_by_their_directors_names_films_and_directors() -> None:
    body = (
        "The festival unveiled its competition line-up on Tuesday.\n\n"
        "There is an Iranian production called “Salt Meridian” by Sarah Collins and the "
        "Korean “Glass Houses” by Peter Hale.\n\n"
        "Japan is presented with “The Long Heat” by John Miller."
    )
    found = films(extract(body, D, headline="Festival Sets Its Competition"))
    assert {"Salt Meridian", "Glass Houses", "The Long Heat"} <= set(found)
    assert names(found["Glass Houses"], "director") == {"Peter Hale"}
    assert names(found["The Long Heat"], "director") == {"John Miller"}


def test_the_novel_by_its_author_gives_no_director() -> None:
    body = (
        "The drama Salt Meridian, based on the novel “Glass Houses” by Peter Hale, opens on "
        "May 5. Salt Meridian is directed by John Miller."
    )
    result = extract(body, D, headline="Salt Meridian Dated")
    assert "Peter Hale" not in {
        p.name for f in result.films for p in f.people if p.role == "director"
    }


def test_films_in_a_studios_reshuffle_are_named_by_their_slots() -> None:
    published = dt.date(2030, 10, 6)
    body = (
        "Harbor Pictures has reshuffled its release calendar for the next two years. The "
        "biggest delay is Glass Crown, which moves from October 2031 to March 2032.\n\n"
        "The Paper Orchard takes the October 1, 2031 date where Glass Crown was initially "
        "scheduled. Paper Moons, previously set for December 22, 2031, has been taken off "
        "the calendar."
    )
    found = films(extract(body, published, headline="Harbor Pictures Reshuffles Its Dates"))
    assert {"Glass Crown", "The Paper Orchard", "Paper Moons"} <= set(found)
    assert dt.date(2031, 10, 1) in {r.date for r in found["The Paper Orchard"].releases}


def test_a_heading_colon_and_the_next_sentences_article_are_not_one_title() -> None:
    body = (
        "Here is what moved this week.\n\n"
        "Glass Crown 2: The movie is being moved from March 22 to May 31, 2031.\n\n"
        "Salt Meridian: The film now opens on June 5, 2031."
    )
    titles = every_title(extract(body, D, headline="Release Date Changes"))
    assert "Glass Crown 2" in titles
    assert not any(t.endswith(": The") or t == "The" for t in titles)


def test_the_headlines_main_film_leads_even_when_the_headline_names_another_too() -> None:
    body = (
        "With Glass Crown jumping from May 7 to July 9, Harbor Pictures is moving up its "
        "horror feature Salt Meridian from April 23 to April 30. Salt Meridian is the "
        "studio's first horror film.\n\n"
        "Harbor Pictures acquired the movie, which stars Sarah Collins and Peter Hale, last "
        "year. Salt Meridian was shot in Lisbon."
    )
    found = films(
        extract(
            body,
            D,
            headline="Salt Meridian Release Date Change After Glass Crown Moves; April Calendar",
        )
    )
    assert names(found["Salt Meridian"], "actor") == {"Sarah Collins", "Peter Hale"}
    assert not names(found["Glass Crown"], "actor")


def test_a_date_before_another_films_name_is_not_that_films() -> None:
    body = (
        "Meanwhile, Fox's Deep Water now has a release date set for November 13th, 2031 and "
        "The Paper Orchard will debut on Christmas Day 2031 in limited release."
    )
    found = films(extract(body, D, headline="Harbor Pictures Dates Two Films"))
    assert dt.date(2031, 11, 13) not in {r.date for r in found["The Paper Orchard"].releases}


def test_a_trailers_unveiling_date_is_not_a_release() -> None:
    body = (
        "Glass Crown hits theaters on December 16, 2031. In a new report, Disney reportedly "
        "plans to unveil the final Glass Crown trailer in October, two months before the "
        "film hits theaters."
    )
    film = film_in(body, "Glass Crown", headline="Glass Crown Trailer Coming")
    assert {r.date for r in film.releases} == {dt.date(2031, 12, 16)}


def test_a_short_form_in_parentheses_after_a_quoted_title_is_not_a_studio() -> None:
    body = (
        "Harbor Pictures' “Salt Meridian” (SLM) stayed at the top of the box office for a "
        "sixth weekend. Salt Meridian opened on December 12, 2030."
    )
    film = film_in(body, "Salt Meridian", headline="Salt Meridian Tops Box Office")
    assert "SLM" not in film.studios


def test_a_filmography_told_of_someone_is_context() -> None:
    body = (
        "Harbor Pictures has cast Sarah Collins in “Salt Meridian,” a thriller from John "
        "Miller. “Salt Meridian” starts shooting in May.\n\n"
        "Collins recently starred in “Paper Moons,” “Glass Houses” and “The Long Heat,” and "
        "will next appear in the pandemic dramedy “Harvest Lane.”"
    )
    result = extract(body, D, headline="Sarah Collins Joins Salt Meridian")
    assert set(films(result)) == {"Salt Meridian"}
    assert {"Paper Moons", "Harvest Lane"} <= set(result.context_titles)


def test_a_nationality_closing_a_title_after_of_the_is_part_of_it() -> None:
    body = (
        "Harbor Pictures is putting together an ensemble for the upcoming romcom The Dream "
        "of the Romans. Sarah Collins and Peter Hale star, and John Miller directs."
    )
    result = extract(body, D, headline="Harbor Pictures Casts The Dream of the Romans")
    assert "The Dream of the Romans" in films(result)
    assert not any(t.endswith(" the") for t in films(result))


def test_the_tail_of_a_title_cut_at_a_contraction_is_no_title() -> None:
    body = (
        "Netflix has a busy winter. Don't Look Up will be released on December 24, 2031, "
        "and the film stars Sarah Collins and Peter Hale."
    )
    result = extract(body, D, headline="Netflix Sets Its Christmas Slate")
    assert "Look Up" not in {f.title for f in result.films}


def test_a_spaced_dash_between_a_name_and_a_title_splits_them() -> None:
    body = (
        "Netflix has set its slate for 2031, and several directors return.\n\n"
        "John Miller – Salt Meridian\n\n"
        "The thriller Salt Meridian opens on May 5, 2031."
    )
    result = extract(body, D, headline="Netflix Directors Return")
    assert not any("–" in f.title for f in result.films)
    assert "Salt Meridian" in films(result)


def test_a_persons_post_after_a_plural_film_noun_is_no_title() -> None:
    body = (
        "Harbor Pictures' head of movies, Sarah Collins, told reporters the slate was its "
        "biggest. The thriller Salt Meridian opens on May 5, 2031."
    )
    result = extract(body, D, headline="Harbor Pictures Unveils Its Slate")
    assert "Sarah Collins" not in {f.title for f in result.films}
