"""What evaluations tell the apps above them.

`evaluation_completed` is sent after commit when a person's evaluation is
answered or waived (`completion` is the `Completion`; it never carries the
answers). Certificates listen: credit that needs the evaluation is issued then.
"""

from django.dispatch import Signal

evaluation_completed = Signal()
