from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "referrals"

    def ready(self) -> None:
        import referrals.patient_sections  # noqa: F401  registers the patient page sections

        from . import permissions  # noqa: F401  registers the object rules
