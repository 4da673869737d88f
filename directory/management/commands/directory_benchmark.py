"""Time the directory search over a directory of a given size (10,000 services by default).

    python manage.py directory_benchmark [--services 10000] [--runs 30] [--keep]

Tops the directory up with synthetic services (bulk-inserted, realistic words, areas, ages and
opening times) until it has ``--services`` active ones, runs representative searches through
the same selector the search page uses (the page's first 20 results, with their details, and
the count), and prints p50 and p95 per search and overall. Everything it made is rolled back
unless ``--keep`` is given. Run it on PostgreSQL: SQLite has no search index.
"""

import random
import statistics
import time
import uuid
from datetime import time as clock

from django.contrib.postgres.search import SearchVector
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from ccc.models import User
from directory import selectors
from directory.models import Attribute, Organization, Schedule, Service, ServiceArea, TaxonomyTerm

WORDS = (
    "befriending lonely isolated older people telephone visit carers support respite dementia memory falls "
    "balance strength exercise foodbank food pantry lunch club transport hospital appointments mental health "
    "crisis cafe anxiety depression counselling debt benefits housing homeless advice wellbeing walking group "
    "volunteer home help shopping prescriptions learning disability autism young carers bereavement hearing sight"
).split()
AGES = [(None, None), (18, None), (50, None), (60, None), (65, None), (8, 17), (18, 64)]
DAYS = ["MO,TU,WE,TH,FR", "MO,WE,FR", "TU,TH", "MO,TU,WE,TH,FR,SA,SU", "SA,SU"]


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Time directory searches over 10,000 services and print p50/p95."

    def add_arguments(self, parser):
        parser.add_argument("--services", type=int, default=10_000)
        parser.add_argument("--runs", type=int, default=30)
        parser.add_argument("--keep", action="store_true", help="Keep the synthetic services.")

    def handle(self, *args, services: int, runs: int, keep: bool, **options):
        self.stdout.write(f"Database: {connection.vendor}")
        try:
            with transaction.atomic():
                self._top_up(services)
                self._measure(runs)
                if not keep:
                    raise Rollback
        except Rollback:
            self.stdout.write("Synthetic services rolled back.")

    def _top_up(self, wanted: int) -> None:
        have = Service.objects.filter(status=Service.Status.ACTIVE).count()
        missing = max(0, wanted - have)
        self.stdout.write(f"{have} active services; adding {missing}.")
        if not missing:
            return
        rng = random.Random(42)
        terms = list(TaxonomyTerm.objects.all()[:30])
        if not terms:
            terms = [TaxonomyTerm.objects.create(code=f"bench-{word}", name=word.title()) for word in WORDS[:12]]
        organizations = [
            Organization(name=f"Benchmark organisation {n}", description="Synthetic, for the search benchmark")
            for n in range(200)
        ]
        Organization.objects.bulk_create(organizations)
        made, areas, schedules, attributes = [], [], [], []
        for n in range(missing):
            words = rng.sample(WORDS, 12)
            low, high = rng.choice(AGES)
            service = Service(
                id=uuid.uuid4(),
                organization=rng.choice(organizations),
                name=f"{words[0].title()} {words[1]} service {n}",
                description=" ".join(words[2:10]),
                eligibility=" ".join(words[10:]),
                minimum_age=low,
                maximum_age=high,
                self_referral=rng.random() < 0.5,
            )
            term = rng.choice(terms)
            service.search_document = "\n".join([service.name, service.description, service.eligibility, term.name])
            made.append(service)
            first = rng.randint(1, 40)
            districts = " ".join(f"NF{d}" for d in range(first, first + rng.randint(1, 6)))
            areas.append(ServiceArea(service=service, name=f"Area {first}", extent=districts,
                                     district_index=f" {districts} "))
            opens = rng.choice([7, 8, 9, 10, 18])
            schedules.append(Schedule(service=service, byday=rng.choice(DAYS), opens_at=clock(opens),
                                      closes_at=clock((opens + rng.choice([3, 8, 9])) % 24)))
            attributes.append(Attribute(service=service, taxonomy_term=term))
        for model, rows in ((Service, made), (ServiceArea, areas), (Schedule, schedules), (Attribute, attributes)):
            model.objects.bulk_create(rows, batch_size=2000)
        if connection.vendor == "postgresql":  # what services.service_refresh_search does, in bulk
            Service.objects.filter(search_vector__isnull=True).update(
                search_vector=SearchVector("search_document", config="english")
            )
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("ANALYZE directory_service; ANALYZE directory_servicearea; ANALYZE directory_schedule;"
                               " ANALYZE directory_attribute")

    def _measure(self, runs: int) -> None:
        user = User(role=User.Role.CALL_HANDLER)  # the selector checks the role only
        term = TaxonomyTerm.objects.first()
        searches = {
            "free text 'befriending'": selectors.SearchFilters(text="befriending"),
            "free text, two words": selectors.SearchFilters(text="dementia carers"),
            "postcode NF12 3AB": selectors.SearchFilters(area="NF12 3AB"),
            "text + postcode + age 82": selectors.SearchFilters(text="lonely", area="NF7", age=82),
            "category + open now": selectors.SearchFilters(term=term, open_now=True),
            "everything": selectors.SearchFilters(
                text="befriending", term=term, area="NF3 1AA", age=80, criteria="older", open_now=True,
                self_referral=True,
            ),
            "no match (SQL-looking)": selectors.SearchFilters(text="'; DROP TABLE directory_service; --"),
        }
        overall = []
        self.stdout.write(f"{'search':32} {'results':>8} {'p50 ms':>8} {'p95 ms':>8}")
        for label, filters in searches.items():
            timings = []
            for _ in range(runs):
                started = time.perf_counter()
                queryset = selectors.service_details(selectors.service_search(fetched_by=user, filters=filters))
                count = queryset.count()
                list(queryset[:20])  # the page of results, with its prefetches
                timings.append((time.perf_counter() - started) * 1000)
            overall += timings
            self.stdout.write(f"{label:32} {count:>8} {_pct(timings, 50):>8.1f} {_pct(timings, 95):>8.1f}")
        self.stdout.write(f"{'ALL':32} {'':>8} {_pct(overall, 50):>8.1f} {_pct(overall, 95):>8.1f}")


def _pct(values: list[float], percent: int) -> float:
    if len(values) < 2:  # quantiles needs two values: one run is its own every percentile
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[percent - 1]
