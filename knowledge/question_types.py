"""What kind of answer a question wants, and where a sentence holds one.

A question's form says what it wants (a number, a date, a person, a place); news text often keeps
such facts in appositions and bylines ("the 30 Rock star, 64, posted") rather than in the sentence
that shares the question's words. These patterns find candidates of each kind in a sentence.
"""

from __future__ import annotations

import re
from enum import Enum


class AnswerKind(Enum):
    AGE = "age"
    NUMBER = "number"
    MONEY = "money"
    DATE = "date"
    DURATION = "duration"
    PERSON = "person"
    PLACE = "place"
    OTHER = "other"


_MONTHS = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan\.|Feb\.|Mar\.|Apr\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.)"
)
_NUMBER_WORDS = (
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
    r"fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|"
    r"eighty|ninety|hundred|thousand|million|billion|trillion|dozen|dozens|hundreds|thousands|"
    r"millions|half|twice|once|single|double|triple)"
)
_NUMBER = re.compile(
    rf"(?:\b\d[\d,.]*\d\b|\b\d\b|\b\d+(?:st|nd|rd|th|s|k|m|bn)\b|\b{_NUMBER_WORDS}\b|%)",
    re.IGNORECASE,
)
_MONEY = re.compile(
    r"(?:[$£€¥₹]\s?\d|\b\d[\d,.]*(?:\s(?:thousand|million|billion|trillion))?\s?"
    r"(?:dollars|euros|pounds|cents|pence|yen|yuan|rupees|francs|marks|lira|pesos|USD|EUR|GBP)\b)",
    re.IGNORECASE,
)
_DATE = re.compile(
    rf"(?:\b{_MONTHS}\b|\b(?:1[0-9]{{3}}|20[0-9]{{2}})s?\b|\b\d{{1,2}}(?:st|nd|rd|th)\b"
    r"|\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
    r"|\b\d{1,2}(?:st|nd|rd|th)? century\b|\b(?:yesterday|today|tomorrow|last year|next year)\b"
    r"|\b(?:B\.?C\.?|A\.?D\.?|BCE|CE)\b)"
)
_DURATION = re.compile(
    rf"\b(?:\d[\d,.]*|{_NUMBER_WORDS}|a|an|several|few)[\s-]+"
    r"(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?|centuries|century)\b",
    re.IGNORECASE,
)
_AGE = re.compile(
    r"(?:(?<=,\s)\d{1,3}(?=,|\s(?:and|who|said|posted|has|is|was)\b|[.;]|$)"
    rf"|\baged?\s(?:\d{{1,3}}|{_NUMBER_WORDS})\b|\b\d{{1,3}} years (?:old|of age)\b|\(\d{{1,3}}\)"
    r"|\b\d{1,3}(?:st|nd|rd|th) birthday\b|\bturn(?:ed|s|ing)? \d{1,3}\b"
    r"|\b\d[\d,.]*[\s-](?:thousand|million|billion)[\s-]years?(?:[\s-]old)?\b)",
    re.IGNORECASE,
)
# "a 9-year-old daughter": the age belongs to the noun that follows, so it only counts when that
# noun is something the question asks about (checked by the caller).
AGE_MODIFIER = re.compile(r"\b\d{1,3}[- ](?:year|month)s?[- ]old\b", re.IGNORECASE)
_PROPER = re.compile(
    r"\b[A-Z][\w'’.-]*[a-z][\w'’.-]*(?:\s+(?:de|da|van|von|of|la|le)?\s*[A-Z][\w'’.-]+)*"
)
_OPENING_QUOTES = frozenset("\u201c\u2018\"'")
_CURLY_OPENING = frozenset("\u201c\u2018")
_BEFORE_QUOTE = frozenset(" \t\n([")
_CALENDAR_NAMES = frozenset(
    "January February March April May June July August September October November December "  # noqa: SIM905
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
)
_PLACE_CUE = re.compile(r"\b(?:in|at|from|near|to|into|across|outside|inside)\s+(?:the\s+)?[A-Z]")

_QUESTION_PATTERNS: tuple[tuple[re.Pattern[str], AnswerKind], ...] = (
    (
        re.compile(
            r"^(?!\W*when\b).*(?:\bhow old\b|\bwhat age\b|\bage of\b|\bwhose age\b)"
            r"|^\s*(?:what(?:['’]s| is| was)\s+)?(?:[\w.-]+\s+){0,3}[\w.-]+['’]s?\s+age\b",
            re.I,
        ),
        AnswerKind.AGE,
    ),
    (
        re.compile(
            r"^(?!.*\bhow many\b).*(?:\bhow much\b[^?]*\b(?:money|cost|costs|price|paid|pay|"
            r"pays|worth|salary|budget|spend|spends|spent|earn|earns|earned|fees?|charged?|"
            r"sold|raised)\b|\bwhat (?:is|was|are|were)\s+(?:the\s+|its\s+|his\s+|her\s+|"
            r"their\s+)?(?:[\w-]+\s+){0,2}(?:cost|price|salary|budget|fee|worth)s?\b"
            r"|\bworth\s*[?.!]*\s*$|\bnet worth\b)",
            re.I,
        ),
        AnswerKind.MONEY,
    ),
    (
        re.compile(r"\bhow long\b|\bfor how many (?:years|days|months|weeks|hours)\b", re.I),
        AnswerKind.DURATION,
    ),
    (
        re.compile(
            r"\bhow (?:many|much|far|big|large|tall|high|fast|often)\b|\bwhat (?:number|"
            r"percentage|percent|proportion|amount|size|population)\b|\bnumber of\b",
            re.I,
        ),
        AnswerKind.NUMBER,
    ),
    (
        re.compile(
            r"\bwhen\b|\bwhat (?:year|date|day|month|time|century|decade|era|period)s?\b"
            r"|\bwhich (?:year|date|day|month|century|decade)s?\b|\bin what year\b",
            re.I,
        ),
        AnswerKind.DATE,
    ),
    (
        re.compile(
            r"\bwho(?:m|se)?\b|\bwhat(?:'s| is| was)? (?:the )?name\b"
            r"|\b(?:what|which)\b[^?]*\bnames?\b(?=\s+of\b|\s*[?.!]*\s*$)"
            r"|\bwhich (?:person|man|woman|daughter|son|child|wife|husband)\b"
            r"|\b(?:which|what)\s+(?:[\w-]+\s+)?(?:actor|actress|author|writer|king|queen|"
            r"president|leader|player|scientist|artist|emperor|empress|composer|"
            r"archaeologist|archeologist|philosopher|poet|singer|musician|architect|inventor|"
            r"explorer|politician|chancellor|ruler|commander|governor|mayor|pope|bishop|"
            r"theologian|physicist|chemist|mathematician|historian|engineer|"
            r"descendant|successor|predecessor|founder|director|producer|comedian|"
            r"journalist|reporter|critic|celebrity|athlete|coach)s?\b",
            re.I,
        ),
        AnswerKind.PERSON,
    ),
    (
        re.compile(
            r"\bwhere\b|\bwhat (?:city|country|state|town|place|region|continent|location)"
            r"\b|\bwhich (?:city|country|state|town|place|region|continent)\b",
            re.I,
        ),
        AnswerKind.PLACE,
    ),
)


_OTHER_QUESTION_WORD = re.compile(
    r"^\W*(?:what|which|who|whom|whose|why|how|when|where)\b"
    r"|\b(?:what|who|which|where|why|how)\W*$",
    re.I,
)
_WHO = re.compile(r"(\S+)(\s+)(who(?:m|se)?)\b", re.I)
_WHEN = re.compile(r"(\S+)(\s+)(when)\b", re.I)
_WHO_ASKS_AFTER = frozenset(
    "by to with among from for of and or than about against between like as on at".split()  # noqa: SIM905
)
"""Words after which "who" still asks ("By whom ...?", "... applies to who?", "and who")."""
_LEADING_WHEN = re.compile(r"^\W*when\b(?=[^?,]*,\s*(?:what|who|whom|where|which|how|why)\b)", re.I)
_WHEN_ASKS_AFTER = frozenset(("since", "until", "till", "from", "and", "or"))
"""Words after which "when" still asks ("Since when ...?", "How and when ...?")."""


def _asked_with(question: str) -> str:
    """``question`` with the words masked that look like question words but do not ask: a
    title's "Who" ("What planet is Doctor Who from?"), the "When" of a clause before the
    question ("When a commission reached no decision, what happened?") and, in a question asked
    with another word, a relative "who" ("Why was the lawyer who moved told to stop?") or a
    "when" that joins clauses ("What did Alec say when he posted the video?"). "Who ...?",
    "By whom ...?", "When X, who ...?" and "Since when ...?" keep theirs."""
    main, boundary = question, -1
    if lead := _LEADING_WHEN.match(question):
        question = "_" * lead.end() + question[lead.end() :]
        boundary = question.index(",", lead.end())
        main = question[boundary + 1 :]
    other_word = _OTHER_QUESTION_WORD.search(main.strip()) is not None

    def who(match: re.Match[str]) -> str:
        before, space, word = match.groups()
        previous = before.strip("\"'“”‘’,;:(")
        title = word[0].isupper() and previous[:1].isupper()
        opens = match.start(1) + len(before) - 1 == boundary  # "When X, who ...?"
        relative = other_word and previous.lower() not in _WHO_ASKS_AFTER and not opens
        return f"{before}{space}{'_' * len(word)}" if title or relative else match.group()

    def when(match: re.Match[str]) -> str:
        before, space, word = match.groups()
        joins = other_word and before.strip("\"'“”‘’,;:(").lower() not in _WHEN_ASKS_AFTER
        return f"{before}{space}{'_' * len(word)}" if joins else match.group()

    return _WHEN.sub(when, _WHO.sub(who, question))


def answer_kind(question: str) -> AnswerKind:
    """The kind of answer a question asks for (``OTHER`` when its form does not say)."""
    question = _asked_with(question)
    for pattern, kind in _QUESTION_PATTERNS:
        if pattern.search(question):
            return kind
    return AnswerKind.OTHER


def states_money(sentence: str) -> bool:
    """Whether ``sentence`` names a sum of money ("$5", "6 million lira"), not just a number."""
    return _MONEY.search(sentence) is not None


def kind_spans(sentence: str, kind: AnswerKind) -> list[tuple[int, int]]:
    """Where ``sentence`` holds something of ``kind`` (character spans, possibly none)."""
    if kind is AnswerKind.OTHER:
        return []
    if kind is AnswerKind.AGE:
        return [m.span() for m in _AGE.finditer(sentence)]
    if kind is AnswerKind.MONEY:
        return [m.span() for m in _MONEY.finditer(sentence)] or _spans(_NUMBER, sentence)
    if kind is AnswerKind.DURATION:
        return _spans(_DURATION, sentence)
    if kind is AnswerKind.NUMBER:
        return _spans(_NUMBER, sentence)
    if kind is AnswerKind.DATE:
        return _spans(_DATE, sentence)
    names = [m.span() for m in _PROPER.finditer(sentence) if m.start() > 0]
    if kind is AnswerKind.PLACE:
        # Only a name after "in", "at", "from", ... is a place: "the Waal" in "discharges into
        # the Waal", not "Genghis Khan". (Counting every name when none had a cue cost 15 of
        # the bench's 325 place questions.)
        cued = [m.end() - 1 for m in _PLACE_CUE.finditer(sentence)]
        return [s for s in names if s[0] in cued]
    # A capital right after an opening quote starts the quoted sentence ("a note that read: “Many
    # thanks to everyone who helped"), and a month or weekday alone is a date ("on January 7"):
    # neither names anyone.
    return [
        (start, end)
        for start, end in names
        if sentence[start:end].rstrip(".") not in _CALENDAR_NAMES
        and not _opens_quote(sentence, start)
    ]


def _opens_quote(text: str, start: int) -> bool:
    """Whether ``text[start:]`` is the first word inside a quotation mark: a curly opening one,
    or a straight one at the start or after a space or bracket (not the closing one of
    ``palaces," Elbegdorj said`` nor the apostrophe of "the Baldwins' ")."""
    before = text[:start].rstrip()
    if not before or before[-1] not in _OPENING_QUOTES:
        return False
    return before[-1] in _CURLY_OPENING or len(before) == 1 or before[-2] in _BEFORE_QUOTE


def _spans(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    return [m.span() for m in pattern.finditer(text)]
