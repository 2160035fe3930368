"""What the lessons say, checked (tools.lessons.claims): cross-references, worked solutions, trend and verdict
sentences beside measured or trained outputs, and quotations — each with a test that plants a defect and sees it
found, so none of them can pass by finding nothing."""
import json
import pathlib
import re

import pytest

from tools.lessons import claims

ROOT = pathlib.Path(__file__).resolve().parents[2]
SOURCES = ROOT.parent / "shared" / "sources"
LESSONS = claims.lessons(ROOT)


def show(findings):
    return "\n".join("    " + str(f) for f in findings)


# --- 1. cross-references ---------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def lesson_info():
    return claims.lesson_map(ROOT)


def test_cross_references(lesson_info, report):
    """Every "lesson N", "section N" and "§N" in the lessons (prose and saved outputs), the helper's Javadoc, the
    figures' text, the sources, notation and teaching pages and the README names one that exists, and where its
    clause names a topic, the lesson's own."""
    texts = list(claims.all_texts(ROOT))
    found = claims.cross_references(texts, lesson_info)
    checked = sum(len(claims.REFERENCE.findall(t.text)) for t in texts)
    report("what the lessons say", f"cross-references: {checked} checked in {len(texts)} texts, {len(found)} wrong")
    assert not found, "references that name no lesson or section, or the wrong one:\n" + show(found)


@pytest.mark.parametrize("text, why", [
    # the three figures as they were: lessons 4, 5 and 7 named for 2, 3 and 10
    (claims.Text("depthwise-conv.svg", "text", None, "lesson 4 writes the MACs Dk · Dk · M · Dg · Dg",
                 about="depthwise conv"), "depthwise, which is lesson 1, 2's topic"),
    (claims.Text("pointwise-conv.svg", "text", None, "lesson 5 writes M for C and X × Y for H × W",
                 about="pointwise conv"), "pointwise, which is lesson 1, 3's topic"),
    (claims.Text("separable-conv.svg", "text", None, "lesson 7 (MobileNet) writes DK · DK · M · DF · DF",
                 about="separable conv"), "lesson 7 (\"Channel shuffle\")"),
    (claims.Text("x.md", "line 1", None, "as lesson 4 writes the depthwise MACs"), "depthwise"),
    (claims.Text("x.md", "line 1", None, "see lesson 42"), "there is no lesson 42"),
    (claims.Text("01-x.ipynb", "cell 3", 1, "as section 9 shows"), "lesson 1 has no section 9"),
    (claims.Text("x.md", "line 1", None, "lesson 13, section 8 measures it"), "lesson 13 has no section 8"),
    (claims.Text("X.java", "line 3", None, "the sweep of section 3"), "a section outside a lesson must say whose"),
])
def test_cross_references_finds_a_planted_one(lesson_info, text, why):
    found = claims.cross_references([text], lesson_info)
    assert len(found) == 1 and why in found[0].why, f"{text.text!r}: {found}"


def test_cross_references_pass_paper_sections_and_right_topics(lesson_info):
    fine = [claims.Text("x.md", "line 1", None, "the ShuffleNet paper, section 3.1, and the paper (Section 5.1)"),
            claims.Text("x.md", "line 1", None, "the depthwise convolution of lesson 2"),
            claims.Text("x.md", "line 1", None, "lesson 5's AlexNet-conv2-like layer")]
    assert claims.cross_references(fine, lesson_info) == []


# --- 2. worked solutions ---------------------------------------------------------------------------------------------

def test_solutions_state_their_answers(saved_lesson):
    """A lesson with a self-checking cell has an answers line beside its worked solutions, one answer for each value
    the cell checks, each stated in the solutions' prose."""
    sol, found = claims.solutions(saved_lesson)
    assert not found, "\n" + show(found)


def test_solutions_finds_an_answer_the_prose_does_not_state(tmp_path):
    nb = json.loads((ROOT / "notebooks" / "12-xception.ipynb").read_text())
    for c in nb["cells"]:
        src = "".join(c["source"])
        if "<!-- answers:" in src:
            c["source"] = src.replace("fullOverSeparable = 8.9", "fullOverSeparable = 7.5")
    planted = tmp_path / "12-xception.ipynb"
    planted.write_text(json.dumps(nb))
    _, found = claims.solutions(planted)
    assert [f.claim for f in found] == ["fullOverSeparable = 7.5"], found


@pytest.mark.slow
def test_solutions_are_right(lesson, lesson_runs):
    """The worked solutions' answers, put into the lesson's own check cell and run in its kernel after the lesson:
    every check says right."""
    sol, _ = claims.solutions(lesson)
    if sol is None:
        pytest.skip(f"{lesson.stem} has no self-checking cell")
    run = lesson_runs.get(lesson)
    cell = run.stats["after"][0]
    text = "".join("".join(o.get("text", "")) + "".join(o.get("data", {}).get("text/plain", ""))
                   for o in cell.get("outputs", [])).strip().strip('"')
    lines = [line for line in text.splitlines() if line.strip()]
    wrong = [line for line in lines if not line.startswith("✓")]
    assert lines and not wrong, f"{lesson.name}: the worked solutions' answers ({sol.answers}) through cell " \
                                f"{sol.check_cell}'s check say:\n    " + "\n    ".join(lines or [repr(cell.outputs)])


def test_a_wrong_answer_is_caught_in_the_kernel(kernel):
    """The check cells print ✗ for a wrong answer (so the test above can fail): lesson 12's, with 7.5."""
    from nbclient import NotebookClient
    import nbformat
    sol, _ = claims.solutions(ROOT / "notebooks" / "12-xception.ipynb")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        sol.answered.replace("fullOverSeparable = 8.9", "fullOverSeparable = 7.5"))])
    NotebookClient(nb, kernel_name=kernel, timeout=120, shutdown_kernel="immediate").execute()
    printed = nb.cells[0].outputs[0]["data"]["text/plain"]
    assert "✗" in printed and "✓" not in printed, printed


# --- 3. trends and verdicts beside measured or trained outputs ------------------------------------------------------

def test_verdict_sentences_are_settled(report):
    """Every sentence beside a timing or training cell that states a trend or a verdict is computed by its cell or
    settled in claims-allowed.toml, with the reason no run can contradict it; no entry is stale."""
    entries = claims.allowed_claims(claims.ALLOWED)
    listed = [f for p in LESSONS for f in claims.verdict_sentences(p)]
    left = claims.unsettled(listed, entries)
    stale = [e for e in entries if not any(f.file.startswith(e["lesson"]) and f.claim.startswith(e["sentence"])
                                           for f in listed)]
    report("what the lessons say", f"trend and verdict sentences beside measured or trained outputs: {len(listed)} "
                                   f"listed, {len(listed) - len(left)} settled in claims-allowed.toml, {len(left)} not")
    assert not left, "say it from the run (a computed sentence) or settle it in claims-allowed.toml with its " \
                     "reason:\n" + show(left)
    assert not stale, "claims-allowed.toml settles sentences no lesson has any more: " + \
                      "; ".join(f"{e['lesson']}: {e['sentence']}" for e in stale)


def test_verdict_lint_lists_a_planted_sentence(tmp_path):
    nb = json.loads((ROOT / "notebooks" / "14-where-the-time-goes.ipynb").read_text())
    i = next(i for i, c in enumerate(nb["cells"]) if "timing" in c.get("metadata", {}).get("tags", []))
    nb["cells"].insert(i + 1, {"cell_type": "markdown", "id": "planted", "metadata": {},
                               "source": "The fused path is always faster than the ND4J path."})
    planted = tmp_path / "14-where-the-time-goes.ipynb"
    planted.write_text(json.dumps(nb))
    left = claims.unsettled(list(claims.verdict_sentences(planted)), claims.allowed_claims(claims.ALLOWED))
    assert [f.claim for f in left] == ["The fused path is always faster than the ND4J path."], left


def test_an_allow_list_entry_without_a_reason_is_refused(tmp_path):
    bad = tmp_path / "allowed.toml"
    bad.write_text('[[claim]]\nlesson = "14"\nsentence = "The fused path is always faster"\nreason = " "\n')
    with pytest.raises(ValueError, match=r"allowed.toml: claim 1 \(14: \"The fused path is always faster\"\) has "
                                         r"no reason"):
        claims.allowed_claims(bad)


# --- 4. quotations ---------------------------------------------------------------------------------------------------

def test_quotations(report):
    """Every quotation in the lessons is listed in quotations.toml: a source's in its words (verbatim in
    ../shared/sources), a translation's original verbatim there, a paper's with its section, table or figure."""
    if not SOURCES.is_dir():
        pytest.skip(f"the source documents are not beside the repository ({SOURCES})")
    found = claims.quotations(LESSONS, claims.QUOTATIONS, SOURCES)
    count = sum(1 for p in LESSONS for _ in claims.quoted(p))
    report("what the lessons say", f"quotations: {count} in the lessons, {len(found)} wrong")
    assert not found, "\n" + show(found)


def test_quotations_find_lesson_7s_quotation_as_it_was(tmp_path):
    """Lesson 7 quoted the ShuffleNet paper as "relate to"; the paper says "are only derived from"."""
    if not SOURCES.is_dir():
        pytest.skip(f"the source documents are not beside the repository ({SOURCES})")
    lesson = ROOT / "notebooks" / "07-channel-shuffle.ipynb"
    planted = tmp_path / lesson.name
    planted.write_text(lesson.read_text().replace("are only derived from a small fraction",
                                                  "only relate to a small fraction"))
    found = claims.quotations([planted], claims.QUOTATIONS, SOURCES, every_lesson=False)
    assert [f.claim for f in found] == ["outputs from a certain channel only relate to a small fraction of input "
                                        "channels"], found


def test_quotations_find_a_source_misquoted(tmp_path):
    if not SOURCES.is_dir():
        pytest.skip(f"the source documents are not beside the repository ({SOURCES})")
    lesson = ROOT / "notebooks" / "02-depthwise-convolution.ipynb"
    planted = tmp_path / lesson.name
    registry = tmp_path / "quotations.toml"
    registry.write_text(claims.QUOTATIONS.read_text().replace('"Dg * Dg * Dk * Dk * Dk"', '"Dg·Dg·Dk·Dk·Dk"'))
    planted.write_text(lesson.read_text().replace("Dg * Dg * Dk * Dk * Dk", "Dg·Dg·Dk·Dk·Dk"))
    found = claims.quotations([planted], registry, SOURCES, every_lesson=False)
    assert [(f.claim, re.sub(r"\s.*", "", f.why)) for f in found] == [("Dg·Dg·Dk·Dk·Dk", "not")], found
