"""Analysis behind the Essex CCG planning report book.

The packages follow the pipeline, each importing only from those before it:
``data`` (read, validate, slice and fingerprint the data), ``models`` (the
demographic, finance and outcome models and the reconciliation ledger),
``pages`` (the book's spec and what each page shows), ``build`` (papermill,
the render and the site), then ``cli``.
"""
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
BOOK_DIR = ROOT / "book"
TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
