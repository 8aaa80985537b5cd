"""Analysis behind the Essex CCG planning report book.

The modules follow the pipeline: ``data`` (load and validate), ``units``,
the models ``demographics``, ``finance`` and ``outcomes``, ``checks`` (the
reconciliation ledger), ``style`` and ``charts`` (presentation), ``report``
(what the notebooks call), ``render`` (papermill and the book) and ``cli``.
"""
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
BOOK_DIR = ROOT / "book"
TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
