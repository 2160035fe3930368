"""What a test's markers need of the machine: the rule conftest.py applies before each test, kept pure so that it is
tested itself (test_markers.py)."""


def unmet(markers, euid, chromium, ci):
    """(outcome, reason) for a test with these markers on this machine: ("skip", why) where it cannot run here,
    ("fail", why) where it must run here but cannot, or None. Pure, so the rule itself is tested
    (test_markers.py)."""
    if "root" in markers and euid != 0:
        return "skip", ("needs root: it adds the students as Unix users, as a real hub does (run ./course test as "
                        "root, as CI does)")
    if "browser" in markers and not chromium:
        if ci:
            return "fail", "no chromium, and CI must run the browser tests (.ci/run installs Debian's chromium)"
        return "skip", "no chromium here (apt-get install chromium to run it)"
    return None
