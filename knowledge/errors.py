"""Every error the engine raises on purpose.

    StoryBotError                 base: a message fit to show a user in one line
    ├── ConfigError               a bad config key or value (names the key)
    ├── QuestionError             an empty or over-long question
    ├── CorpusError               no readable article at all, or a missing corpus folder
    ├── IndexStateError           the saved index cannot be used as it is
    │   ├── IndexMissingError     nothing has been built in the index folder yet
    │   ├── IndexCorruptError     a file is missing, truncated, or does not match the manifest
    │   └── IndexMismatchError    built with another model, chunking or format version
    └── ModelError                the embedding model cannot be loaded

"Nothing relevant found" is a normal answer (``Answer.answered`` is False), never an error.
A single unreadable article is not an error either: it is skipped with a warning.
"""

from __future__ import annotations


class StoryBotError(Exception):
    """Base class: ``str(error)`` is a complete, user-facing sentence."""


class ConfigError(StoryBotError):
    """A configuration key is unknown or its value is invalid."""


class QuestionError(StoryBotError):
    """The question cannot be asked as given (empty, too long)."""


class CorpusError(StoryBotError):
    """The story cannot be read at all."""


class IndexStateError(StoryBotError):
    """The saved index cannot be used as it is."""


class IndexMissingError(IndexStateError):
    """No index has been built in the index folder."""


class IndexCorruptError(IndexStateError):
    """The saved index is damaged or inconsistent with its manifest."""


class IndexMismatchError(IndexStateError):
    """The saved index was built with settings other than the current ones."""


class ModelError(StoryBotError):
    """The embedding model cannot be loaded."""
