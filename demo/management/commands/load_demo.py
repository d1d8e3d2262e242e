from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from demo.case import DEMO_PASSWORD, USERS, build_demo
from demo.chronology import add_chronology
from demo.family import add_family_structure
from demo.meetings import add_meetings
from demo.wave2 import add_wave2


class Command(BaseCommand):
    help = "Load the synthetic demo case (agencies, users for each role, the Marlow family) and print the logins."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="Do nothing when the demo is already loaded.")

    def handle(self, *args, **options):
        if User.objects.filter(username__in=USERS).exists():
            if options["if_empty"]:
                self.stdout.write("The demo is already loaded.")
                self._print_logins()
                return
            raise CommandError("The demo is already loaded: start from an empty database (delete db.sqlite3).")
        with transaction.atomic():
            ctx = build_demo(today=timezone.localdate())
            add_family_structure(ctx)
            add_chronology(ctx)
            add_wave2(ctx)
            add_meetings(ctx)
        self.stdout.write(self.style.SUCCESS("Demo loaded: case NS-2026-0417, the Marlow family."))
        self._print_logins()

    def _print_logins(self):
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD}):")
        for username, (full_name, agency_key, role) in USERS.items():
            note = " (agency not involved: gets 404 for the demo case)" if agency_key == "elsewhere" else ""
            self.stdout.write(f"  {username:<18} {full_name:<22} {role}{note}")
