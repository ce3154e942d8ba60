"""Model providers assay registers with Inspect: `local/...` and `sim/...`."""

from ._embedded import EMBEDDED_NAME, resolve_weights
from ._prices import total_cost, usage_cost
from ._sim import (
    FAULT_KINDS,
    SIM_CALLS_KEPT,
    SimCall,
    SimulatedFault,
    SimulatedRateLimit,
    SimulatedServerError,
    SimulatedTimeout,
    reset_sim_calls,
    sim_call_count,
    sim_calls,
)

__all__ = [
    "EMBEDDED_NAME",
    "FAULT_KINDS",
    "SIM_CALLS_KEPT",
    "SimCall",
    "SimulatedFault",
    "SimulatedRateLimit",
    "SimulatedServerError",
    "SimulatedTimeout",
    "reset_sim_calls",
    "resolve_weights",
    "sim_call_count",
    "sim_calls",
    "total_cost",
    "usage_cost",
]
