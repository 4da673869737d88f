from django.apps import AppConfig


class OpelConfig(AppConfig):
    name = "opel"
    verbose_name = "System escalation (OPEL)"
