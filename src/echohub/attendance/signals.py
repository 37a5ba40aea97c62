"""What attendance tells the apps above it (certificates listen; attendance imports none)."""

from django.dispatch import Signal

# Sent once a session's attendance has changed and committed; kwargs: session.
attendance_saved = Signal()
