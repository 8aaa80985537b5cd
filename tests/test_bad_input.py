"""The bad-input catalogue: each case gives a clear, located message and a
non-zero exit, renders nothing, and leaves the last good site whole."""
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import nbformat
import pytest

from analysis import ROOT, cli
from analysis.build import render
from conftest import parameterised_notebook, tiny_book

HEADER = "fact_id,source_id,lines,table,area_code,measure_id,period,breakdown,value,unit,printed,status,note"
GOOD = "900.t.06q.ccg_allocation,000,251,Figure 2,06Q,ccg_allocation,2013/14,test,368029,£000,\"368,029\",published,"


def _replace(row: str, column: str, value: str) -> str:
    import csv, io
    rec = next(csv.DictReader(io.StringIO(HEADER + "\n" + row + "\n")))
    rec[column] = value
    out = io.StringIO()
    csv.DictWriter(out, fieldnames=HEADER.split(","), lineterminator="\n").writerow(rec)
    return out.getvalue().strip("\n")


# (case, file content as bytes, what the message must contain)
CASES = [
    ("ragged row", f"{HEADER}\n{GOOD}\na,b,c\n", "row 3: 3 fields where the header has 13"),
    ("bad quote", f'{HEADER}\n{GOOD}\n900.x,000,251,"Figure 2,06Q\n', "data/facts/zz.csv"),
    ("Excel file with a bad row", "\ufeff" + f"{HEADER}\r\n{GOOD}\r\n{_replace(GOOD, 'value', 'n/a')}\r\n", "row 3, column 'value': 'n/a'"),
    ("thousands separator", f"{HEADER}\n{_replace(GOOD, 'value', '368,029')}\n", "row 2, column 'value': '368,029'"),
    ("pound sign in number", f"{HEADER}\n{_replace(GOOD, 'value', '£368029')}\n", "row 2, column 'value': '£368029'"),
    ("missing column", HEADER.replace(",note", "") + "\n" + GOOD.rsplit(",", 1)[0] + "\n", "missing column(s) 'note'"),
    ("extra column", HEADER + ",extra\n" + GOOD + ",x\n", "unexpected column(s) 'extra'"),
    ("wrong type", f"{HEADER}\n{_replace(GOOD, 'value', 'three')}\n", "row 2, column 'value': 'three': value must be a plain number"),
    ("unknown unit", f"{HEADER}\n{_replace(GOOD, 'unit', 'GBP')}\n", "row 2, column 'unit': 'GBP'"),
    ("unknown area", f"{HEADER}\n{_replace(GOOD, 'area_code', 'ZZ9')}\n", "row 2, column 'area_code': 'ZZ9'"),
    ("unknown measure", f"{HEADER}\n{_replace(GOOD, 'measure_id', 'nothing_here')}\n", "row 2, column 'measure_id': 'nothing_here'"),
    ("duplicate row", f"{HEADER}\n{GOOD}\n{_replace(GOOD, 'fact_id', '900.t.copy')}\n", "row 3: duplicate"),
    ("negative population", f"{HEADER}\n" + _replace(_replace(_replace(GOOD, 'measure_id', 'population_ons_projection'), 'unit', 'count'), 'value', '-5') + "\n",
     "row 2, column 'value': '-5': value is outside the measure's allowed range"),
    ("percentage over 100", f"{HEADER}\n" + _replace(_replace(_replace(GOOD, 'measure_id', 'qipp_pct_allocation'), 'unit', '%'), 'value', '107.5') + "\n",
     "row 2, column 'value': '107.5': value is outside the measure's allowed range"),
    ("period out of order", f"{HEADER}\n{_replace(GOOD, 'period', '2017/18-2013/14')}\n", "row 2, column 'period': '2017/18-2013/14': period is out of order"),
    ("empty file", "", "data/facts/zz.csv: file is empty"),
    ("not UTF-8", None, "is not UTF-8"),
    ("area code in data tries path traversal", f"{HEADER}\n{_replace(GOOD, 'area_code', '../x')}\n", "row 2, column 'area_code': '../x'"),
    ("missing source reference", f"{HEADER}\n{_replace(GOOD, 'table', '')}\n", "row 2, column 'table'"),
]


@pytest.mark.parametrize("case, content, expected", CASES, ids=[c[0] for c in CASES])
def test_bad_data_file_is_refused_before_rendering(data_copy, capsys, case, content, expected):
    path = data_copy / "facts" / "zz.csv"
    if content is None:
        path.write_bytes((HEADER + "\n" + GOOD.replace("£", "\xa3") + "\n").encode("latin-1"))
    else:
        path.write_bytes(content.encode("utf-8"))
    code = cli.main(["--data", str(data_copy), "render", "--area", "99F"])
    err = capsys.readouterr().err
    assert code == 1
    assert expected in err
    assert "nothing was rendered" in err
    assert "Traceback" not in err


def test_area_in_registry_with_shell_metacharacters_is_refused(data_copy, capsys):
    areas = data_copy / "areas.csv"
    areas.write_text(areas.read_text() + 'X;rm -rf,"Bad",ccg,E10000012,,,,,ccg,\n')
    assert cli.main(["--data", str(data_copy), "validate"]) == 1
    assert "column 'area_code': 'X;rm -rf'" in capsys.readouterr().out


@pytest.mark.parametrize("area", ["../x", "99F;rm -rf /", "$(whoami)", "__import__('os')", "99F/../../etc"])
def test_cli_area_argument_is_checked(capsys, area):
    assert cli.main(["render", "--area", area]) == 1
    err = capsys.readouterr().err
    assert f"area code {area!r} is not valid" in err and "Traceback" not in err


@pytest.mark.parametrize("name, value, expected", [
    ("area_code", "../x", "is set by the book itself"),
    ("os.system", "1", "is not a valid name"),
    ("qipp_delivery", "__import__('os')", "give a number"),
    # Out of range for the assumption (a share; a rate): refused before any page renders.
    ("qipp_delivery", "1.5", "qipp_delivery=1.5: input should be less than or equal to 1"),
    ("headroom_pct", "-2", "headroom_pct=-2: input should be greater than or equal to 0"),
    ("acute_growth_pct", "1e999", "acute_growth_pct=inf: input should be a finite number"),
])
def test_papermill_parameters_are_checked(capsys, name, value, expected):
    assert cli.main(["render", "--area", "99F", "-p", name, value]) == 1
    assert expected in capsys.readouterr().err


def test_html_in_names_shows_as_text():
    from analysis.pages import charts
    import pandas as pd
    html_text = charts.Table(pd.DataFrame({"Area": ["<script>alert(1)</script>"]}), "<b>caption</b>", "t")._repr_html_()
    assert "<script>alert(1)" not in html_text and "&lt;script&gt;alert(1)&lt;/script&gt;" in html_text
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# {{area_name}}")]
    out = render.normalise(nb, {"area_name": "<script>alert(1)</script>"})
    assert out.cells[0].source == "# &lt;script&gt;alert(1)&lt;/script&gt;"


@pytest.mark.slow
def test_one_failing_page_does_not_stop_the_others(tmp_path):
    template = parameterised_notebook(tmp_path / "raises.ipynb",
                                      'if area_code == "BAD":\n    raise ValueError("no data for " + area_code)\nprint(area_code)')
    pages = [render.Page(template=str(template), output=f"out/{c}", title=c, params={"area_code": c}, area_code=c) for c in ("GOOD", "BAD")]
    result = render.render_pages(pages, lambda p: {}, jobs=2, output_root=tmp_path, progress=lambda m: None)
    assert result.done == ["out/GOOD"]
    assert list(result.failed) == ["out/BAD"] and "no data for BAD" in result.failed["out/BAD"]
    assert (tmp_path / "out" / "GOOD.ipynb").exists() and not (tmp_path / "out" / "BAD.ipynb").exists()


def test_second_build_is_refused_while_one_runs(capsys):
    with render.build_lock():
        assert cli.main(["build", "--no-render"]) == 1
    assert "another build is running" in capsys.readouterr().err


def _fake_site(build_dir: Path) -> Path:
    old = build_dir / "site-old" / "_build" / "html"
    old.mkdir(parents=True)
    (old / "index.html").write_text("last good site")
    os.symlink(os.path.relpath(old, build_dir), build_dir / "html")
    return old


def test_failed_build_leaves_last_good_site(tmp_path, monkeypatch):
    _fake_site(tmp_path)

    class Failed:
        returncode, stdout, stderr = 1, "", "WARNING: something broke"
    monkeypatch.setattr(render.subprocess, "run", lambda *a, **k: Failed())
    with pytest.raises(RuntimeError, match="previous site is unchanged"):
        render.build_site(build_dir=tmp_path)
    assert (tmp_path / "html" / "index.html").read_text() == "last good site"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["html", "site-old"]


# Run in a child process: build the site, and SIGKILL the child (and its Sphinx) at one point.
KILLED_BUILD = textwrap.dedent("""\
    import os, signal, subprocess, sys, time
    from pathlib import Path
    from analysis.build import render

    point, root, build = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])

    def die():
        os.killpg(0, signal.SIGKILL)

    if point in ("before symlink", "before replace", "after replace"):
        when, name = point.split()
        real_call, real_swap = getattr(os, name), render._swap_in

        def call(*args, **kwargs):
            if when == "before":
                die()
            real_call(*args, **kwargs)
            die()

        def swap(link, new_html):
            setattr(os, name, call)
            real_swap(link, new_html)
        render._swap_in = swap
    elif point == "during sync":
        real_copy, copies = render.shutil.copy2, []

        def copy2(*args, **kwargs):
            copies.append(args)
            if len(copies) == 5:
                die()
            return real_copy(*args, **kwargs)
        render.shutil.copy2 = copy2
    elif point == "during sphinx":
        def run(cmd, **kwargs):
            proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            page = build / "site-b" / "_build" / "html" / "book" / "b.html"
            while proc.poll() is None and not (page.exists() and "Build two." in page.read_text()):
                time.sleep(0.01)
            die()
        render.subprocess.run = run
    render.build_site(root=root, build_dir=build)
""")


def _write_pages(root: Path, marker: str) -> None:
    for name, title in (("index", "Home"), ("a", "Page A"), ("b", "Page B")):
        (root / "book" / f"{name}.md").write_text(f"# {title}\n\n{marker}\n")


def _published_build(build: Path) -> str:
    """The one marker every published page carries; fails on a missing page or a mixture."""
    link = build / "html"
    assert link.is_symlink(), "the published site is missing"
    assert (link / "index.html").exists(), "the published site is missing"
    markers = set()
    for page in ("book/index", "book/a", "book/b"):
        text = (link / f"{page}.html").read_text()
        found = [m for m in ("Build one.", "Build two.") if m in text]
        assert len(found) == 1, f"{page}.html carries {found}"
        markers.update(found)
    assert len(markers) == 1, f"the published pages come from different builds: {markers}"
    return markers.pop()


@pytest.mark.parametrize("point, published", [
    ("during sync", "Build one."),       # the unpublished slot is half copied
    ("during sphinx", "Build one."),     # the unpublished slot is half written
    ("before symlink", "Build one."),    # built, not yet swapped in
    ("before replace", "Build one."),    # the temporary link exists, the swap has not happened
    ("after replace", "Build two."),     # swapped in, old slot not yet looked at
])
@pytest.mark.slow
def test_killed_build_publishes_the_old_site_or_the_new_one_and_the_next_build_recovers(tmp_path, point, published):
    root, build = tiny_book(tmp_path / "src"), tmp_path / "build"
    _write_pages(root, "Build one.")
    render.build_site(root=root, build_dir=build)
    _write_pages(root, "Build two.")
    proc = subprocess.run([sys.executable, "-c", KILLED_BUILD, point, str(root), str(build)],
                          cwd=ROOT, start_new_session=True, capture_output=True, text=True)
    assert proc.returncode == -signal.SIGKILL, f"the build was not killed at {point!r}: {proc.stderr[-2000:]}"
    assert _published_build(build) == published
    render.build_site(root=root, build_dir=build)
    assert _published_build(build) == "Build two."
    assert sorted(p.name for p in build.iterdir()) == ["html", "site-a", "site-b"]  # no temporary link left


def test_new_area_appends_to_a_registry_saved_by_excel(data_copy, capsys):
    # Excel: a byte-order mark, CRLF line endings and no newline after the last row.
    areas = data_copy / "areas.csv"
    areas.write_bytes(b"\xef\xbb\xbf" + areas.read_bytes().replace(b"\n", b"\r\n").rstrip(b"\r\n"))
    assert cli.main(["--data", str(data_copy), "new-area", "99X", "--name", "Example CCG", "--type", "ccg",
                     "--parent", "E10000012", "--date", "2014-04"]) == 0
    assert cli.main(["--data", str(data_copy), "validate"]) == 0, capsys.readouterr().out
    from analysis import data
    loaded, _ = data.collect(data_copy)
    row = loaded.areas.set_index("area_code").loc["99X"]
    assert (row["name"], row["type"], row["section"]) == ("Example CCG", "ccg", "ccg")
    # What the book writes is LF without a byte-order mark.
    written = (data_copy / "facts" / "area-99X.csv").read_bytes()
    assert not written.startswith(b"\xef\xbb\xbf") and b"\r" not in written


@pytest.mark.slow
def test_a_changed_validation_rule_is_not_served_from_the_cache(tmp_path):
    """Validated data are cached; a new rule that rejects rows must stop the next build."""
    import shutil
    from test_new_area import IGNORE
    scratch = tmp_path / "project"
    shutil.copytree(ROOT, scratch, ignore=IGNORE)
    run = lambda *args: subprocess.run([sys.executable, "-m", "analysis", *args], cwd=scratch, capture_output=True, text=True)
    first = run("checks")  # loads, validates and caches the data
    assert first.returncode == 0, first.stderr
    assert list((scratch / "_build" / "cache").glob("data-*.pickle"))
    schema = scratch / "analysis" / "data" / "schema.py"
    text = schema.read_text(encoding="utf-8")
    rule = '_one_of(STATUSES, "status_known"'
    assert rule in text
    # The new rule: a figure printed as approximate is no longer accepted.
    schema.write_text(text.replace(rule, '_one_of(["published", "not_published"], "status_known"'), encoding="utf-8")
    build = run("build")
    assert build.returncode == 1, build.stdout + build.stderr
    assert "nothing was rendered" in build.stderr and "[status_known]" in build.stderr
    assert "Traceback" not in build.stderr
    assert not (scratch / "_build" / "html").exists()


@pytest.mark.parametrize("command", ["render", "build", "validate", "pdf"])
def test_an_empty_area_code_is_one_line_of_error(capsys, command):
    assert cli.main([command, "--area", ""]) == 1
    err = capsys.readouterr().err
    assert err.strip() == "error: area code '' is not valid: use letters, digits and '-' only (for example 99F)"


def test_an_unknown_scenario_parameter_is_refused_before_rendering(capsys, monkeypatch):
    monkeypatch.setattr(render, "render_pages", lambda *a, **k: pytest.fail("nothing may render"))
    assert cli.main(["render", "--area", "99F", "-p", "no_such_param", "1"]) == 1
    err = capsys.readouterr().err
    assert "unknown parameter(s) no_such_param; nothing was rendered" in err
    # The known ones are listed from the finance template: each defaults to the area's own plan.
    assert "qipp_delivery (default: as the area's own plan prints it)" in err and "headroom_pct (" in err
    assert "Traceback" not in err


def test_a_page_with_no_scenario_parameters_says_so(capsys, monkeypatch):
    monkeypatch.setattr(render, "render_pages", lambda *a, **k: pytest.fail("nothing may render"))
    assert cli.main(["render", "--area", "E10000028", "-p", "qipp_delivery", "0.5"]) == 1
    assert "these pages take no scenario parameters" in capsys.readouterr().err


@pytest.mark.parametrize("jobs, says", [("0", "give 1 or more"), ("-2", "give 1 or more"), ("two", "is not a whole number")])
def test_jobs_below_one_is_refused(capsys, jobs, says):
    with pytest.raises(SystemExit) as exit_:
        cli.main(["render", "--jobs", jobs])
    assert exit_.value.code == 2
    assert says in capsys.readouterr().err
