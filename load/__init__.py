"""`make load`: the production stack under concurrent users (load/run.py, load/locustfile.py)."""
