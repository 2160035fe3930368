"""The course's tests outside Maven (pytest; ./course test runs Maven's and then these). conftest.py holds the
options, fixtures and markers; total.py prints ./course test's closing line."""
