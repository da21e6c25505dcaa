"""Mapping database failures to ``StorageError`` at the storage boundary, keeping the cause.

A call that meets a connection the server dropped (a restart) is made once more: SQLAlchemy has
then thrown that connection and the pool's older ones away, so the second try gets a fresh one.
Connections are not pinged before use (a round trip each), so this is what keeps a restart from
showing readers an error. Nothing was committed on the dropped connection, so trying a write again
is safe; the one ambiguous case, a commit whose answer was lost, meets the unique URL, text and
entry keys that every save is an upsert on.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from broadsheet.exceptions import StorageError

__all__ = ["storage_errors"]

P = ParamSpec("P")
R = TypeVar("R")


def storage_errors(what: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Wrap a method so that database failures surface as ``StorageError(what)``."""

    def decorate(method: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(method)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            try:
                try:
                    return method(*args, **kwargs)
                except DBAPIError as e:
                    if not e.connection_invalidated:
                        raise
                    return method(*args, **kwargs)  # once more, on a fresh connection
            except SQLAlchemyError as e:
                raise StorageError(f"{what}: {e.__class__.__name__}") from e

        return wrapper

    return decorate
