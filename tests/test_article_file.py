import datetime as dt

import pytest

from bot.errors import ArticleError
from bot.news.article import MAX_ARTICLE_BYTES, parse_article, read_article_file
from tests.conftest import SEED_DIR


def test_seed_file_parses_with_date_on_the_body_line():
    article = read_article_file(SEED_DIR / "articles" / "000_f6da5a4759fc8f00.txt")
    assert article.published == dt.date(2022, 12, 19)
    assert article.body.startswith("Paramount Pictures has released")
    assert "date" not in article.body[:10]


def test_date_on_its_own_line():
    article = parse_article(b"date 2024-05-01\nA studio has announced a new film today.\n")
    assert article.published == dt.date(2024, 5, 1)
    assert article.body == "A studio has announced a new film today."


def test_same_text_same_id_different_whitespace():
    a = parse_article("date 2024-05-01\nOne two  three four.")
    b = parse_article("date 2024-05-01\n\nOne two three\nfour.\n")
    c = parse_article("date 2024-05-02\nOne two three four.")
    assert a.article_id == b.article_id != c.article_id


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"", "empty file"),
        (b"   \n\n", "empty file"),
        (b"date 2024-13-45\nBody words here.", "is not a date"),
        (b"date yesterday\nBody words here.", "is not a date"),
        (b"date 2024-05-01\n", "no body"),
        (b"date\n2024-05-01\nThe body of a story goes here.", "first line must be"),
        (b"dated 2024-05-01\nThe body of a story goes here.", "first line must be"),
        ("date 2024-05-01\nA body.".encode("utf-16"), "UTF-16 text; save it as UTF-8"),
        (b"\x89PNG\r\n\x1a\n\x00\x00binary", "binary"),
        (b"date 2024-05-01\n\xff\xfe bad bytes", "not UTF-8"),
    ],
)
def test_bad_articles(data, fragment):
    with pytest.raises(ArticleError) as err:
        parse_article(data, name="x.txt")
    assert fragment in str(err.value) and str(err.value).startswith("x.txt: ")
    assert "\n" not in str(err.value)


def test_huge_file_refused_before_reading(tmp_path):
    big = tmp_path / "big.txt"
    with big.open("wb") as fh:
        fh.write(b"date 2024-05-01\n")
        fh.truncate(50 * 1024 * 1024)
    with pytest.raises(ArticleError, match="too large"):
        read_article_file(big)
    assert big.stat().st_size > MAX_ARTICLE_BYTES


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(ArticleError, match="no such file"):
        read_article_file(tmp_path / "nope.txt")
    with pytest.raises(ArticleError, match="is a directory"):
        read_article_file(tmp_path)


@pytest.mark.parametrize(
    "first_line",
    ["date 2024-05-01 10:30", "date 2024-05-01T10:30:00Z", "Date: 2024-05-01", "date 2024-05-01\r"],
)
def test_date_line_variants(first_line):
    article = parse_article(f"{first_line}\nThe studio confirmed the sequel today.")
    assert article.published == dt.date(2024, 5, 1)
    assert article.body == "The studio confirmed the sequel today."


def test_undated_article_and_headline_line():
    undated = parse_article(b"Studio Sets Date\n\nA story without a date line at all.\n")
    assert undated.published is None and undated.headline == "Studio Sets Date"
    assert undated.story == "A story without a date line at all."
    dated = parse_article("date 2024-05-01\nStudio Sets a Date\n\nThe studio set a date today.")
    assert dated.headline == "Studio Sets a Date"
    assert dated.story == "The studio set a date today."
    # A first paragraph that ends with a full stop is body, not a headline.
    plain = parse_article("date 2024-05-01\nThe studio set a date.\n\nMore words follow here.")
    assert plain.headline is None and plain.story.startswith("The studio set a date.")


def test_a_body_that_is_only_its_headline_keeps_it():
    from bot.news.article import ArticleText

    teaser = ArticleText(
        published=None, body="Studio Dates Its Sequel", headline="Studio Dates Its Sequel"
    )
    assert teaser.story == "Studio Dates Its Sequel"
