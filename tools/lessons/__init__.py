"""Running the course's lessons and judging what they show: the library that ./course execute
(tools.authoring.notebooks) and the test suite (tools.tests) share.

- execution: a lesson executed with the course kernel (once, or twice in one kernel), its errors, the kernel's
  metadata and this machine's arithmetic;
- rules: how a run's outputs are compared with another run's and with the committed ones (timing, cpu-digits and
  cpu-choice cells), and what a saved lesson must carry;
- guard: the quiet-machine guard ./course execute asks before and after a lesson with timing cells;
- portability: the kernel selections that stand for other CPUs;
- budgets: the course's budgets and the JUnit counts of a run.
"""
