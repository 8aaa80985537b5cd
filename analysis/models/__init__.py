"""The models: demographics, finance, outcomes, and the reconciliation ledger (checks). No I/O, no printing."""
