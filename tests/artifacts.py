"""What must never reach a reader: Python reprs, missing values shown as text,
tracebacks and unfilled placeholders. Used on the built site and on page
results rendered without a kernel."""
from __future__ import annotations

import re
from functools import lru_cache

from bs4 import BeautifulSoup

REPR = re.compile(r"<[A-Za-z_][\w.]* object(?: at 0x[0-9a-fA-F]+)?>|object at 0x[0-9a-fA-F]+")
TRACEBACK = re.compile(r"Traceback \(most recent call last\)|^\s*File \"[^\"]+\", line \d+", re.M)
PLACEHOLDER = re.compile(r"\{\{[^{}]*\}\}|\{(?:fact|check):[^{}]*\}")
MISSING_WORD = re.compile(r"(?<![A-Za-z])(?:nan|NaN|NaT|<NA>)(?![A-Za-z])")
MISSING_CELL = re.compile(r"^(?:nan|NaN|NaT|<NA>|None|null)$")


def artifacts(html: str) -> list[str]:
    """Each artifact a reader would see in this HTML (or Markdown) text, described."""
    return list(_artifacts(html))


# Keyed by the text itself: pages rendered on slightly altered data repeat most of their results.
@lru_cache(maxsize=1024)
def _artifacts(html: str) -> tuple[str, ...]:
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["script", "style"]):
        tag.decompose()
    root = soup.find("main") or soup
    text = root.get_text(" ")
    found = [f"Python repr {m!r}" for m in REPR.findall(text)]
    found += [f"traceback {m.strip()!r}" for m in TRACEBACK.findall(text)]
    found += [f"unfilled placeholder {m!r}" for m in PLACEHOLDER.findall(text)]
    found += [f"missing value {m!r} in the text" for m in MISSING_WORD.findall(text)]
    for cell in root.find_all(["td", "th", "pre"]):
        value = cell.get_text().strip()
        if MISSING_CELL.match(value):
            found.append(f"a {cell.name} showing {value!r}")
    return tuple(found)

