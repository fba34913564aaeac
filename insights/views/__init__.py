"""The coach's pages: the dashboard (dashboard.py) and nudges (nudges.py)."""
