"""Reads for Transfer of Care, one module per concern (the register and capacity; the figures);
callers import them from here."""

from discharge.selectors.figures import (
    MonthlyFigures,
    bed_occupancy,
    bed_occupancy_by_ward,
    delayed_transfer_figures,
    delayed_transfer_rate,
    mffd_today,
    month_bounds,
    stranded_now,
)
from discharge.selectors.register import (
    STRANDED_DAYS,
    SUPER_STRANDED_DAYS,
    PathwayDemand,
    board,
    capacity_today,
    delay_get,
    entry_get,
    mffd_by_pathway,
    patient_entries,
    patient_hospital_stays,
    stranded,
    stranded_counts,
    toc_team,
    unmet_demand,
)

__all__ = [
    "STRANDED_DAYS",
    "SUPER_STRANDED_DAYS",
    "MonthlyFigures",
    "PathwayDemand",
    "bed_occupancy",
    "bed_occupancy_by_ward",
    "board",
    "capacity_today",
    "delay_get",
    "delayed_transfer_figures",
    "delayed_transfer_rate",
    "entry_get",
    "mffd_by_pathway",
    "mffd_today",
    "month_bounds",
    "patient_entries",
    "patient_hospital_stays",
    "stranded",
    "stranded_counts",
    "stranded_now",
    "toc_team",
    "unmet_demand",
]
