"""Where pages run: a warm kernel per worker, reset between pages; the local
process pool; a dask.distributed cluster; and the checks on an executor."""
import json

import pytest

from analysis import cli
from analysis import ROOT
from analysis.build import execute
from analysis.build import render
from conftest import parameterised_notebook

pytestmark = pytest.mark.slow  # kernels, Sphinx, a browser or subprocesses


def _outputs(path):
    nb = json.loads(path.read_text())
    return ["".join(o.get("text", "")) for c in nb["cells"] if c["cell_type"] == "code" for o in c.get("outputs", [])]


def test_pages_on_one_worker_share_its_kernel_but_not_their_variables(tmp_path):
    body = ("import os\n"
            "print('kernel', os.getpid())\n"
            "print('leftover' if 'left_by_previous_page' in globals() else 'clean')\n"
            "left_by_previous_page = area_code")
    template = parameterised_notebook(tmp_path / "t.ipynb", body)
    pages = [render.Page(template=str(template), output=f"out/{c}", title=c, params={"area_code": c}, area_code=c)
             for c in ("A", "B", "C")]
    result = render.render_pages(pages, lambda p: {}, jobs=1, output_root=tmp_path, progress=lambda m: None)
    assert sorted(result.done) == ["out/A", "out/B", "out/C"]
    printed = [_outputs(tmp_path / "out" / f"{c}.ipynb")[0] for c in ("A", "B", "C")]
    assert len({p.splitlines()[0] for p in printed}) == 1, "one worker should run every page on one kernel"
    assert all(p.splitlines()[1] == "clean" for p in printed)
    counts = [[c["execution_count"] for c in json.loads((tmp_path / "out" / f"{x}.ipynb").read_text())["cells"]
               if c["cell_type"] == "code"] for x in ("A", "B", "C")]
    assert counts[0] == counts[1] == counts[2] and counts[0][0] == 1


def test_a_worker_with_other_code_or_data_refuses_the_page(tmp_path):
    template = parameterised_notebook(tmp_path / "t.ipynb", "print(area_code)")
    with pytest.raises(RuntimeError, match="same checkout"):
        execute.execute_template(template, {"area_code": "A"}, kernel_key="another-checkout")


def test_a_page_that_fails_does_not_poison_the_next_on_the_same_kernel(tmp_path):
    template = parameterised_notebook(tmp_path / "t.ipynb", 'assert area_code != "BAD", "bad area"\nprint("ok", area_code)')
    pages = [render.Page(template=str(template), output=f"out/{c}", title=c, params={"area_code": c}, area_code=c)
             for c in ("BAD", "GOOD")]
    result = render.render_pages(pages, lambda p: {}, jobs=1, output_root=tmp_path, progress=lambda m: None)
    assert list(result.failed) == ["out/BAD"] and result.done == ["out/GOOD"]
    assert _outputs(tmp_path / "out" / "GOOD.ipynb") == ["ok GOOD\n"]


def test_progress_counts_pages_and_areas(tmp_path):
    template = parameterised_notebook(tmp_path / "t.ipynb", "print(area_code)")
    pages = [render.Page(template=str(template), output=f"out/{c}{i}", title=c, params={"area_code": c}, area_code=c)
             for c in ("A", "B") for i in (1, 2)]
    lines = []
    render.render_pages(pages, lambda p: {}, jobs=2, output_root=tmp_path, progress=lines.append)
    assert len(lines) == 4
    assert lines[-1].startswith("pages 4 done, 0 failed, 0 remaining; areas 2 done, 0 failed, 0 remaining")
    assert lines[0].startswith("pages 1 done, 0 failed, 3 remaining; areas 0 done, 0 failed, 2 remaining")


def test_unknown_executor_is_refused_by_the_command_line(capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main(["render", "--executor", "spark://cluster:7077"])
    assert exc.value.code == 2
    assert "executor 'spark://cluster:7077' is not known" in capsys.readouterr().err


def test_unreachable_scheduler_is_reported(monkeypatch):
    monkeypatch.setattr(execute, "DASK_CONNECT_TIMEOUT", "1s")
    with pytest.raises(RuntimeError, match="cannot reach the dask scheduler at tcp://127.0.0.1:9"):
        with execute.executor("dask://127.0.0.1:9", 1):
            pass


def test_a_dask_cluster_renders_the_committed_notebooks(tmp_path):
    """Every page rendered on a dask cluster is the committed notebook, byte for byte, and the
    downloads written beside them are the committed ones. (The site is a function of the
    notebooks: tests/test_site.py builds it from these and checks it.)"""
    import shutil
    import subprocess
    import sys
    from distributed import LocalCluster
    from test_new_area import IGNORE

    scratch = tmp_path / "project"
    shutil.copytree(ROOT, scratch, ignore=IGNORE)
    for nb in (scratch / "book").rglob("*.ipynb"):
        nb.unlink()
    downloads = scratch / "book" / "_static" / "downloads"
    shutil.rmtree(downloads, ignore_errors=True)
    (scratch / "book" / ".render-manifest.json").unlink()
    with LocalCluster(n_workers=1, threads_per_worker=2, processes=True, dashboard_address=None) as cluster:
        address = cluster.scheduler_address.removeprefix("tcp://")
        render = subprocess.run([sys.executable, "-m", "analysis", "render", "--executor", f"dask://{address}"],
                                cwd=scratch, capture_output=True, text=True)
    assert render.returncode == 0, render.stdout[-2000:] + render.stderr[-2000:]
    committed = sorted(nb.relative_to(ROOT) for nb in (ROOT / "book").rglob("*.ipynb"))
    assert committed == sorted(nb.relative_to(scratch) for nb in (scratch / "book").rglob("*.ipynb"))
    assert [str(nb) for nb in committed if (scratch / nb).read_bytes() != (ROOT / nb).read_bytes()] == []
    ours = ROOT / "book" / "_static" / "downloads"
    assert sorted(p.name for p in downloads.iterdir()) == sorted(p.name for p in ours.iterdir())
    assert [p.name for p in ours.iterdir() if (downloads / p.name).read_bytes() != p.read_bytes()] == []


def test_a_kernel_started_ahead_runs_the_first_page_with_the_pages_modules_loaded(tmp_path):
    template = parameterised_notebook(tmp_path / "t.ipynb", "import sys\nprint('analysis.pages.blocks' in sys.modules, area_code)")
    execute._shutdown()
    key = execute.current_key()
    execute.warm_up(key)
    started = execute._warm.km
    nb = execute.execute_template(template, {"area_code": "P"}, key)
    assert execute._warm.km is started  # the page ran on the kernel started ahead, not a new one
    assert nb.cells[-1].outputs[0]["text"] == "True P\n"


def test_no_kernels_start_ahead_for_an_unchanged_book_a_remote_cluster_or_refused_data(data_copy, monkeypatch):
    from types import SimpleNamespace
    with cli._early_kernels(SimpleNamespace(executor="local", jobs=1), changed=False) as pool:
        assert pool is None
    with cli._early_kernels(SimpleNamespace(executor="dask://10.0.0.5:8786", jobs=1), changed=True) as pool:
        assert pool is None
    started = []
    monkeypatch.setattr(cli, "_early_kernels", lambda *a: started.append(a))
    facts = data_copy / "facts" / "s002a.csv"
    facts.write_text(facts.read_text(encoding="utf-8").replace(",published,", ",publishd,", 1), encoding="utf-8")
    assert cli.main(["--data", str(data_copy), "render"]) == 1
    assert started == []


def test_workers_forked_from_a_process_with_a_kernel_start_their_own(tmp_path):
    template = parameterised_notebook(tmp_path / "t.ipynb", "print(area_code)")
    execute.execute_template(template, {"area_code": "P"})  # this process now has a warm kernel
    parents = execute._warm.km
    pages = [render.Page(template=str(template), output=f"out/{c}", title=c, params={"area_code": c}, area_code=c)
             for c in ("A", "B")]
    result = render.render_pages(pages, lambda p: {}, jobs=2, output_root=tmp_path, progress=lambda m: None)
    assert sorted(result.done) == ["out/A", "out/B"]
    assert execute._warm.km is parents and parents.has_kernel, "a worker must not stop its parent's kernel"
