"""The course kernelspec: ./course setup and binder/postBuild install it (kernelspec.py)."""
