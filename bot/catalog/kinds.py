"""What kind of title a catalog row is, in words a reader uses ("film", "series").

Titles keep IMDb's titleType in `titles.kind` ('movie' for a film first met in an
article). Questions and counts must not call a series a film, so the grouping lives here.
"""

from __future__ import annotations

SERIES_KINDS = frozenset({"tvSeries", "tvMiniSeries", "tv", "series"})
EPISODE_KINDS = frozenset({"tvEpisode", "episode"})


def is_series(kind: str | None) -> bool:
    return kind in SERIES_KINDS


def noun(kind: str | None) -> str:
    """'series' for a series, 'episode' for an episode, otherwise 'film'."""
    if kind in SERIES_KINDS:
        return "series"
    if kind in EPISODE_KINDS:
        return "episode"
    return "film"
