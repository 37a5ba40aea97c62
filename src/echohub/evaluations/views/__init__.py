"""Evaluation pages: `answer` (a person's own link), `results` (hub staff), `manage` (building,
planning and waiving)."""
