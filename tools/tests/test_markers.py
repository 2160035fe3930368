"""The rule that skips or fails a test by its markers (tools/tests/markers.py), on faked machines: a check that cannot
run here is skipped with its reason, never failed — except Chromium under CI, which must have it."""
from tools.tests.markers import unmet


def test_hub_as_a_user_who_is_not_root_is_skipped_with_the_reason():
    outcome, why = unmet({"hub", "root", "slow"}, euid=65534, chromium="/usr/bin/chromium", ci=False)
    assert outcome == "skip" and why.startswith("needs root"), (outcome, why)


def test_hub_as_root_runs():
    assert unmet({"hub", "root", "slow"}, euid=0, chromium=None, ci=True) is None


def test_no_chromium_is_skipped_with_the_reason():
    outcome, why = unmet({"browser", "slow"}, euid=1000, chromium=None, ci=False)
    assert outcome == "skip" and "no chromium here" in why, (outcome, why)


def test_no_chromium_under_ci_fails():
    outcome, why = unmet({"browser"}, euid=0, chromium=None, ci=True)
    assert outcome == "fail" and "CI must run the browser tests" in why, (outcome, why)


def test_chromium_there_runs():
    assert unmet({"browser"}, euid=1000, chromium="/usr/bin/chromium", ci=True) is None


def test_unmarked_test_runs_anywhere():
    assert unmet(set(), euid=65534, chromium=None, ci=True) is None
