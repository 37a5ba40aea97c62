"""Who may build questionnaires, plan a program's evaluations, waive one and read results.

The hub's managers (admins and coordinators) do all four for their hub's
programs; national admins for every hub. Anyone else gets 404 for a hub's
questionnaire, alike whether it exists or not. Nobody, whatever their role,
reads who answered what: results are aggregates (`results.py`).
"""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from echohub.accounts.models import User
from echohub.evaluations.models import Questionnaire
from echohub.network.permissions import managed_hubs


def questionnaires_for(user: User) -> QuerySet[Questionnaire]:
    return Questionnaire.objects.filter(hub__in=managed_hubs(user))


def get_questionnaire_for(user: User, pk: int) -> Questionnaire:
    return get_object_or_404(questionnaires_for(user).select_related("hub"), pk=pk)
