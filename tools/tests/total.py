"""./course test's closing line, `tests: N passed, M failed, K skipped`, over Maven's tests (surefire's reports,
lib/ and kernel/) and pytest's (its --junitxml report), the hub's and the sharing tests' included. pytest's own errors
(a collection error, a missing fixture) are errors in its report, so failures; where pytest ended without a report, or
with a failing exit status and no failure in it (a usage error, an internal error, no test collected), that counts as
one failure, said in a line before.

    python -m tools.tests.total --pytest-exit RC --junit build/test-results/pytest.xml --unit-reports DIR...
"""
import argparse
import pathlib
import sys
import xml.etree.ElementTree as ET

# pytest's exit statuses (pytest.ExitCode), named for the line that explains a failure without a report
PYTEST_EXITS = {2: "interrupted", 3: "an internal error", 4: "a usage error", 5: "no test collected"}


def junit_counts(paths):
    """(passed, failed, skipped) over JUnit XML reports: Maven surefire's TEST-*.xml (one <testsuite> each) and
    pytest's --junitxml (a <testsuites> of them). Errors count as failures."""
    passed = failed = skipped = 0
    for path in paths:
        for suite in ET.parse(path).getroot().iter("testsuite"):
            total = int(suite.get("tests", 0))
            bad = int(suite.get("failures", 0)) + int(suite.get("errors", 0))
            skip = int(suite.get("skipped", 0))
            passed += total - bad - skip
            failed += bad
            skipped += skip
    return passed, failed, skipped


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pytest-exit", type=int, required=True, help="pytest's exit status")
    ap.add_argument("--junit", type=pathlib.Path, required=True, help="pytest's --junitxml report")
    ap.add_argument("--unit-reports", type=pathlib.Path, action="append", default=[],
                    help="a Maven module's surefire-reports folder (repeatable)")
    a = ap.parse_args(argv)
    reports = [f for folder in a.unit_reports for f in sorted(folder.glob("TEST-*.xml"))]
    passed, failed, skipped = junit_counts(reports + ([a.junit] if a.junit.is_file() else []))
    pytest_failed = junit_counts([a.junit])[1] if a.junit.is_file() else 0
    if a.pytest_exit != 0 and pytest_failed == 0:
        why = PYTEST_EXITS.get(a.pytest_exit, f"exit status {a.pytest_exit}")
        print(f"[course] pytest ended with {why} (exit status {a.pytest_exit}) "
              f"{'and no report' if not a.junit.is_file() else 'and no failed test in its report'}: counted as one "
              "failure (its message is above)", flush=True)
        failed += 1
    print(f"tests: {passed} passed, {failed} failed, {skipped} skipped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
