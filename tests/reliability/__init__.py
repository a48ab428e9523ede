"""The reliability suite: crash safety, concurrent writers, bad input, hostile values, storage
faults, upgrades and privacy, each printing its figures at the end of the run."""
