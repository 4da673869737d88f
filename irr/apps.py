from django.apps import AppConfig


class IrrConfig(AppConfig):
    name = "irr"
    verbose_name = "Integrated Rapid Response"

    def ready(self) -> None:
        import irr.journey  # noqa: F401  registers its steps of a referral's journey
        import irr.patient_sections  # noqa: F401  registers the patient page section

        from . import permissions  # noqa: F401  registers the object rules
