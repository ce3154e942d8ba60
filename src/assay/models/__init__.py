"""Model providers assay registers with Inspect: `local/...` and `sim/...`."""

from ._embedded import EMBEDDED_NAME, resolve_weights
from ._prices import total_cost, usage_cost
from ._sim import SimCall, SimulatedFault, reset_sim_calls, sim_calls

__all__ = [
    "EMBEDDED_NAME",
    "SimCall",
    "SimulatedFault",
    "reset_sim_calls",
    "resolve_weights",
    "sim_calls",
    "total_cost",
    "usage_cost",
]
