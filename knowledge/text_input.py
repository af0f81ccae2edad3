"""Questions as users type them: normalised, bounded, and always treated as plain text."""

from __future__ import annotations

import re
import unicodedata

from knowledge.errors import QuestionError

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
_SPACE = re.compile(r"\s+")


def clean_question(question: str, max_chars: int) -> str:
    """NFC, no control or direction-override characters, single spaces; empty or too long fails.

    Markdown, mentions such as ``@everyone`` and emoji are kept: they are text like any other.
    """
    if not isinstance(question, str):
        raise QuestionError("the question must be text")
    text = unicodedata.normalize("NFC", question)
    text = _SPACE.sub(" ", _CONTROL.sub(" ", text)).strip()
    if not text:
        raise QuestionError("please ask a question: the text was empty")
    if len(text) > max_chars:
        raise QuestionError(
            f"that question is {len(text):,} characters long; the limit is {max_chars:,}"
        )
    return text
