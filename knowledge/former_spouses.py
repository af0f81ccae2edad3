"""Questions about someone's former husband or wife, and the words news uses for one.

"Who was Alec Baldwin married to before Hilaria?" is answered by "... father to model Ireland
Baldwin, 27, with ex-wife Kim Basinger": the question's "married ... before" and the article's
"ex-wife" share no word, and sentences about the wife he has now outscored it. A "who" question
about a former spouse ("married ... before", "ex-husband", "first wife", "divorce") takes first
a sentence that names one ("ex-wife", "former husband", "first wife", "divorced"; see
``states_former_spouse``).
"""

from __future__ import annotations

import re

_SPOUSE = r"(?:wife|husband|spouse|partner)"
_ASKS = re.compile(
    rf"\bmarried\b.*\bbefore\b|\bex[- ]?{_SPOUSE}\b|\b(?:former|first|previous|earlier)\s+"
    rf"(?:{_SPOUSE}|marriage)\b|\bdivorced?\b",
    re.IGNORECASE | re.DOTALL,
)
_STATES = re.compile(
    rf"\bex-{_SPOUSE}\b|\b(?:former|first|previous)\s+{_SPOUSE}\b|\bdivorced\b"
    r"|\bpreviously\s+married\b",
    re.IGNORECASE,
)


def asks_former_spouse(question: str) -> bool:
    """Whether ``question`` is about a former husband or wife ("married to before")."""
    return _ASKS.search(question) is not None


def states_former_spouse(text: str) -> bool:
    """Whether ``text`` names someone's former husband or wife ("with ex-wife Kim Basinger")."""
    return _STATES.search(text) is not None
