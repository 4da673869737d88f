from django.apps import AppConfig


class IrrConfig(AppConfig):
    name = "irr"
    verbose_name = "Integrated Rapid Response"

    def ready(self) -> None:
        from . import permissions  # noqa: F401  registers the object rules
