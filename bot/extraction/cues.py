"""The few words film journalism uses to tie a name or a title to a role.

These are the cue lemmas and nouns the spaCy Matcher patterns in `roles`, `titles`
and `releases` are built from, not a table of names: what a word means in a given
sentence is decided by the parse around it.
"""

from __future__ import annotations


def words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Nouns that name a film: "the sequel X", "X, the upcoming thriller".
FILM_NOUNS = words(
    """film films movie movies sequel prequel remake reboot thriller comedy drama horror
    feature documentary doc biopic adaptation musical blockbuster spinoff spin-off
    installment instalment epic western romance rom-com romcom picture animation
    follow-up actioner chiller satire mystery fantasy tearjerker debut dramedy mockumentary
    slasher flick"""
)
# Nouns after a title that make it a credit or a series, not the article's film:
# "Barbie director Greta Gerwig", "the Alien franchise", "the Barbie sequel".
CONTEXT_AFTER = words(
    """director directors star actor actress actors filmmaker writer writers helmer
    creator creators franchise series sequel sequels universe saga trilogy fame alum
    alumni producer producers showrunner co-star breakout veteran scribe author novel
    book comic comics games game show season episode reboot remake"""
)
# Words before a title that name it as an earlier credit or a comparison.
CONTEXT_BEFORE = (
    ("known", "for"),
    ("best", "known", "for"),
    ("starred", "in"),
    ("appeared", "in"),
    ("directed",),
    ("wrote",),
    ("produced",),
    ("such", "as"),
    ("including",),
    ("like",),
    ("than",),
    ("follow-up", "to"),
    ("sequel", "to"),
    ("prequel", "to"),
    ("remake", "of"),
    ("novel",),  # "the novel X", "Ana Velo's book X": the source, not the film
    ("book",),
    ("memoir",),
    ("based", "on"),  # ("an adaptation of X" often shares the film's title: no cue)
    ("adapted", "from"),
    ("to", "remake"),  # "attempts to reboot X": X is the original, not the new film
    ("to", "reboot"),
    ("spinoff", "of"),
    ("spin-off", "of"),
    ("since",),
    ("after",),
    ("creator", "of"),
    ("author", "of"),
    ("star", "of"),
    ("his",),
    ("her",),
    ("their",),
    ("original",),
    ("first",),
    ("previous",),
    ("last",),
    ("vein", "of"),  # "in the vein of X and Y": comparisons
    ("compared", "to"),
    ("hit",),  # "last year's hit X": a film already out
    ("starter",),  # "the franchise starter X"
    ("role", "in"),  # "reprised the role in X"
    ("season", "of"),  # "the dream season of X": a series
)
# Words before a title that tie it to this article's news.
FILM_BEFORE = (
    ("cast", "of"),
    ("trailer", "for"),
    ("teaser", "for"),
    ("poster", "for"),
    ("first", "look", "at"),
    ("release", "of"),
    ("premiere", "of"),
    ("production", "on"),
    ("filming", "on"),
    ("shooting", "on"),
    ("debut", "of"),
    ("opening", "of"),
    ("rights", "to"),
    ("star", "in"),
    ("stars", "in"),
    ("starring", "in"),
    ("joins",),
    ("joined",),
    ("join",),
    ("joining",),
    ("direct",),
    ("directs",),
    ("helm",),
    ("helms",),
    ("release",),
    ("releases",),
    ("dated",),
    ("moved",),
    ("moves",),
    ("pushed",),
    ("pushes",),
    ("delayed",),
    ("delays",),
    ("shifted",),
    ("bumped",),
    ("set",),
    ("sets",),
    ("slated",),
    ("unveiled",),
    ("unveils",),
    ("acquired",),
    ("acquires",),
    ("picked", "up"),
    ("picks", "up"),
    ("title",),  # "the title X"
    ("titled",),
    ("referring", "to", "as"),  # "a project we're referring to as X": a working title
    ("referred", "to", "as"),
)
# Words after a title that make it the subject of film news.
FILM_AFTER = (
    ("stars",),
    ("starring",),
    (",", "starring"),
    (",", "directed", "by"),
    (",", "which", "stars"),
    (",", "written", "and", "directed"),
    ("is", "directed"),
    ("was", "directed"),
    ("directed", "by"),
    ("is", "written"),
    ("hits",),
    ("opens",),
    ("arrives",),
    ("premieres",),
    ("debuts",),
    ("lands",),
    ("bows",),
    ("is", "set"),
    ("is", "slated"),
    ("is", "scheduled"),
    ("is", "due"),
    ("will", "be", "released"),
    ("will", "hit"),
    ("will", "open"),
    ("will", "debut"),
    ("will", "premiere"),
    ("will", "arrive"),
    ("trailer",),
    ("teaser",),
    ("poster",),
    ("follows",),
    ("centers",),
    ("centres",),
    ("tells",),
    ("wrapped",),
    ("grossed",),
    ("earned",),
    ("opened",),
    ("topped",),
    ("streams",),
    ("was", "picked"),
    ("delayed",),
    ("postponed",),
    ("gets",),
    ("has", "moved"),
    ("has", "been", "moved"),
    ("moves",),
    ("is", "moving"),
    ("has", "been", "delayed"),
    ("has", "been", "pushed"),
    ("has", "been", "dated"),
    ("has", "shifted"),
    ("has", "been", "set"),
    ("is", "now", "set"),
    ("is", "now", "streaming"),
    ("is", "now", "available"),
    (",", "now", "titled"),
    (",", "now", "called"),
    (",", "formerly"),
    (",", "previously", "titled"),
    (",", "originally", "titled"),
    ("has", "been", "retitled"),
    ("has", "been", "renamed"),
    ("is", "now", "titled"),
    ("marks",),
    ("'s", "cast"),
    ("'s", "release"),
    ("'s", "trailer"),
    ("'s", "premiere"),
    ("'s", "opening"),
    ("'s", "debut"),
    ("’s", "cast"),
    ("’s", "release"),
    ("’s", "trailer"),
    ("’s", "premiere"),
    ("’s", "opening"),
    ("’s", "debut"),
)
# "Director: A", "Distributor: B": a fact sheet's field names, never titles.
# A name ending in one of these is an event or a festival's section, never a film:
# "The 59th Sydney Film Festival", "Critics' Week Competition", "the Berlinale".
EVENT_WORDS = words(
    "festival festivals awards ceremony convention expo berlinale biennale competition sidebar"
)

FIELD_LABELS = words(
    """director directors writer writers producer producers cast starring stars studio
    distributor distributors section runtime rating genre country language sales buyer
    seller price release premiere festival category award winner"""
)
# Kinds of "director" that are not the film's director.
NOT_FILM_DIRECTOR = words(
    """casting art creative music musical artistic festival executive managing program
    programme photography animation technical"""
)
ROLE_TITLES = {
    "director": "director",
    "filmmaker": "director",
    "helmer": "director",
    "co-director": "director",
    "writer-director": "director",
    "dir.": "director",  # "(dir. A)", festival listings
    "screenwriter": "writer",
    "writer": "writer",
    "scribe": "writer",
    "producer": "producer",
    "producers": "producer",
}
# Event, outlet and institution words that a company name never ends with.
NOT_STUDIO = words(
    """festival fest awards award academy con comic-con cinemacon guild oscars oscar
    emmys globes bafta baftas reporter news times post magazine journal review tribune
    daily weekly radio podcast university college school institute association union
    market summit expo week sci fi sci-fi scifi"""
)
