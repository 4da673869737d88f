"""directory_benchmark --runs 1 reports its one timing instead of crashing on the percentiles."""

from directory.management.commands.directory_benchmark import _pct


def test_one_run_is_its_own_p50_and_p95():
    assert (_pct([12.5], 50), _pct([12.5], 95)) == (12.5, 12.5)


def test_many_runs_give_their_percentiles():
    assert _pct([float(n) for n in range(1, 102)], 50) == 51.0
