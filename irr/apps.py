from django.apps import AppConfig


class IrrConfig(AppConfig):
    name = "irr"
    verbose_name = "Integrated Rapid Response"
