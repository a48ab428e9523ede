"""Mutation fuzzing of every import fixture with hypothesis (bounded examples, no deadline):
each mutant imports cleanly or is refused with one line, exit 2, the database unchanged."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.reliability.figures import FIGURES
from tests.reliability.mutate import KINDS, TOKENS, Op, Seed, check_mutant, seeds

SEEDS = seeds()
ops = st.builds(
    Op,
    kind=st.sampled_from(KINDS),
    position=st.floats(0.0, 1.0),
    length=st.integers(1, 64),
    token=st.sampled_from(TOKENS),
    byte=st.integers(1, 255),
)
fuzz_settings = settings(
    max_examples=int(os.environ.get("RELIABILITY_FUZZ_EXAMPLES", "200")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@fuzz_settings
@given(
    seed=st.sampled_from(SEEDS), changes=st.lists(ops, min_size=1, max_size=4), create=st.booleans()
)
def test_mutated_fixture(
    seeded_template: Path, seed: Seed, changes: list[Op], create: bool
) -> None:
    data = seed.data
    for change in changes:
        data = change.apply(data)
    with tempfile.TemporaryDirectory() as workdir:
        outcome = check_mutant(Path(workdir), seeded_template, seed, data, create)
    area = FIGURES.area("bad input")
    area.add(cases=1, faults=len(changes))
    area.count(f"mutants {'imported' if outcome == 'ok' else 'refused'}")


def test_every_fixture_is_a_seed() -> None:
    labels = {s.label for s in SEEDS}
    assert {"sms/backup.xml", "linkedin/export.zip", "contacts/android-2.1.vcf"} <= labels
    assert len(SEEDS) >= 18
