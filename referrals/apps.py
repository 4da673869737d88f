from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "referrals"

    def ready(self) -> None:
        # Registers the patient page's sections, the object rules and the escalation subjects.
        from . import escalation_subjects, patient_sections, permissions  # noqa: F401
