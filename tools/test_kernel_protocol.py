#!/usr/bin/env python3
"""The course kernel at the Jupyter protocol level (jupyter_client), as JupyterLab talks to it. Run by ./course test.

- one session id on everything the kernel sends (JupyterLab drops queued messages whose session differs from the
  latest message's: lost statuses, lost first runs);
- after a failed cell, the requests already queued (Run All) are aborted, and the next cell runs, even when it is
  sent the instant the failure is reported;
- the helper's own validation error shows its one-line message (a chart refused before it is shown too), a bug in
  the student's code its stack frames;
- Shift+Tab (inspect) gives signatures and the helper's Javadoc, Tab (complete) the course's classes and methods;
- JJAVA_TIMEOUT stops a cell that runs too long, as in upstream JJava, and the kernel goes on;
- language_info and kernelspec saved in every lesson equal what the kernel reports (opening it changes nothing).
"""
import argparse
import json
import os
import pathlib
import re
import sys
import time

import nbformat
from jupyter_client.manager import start_new_kernel

root = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(root / "tools"))
from notebooks import kernel_metadata, metadata_problems  # noqa: E402

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def collect(kc, ids, timeout=120):
    """The shell replies to ids and every iopub message until all replies and their final idle arrived."""
    replies, iopub = {}, []
    deadline = time.monotonic() + timeout
    idle = set()
    while (len(replies) < len(ids) or not idle >= set(ids)) and time.monotonic() < deadline:
        for get, sink in ((kc.get_shell_msg, "shell"), (kc.get_iopub_msg, "iopub")):
            try:
                m = get(timeout=0.005)
            except Exception:
                continue
            parent = m["parent_header"].get("msg_id")
            if sink == "shell":
                replies[parent] = m
            else:
                iopub.append(m)
                if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
                    idle.add(parent)
    return replies, iopub


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kernel", default="effconv")
    a = ap.parse_args()
    problems = []
    km, kc = start_new_kernel(kernel_name=a.kernel)
    try:
        # language_info / kernelspec: what JupyterLab would write into a lesson on connecting
        expected = kernel_metadata(kc, a.kernel)
        for path in sorted((root / "notebooks").glob("*.ipynb")):
            problems += [f"{path.name}: {p}" for p in metadata_problems(nbformat.read(path, 4), expected)]

        # Run All over a failing cell: the cells after it must not run
        cells = ["int probe = 1;", "GroupedConv.of(8, 8, 3, 3)", "probe = 2;", "probe + 40"]
        ids = [kc.execute(c) for c in cells]
        replies, iopub = collect(kc, ids)
        status = [replies.get(i, {}).get("content", {}).get("status") for i in ids]
        if status != ["ok", "error", "aborted", "aborted"]:
            problems.append(f"Run All over a failing cell: replies {status}, expected ok, error, aborted, aborted")
        ran = [m["content"]["code"] for m in iopub if m["msg_type"] == "execute_input"]
        if ran != cells[:2]:
            problems.append(f"cells after the failing one ran: {ran[2:]}")
        err = [m["content"] for m in iopub if m["msg_type"] == "error"]
        tb = [ANSI.sub("", line) for line in err[0]["traceback"]] if err else []
        if not (len(tb) == 1 and "groups = 3 is not allowed" in tb[0] and tb[0].startswith("IllegalArgumentException")):
            problems.append(f"the helper's validation error should be its one-line message, got {tb}")

        # the next cell runs, in the state before the aborted ones (probe is still 1)
        ids2 = [kc.execute("probe + 40"), kc.execute("Object nothing = null; nothing.toString();")]
        replies2, iopub2 = collect(kc, ids2)
        result = [m["content"]["data"]["text/plain"] for m in iopub2 if m["msg_type"] == "execute_result"]
        if replies2.get(ids2[0], {}).get("content", {}).get("status") != "ok" or result != ["41"]:
            problems.append(f"the cell after the aborted ones: {result}, expected 41")
        # the next cell sent the instant a failed cell's reply and "idle" arrive runs (a student's fast rerun is not
        # one of the requests that were queued behind the failure)
        failing = kc.execute("int[] none = new int[0]; none[1] = 2;")
        collect(kc, [failing])
        quick = kc.execute("probe + 1")
        replies4, iopub4 = collect(kc, [quick])
        status4 = replies4.get(quick, {}).get("content", {}).get("status")
        result4 = [m["content"]["data"]["text/plain"] for m in iopub4 if m["msg_type"] == "execute_result"]
        if status4 != "ok" or result4 != ["2"]:
            problems.append(f"a cell sent right after a failed one: {status4} {result4}, expected ok ['2']")
        # a chart plotly.js 4 would draw empty: refused with one line, and nothing displayed before it
        ids3 = [kc.execute('new Figure(Plot.layout("t", "x", "y"), Plot.line("gaps", new double[] {1, 2}, '
                           'new double[] {Double.NaN, Double.NaN}))')]
        _, iopub3 = collect(kc, ids3)
        shown = [m["msg_type"] for m in iopub3 if m["msg_type"] in ("execute_result", "display_data")]
        chart_err = [m["content"] for m in iopub3 if m["msg_type"] == "error"]
        chart_tb = [ANSI.sub("", line) for line in chart_err[0]["traceback"]] if chart_err else []
        if shown or not (len(chart_tb) == 1 and 'y = [NaN, NaN] is not allowed' in chart_tb[0]):
            problems.append(f"a NaN-only chart should fail with one line and show nothing, got {shown} {chart_tb}")
        npe = [m["content"] for m in iopub2 if m["msg_type"] == "error"]
        npe_tb = ANSI.sub("", "\n".join(npe[0]["traceback"])) if npe else ""
        if "NullPointerException" not in npe_tb or "at " not in npe_tb:
            problems.append(f"a bug in the student's own code should keep its stack frames: {npe_tb[:300]!r}")

        # one session: every message the kernel sent carries the same session, not the client's
        sessions = {m["header"]["session"] for m in [*replies.values(), *replies2.values(), *iopub, *iopub2]}
        if len(sessions) != 1 or kc.session.session in sessions:
            problems.append(f"the kernel's messages carry sessions {sorted(sessions)} (client's: {kc.session.session});"
                            " JupyterLab needs one kernel session")

        # Shift+Tab
        for code, want in [("Models.mobilenetV1(", ["double alpha", "width multiplier"]),
                           ("Models.mobilenetV1(0.75, ", ["int resolution"]),
                           ("var c = Conv2d.of", ["int inChannels", "A standard convolution"]),
                           ("Summary", ["torchsummary"])]:
            reply = kc.inspect(code, len(code), reply=True, timeout=60)["content"]
            text = reply.get("data", {}).get("text/plain", "")
            if not reply.get("found") or not all(w in text for w in want):
                problems.append(f"Shift+Tab on {code!r}: expected {want}, got {text[:200]!r}")

        # Tab: the course's classes and their methods complete
        for code, want in [("Summ", "Summary"), ("Summary.o", "of"), ("Models.mobilenetV", "mobilenetV2")]:
            reply = kc.complete(code, len(code), reply=True, timeout=60)["content"]
            matches = [m.rstrip("(") for m in reply.get("matches", [])]
            if reply.get("status") != "ok" or want not in matches:
                problems.append(f"Tab on {code!r}: expected {want!r} among the completions, got {matches[:10]}")
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    problems += timeout_problems(a.kernel)
    for p in problems:
        print("kernel protocol: " + p)
    print(f"kernel protocol: one session, abort after error, error messages, inspect, completion, JJAVA_TIMEOUT, "
          f"saved metadata: "
          f"{'ok' if not problems else 'FAILED'}")
    return 1 if problems else 0


def timeout_problems(kernel):
    """A kernel started with JJAVA_TIMEOUT stops a cell that sleeps past it, with an error, and runs the next."""
    problems = []
    km, kc = start_new_kernel(kernel_name=kernel, env=dict(os.environ, JJAVA_TIMEOUT="2 seconds"))
    try:
        for get in (kc.get_shell_msg, kc.get_iopub_msg):  # start-up's kernel_info reply would count as a reply
            while True:
                try:
                    get(timeout=0.5)
                except Exception:
                    break
        start = time.monotonic()
        slow = kc.execute("Thread.sleep(20_000); 1")
        replies, iopub = collect(kc, [slow], timeout=60)
        took = time.monotonic() - start
        status = replies.get(slow, {}).get("content", {}).get("status")
        if status != "error" or took > 15:
            problems.append(f"JJAVA_TIMEOUT=2 seconds: a 20 s cell ended {status} after {took:.1f} s, expected an "
                            "error after about 2 s")
        after = kc.execute("40 + 2")
        replies2, iopub2 = collect(kc, [after], timeout=60)
        result = [m["content"]["data"]["text/plain"] for m in iopub2 if m["msg_type"] == "execute_result"]
        if result != ["42"]:
            problems.append(f"the cell after a timed-out one: {result}, expected ['42']")
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    return problems


if __name__ == "__main__":
    sys.exit(main())
