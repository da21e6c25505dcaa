"""Mapping database failures to ``StorageError`` at the storage boundary, keeping the cause."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from sqlalchemy.exc import SQLAlchemyError

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
                return method(*args, **kwargs)
            except SQLAlchemyError as e:
                raise StorageError(f"{what}: {e.__class__.__name__}") from e

        return wrapper

    return decorate
