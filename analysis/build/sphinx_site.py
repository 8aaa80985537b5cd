"""Build the site with Jupyter Book 1's Sphinx configuration, on several processes.

``jupyter-book build`` has no ``-j``: this calls the same function it calls
(``jupyter_book.sphinx.build_sphinx``), with the same configuration from
``_config.yml`` and ``_toc.yml``, and Sphinx's parallel jobs. It runs in its own
process (``python -m analysis.build.sphinx_site``), as ``jupyter-book build`` did.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path


def build(source: Path, output: Path, jobs: int, strict: bool) -> int:
    from jupyter_book.sphinx import build_sphinx
    overrides = {"external_toc_path": (source / "_toc.yml").as_posix(), "latex_individualpages": False}
    if strict:
        overrides["nitpicky"] = True  # jupyter-book build -n
    result = build_sphinx(source, output / "html", noconfig=True, path_config=str(source / "_config.yml"),
                          confoverrides=overrides, doctreedir=output / ".doctrees", builder="html",
                          warningiserror=strict, keep_going=strict, jobs=jobs, quiet=True)
    if isinstance(result, Exception):
        print(f"the book build failed: {result}", file=sys.stderr)
        return 1
    return int(result or 0)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m analysis.build.sphinx_site")
    p.add_argument("source", type=Path)
    p.add_argument("output", type=Path, help="the build folder: html/ and .doctrees/ are written in it")
    p.add_argument("--jobs", type=int, default=1)
    p.add_argument("--strict", action="store_true", help="warnings are errors (reported all at once), nitpicky")
    args = p.parse_args(argv)
    return build(args.source.resolve(), args.output.resolve(), args.jobs, args.strict)


if __name__ == "__main__":
    sys.exit(main())
