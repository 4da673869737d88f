"""Export the directory as an Open Referral UK ``/services`` page, every service fully nested.

    python manage.py directory_export [FILE]     # standard output without FILE

``directory_import`` reads the file back: export, import into an empty database, export again
gives the same file.
"""

import json

from django.core.management.base import BaseCommand

from directory.models import Service
from directory.oruk import page_json, service_json
from directory.selectors import service_details


class Command(BaseCommand):
    help = "Export every service as an Open Referral UK /services page (JSON)."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?")

    def handle(self, *args, file: str | None = None, **options):
        services = service_details(Service.objects.order_by("id"), identifiers=True)
        contents = [service_json(service) for service in services.iterator(chunk_size=500)]
        page = page_json(contents, total_items=len(contents), page_number=1, per_page=max(len(contents), 1))
        text = json.dumps(page, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
        if file:
            with open(file, "w", encoding="utf-8") as handle:
                handle.write(text)
            self.stderr.write(f"Exported {len(contents)} services to {file}")
        else:
            self.stdout.write(text, ending="")
