"""Yes/no questions about how something turned out, and the words news says it with.

"Did Hilaria actually reach a million followers in the end?" is answered by "The milestone was
eventually reached": the question's "in the end" and the article's "eventually" share no word,
and the sentences that say "a million followers" outscored it. A yes/no question that asks how
things ended ("in the end", "eventually", "finally", "ultimately", "at last", "end up") takes
first a sentence that says so in any of those words (``states_outcome``). A "What" or "Who"
question that says "finally" is narrating ("the army that finally conquered Bulgaria"); on the
bench, counting those lost 2 answers.
"""

from __future__ import annotations

import re

_OUTCOME = r"\b(?:in the end|eventually|finally|ultimately|at last|end(?:s|ed)? up)\b"
_ASKS_OUTCOME = re.compile(
    rf"^\W*(?:did|does|do|was|were|is|are|has|have|had|will|would|could)\b.*{_OUTCOME}",
    re.IGNORECASE | re.DOTALL,
)
_STATES_OUTCOME = re.compile(_OUTCOME, re.IGNORECASE)


def asks_outcome(question: str) -> bool:
    """Whether ``question`` asks yes or no about how something ended ("Did it work in the
    end?")."""
    return _ASKS_OUTCOME.search(question) is not None


def states_outcome(text: str) -> bool:
    """Whether ``text`` says how something ended ("The milestone was eventually reached")."""
    return _STATES_OUTCOME.search(text) is not None
