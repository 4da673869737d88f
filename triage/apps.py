from django.apps import AppConfig


class TriageConfig(AppConfig):
    name = "triage"
    verbose_name = "Duty triage"

    def ready(self) -> None:
        from . import escalation_subjects, permissions  # noqa: F401  registers object rules, escalation subjects
