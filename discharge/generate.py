"""Transfer of Care register entries and their delays for the place data generator
(``manage.py generate_place``).

As ``entry_register`` and the delay services keep them: admitted, referred to the team and
declared fit in that order, the plan due by ``plan_due_at`` (the register's own rule); each day
in hospital after the fit date is a delay with a national reason; discharged patients have
their pathway and the delay ended on the discharge date; patients still in hospital have an
open delay and, while they have no plan, a plan clock (made with the escalations generator).
"""

from datetime import date, datetime, timedelta
from functools import cache

from discharge.models import Delay, Pathway, RegisterEntry
from discharge.models.delays import Attribution
from discharge.services.register import plan_due_at

PATHWAY_WEIGHTS = {Pathway.SIMPLE: 50, Pathway.HOME_WITH_SUPPORT: 30, Pathway.INTERMEDIATE_CARE_BED: 12,
                   Pathway.DISCHARGE_TO_ASSESS: 8}
DESTINATIONS = {0: "Home", 1: "Home with support", 2: "Intermediate-care bed", 3: "Care home (assessment)"}


class Register:
    """Intake's rule for the plan's due time, asked once per fit date."""

    def __init__(self, *, wards: list, reasons: list, owner) -> None:
        self.wards, self.reasons, self.owner = wards, reasons, owner
        self.plan_due_at = cache(plan_due_at)

    def rows(self, *, rng, ids, patient_id: int, registered: datetime, today: date) -> tuple[dict, dict | None]:
        """One entry and its delay (None: discharged on the day declared fit)."""
        registered_on = registered.date()
        admitted_on = registered_on - timedelta(days=rng.randint(0, 5))
        fit_on = min(registered_on + timedelta(days=rng.randint(0, 3)), today)
        stay_after_fit = int(rng.expovariate(1 / 4))  # most go within days, a long tail of weeks
        discharged_on = fit_on + timedelta(days=stay_after_fit)
        in_hospital = discharged_on > today
        pathway = rng.choices(list(PATHWAY_WEIGHTS), list(PATHWAY_WEIGHTS.values()))[0]
        planned = not in_hospital or rng.random() < 0.5
        entry_id = ids.take(RegisterEntry)
        entry = {
            "id": entry_id, "patient": patient_id, "ward": self.wards[entry_id % len(self.wards)].pk,
            "admitted_on": admitted_on, "consultant": "Dr Generated", "source": RegisterEntry.Source.WARD,
            "referred_on": registered_on, "fit_on": fit_on, "owner": self.owner.pk,
            "pathway": pathway if planned else None, "plan_due_at": self.plan_due_at(fit_on),
            "plan_set_at": registered if planned else None, "registered_by": self.owner.pk,
            "registered_at": registered, "idempotency_key": f"perf-toc-{entry_id}",
            "status": RegisterEntry.Status.OPEN if in_hospital else RegisterEntry.Status.DISCHARGED,
        }
        if not in_hospital:
            entry.update({"discharged_on": discharged_on, "pathway_used": pathway,
                          "destination": DESTINATIONS[pathway]})
        if stay_after_fit == 0 and not in_hospital:
            return entry, None
        reason = self.reasons[entry_id % len(self.reasons)]
        delay = {
            "id": ids.take(Delay), "entry": entry_id, "reason": reason.pk,
            "attribution": rng.choice(Attribution.values), "starts_on": fit_on,
            "ends_on": None if in_hospital else discharged_on, "recorded_by": self.owner.pk,
            "recorded_at": registered,
        }
        return entry, delay


DISCHARGE_MODELS = [RegisterEntry, Delay]
