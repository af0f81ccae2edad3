"""The conversational words around a question, which carry nothing to search for.

People in a chat write "hey guys, how many kids do they have?", "@everyone quick q - where is
she from?" or "can you tell me how old Alec is? thanks". Those extra words cost the answer: they
pull the question's embedding towards chatty sentences ("Hey everybody," Baldwin began...) and
count as words a sentence should contain. Only the question is searched for; the user's text is
kept as written everywhere else.
"""

from __future__ import annotations

import re

_SEPARATOR = r"(?:\s*[,:;!.…\-–—]+)?\s+"
_MENTION = r"(?:@everyone|@here|@storybot|@bot|<@[!&]?\d+>)"
"""Discord's mentions (``<@id>``); a typed handle ("@hilariabaldwin ...") may be the subject."""
_GREETING = (
    r"(?:hey|hi|hello|hiya|howdy|yo|greetings|good (?:morning|afternoon|evening))"
    r"(?:\s+(?:there|guys|folks|all|everyone|everybody|bot|storybot|team))?"
)
_INTERJECTION = (
    r"(?:ok|okay|k|so|well|um+|uh+|hmm+|lol|lmao|haha|btw|oh|also|and|but|anyway|please|pls|"
    r"plz|quick (?:question|q)|question|just (?:curious|wondering)|curious|random question)"
)
_REQUEST = (
    r"(?:(?:can|could|would|will) (?:you|u|someone|anyone)(?: please)?"
    r" (?:tell|show|remind) me|tell me|do (?:you|u) know|does (?:anyone|anybody) know|"
    r"(?:anyone|anybody) know|any idea|i(?: was| am|['’]m) (?:wondering|curious)|i wonder|"
    r"i(?:['’]d| would) like to know|i want to know|i need to know|"
    r"(?:please )?(?:summari[sz]e|explain|describe|list|outline)(?: for me| to me)?)"
)
"""Asking to be told: "can you tell me", "I was wondering", and commands such as "Describe" or
"Summarize" ("Describe the reaction to the video" was refused, "the reaction to the video" is
answered: the verb counted as a rare word every sentence lacked)."""
_LEADING = re.compile(
    rf"^(?:(?P<frame>{_MENTION}|{_REQUEST})|{_GREETING}|{_INTERJECTION})"
    rf"(?P<separator>{_SEPARATOR})",
    re.IGNORECASE,
)
_TRAILING = re.compile(
    r"[\s,;.!]+(?:please|pls|plz|thanks|thank you|thx|lol|lmao|haha)[\s.!?]*$", re.IGNORECASE
)
_ONLY = re.compile(
    rf"^(?:(?:{_MENTION}|{_GREETING}|{_INTERJECTION}|"
    r"(?:thanks|thank you)(?: (?:so|very) much| a lot| again)?|thx|ty|cheers|cool|nice|great|"
    r"awesome|wow|yes|no|yep|nope|yeah|sure|help|good bot|bad bot|bot|storybot|bye|goodbye)"
    r"[\s,:;.!?…]*)+$",
    re.IGNORECASE,
)
_NOW = re.compile(
    r"^(?:what time is it|what(?:['’]s| is) the time|what day is (?:it|today)|"
    r"what(?:['’]s| is) (?:the date|today['’]?s date))(?:\s+(?:today|now|right now))?[\s?.!]*$",
    re.IGNORECASE,
)
"""Questions about the present moment, which no article can answer ("what time is it?" found
"...when her parents just happened to be there at the time")."""
MIN_WORDS = 2
"""What is left must still be a question of at least this many words (else nothing goes)."""


def is_small_talk(question: str) -> bool:
    """Whether ``question`` is nothing but small talk ("thanks!", "hi bot", "ok", "help"): no
    question about the story, so nothing to quote ("thanks" would find the thank-you note); or a
    question about the present moment ("what time is it?")."""
    text = question.strip()
    return _ONLY.match(text) is not None or _NOW.match(without_small_talk(text)) is not None


def without_small_talk(question: str) -> str:
    """``question`` without greetings, mentions, "can you tell me" and the like at its start, or
    "thanks"/"please" at its end; unchanged when too little would be left."""
    text = question.strip()
    while True:
        match = _LEADING.match(text)
        if match is None or _may_be_a_name(match, text):
            break
        text = text[match.end() :]
    trailing = _TRAILING.search(text)
    if trailing is not None:
        text = text[: trailing.start()]
    return text if len(text.split()) >= MIN_WORDS else question.strip()


_QUESTION_WORDS = frozenset(
    re.findall(
        r"\w+",
        "what who whom whose when where why how which is are was were do does did can could "
        "will would should has have had tell",
    )
)
"""Words that start a question: "so What did she say?" is no name."""


def _may_be_a_name(match: re.Match[str], text: str) -> bool:
    """A word not set off by punctuation and followed by a capital may start a name ("Hey
    Arnold"), so it is kept, unless a question starts there ("so What..."); a mention or "can
    you tell me" always goes."""
    if match.group("frame") is not None or match.group("separator").strip():
        return False
    following = text[match.end() :].split(maxsplit=1)
    word = following[0] if following else ""
    return word[:1].isupper() and word.lower() not in _QUESTION_WORDS
