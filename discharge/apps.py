from django.apps import AppConfig


class DischargeConfig(AppConfig):
    name = "discharge"
    verbose_name = "Transfer of Care"
