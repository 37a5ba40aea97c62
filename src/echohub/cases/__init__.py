"""Case presentations: case forms, the de-identification gate, review, recommendations."""
