"""The course's Python code, a package by role (run its modules from the course folder: python3 -m tools.…; the
course script does):

- setup/      the course kernelspec (kernelspec.py; ./course setup, binder/postBuild)
- authoring/  what authors run: executing lessons and saving their outputs (notebooks.py; ./course execute), the
              golden files (make_golden.py), the Fashion-MNIST subset, the torchsummary tables, the training sweeps
- sharing/    handing the course out: the Binder link, the hub link (./course share), the website (./course book)
- lessons/    the library that ./course execute and the tests share: executing a lesson, the rules its outputs are
              judged by, the quiet-machine guard, the portability selections, the budgets
- tests/      the test suite (pytest), run by ./course test after Maven's unit tests

Beside them, not Python packages: book/ (the website's pinned build tools), hub/ (the hub test's JupyterHub and its
config), browser-test/ (playwright-core and the browser test's scripts).
"""
