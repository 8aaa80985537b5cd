"""Read ONS geography lookups and say which areas they add to the registry.

Four layouts are read, detected from the header whatever year's two-digit
suffix the columns carry (``CCG20CD``, ``CCG21CD``): CCG to STP or ICB, CCG to
local authority district, LSOA to CCG and district (the LSOAs aggregated to
distinct CCG and district pairs), and district to county. A CCG's Health and
Wellbeing Board is the council of its districts: a unitary, metropolitan or
London district (E06, E08, E09) is its own; a two-tier district (E07) lies in
the county the county lookup names.

The functions here read files and build registry rows; ``cli`` writes them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from analysis.data.imports import ImportProblem, columns_message, nearest_layout, read_text, records

ENGLAND = "E92000001"
_YEARLY = re.compile(r"^(CCG|STP|ICB|LAD|LSOA|CTY)\d\d(CD|CDH|NM)$")
# Each layout's columns, with the year suffix written as "yy"; FID (a row number) is optional in all.
LAYOUTS = {
    "CCG to STP/ICB": ["CCGyyCD", "CCGyyCDH", "CCGyyNM", "STPyyCD", "STPyyCDH", "STPyyNM"],
    "CCG to local authority district": ["CCGyyCD", "CCGyyCDH", "CCGyyNM", "LADyyCD", "LADyyNM"],
    "LSOA to CCG and local authority district": ["LSOAyyCD", "LSOAyyNM", "CCGyyCD", "CCGyyCDH", "CCGyyNM", "LADyyCD", "LADyyNM"],
    "local authority district to county": ["LADyyCD", "LADyyNM", "CTYyyCD", "CTYyyNM"],
}
OPTIONAL = ("FID",)
# What a code in each column looks like (GSS codes by their entity prefix; ODS codes are short).
CODE_RE = {
    "CCGyyCD": r"E38\d{6}", "CCGyyCDH": r"[0-9A-Z]{3,5}", "STPyyCD": r"E54\d{6}", "STPyyCDH": r"[0-9A-Z]{3,5}",
    "LADyyCD": r"E0[6789]\d{6}", "CTYyyCD": r"E10\d{6}", "LSOAyyCD": r"E01\d{6}",
}
UNITARY = ("E06", "E08", "E09")  # unitary, metropolitan and London districts: each its own council


class LookupError_(ImportProblem):
    """A lookup that cannot be read; the message names the line and column."""


def canonical(column: str) -> str:
    """A header cell with its year suffix written as "yy"; STP and ICB columns are one.

    >>> canonical("CCG21CDH"), canonical(" ICB22NM "), canonical("LSOA11CD"), canonical("FID"), canonical("CCGCD")
    ('CCGyyCDH', 'STPyyNM', 'LSOAyyCD', 'FID', 'CCGCD')
    """
    c = column.strip().lstrip("\ufeff")
    m = _YEARLY.match(c)
    if not m:
        return c
    return ("STP" if m[1] == "ICB" else m[1]) + "yy" + m[2]


def detect_layout(header: list[str]) -> str:
    """The layout a header is in; an unknown header is refused with what is missing and
    unexpected against the nearest layout.

    >>> detect_layout(["FID", "CCG20CD", "CCG20CDH", "CCG20NM", "STP20CD", "STP20CDH", "STP20NM"])
    'CCG to STP/ICB'
    >>> detect_layout(["LAD23CD", "LAD23NM", "CTY23CD", "CTY23NM"])
    'local authority district to county'
    """
    got = [canonical(c) for c in header if canonical(c) not in OPTIONAL]
    name, columns, exact = nearest_layout(got, LAYOUTS)
    if exact:
        return name
    parts = columns_message([c.replace("yy", "<yy>") for c in columns if c not in got],
                            [h.strip() for h in header if canonical(h) not in columns and canonical(h) not in OPTIONAL])
    if len(got) != len(set(got)):
        parts.append("a column is named twice")
    raise LookupError_("line 1: not an ONS lookup in any layout the import reads (CCG to STP/ICB, CCG to district, "
                       f"LSOA to CCG and district, district to county); nearest is {name}: " + "; ".join(parts))


@dataclass
class Lookup:
    """One file's areas: CCGs by GSS code (ODS code, name), their STP or ICB, their districts,
    and the county of each two-tier district."""
    file: str
    layout: str
    rows: int = 0
    ccgs: dict[str, tuple[str, str]] = field(default_factory=dict)
    icb_of: dict[str, tuple[str, str, str]] = field(default_factory=dict)  # CCG -> (GSS, ODS, name)
    districts: dict[str, dict[str, str]] = field(default_factory=dict)  # CCG -> {district code: name}
    district_names: dict[str, str] = field(default_factory=dict)
    county_of: dict[str, tuple[str, str]] = field(default_factory=dict)  # district -> (county code, name)


def read_lookup(path: Path) -> Lookup:
    """A lookup file read and checked: every code of the form its column holds, no duplicate
    row, and one name and code for each area."""
    path = Path(path)
    header, rows = records(read_text(path))
    layout = detect_layout(header)
    cols = [canonical(c) for c in header]
    out = Lookup(path.name, layout, len(rows))
    seen: dict[tuple, int] = {}
    names: dict[tuple[str, str], tuple[str, int]] = {}
    key_cols = {"CCG to STP/ICB": ("CCGyyCD",), "CCG to local authority district": ("CCGyyCD", "LADyyCD"),
                "LSOA to CCG and local authority district": ("LSOAyyCD",),
                "local authority district to county": ("LADyyCD",)}[layout]
    for line, values in rows:
        row = dict(zip(cols, values))
        for i, c in enumerate(cols):
            if c in LAYOUTS[layout] and not row[c]:
                raise LookupError_(f"line {line}, column {i + 1} ({header[i].strip()}): empty")
            if c in CODE_RE and not re.fullmatch(CODE_RE[c], row[c]):
                raise LookupError_(f"line {line}, column {i + 1} ({header[i].strip()}): {row[c]!r} is not a code of this "
                                   f"column's kind (expected like {_example(c)})")
        key = tuple(row[c] for c in key_cols)
        if key in seen:
            raise LookupError_(f"line {line}: duplicate row, the same {' and '.join(c.replace('yy', '') for c in key_cols)} "
                               f"as line {seen[key]}")
        seen[key] = line
        # One name (and ODS code) for each code, whichever row gives it.
        for code_col, other in (("CCGyyCD", "CCGyyNM"), ("CCGyyCD", "CCGyyCDH"), ("STPyyCD", "STPyyNM"),
                                ("LADyyCD", "LADyyNM"), ("CTYyyCD", "CTYyyNM")):
            if code_col in row:
                given, first = names.setdefault((row[code_col], other), (row[other], line))
                if given != row[other]:
                    raise LookupError_(f"line {line}, column {cols.index(other) + 1} ({header[cols.index(other)].strip()}): "
                                       f"{row[other]!r} where line {first} gives {row[code_col]} as {given!r}")
        if "CCGyyCD" in row:
            out.ccgs[row["CCGyyCD"]] = (row["CCGyyCDH"], row["CCGyyNM"])
        if "STPyyCD" in row:
            out.icb_of[row["CCGyyCD"]] = (row["STPyyCD"], row["STPyyCDH"], row["STPyyNM"])
        if "LADyyCD" in row:
            out.district_names[row["LADyyCD"]] = row["LADyyNM"]
            if "CCGyyCD" in row:
                out.districts.setdefault(row["CCGyyCD"], {})[row["LADyyCD"]] = row["LADyyNM"]
        if "CTYyyCD" in row:
            out.county_of[row["LADyyCD"]] = (row["CTYyyCD"], row["CTYyyNM"])
    return out


def _example(column: str) -> str:
    return {"CCGyyCD": "E38000030", "CCGyyCDH": "99F", "STPyyCD": "E54000026", "STPyyCDH": "QH8",
            "LADyyCD": "E07000069", "CTYyyCD": "E10000012", "LSOAyyCD": "E01021241"}[column]


def merged(lookups: list[Lookup]) -> Lookup:
    """Several lookups as one (later files add to earlier ones)."""
    out = Lookup(", ".join(lk.file for lk in lookups), "merged")
    for lk in lookups:
        out.ccgs.update(lk.ccgs)
        out.icb_of.update(lk.icb_of)
        out.district_names.update(lk.district_names)
        out.county_of.update(lk.county_of)
        for ccg, ds in lk.districts.items():
            out.districts.setdefault(ccg, {}).update(ds)
    return out


def find_ccg(lookup: Lookup, code: str) -> str | None:
    """A CCG's GSS code, from its GSS or ODS code.

    >>> lk = Lookup("f", "x", ccgs={"E38000999": ("99X", "NHS Example CCG")})
    >>> find_ccg(lk, "99x"), find_ccg(lk, "E38000999"), find_ccg(lk, "00A")
    ('E38000999', 'E38000999', None)
    """
    code = code.strip().upper()
    for gss, (ods, _) in lookup.ccgs.items():
        if code in (gss, ods.upper()):
            return gss
    return None


def council_of(district: str, lookup: Lookup) -> tuple[str, str] | None:
    """The council (code, name) that is a district's Health and Wellbeing Board, if known.

    >>> lk = Lookup("f", "x", district_names={"E06000001": "Hartlepool"}, county_of={"E07000001": ("E10000001", "Shire")})
    >>> council_of("E06000001", lk), council_of("E07000001", lk), council_of("E07000002", lk)
    (('E06000001', 'Hartlepool'), ('E10000001', 'Shire'), None)
    """
    if district.startswith(UNITARY):
        return district, lookup.district_names.get(district, district)
    return lookup.county_of.get(district)


class Registry:
    """The registry's codes, for finding an area by its area, GSS or ODS code."""

    def __init__(self, rows: list[dict]):
        self.by_code: dict[str, dict] = {}
        for r in rows:
            for c in (r.get("gss_code", ""), r.get("ods_code", ""), r["area_code"]):
                if c:
                    self.by_code[c.upper()] = r

    def find(self, code: str) -> dict | None:
        return self.by_code.get(code.upper())

    def add(self, row: dict) -> None:
        for c in (row["gss_code"], row["ods_code"], row["area_code"]):
            if c:
                self.by_code[c.upper()] = row


def _row(code, name, kind, parent, gss="", ods="", hwb="", icb="", section="", note="") -> dict:
    return {"area_code": code, "name": name, "type": kind, "parent_code": parent, "gss_code": gss, "ods_code": ods,
            "hwb_code": hwb, "icb_code": icb, "section": section, "note": note}


def plan(lookup: Lookup, registry_rows: list[dict], only: str | None = None, parent: str = "") -> tuple[list[dict], list[str]]:
    """The registry rows the lookup adds (each CCG with its districts, its STP or ICB and its
    council), and notes on what is left as it was. ``only`` is one CCG's GSS code; ``parent``
    is the Health and Wellbeing Board of a CCG whose districts do not say it."""
    reg = Registry(registry_rows)
    added: list[dict] = []
    notes: list[str] = []

    def add(row: dict) -> dict:
        reg.add(row)
        added.append(row)
        return row

    def council(code: str, name: str) -> str:
        have = reg.find(code)
        if have is None:
            have = add(_row(code, name, "hwb", ENGLAND, gss=code,
                            note=f"Council and Health and Wellbeing Board area (from {lookup.file})"))
        return have["area_code"]

    def board(district: str) -> tuple[str, str] | None:
        # A district the registry holds already says its council.
        found = council_of(district, lookup)
        have = reg.find(district)
        if found is None and have is not None and have["hwb_code"] and reg.find(have["hwb_code"]):
            return have["hwb_code"], reg.find(have["hwb_code"])["name"]
        return found

    for gss in sorted(lookup.ccgs) if only is None else [only]:
        ods, name = lookup.ccgs[gss]
        ccg = reg.find(gss) or reg.find(ods)
        districts = lookup.districts.get(gss, {})
        if ccg is None:
            councils = {d: board(d) for d in districts}
            hwbs = sorted({c for c in councils.values() if c})
            if parent:
                hwb = reg.find(parent)
                if hwb is None:
                    known = [c for c in hwbs if c[0] == parent.upper()]
                    if not known:
                        raise LookupError_(f"--parent {parent}: not in data/areas.csv nor a council of {name}'s districts "
                                           "in the lookups")
                    hwb_code = council(*known[0])
                else:
                    hwb_code = hwb["area_code"]
            elif not districts or None in councils.values():
                unknown = sorted(d for d, c in councils.items() if c is None)
                why = (f"its districts {', '.join(unknown)} are two-tier districts of a county no lookup names" if unknown
                       else "no lookup lists its districts")
                raise LookupError_(f"cannot tell the Health and Wellbeing Board of {name} ({ods}): {why}; pass the "
                                   "district-to-county lookup (LADyyCD, LADyyNM, CTYyyCD, CTYyyNM) or --parent CODE")
            elif len(hwbs) > 1:
                raise LookupError_(f"{name} ({ods}) has districts in {len(hwbs)} Health and Wellbeing Board areas "
                                   f"({', '.join(f'{c} {n}' for c, n in hwbs)}); pass --parent CODE to choose its board")
            else:
                hwb_code = council(*hwbs[0])
            icb_code = ""
            if gss in lookup.icb_of:
                icb_gss, icb_ods, icb_name = lookup.icb_of[gss]
                icb = reg.find(icb_gss) or reg.find(icb_ods) or add(_row(
                    icb_ods, icb_name, "icb", ENGLAND, gss=icb_gss, ods=icb_ods, note=f"STP or ICB (from {lookup.file})"))
                icb_code = icb["area_code"]
            ccg = add(_row(ods, name, "ccg", hwb_code, gss=gss, ods=ods, hwb=hwb_code, icb=icb_code, section="ccg",
                           note=f"Added with python -m analysis import-lookup from {lookup.file}"))
        for code, dname in sorted(districts.items()):
            if code.startswith(UNITARY):
                council(code, dname)  # a unitary district is its own council: one row stands for both
                continue
            have = reg.find(code)
            if have is not None:
                if have["parent_code"] != ccg["area_code"]:
                    notes.append(f"district {code} ({dname}) is already in data/areas.csv under {have['parent_code'] or 'no parent'}; "
                                 "its row is kept")
                continue
            c = board(code)
            add(_row(code, dname, "district", ccg["area_code"], gss=code, hwb=council(*c) if c else "",
                     note=f"District within {ccg['name']} (from {lookup.file})"))
    return added, notes
