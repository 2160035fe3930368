"""The course kernel at the Jupyter protocol level (jupyter_client), as JupyterLab talks to it.

- one session id on everything the kernel sends (JupyterLab drops queued messages whose session differs from the
  latest message's: lost statuses, lost first runs);
- after a failed cell, the requests already queued (Run All) are aborted, and the next cell runs, even when it is
  sent the instant the failure is reported;
- the helper's own validation error shows its one-line message (a chart refused before it is shown too), a bug in
  the student's code its stack frames;
- Shift+Tab (inspect) gives signatures and the helper's Javadoc, Tab (complete) the course's classes and methods;
- JJAVA_TIMEOUT stops a cell that runs too long, as in upstream JJava, and the kernel goes on;
- language_info and kernelspec saved in every lesson equal what the kernel reports (opening it changes nothing).

One kernel serves the module; each conversation is a fixture, held once, that the tests read.
"""
import os
import re
import time

import nbformat
import pytest
from jupyter_client.manager import start_new_kernel

from tools.lessons.rules import metadata_problems

ANSI = re.compile(r"\x1b\[[0-9;]*m")
RUN_ALL = ["int probe = 1;", "GroupedConv.of(8, 8, 3, 3)", "probe = 2;", "probe + 40"]


def collect(kc, ids, timeout=120):
    """The shell replies to ids and every iopub message until all replies and their final idle arrived, or the
    timeout passed."""
    replies, iopub = {}, []
    deadline = time.monotonic() + timeout
    idle = set()
    while (len(replies) < len(ids) or not idle >= set(ids)) and time.monotonic() < deadline:
        for get, sink in ((kc.get_shell_msg, "shell"), (kc.get_iopub_msg, "iopub")):
            try:
                m = get(timeout=0.005)
            except Exception:  # noqa: BLE001 (queue.Empty: nothing yet)
                continue
            parent = m["parent_header"].get("msg_id")
            if sink == "shell":
                replies[parent] = m
            else:
                iopub.append(m)
                if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
                    idle.add(parent)
    return replies, iopub


def results(iopub):
    return [m["content"]["data"]["text/plain"] for m in iopub if m["msg_type"] == "execute_result"]


def traceback(iopub):
    """The first error's traceback lines, colours removed."""
    err = [m["content"] for m in iopub if m["msg_type"] == "error"]
    return [ANSI.sub("", line) for line in err[0]["traceback"]] if err else []


@pytest.fixture(scope="module")
def kc(kernel):
    km, client = start_new_kernel(kernel_name=kernel, startup_timeout=120)
    yield client
    client.stop_channels()
    km.shutdown_kernel(now=True)


@pytest.fixture(scope="module")
def run_all(kc):
    """Run All over a failing cell: (ids, replies, iopub)."""
    ids = [kc.execute(c) for c in RUN_ALL]
    return (ids, *collect(kc, ids))


@pytest.fixture(scope="module")
def after_abort(kc, run_all):
    """The cell after the aborted ones, then a bug in the student's code: (ids, replies, iopub)."""
    ids = [kc.execute("probe + 40"), kc.execute("Object nothing = null; nothing.toString();")]
    return (ids, *collect(kc, ids))


def test_run_all_aborts_after_failing_cell(run_all):
    ids, replies, _ = run_all
    status = [replies.get(i, {}).get("content", {}).get("status") for i in ids]
    assert status == ["ok", "error", "aborted", "aborted"], \
        f"Run All over a failing cell: replies {status}, expected ok, error, aborted, aborted"


def test_cells_after_failing_one_do_not_run(run_all):
    ran = [m["content"]["code"] for m in run_all[2] if m["msg_type"] == "execute_input"]
    assert ran == RUN_ALL[:2], f"cells after the failing one ran: {ran[2:]}"


def test_validation_error_is_one_line(run_all):
    tb = traceback(run_all[2])
    assert len(tb) == 1 and "groups = 3 is not allowed" in tb[0] and tb[0].startswith("IllegalArgumentException"), \
        f"the helper's validation error should be its one-line message, got {tb}"


def test_next_cell_runs_in_state_before_aborted_ones(after_abort):
    ids, replies, iopub = after_abort
    status = replies.get(ids[0], {}).get("content", {}).get("status")
    # probe is still 1: the aborted `probe = 2;` never ran
    assert status == "ok" and results(iopub) == ["41"], \
        f"the cell after the aborted ones: {status} {results(iopub)}, expected ok ['41']"


def test_bug_in_students_code_keeps_stack_frames(after_abort):
    tb = "\n".join(traceback(after_abort[2]))
    assert "NullPointerException" in tb and "at " in tb, \
        f"a bug in the student's own code should keep its stack frames: {tb[:300]!r}"


def test_cell_sent_right_after_a_failure_runs(kc, after_abort):
    """The next cell sent the instant a failed cell's reply and "idle" arrive runs (a student's fast rerun is not one
    of the requests that were queued behind the failure)."""
    failing = kc.execute("int[] none = new int[0]; none[1] = 2;")
    collect(kc, [failing])
    quick = kc.execute("probe + 1")
    replies, iopub = collect(kc, [quick])
    status = replies.get(quick, {}).get("content", {}).get("status")
    assert status == "ok" and results(iopub) == ["2"], \
        f"a cell sent right after a failed one: {status} {results(iopub)}, expected ok ['2']"


def test_chart_plotly_cannot_draw_is_refused(kc):
    """A chart plotly.js 4 would draw empty: refused with one line, and nothing displayed before it."""
    ids = [kc.execute('new Figure(Plot.layout("t", "x", "y"), Plot.line("gaps", new double[] {1, 2}, '
                      'new double[] {Double.NaN, Double.NaN}))')]
    _, iopub = collect(kc, ids)
    shown = [m["msg_type"] for m in iopub if m["msg_type"] in ("execute_result", "display_data")]
    tb = traceback(iopub)
    assert not shown and len(tb) == 1 and "y = [NaN, NaN] is not allowed" in tb[0], \
        f"a NaN-only chart should fail with one line and show nothing, got {shown} {tb}"


def test_one_session(kc, run_all, after_abort):
    """Every message the kernel sent carries the same session, not the client's."""
    messages = [*run_all[1].values(), *after_abort[1].values(), *run_all[2], *after_abort[2]]
    sessions = {m["header"]["session"] for m in messages}
    assert len(sessions) == 1 and kc.session.session not in sessions, \
        f"the kernel's messages carry sessions {sorted(sessions)} (client's: {kc.session.session}); JupyterLab " \
        "needs one kernel session"


@pytest.mark.parametrize("code, want", [
    ("Models.mobilenetV1(", ["double alpha", "width multiplier"]),
    ("Models.mobilenetV1(0.75, ", ["int resolution"]),
    ("var c = Conv2d.of", ["int inChannels", "A standard convolution"]),
    ("Summary", ["torchsummary"])])
def test_shift_tab(kc, code, want):
    reply = kc.inspect(code, len(code), reply=True, timeout=60)["content"]
    text = reply.get("data", {}).get("text/plain", "")
    assert reply.get("found") and all(w in text for w in want), \
        f"Shift+Tab on {code!r}: expected {want}, got {text[:200]!r}"


@pytest.mark.parametrize("code, want", [("Summ", "Summary"), ("Summary.o", "of"),
                                        ("Models.mobilenetV", "mobilenetV2")])
def test_tab_completes_course_classes(kc, code, want):
    reply = kc.complete(code, len(code), reply=True, timeout=60)["content"]
    matches = [m.rstrip("(") for m in reply.get("matches", [])]
    assert reply.get("status") == "ok" and want in matches, \
        f"Tab on {code!r}: expected {want!r} among the completions, got {matches[:10]}"


def test_saved_metadata_is_the_kernels(saved_lesson, course_kernel_metadata):
    """language_info and kernelspec: what JupyterLab would write into a lesson on connecting."""
    problems = metadata_problems(nbformat.read(saved_lesson, 4), course_kernel_metadata)
    assert not problems, f"{saved_lesson.name}: " + "; ".join(problems)


def test_jjava_timeout_stops_a_long_cell(kernel):
    """A kernel started with JJAVA_TIMEOUT stops a cell that sleeps past it, with an error, and runs the next."""
    km, kc2 = start_new_kernel(kernel_name=kernel, startup_timeout=120,
                               env=dict(os.environ, JJAVA_TIMEOUT="2 seconds"))
    try:
        for get in (kc2.get_shell_msg, kc2.get_iopub_msg):  # start-up's kernel_info reply would count as a reply
            while True:
                try:
                    get(timeout=0.5)
                except Exception:  # noqa: BLE001 (queue.Empty: drained)
                    break
        start = time.monotonic()
        slow = kc2.execute("Thread.sleep(20_000); 1")
        replies, _ = collect(kc2, [slow], timeout=60)
        took = time.monotonic() - start
        status = replies.get(slow, {}).get("content", {}).get("status")
        assert status == "error" and took <= 15, \
            f"JJAVA_TIMEOUT=2 seconds: a 20 s cell ended {status} after {took:.1f} s, expected an error after about 2 s"
        after = kc2.execute("40 + 2")
        _, iopub = collect(kc2, [after], timeout=60)
        assert results(iopub) == ["42"], f"the cell after a timed-out one: {results(iopub)}, expected ['42']"
    finally:
        kc2.stop_channels()
        km.shutdown_kernel(now=True)
