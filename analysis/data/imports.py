"""Changes to ``data/`` made all at once, for the commands that import public files.

An import stages its changes (new files, rows appended to a registry, rows of
another import removed), applies them to a scratch copy of the data folder,
validates the copy, and only then moves the changed files into place. An import
that does not validate, or fails half way, leaves ``data/`` exactly as it was.
"""
from __future__ import annotations

import csv
import hashlib
import io
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path


class ImportProblem(ValueError):
    """A user's file cannot be imported; the message names the file and line."""


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def already_imported(data_dir: Path, path: Path) -> Path | None:
    """The copy in data/sources of a file with the same content, if one was imported before."""
    digest = sha256(path)
    for p in sorted((data_dir / "sources").glob("*")):
        if p.is_file() and p.stat().st_size == path.stat().st_size and sha256(p) == digest:
            return p
    return None


def csv_text(rows: list[dict], fields: list[str]) -> str:
    """Rows as the book writes CSV: UTF-8, LF, no byte-order mark."""
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=fields, lineterminator="\n", extrasaction="ignore")
    w.writeheader()
    w.writerows(rows)
    return out.getvalue()


def read_rows(path: Path) -> tuple[list[str], list[dict]]:
    """A registry's header and rows (a file saved by Excel may start with a byte-order mark)."""
    with open(path, newline="", encoding="utf-8-sig") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames or []), list(reader)


def nearest_layout(got: list[str], layouts: dict[str, list[str]]) -> tuple[str, list[str], bool]:
    """The layout whose columns are ``got`` (in any order), or the nearest one: the fewest columns
    missing and unexpected. Returns its name, its columns and whether it matched exactly.

    >>> nearest_layout(["b", "a"], {"one": ["a", "b"], "two": ["a", "c"]})
    ('one', ['a', 'b'], True)
    >>> nearest_layout(["a", "x"], {"one": ["a", "b", "c"], "two": ["a", "c"]})[:2]
    ('two', ['a', 'c'])
    """
    for name, columns in layouts.items():
        if sorted(got) == sorted(columns):
            return name, columns, True

    def distance(cols):
        return len(set(cols) - set(got)) + len(set(got) - set(cols))
    name, columns = min(layouts.items(), key=lambda kv: distance(kv[1]))
    return name, columns, False


def columns_message(missing: list[str], unexpected: list[str]) -> list[str]:
    """The parts of a refusal of a header: what is missing, what is unexpected."""
    parts = [f"missing column(s) {', '.join(missing)}"] if missing else []
    return parts + ([f"unexpected column(s) {', '.join(unexpected)}"] if unexpected else [])


def earlier_figures(loaded, facts, prefix: str):
    """The figures of earlier imports (sources whose id starts with ``prefix``) of the same
    measures and areas as ``facts``: what a newer import of them would replace."""
    earlier = loaded.facts[loaded.facts["source_id"].str.startswith(prefix)]
    pairs = set(zip(facts["measure_id"], facts["area_code"]))
    return earlier[[p in pairs for p in zip(earlier["measure_id"], earlier["area_code"])]]


def stage_removal(stage: "Staging", loaded, hit) -> str:
    """Stage removing ``hit`` (rows of loaded.facts) and the statistics printed beside them; a
    source left with no figures goes too, with its copied file. Returns what is replaced, in words."""
    from analysis.data.vocabulary import FACT_COLUMNS, FIGURE_KEY, STATISTIC_COLUMNS
    drop = set(hit["fact_id"])
    figures = set(map(tuple, hit[["source_id", *FIGURE_KEY]].to_numpy()))
    sources = set(hit["source_id"])

    def rewrite(frame, columns, gone):
        for label, group in frame[frame["source_id"].isin(sources)].groupby("file"):
            keep = [r for r, g in zip(group.to_dict("records"), gone(group)) if not g]
            rel = label.split("/", 1)[1]  # a validation label, data/<path>
            if not keep:
                stage.remove(rel)
            elif len(keep) < len(group):
                stage.write_text(rel, csv_text(keep, columns))

    rewrite(loaded.facts, FACT_COLUMNS, lambda g: g["fact_id"].isin(drop))
    rewrite(loaded.statistics, STATISTIC_COLUMNS,
            lambda g: [tuple(k) in figures for k in g[["source_id", *FIGURE_KEY]].to_numpy()])
    f = loaded.facts[loaded.facts["source_id"].isin(sources)]
    emptied = sorted(sources - set(f.loc[~f["fact_id"].isin(drop), "source_id"]))
    if emptied:
        fields, rows = read_rows(stage.data_dir / "sources.csv")
        stage.write_text("sources.csv", csv_text([r for r in rows if r["source_id"] not in emptied], fields))
        for r in rows:
            if r["source_id"] in emptied:
                stage.remove(r["file"] if "/" in r["file"] else f"sources/{r['file']}")
    return f"{len(hit)} figure(s) of {', '.join(sorted(sources))}" + (
        f" ({', '.join(emptied)} removed: none of its figures is left)" if emptied else "")


# --- reading a user's CSV ---------------------------------------------------------------

def read_text(path: Path) -> str:
    """A CSV file's text; a file that is not UTF-8 text (a spreadsheet, a zip) is refused."""
    raw = Path(path).read_bytes()
    if not raw.strip():
        raise ImportProblem("the file is empty")
    if b"\x00" in raw or raw[:4] == b"PK\x03\x04":
        raise ImportProblem("not a CSV text file (it holds binary data: save the sheet as CSV UTF-8)")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise ImportProblem(f"line {line}: not UTF-8 text (save it as CSV UTF-8)") from None


def records(text: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and each record with the line it starts on; blank and '#' lines are skipped."""
    reader = csv.reader(io.StringIO(text, newline=""))
    header, out, start = None, [], 1
    try:
        for record in reader:
            if any(v.strip() for v in record) and not record[0].startswith("#"):
                if header is None:
                    header = record
                elif len(record) != len(header):
                    raise ImportProblem(f"line {start}: {len(record)} fields where the header has {len(header)}")
                else:
                    out.append((start, [v.strip() for v in record]))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise ImportProblem(f"line {reader.line_num}: not valid CSV ({exc})") from None
    if header is None:
        raise ImportProblem("the file is empty")
    return header, out


@dataclass
class Staging:
    """What an import will change, by path relative to the data folder."""

    data_dir: Path
    writes: dict[str, bytes] = field(default_factory=dict)
    removals: set[str] = field(default_factory=set)

    def write_text(self, rel: str, text: str) -> None:
        self.writes[rel] = text.encode("utf-8")
        self.removals.discard(rel)

    def copy_file(self, src: Path, rel: str) -> None:
        self.writes[rel] = Path(src).read_bytes()
        self.removals.discard(rel)

    def remove(self, rel: str) -> None:
        self.writes.pop(rel, None)
        self.removals.add(rel)

    def current_text(self, rel: str) -> str:
        """The file as it will be: staged, or as it is in data/."""
        if rel in self.writes:
            return self.writes[rel].decode("utf-8")
        path = self.data_dir / rel
        return path.read_text(encoding="utf-8-sig") if path.exists() else ""

    def append_rows(self, rel: str, rows: list[dict]) -> None:
        """Rows added to a registry, in its own column order; the file keeps LF line ends."""
        text = self.current_text(rel).replace("\r\n", "\n").replace("\r", "\n")
        fields = next(csv.reader(io.StringIO(text)))
        if text and not text.endswith("\n"):
            text += "\n"
        out = io.StringIO()
        csv.DictWriter(out, fieldnames=fields, lineterminator="\n", extrasaction="ignore").writerows(rows)
        self.write_text(rel, text + out.getvalue())

    def changed(self) -> list[str]:
        return sorted(set(self.writes) | self.removals)

    def commit(self) -> list:
        """Validate the data as they would be; apply the changes only if they validate.
        Returns the problems found (nothing is changed when there are any)."""
        from analysis.data.load import collect

        data_dir = Path(self.data_dir).resolve()
        scratch = Path(tempfile.mkdtemp(prefix=f".{data_dir.name}-import-", dir=data_dir.parent))
        try:
            trial = scratch / data_dir.name  # the same folder name, so messages read data/...
            shutil.copytree(data_dir, trial)
            self._apply(trial)
            problems = collect(trial)[1]
            if problems:
                return problems
            # Each file is moved in whole (os.replace on one filesystem): no file is ever half written.
            for rel in sorted(self.writes):
                target = data_dir / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(trial / rel, target)
            for rel in sorted(self.removals):
                (data_dir / rel).unlink(missing_ok=True)
            return []
        finally:
            shutil.rmtree(scratch, ignore_errors=True)

    def _apply(self, root: Path) -> None:
        for rel, content in self.writes.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
        for rel in self.removals:
            (root / rel).unlink(missing_ok=True)
