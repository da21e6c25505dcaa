"""``clean_text``: pasted or feed text without the chrome that came along with it.

Hand-written because plain text has no markup to judge by: what is left are line-level signals.
A line printed again (captions shown twice, a headline repeated under its photo), a stray logo
("TT"), and the calls to action of aggregators and paywalls ("Sign up to read this article",
"Related Stories", "Fourteen days free"), which are short lines made of a few stock phrases.
"""

from __future__ import annotations

import re

from broadsheet.extract.dom import squash

__all__ = ["clean_text"]

# Stock phrases of calls to action and aggregator chrome; only short lines are judged by them.
_CHROME = re.compile(
    r"\b(?:sign (?:up|in)|log ?in|subscribe|subscription|download (?:the|our) app|"
    r"start reading|already (?:a|an) (?:member|subscriber)|(?:related|top|more|trending) stories|"
    r"our picks|\w+ days? free|free trial|all your news|one (?:app|subscription|membership)|"
    r"read news from|premium titles|trusted (?:global )?sources|advertisement|"
    r"share (?:this|on)|follow us|newsletter|click here|read more|recommended for you)\b",
    re.I,
)
_CHROME_MAX_CHARS = 100
# A line this short made only of letters is a logo or an icon's text ("TT", "X").
_LOGO = re.compile(r"^\W*[A-Za-z]{1,3}\W*$")


def _is_chrome(line: str) -> bool:
    return len(line) <= _CHROME_MAX_CHARS and bool(_CHROME.search(line))


def _kept_lines(lines: list[str]) -> list[str]:
    seen: set[str] = set()
    kept: list[str] = []
    for raw in lines:
        line = squash(raw)
        if not line:
            kept.append("")
            continue
        key = line.casefold()
        if key in seen or _LOGO.match(line) or _is_chrome(line):
            continue
        seen.add(key)
        kept.append(line)
    return kept


def clean_text(text: str) -> str:
    """``text`` without repeated lines, stray logo text and aggregator chrome.

    Paragraphs stay one per line; runs of blank lines become one.
    """
    lines = _kept_lines(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()
