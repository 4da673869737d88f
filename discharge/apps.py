from django.apps import AppConfig


class DischargeConfig(AppConfig):
    name = "discharge"
    verbose_name = "Transfer of Care"

    def ready(self) -> None:
        import discharge.journey  # noqa: F401  registers its steps of a referral's journey
        import discharge.patient_sections  # noqa: F401  registers the patient page section
        import discharge.permissions  # noqa: F401  registers the patient relationship
