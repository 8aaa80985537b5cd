"""The bad-input catalogue: each case gives a clear, located message and a
non-zero exit, renders nothing, and leaves the last good site whole."""
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from analysis import ROOT, cli, render
from conftest import parameterised_notebook

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
    ("byte-order mark", "\ufeff" + f"{HEADER}\n{GOOD}\n", "row 1: file starts with a byte-order mark"),
    ("windows line endings", f"{HEADER}\r\n{GOOD}\r\n", "Windows (CRLF)"),
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
])
def test_papermill_parameters_are_checked(capsys, name, value, expected):
    assert cli.main(["render", "--area", "99F", "-p", name, value]) == 1
    assert expected in capsys.readouterr().err


def test_html_in_names_shows_as_text():
    from analysis import charts
    import pandas as pd
    html_text = charts.Table(pd.DataFrame({"Area": ["<script>alert(1)</script>"]}), "<b>caption</b>", "t")._repr_html_()
    assert "<script>alert(1)" not in html_text and "&lt;script&gt;alert(1)&lt;/script&gt;" in html_text
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# {{area_name}}")]
    out = render.normalise(nb, {"area_name": "<script>alert(1)</script>"})
    assert out.cells[0].source == "# &lt;script&gt;alert(1)&lt;/script&gt;"


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


def test_killed_build_leaves_last_good_site(tmp_path):
    _fake_site(tmp_path)
    code = f"from pathlib import Path; from analysis import render; render.build_site(build_dir=Path({str(tmp_path)!r}))"
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, start_new_session=True)
    time.sleep(4)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert (tmp_path / "html" / "index.html").read_text() == "last good site"
