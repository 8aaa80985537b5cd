"""Every model's contract, by id: what the spec's sections name in ``needs``, what the
"What each section needs" page lists and what the ``new-area`` template asks for."""
from __future__ import annotations

from analysis.models.contracts import Contract
from analysis.models.demographics_inputs import DEMOGRAPHICS_CONTRACTS
from analysis.models.finance.frames import ALLOCATION_COMPARISON
from analysis.models.finance.month9 import MONTH9
from analysis.models.finance.mtfp import MTFP
from analysis.models.finance.plan import PLAN
from analysis.models.finance.schemes import CASE_FOR_CHANGE
from analysis.models.outcomes_inputs import OUTCOMES_CONTRACTS

# In page order: the overview, demographics, finance and outcomes pages.
CONTRACTS: dict[str, Contract] = {c.id: c for c in (ALLOCATION_COMPARISON, *DEMOGRAPHICS_CONTRACTS, PLAN, MTFP, MONTH9,
                                                    CASE_FOR_CHANGE, *OUTCOMES_CONTRACTS)}


def contract(contract_id: str) -> Contract:
    try:
        return CONTRACTS[contract_id]
    except KeyError:
        raise KeyError(f"no model contract {contract_id!r}; known: {', '.join(CONTRACTS)}") from None
