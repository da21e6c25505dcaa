"""The error tree. Every error Broadsheet raises on purpose is a ``BroadsheetError``::

BroadsheetError
├── ConfigError          bad settings
├── NotFound             get_x found nothing
├── StorageError         the database failed (cause kept)
├── ExtractionError      a page gave no article
└── FetchError           a fetch failed; ``str()`` is the reason in words
    ├── BlockedAddress   the address guard refused a host
    ├── TooLarge         a body passed the size or decompression cap
    └── NotAFeed         the document is not a feed
"""

from __future__ import annotations

__all__ = [
    "BlockedAddress",
    "BroadsheetError",
    "ConfigError",
    "ExtractionError",
    "FetchError",
    "NotAFeed",
    "NotFound",
    "StorageError",
    "TooLarge",
]


class BroadsheetError(Exception):
    """Base of every error Broadsheet raises on purpose."""


class ConfigError(BroadsheetError):
    pass


class NotFound(BroadsheetError):
    pass


class StorageError(BroadsheetError):
    pass


class ExtractionError(BroadsheetError):
    pass


class FetchError(BroadsheetError):
    pass


class BlockedAddress(FetchError):
    pass


class TooLarge(FetchError):
    pass


class NotAFeed(FetchError):
    pass
