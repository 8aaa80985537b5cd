"""Benchmarks of the book's build (run with ``make bench``); never part of the published book."""
