"""Analyst commentary: one Markdown file per area in data/commentary/, read and checked.

A file ``data/commentary/<AREA>.md`` holds the analyst's reading of the papers for that
area, one passage per section of a page, each under a heading ``## <page-id> <section-id>``
(the ids of analysis/pages/book.yml). A passage cites figures only through placeholders,
so that every number in it stays traced:

- ``{fact:ID}``: the figure as printed, linked to its source lines;
- ``{check:ID}``: the reconciliation ledger's recomputed value for check ID;
- ``{calc:RULE:ID,ID}``: the book's own arithmetic on printed figures, by one of the
  ledger's rules (``percentage``, ``ratio``, ``difference``, ``sum``) or ``share`` (an
  amount times a percentage), in base units; ``-ID`` takes the figure's negative (a deficit
  printed as a negative amount). ``RULE@UNIT`` shows a money result in that unit
  (``{calc:difference@£m:ID,ID}``; ``{calc:sum@£m:ID}`` shows one figure in £m).

Validation refuses a placeholder that names no fact or check, or an unknown rule.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from analysis.data.read import _label
from analysis.data.vocabulary import Problem

HEADING = re.compile(r"^## +([a-z][a-z0-9-]*) +([a-z][a-z0-9-]*) *$")
PLACEHOLDER = re.compile(r"\{(fact|check|calc):([^{}]+)\}")
CALC_RULES = ("percentage", "ratio", "difference", "sum", "share")
SHOW_UNITS = ("£", "£000", "£m", "£bn")


@dataclass(frozen=True)
class Passage:
    area_code: str
    page_id: str
    section_id: str
    text: str
    file: str
    line: int


def commentary_files(data_dir: Path) -> list[Path]:
    return sorted((Path(data_dir) / "commentary").glob("*.md"))


def read_passages(path: Path, data_dir: Path) -> tuple[list[Passage], list[Problem]]:
    label, area = _label(path, data_dir), path.stem
    passages, problems, current, start, lines = [], [], None, 0, []

    def close():
        if current is not None:
            passages.append(Passage(area, current[0], current[1], "\n".join(lines).strip(), label, start))

    for n, line in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), start=1):
        if line.startswith("## "):
            close()
            m = HEADING.match(line)
            if not m:
                problems.append(Problem(label, n, None, "commentary_heading",
                                        f"{line!r}: a passage's heading is '## <page-id> <section-id>', e.g. '## ccg-finance gap'"))
                current = None
                continue
            current, start, lines = (m[1], m[2]), n, []
        elif current is not None:
            lines.append(line)
    close()
    return passages, problems


def placeholder_problems(passage: Passage, fact_ids: set[str], check_ids: set[str]) -> list[Problem]:
    problems = []
    for offset, line in enumerate(passage.text.splitlines(), start=1):
        for kind, body in PLACEHOLDER.findall(line):
            row = passage.line + offset
            if kind == "calc":
                rule, _, ids = body.partition(":")
                rule, _, unit = rule.partition("@")
                if unit and unit not in SHOW_UNITS:
                    problems.append(Problem(passage.file, row, None, "commentary_rule",
                                            f"{{calc:{body}}}: a result is shown in one of {', '.join(SHOW_UNITS)}"))
                if rule not in CALC_RULES:
                    problems.append(Problem(passage.file, row, None, "commentary_rule",
                                            f"{{calc:{body}}}: the rule must be one of {', '.join(CALC_RULES)}"))
                refs, known = [i.strip().lstrip("-") for i in ids.split(",") if i.strip()], fact_ids
                if len(refs) < (1 if rule == "sum" else 2):
                    problems.append(Problem(passage.file, row, None, "commentary_rule", f"{{calc:{body}}}: give two or more fact ids"))
            else:
                refs, known = [body.strip()], fact_ids if kind == "fact" else check_ids
            for ref in refs:
                if ref not in known:
                    where = "a fact_id in data/facts" if kind != "check" else "a check_id in data/checks.csv"
                    problems.append(Problem(passage.file, row, None, "commentary_reference", f"{{{kind}:{body}}}: {ref!r} is not {where}"))
    return problems


def check_ids(data_dir: Path) -> set[str]:
    path = Path(data_dir) / "checks.csv"
    if not path.exists():
        return set()
    with open(path, newline="", encoding="utf-8-sig") as f:
        return {row["check_id"] for row in csv.DictReader(line for line in f if not line.startswith("#"))}


def collect_commentary(data_dir: Path, fact_ids: set[str], areas: set[str],
                       known_checks: set[str] | None = None) -> tuple[list[Passage], list[Problem]]:
    """Every passage, and every problem with the files (an unknown area, heading or placeholder).
    ``known_checks``: the ledger's check ids (by default those written in data/checks.csv)."""
    passages, problems = [], []
    known_checks = check_ids(data_dir) if known_checks is None else known_checks
    for path in commentary_files(data_dir):
        found, p = read_passages(path, data_dir)
        problems += p
        if path.stem not in areas:
            problems.append(Problem(_label(path, data_dir), None, None, "commentary_area",
                                    f"the file is named for area {path.stem!r}, which is not in data/areas.csv"))
        seen = set()
        for passage in found:
            key = (passage.page_id, passage.section_id)
            if key in seen:
                problems.append(Problem(passage.file, passage.line, None, "commentary_unique", f"a second passage for {key[0]} {key[1]}"))
            seen.add(key)
            problems += placeholder_problems(passage, fact_ids, known_checks)
        passages += found
    return passages, problems
