from django.apps import AppConfig
from django.db.backends.signals import connection_created


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = "Reporting: dashboard, joint data set, FHIR"

    def ready(self) -> None:
        from ccc.reporting import register_sqlite_functions

        # The demo runs on SQLite, which has no percentile_cont: give each connection ours.
        connection_created.connect(register_sqlite_functions, dispatch_uid="ccc_sqlite_percentile")
