"""manage.py hl7_listener --host 127.0.0.1 --port 2575 --user hl7-feed"""

import asyncio

from django.core.management.base import BaseCommand, CommandError

from ccc.models import User
from discharge.hl7_listener import serve


class Command(BaseCommand):
    help = "Listen for the hospital's HL7 v2 ADT messages over MLLP and keep the inpatient list."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=2575)
        parser.add_argument("--user", default="hl7-feed", help="The account the feed acts as (named in history).")

    def handle(self, *args, host: str, port: int, user: str, **options):
        actor = User.objects.filter(username=user, is_active=True).first()
        if actor is None:
            raise CommandError(f"No active user “{user}”: create the feed's account, or name one with --user")
        self.stdout.write(f"HL7 listener on {host}:{port}, acting as {actor.username}")
        asyncio.run(serve(host, port, actor.pk))
