"""Handing the course out: the Binder link (binder_link.py), the hub link (share.py), the website (book.py)."""
