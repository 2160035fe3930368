"""What authors run: ./course execute (notebooks.py) and the scripts that made the committed data and references."""
