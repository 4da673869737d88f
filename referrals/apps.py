from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "referrals"

    def ready(self) -> None:
        from . import escalation_subjects, permissions  # noqa: F401  registers object rules, escalation subjects
