"""What the course says, checked: cross-references, quotations, and trend or verdict sentences beside measured or
trained outputs. Each check returns findings, one line each: the file, the cell or line, the claim, and what
contradicts it. The course's tests assert that the lists are empty (or, for the verdict lint, that every sentence is
settled in claims-allowed.toml, beside this file, with its reason); tools/tests/test_claims.py runs them, each with a
test that plants a defect and sees it found.
"""
import dataclasses
import json
import pathlib
import re
import tomllib

ROOT = pathlib.Path(__file__).resolve().parents[2]
ALLOWED = pathlib.Path(__file__).resolve().parent / "claims-allowed.toml"
QUOTATIONS = pathlib.Path(__file__).resolve().parent / "quotations.toml"


@dataclasses.dataclass(frozen=True)
class Finding:
    file: str
    where: str
    claim: str
    why: str

    def __str__(self):
        return f"{self.file} {self.where}: \"{self.claim}\" — {self.why}"


# ---------------------------------------------------------------------------------------------------------- texts

@dataclasses.dataclass(frozen=True)
class Text:
    """A piece of the course a reader sees: its file, where in it, whose lesson it belongs to (for "section N"),
    the text itself, and what it is about when the text does not say (a figure's subject, from its name)."""
    file: str
    where: str
    lesson: int | None
    text: str
    about: str = ""


def lesson_number(path):
    m = re.match(r"(\d\d)-", path.name)
    return int(m.group(1)) if m else None


def lessons(root=ROOT):
    return sorted((root / "notebooks").glob("[0-9][0-9]-*.ipynb"))


def notebook_texts(path, outputs=True):
    """A lesson's markdown cells and, with outputs, the text its code cells print."""
    nb = json.loads(path.read_text())
    n = lesson_number(path)
    for i, c in enumerate(nb["cells"]):
        src = "".join(c["source"])
        if c["cell_type"] == "markdown":
            yield Text(path.name, f"cell {i}", n, src)
        elif outputs:
            for o in c.get("outputs", []):
                t = "".join(o.get("text", "")) or "".join(o.get("data", {}).get("text/plain", ""))
                if t:
                    yield Text(path.name, f"cell {i} (output)", n, t)


def javadoc_texts(root=ROOT):
    """Every doc comment of the helper library: what Shift+Tab shows a student."""
    for p in sorted((root / "lib" / "src" / "main" / "java").rglob("*.java")):
        src = p.read_text()
        for m in re.finditer(r"/\*\*(.*?)\*/", src, re.S):
            line = src.count("\n", 0, m.start()) + 1
            body = re.sub(r"^\s*\*\s?", "", m.group(1), flags=re.M)
            yield Text(str(p.relative_to(root)), f"line {line}", None, body)


def svg_texts(root=ROOT):
    """The words drawn in the lessons' figures."""
    for p in sorted((root / "notebooks" / "figures").glob("*.svg")):
        # one line per text element: each is a label or a line of its own
        words = "\n".join(re.sub(r"<[^>]+>", "", t) for t in re.findall(r"<text\b[^>]*>.*?</text>", p.read_text(), re.S))
        yield Text(str(p.relative_to(root)), "text", None, words, about=p.stem.replace("-", " "))


def page_texts(root=ROOT):
    """The course's pages: sources, notation, teaching, the guide, the README and the architecture."""
    pages = [root / "notebooks" / n for n in ("sources.md", "notation.md", "teaching.md")]
    pages += sorted((root / "notebooks" / "guide").glob("*.md")) + [root / "README.md", root / "ARCHITECTURE.md"]
    for p in filter(pathlib.Path.exists, pages):
        line = 1
        for para in p.read_text().split("\n\n"):  # one text a paragraph, named by the line it starts on
            yield Text(str(p.relative_to(root)), f"line {line}", None, para)
            line += para.count("\n") + 2


def all_texts(root=ROOT):
    for p in lessons(root):
        yield from notebook_texts(p)
    yield from javadoc_texts(root)
    yield from svg_texts(root)
    yield from page_texts(root)


# ------------------------------------------------------------------------------------------------ cross-references

@dataclasses.dataclass(frozen=True)
class Lesson:
    number: int
    title: str
    sections: dict  # section number → heading

    def words(self):
        return (self.title + " " + " ".join(self.sections.values())).lower()


def lesson_map(root=ROOT):
    """Every lesson's number, title and numbered sections ("## 3. Heading")."""
    found = {}
    for p in lessons(root):
        nb = json.loads(p.read_text())
        title, sections = p.stem, {}
        for c in nb["cells"]:
            if c["cell_type"] != "markdown":
                continue
            src = "".join(c["source"])
            m = re.search(r"^# Lesson \d+ — (.+)$", src, re.M)
            if m:
                title = m.group(1)
            for s in re.finditer(r"^##+ (\d+)\. (.+)$", src, re.M):
                sections[int(s.group(1))] = s.group(2)
        found[lesson_number(p)] = Lesson(lesson_number(p), title, sections)
    return found


# Topics a sentence can name beside a lesson number: each word stands for the lessons whose title or numbered
# headings hold it. A reference whose clause names topics, none of them the lesson's own, is wrong. A name inside a
# compound ("AlexNet-conv2-like layer", "tiny-AlexNet") describes something else, so it does not count.
TOPICS = {
    "depthwise": r"\bdepthwise\b(?!-separable)", "pointwise": r"\bpointwise\b|\b1×1\b", "separable": r"separable",
    "squeezenet": r"squeezenet|\bfire\b", "grouped": r"grouped convolution|filter groups",
    "alexnet": r"(?<![-\w])alexnet(?![-\w])",
    "shuffle": r"\bshuffle\b", "shufflenet": r"shufflenet", "dilated": r"dilat|receptive",
    "mobilenet v1": r"mobilenet v1|mobilenets?\b(?!v2)", "mobilenetv2": r"mobilenetv2|inverted residual",
    "xception": r"xception", "roofline": r"roofline", "inference engine": r"inference engine|fus(?:ed|ion)|fold",
    "dead channels": r"dead channel", "batch norm": r"batch norm",
}
# what each topic is called in the lessons' titles and headings
TOPIC_IN_HEADINGS = {
    "depthwise": "depthwise", "pointwise": "pointwise", "separable": "separable", "squeezenet": "squeezenet",
    "grouped": "group", "alexnet": "alexnet", "shuffle": "shuffle", "shufflenet": "shufflenet", "dilated": "dilat",
    "mobilenet v1": "mobilenet", "mobilenetv2": "mobilenetv2", "xception": "xception", "roofline": "roofline",
    "inference engine": "engine", "dead channels": "dead channel", "batch norm": "batch norm",
}

REFERENCE = re.compile(r"\b([Ll]essons?)\s+(\d+)((?:\s*(?:,|and|to|–|-)\s*\d+)*)"
                       r"(?:(?:'s)?,?\s*\(?\s*[Ss]ections?\s+(\d+)(?![.\d]))?"
                       r"|\b([Ss]ections?)\s+(\d+)(?![.\d])((?:\s*(?:,|and|–|-)\s*\d+(?![.\d]))*)|§\s*(\d+)(?![.\d])")
CLAUSE_END = re.compile(r"[.;:!?\n—()]|\s-\s")


def clause_around(text, start, end):
    """The clause a reference stands in; for a reference in parentheses, the clause before them too; and a
    parenthesis right after the reference ("lesson 10 (MobileNet)")."""
    left = max((m.end() for m in CLAUSE_END.finditer(text, 0, start)), default=0)
    after = re.match(r"\s*\([^()]*\)", text[end:])
    if after:
        end += after.end()
    nxt = CLAUSE_END.search(text, end)
    right = nxt.start() if nxt else len(text)
    clause = text[left:right]
    if left > 0 and text[left - 1] == "(":
        before = max((m.end() for m in CLAUSE_END.finditer(text, 0, left - 1)), default=0)
        clause = text[before:left - 1] + " " + clause
    return clause


def numbers(first, rest):
    """"13", ", 14 and 16" → [13, 14, 16]; "16", " to 18" → [16, 17, 18]."""
    out = [int(first)]
    for sep, n in re.findall(r"\s*(,|and|to|–|-)\s*(\d+)", rest or ""):
        out += list(range(out[-1] + 1, int(n) + 1)) if sep in ("to", "–", "-") else [int(n)]
    return out


def is_paper_section(text, start):
    """A "section N" of a paper, not of a lesson: the clause names a paper or a table before it."""
    before = text[max(0, start - 60):start].lower()
    return bool(re.search(r"paper|table|figure|\bet al\b|arxiv|mobilenet,|the survey", before))


def cross_references(texts, lesson_info):
    """Every "lesson N", "section N" and "§N" must name a lesson or section that exists; where its clause also names
    a topic, the topic must be the lesson's own (its title or headings)."""
    found = []
    for t in texts:
        for m in REFERENCE.finditer(t.text):
            claim = t.text[max(0, m.start() - 30):m.end() + 40].replace("\n", " ").strip()
            if m.group(1):  # lesson N[, M …][, section S]
                if re.match(r"#+\s", t.text[max(0, t.text.rfind("\n", 0, m.start()) + 1):m.start()]) and \
                        t.text[m.start():].startswith("Lesson") and m.start() < 3:
                    continue  # the lesson's own title
                refs = numbers(m.group(2), m.group(3))
                for n in refs:
                    if n not in lesson_info:
                        found.append(Finding(t.file, t.where, claim, f"there is no lesson {n} "
                                             f"(lessons 0–{max(lesson_info)})"))
                if m.group(4) and len(refs) == 1 and refs[0] in lesson_info and \
                        int(m.group(4)) not in lesson_info[refs[0]].sections:
                    found.append(Finding(t.file, t.where, claim, f"lesson {refs[0]} has no section {m.group(4)} "
                                         f"(its sections: {sorted(lesson_info[refs[0]].sections)})"))
                if len(refs) == 1 and refs[0] in lesson_info:
                    clause = (t.about + " " + clause_around(t.text, m.start(), m.end())).lower()
                    own = lesson_info[refs[0]].words()
                    named = [k for k, rx in TOPICS.items() if re.search(rx, clause)]
                    if named and not any(TOPIC_IN_HEADINGS[k] in own for k in named):
                        owners = sorted({n for n, les in lesson_info.items() for k in named
                                         if TOPIC_IN_HEADINGS[k] in les.words()})
                        found.append(Finding(t.file, t.where, claim, f"names lesson {refs[0]} "
                                             f"(\"{lesson_info[refs[0]].title}\") beside {', '.join(named)}, which "
                                             f"is lesson {', '.join(map(str, owners)) or '—'}'s topic"))
            else:  # section N of the same lesson, or §N
                first = m.group(6) or m.group(8)
                if is_paper_section(t.text, m.start()):
                    continue
                nums = numbers(first, m.group(7))
                if t.lesson is None:
                    found.append(Finding(t.file, t.where, claim, "a section outside a lesson must say whose: "
                                         "\"lesson N, section S\""))
                    continue
                for s in nums:
                    if s not in lesson_info[t.lesson].sections:
                        found.append(Finding(t.file, t.where, claim, f"lesson {t.lesson} has no section {s} "
                                             f"(its sections: {sorted(lesson_info[t.lesson].sections)})"))
    return found


# ------------------------------------------------------------------------------------------------ worked solutions

ANSWERS = re.compile(r"<!--\s*answers:(.*?)-->", re.S)
DECLARED = re.compile(r"\b(?:long|int|double|String)\s+((?:\w+\s*=\s*(?:0|\"\")\s*,?\s*)+);")


@dataclasses.dataclass(frozen=True)
class Solutions:
    """A lesson's check cell, its worked solutions' answers (an `<!-- answers: name = value; … -->` line in the
    solutions cell, beside the prose that derives them), and the check cell with those answers put in."""
    lesson: str
    check_cell: int
    answers: dict
    answered: str


def solutions(path):
    """The lesson's solutions, and what is wrong with them as written: a checked variable without an answer, an
    answer the solution's prose does not state. (Whether each answer is right, the kernel says: tests run
    `answered` in the lesson's kernel, after the lesson, and every line must say ✓.)"""
    nb = json.loads(path.read_text())
    cells = nb["cells"]
    checks = [i for i, c in enumerate(cells) if c["cell_type"] == "code" and "Exercises." in "".join(c["source"])
              and ".check(" in "".join(c["source"])]
    if not checks:
        return None, []
    i = checks[-1]
    src = "".join(cells[i]["source"])
    declared = [v.split("=")[0].strip() for d in DECLARED.findall(src) for v in d.split(",") if "=" in v]
    sol = next((j for j in range(i + 1, len(cells)) if "<summary>Solutions" in "".join(cells[j]["source"])), None)
    where = f"cell {sol if sol is not None else i}"
    if sol is None:
        return None, [Finding(path.name, f"cell {i}", "Exercises check cell", "no solutions cell after it")]
    text = "".join(cells[sol]["source"])
    m = ANSWERS.search(text)
    if not m:
        return None, [Finding(path.name, where, "<details> Solutions", "no `<!-- answers: … -->` line giving the "
                              f"solutions' answers to {', '.join(declared)}")]
    answers = {}
    for part in filter(None, (p.strip() for p in m.group(1).split(";"))):
        name, _, value = part.partition("=")
        answers[name.strip()] = value.strip()
    prose = ANSWERS.sub("", text)
    plain = re.sub(r"(?<=\d),(?=\d{3})", "", prose)  # 2,500,000 as 2500000
    found = []
    for name in declared:
        if name not in answers:
            found.append(Finding(path.name, where, name, "the check cell asks for it; the answers line has none"))
    for name, value in answers.items():
        if name not in declared:
            found.append(Finding(path.name, where, f"{name} = {value}", "not a variable the check cell declares"))
        literal = value.strip('"')
        if not re.search(r"(?<![\w.])" + re.escape(literal) + r"(?![\w]|\.\d)", plain):
            found.append(Finding(path.name, where, f"{name} = {value}", "the solution's prose never states this "
                                 "answer: the answers line must repeat what the worked solution derives"))
    answered = src
    for name, value in answers.items():
        answered = re.sub(r"\b" + re.escape(name) + r"\s*=\s*(?:0|\"\")", f"{name} = {value}", answered, count=1)
    return Solutions(path.name, i, answers, answered), found


# ------------------------------------------------------------------------------------------ trends and verdicts

VERDICT = re.compile(r"\b(exactly|always|never|grows? with|shrinks? with|falls?|rises?|faster|slower|no difference|"
                     r"helps?|hurts?|barely|better|worse|dominates?|most of|far (?:above|below)|beyond 2 SE|noise|"
                     r"stands? out|closer|further)\b", re.I)


def sentences(text):
    """The sentences of a markdown cell, without code spans, math, links' targets or list markers."""
    text = re.sub(r"`[^`]*`|\$\$.*?\$\$|\$[^$]*\$|\]\([^)]*\)|!\[[^\]]*\]\([^)]*\)", " ", text, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", text)
    for s in re.split(r"(?<=[.!?])\s+(?=[A-Z*(\"])|\n\s*\n|\n\s*(?:[-*]|\d+[.)])\s+", text):
        s = " ".join(s.split())
        if s:
            yield s


def verdict_sentences(path):
    """Every sentence of a markdown cell right before or after a timing or training cell (tags timing, cpu-digits)
    that states a trend or a verdict: what a quiet re-run or another CPU could contradict unless it is computed from
    the run or worded so that no run can."""
    nb = json.loads(path.read_text())
    cells = nb["cells"]
    measured = lambda c: c["cell_type"] == "code" and {"timing", "cpu-digits"} & set(c.get("metadata", {}).get("tags", []))
    for i, c in enumerate(cells):
        if c["cell_type"] != "markdown":
            continue
        if not ((i > 0 and measured(cells[i - 1])) or (i + 1 < len(cells) and measured(cells[i + 1]))):
            continue
        for s in sentences("".join(c["source"])):
            m = VERDICT.search(s)
            if m:
                yield Finding(path.name, f"cell {i}", s, f"states a trend or verdict (\"{m.group(0)}\") beside a "
                              "measured or trained output")


def allowed_claims(path):
    """The reviewed allow-list: [[claim]] entries with lesson, sentence (its start) and reason. An entry without a
    reason is refused, in one line naming it."""
    entries = tomllib.loads(path.read_text()).get("claim", [])
    for k, e in enumerate(entries, 1):
        for key in ("lesson", "sentence", "reason"):
            if not str(e.get(key, "")).strip():
                raise ValueError(f"{path.name}: claim {k} ({e.get('lesson', '?')}: \"{str(e.get('sentence', ''))[:60]}\") "
                                 f"has no {key}: every entry says which sentence it settles and why no run can "
                                 "contradict it")
    return entries


def unsettled(findings, entries):
    """The lint's findings that no allow-list entry settles (an entry settles a sentence of its lesson that starts
    with its text)."""
    return [f for f in findings if not any(f.file.startswith(e["lesson"]) and f.claim.startswith(e["sentence"])
                                           for e in entries)]


# ------------------------------------------------------------------------------------------------------ quotations

QUOTED = re.compile(r'"([^"]{2,300})"|“([^”]{2,300})”')
CITES_PLACE = re.compile(r"\b(?:sections?|Table|Tables|Figure|slide|§)\s*\d|comments? it", re.I)


def quoted(path):
    """(cell index, the cell's prose, each double-quoted string in it) for a lesson's markdown cells."""
    nb = json.loads(path.read_text())
    for i, c in enumerate(nb["cells"]):
        if c["cell_type"] == "markdown":
            prose = " ".join(re.sub(r"`[^`]*`", " ", "".join(c["source"])).split())
            for m in QUOTED.finditer(prose):
                yield i, prose, m.group(1) or m.group(2)


def squeezed(text):
    """Text compared as a quotation: case, white space and the kind of dash or quote mark aside."""
    text = text.replace("–", "-").replace("—", "-").replace("’", "'").replace("×", "x")
    return re.sub(r"\s+", "", text).casefold()


def quotations(lesson_paths, registry_path, sources_dir, every_lesson=True):
    """Every quoted string of the lessons' prose is in the registry; a quotation of a document in sources_dir is in
    it verbatim (a translation's original is); a quotation of a paper has its section, table or figure in its cell;
    and (when every lesson is read) no registry entry is left that no lesson uses."""
    reg = tomllib.loads(registry_path.read_text())
    kinds = {}
    for e in reg.get("source", []):
        for q in e["quotes"]:
            kinds[q] = ("source", e["file"], q)
    for e in reg.get("translation", []):
        kinds[e["quote"]] = ("source", e["file"], e["original"])
    for e in reg.get("paper", []):
        for q in e["quotes"]:
            kinds[q] = ("paper", e["paper"], None)
    for e in reg.get("term", []):
        if not str(e.get("why", "")).strip():
            raise ValueError(f"{registry_path.name}: a [[term]] entry ({e.get('quotes', [])[:2]}) has no why")
        for q in e["quotes"]:
            kinds[q] = ("term", e["why"], None)
    found, used, texts = [], set(), {}
    for path in lesson_paths:
        for i, prose, q in quoted(path):
            if q not in kinds:
                found.append(Finding(path.name, f"cell {i}", q, f"a quotation not in {registry_path.name}: list it "
                                     "as a source's, a translation, a paper's (with its section) or a term"))
                continue
            used.add(q)
            kind, where, original = kinds[q]
            if kind == "source":
                if where not in texts:
                    texts[where] = squeezed((sources_dir / where).read_text())
                if squeezed(original) not in texts[where]:
                    found.append(Finding(path.name, f"cell {i}", q, f"not in {where} verbatim"
                                         + ("" if original == q else f" (its original, \"{original}\", is not)")))
            elif kind == "paper" and not CITES_PLACE.search(prose):
                found.append(Finding(path.name, f"cell {i}", q, f"quotes {where.split(',')[0]} without giving its "
                                     "section, table or figure in the cell"))
    for q in kinds if every_lesson else ():
        if q not in used:
            found.append(Finding(registry_path.name, "entry", q, "no lesson quotes it any more: remove the entry"))
    return found
