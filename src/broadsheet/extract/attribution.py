"""Where a piece comes from when not from the page's publisher: a wire agency or a first publisher.

Hand-written because the evidence is in prose conventions, not markup: the dateline credit
("WASHINGTON (AP) —"), a byline that is an agency, or a closing line "This article was originally
published on The Conversation".
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from broadsheet.types import Author

__all__ = ["WIRE_AGENCIES", "find_attribution"]

# Agency as written in bylines and datelines → the name we report.
WIRE_AGENCIES: dict[str, str] = {
    "AP": "AP", "Associated Press": "AP", "The Associated Press": "AP", "Reuters": "Reuters",
    "AFP": "AFP", "Agence France-Presse": "AFP", "Agence France Presse": "AFP", "dpa": "dpa",
    "Deutsche Presse-Agentur": "dpa", "UPI": "UPI", "United Press International": "UPI",
    "Bloomberg": "Bloomberg", "PTI": "PTI", "Press Trust of India": "PTI", "ANI": "ANI",
    "IANS": "IANS", "EFE": "EFE", "ANSA": "ANSA", "Xinhua": "Xinhua", "Kyodo": "Kyodo",
    "Kyodo News": "Kyodo", "Yonhap": "Yonhap", "TASS": "TASS", "CNA": "CNA", "AAP": "AAP",
    "Australian Associated Press": "AAP", "Canadian Press": "CP", "The Canadian Press": "CP",
    "PA": "PA", "PA Media": "PA", "Press Association": "PA",
}  # fmt: skip
_NAMES = "|".join(sorted(map(re.escape, WIRE_AGENCIES), key=len, reverse=True))
_DATELINE = re.compile(rf"^[^\n]{{0,80}}?\((?P<agency>{_NAMES})\)\s*[-\u2014\u2013:]", re.M)
_ORIGINALLY = re.compile(
    r"(?:was |is )?(?:originally|first) (?:published|appeared|posted) (?:on|in|by|at) "
    r"(?P<where>[^.\n]{2,80}?)(?:\s+on \w+ \d{1,2}, \d{4})?[.\n]",
    re.I,
)


def _agency_byline(authors: Iterable[Author]) -> str | None:
    for author in authors:
        name = re.sub(r"^(by|from)\s+", "", author.name, flags=re.I).strip()
        if name in WIRE_AGENCIES:
            return WIRE_AGENCIES[name]
    return None


def find_attribution(text: str, authors: Iterable[Author] = ()) -> str | None:
    """The agency (``"AP"``) or ``"originally published on …"`` the text credits, if any."""
    found = _ORIGINALLY.search(text)
    if found:
        return f"originally published on {found.group('where').strip()}"
    dateline = _DATELINE.search(text[:600])
    if dateline:
        return WIRE_AGENCIES[dateline.group("agency")]
    return _agency_byline(authors)
