"""Facts from article text: a spaCy pipeline (entities, dependency and Matcher cues,
the catalog as a gazetteer). Pure: no database, no Discord; `extract` is CPU-bound,
so async callers run it in a worker thread."""

from bot.extraction.extract import MAX_CHARS, candidate_names, extract
from bot.extraction.model import Extraction, FilmFact, PersonFact, ReleaseFact, StudioFact
from bot.extraction.nlp import load_pipeline

__all__ = [
    "MAX_CHARS",
    "Extraction",
    "FilmFact",
    "PersonFact",
    "ReleaseFact",
    "StudioFact",
    "candidate_names",
    "extract",
    "load_pipeline",
]
