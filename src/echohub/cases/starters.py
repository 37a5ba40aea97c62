"""The case forms a program starts from: palliative care's usual questions, or SBAR.

Each is written in both languages here because a form's labels are the
program's own text (stored in English and French), not interface strings.
"""

from django.utils.translation import gettext_lazy as _

from echohub.questionnaires.models import QuestionType
from echohub.questionnaires.starters import Question
from echohub.questionnaires.starters import choices as _choices

AGE = Question("age_band", QuestionType.AGE_BAND, "Age band", "Tranche d’âge", required=True)
QUESTION = Question(
    "question",
    QuestionType.LONG_TEXT,
    "Your question for the hub",
    "Votre question pour le carrefour",
    "What would you like the panel to help you with?",
    "Sur quoi aimeriez-vous l’aide de l’équipe du programme\u00a0?",
    required=True,
)

PALLIATIVE = [
    AGE,
    Question(
        "sex",
        QuestionType.CHOICE,
        "Sex",
        "Sexe",
        required=True,
        choices=_choices(
            ("female", "Female", "Féminin"),
            ("male", "Male", "Masculin"),
            ("other", "Another sex or intersex", "Autre sexe ou intersexe"),
            ("unsaid", "Prefer not to say", "Préfère ne pas le dire"),
        ),
    ),
    Question(
        "setting",
        QuestionType.CHOICE,
        "Care setting",
        "Milieu de soins",
        required=True,
        choices=_choices(
            ("home", "Home and community care", "Soins à domicile et communautaires"),
            ("ltc", "Long-term care", "Soins de longue durée"),
            ("hospital", "Hospital", "Hôpital"),
            ("hospice", "Hospice or palliative care unit", "Maison ou unité de soins palliatifs"),
            ("clinic", "Outpatient clinic or primary care", "Clinique externe ou soins primaires"),
            ("other", "Other", "Autre"),
        ),
    ),
    Question(
        "diagnosis",
        QuestionType.SHORT_TEXT,
        "Primary diagnosis",
        "Diagnostic principal",
        required=True,
    ),
    Question(
        "symptoms",
        QuestionType.LONG_TEXT,
        "Symptoms and scores",
        "Symptômes et scores",
        "Main symptoms, PPS, ESAS or other scores.",
        "Principaux symptômes, PPS, ESAS ou autres scores.",
    ),
    Question(
        "medications",
        QuestionType.LONG_TEXT,
        "Current medications",
        "Médicaments actuels",
        "Drug, dose, route and frequency.",
        "Médicament, dose, voie et fréquence.",
    ),
    Question(
        "psychosocial",
        QuestionType.LONG_TEXT,
        "Psychosocial and spiritual context",
        "Contexte psychosocial et spirituel",
        "Family, caregivers, culture, beliefs, supports — without names.",
        "Famille, proches aidants, culture, croyances, soutiens — sans noms.",
    ),
    Question(
        "goals_of_care",
        QuestionType.LONG_TEXT,
        "Goals of care",
        "Objectifs de soins",
    ),
    Question(
        "tried",
        QuestionType.LONG_TEXT,
        "What has been tried",
        "Ce qui a été essayé",
    ),
    QUESTION,
]

SBAR = [
    AGE,
    Question(
        "situation",
        QuestionType.LONG_TEXT,
        "Situation",
        "Situation",
        "What is happening now?",
        "Que se passe-t-il maintenant\u00a0?",
        required=True,
    ),
    Question(
        "background",
        QuestionType.LONG_TEXT,
        "Background",
        "Contexte",
        "Diagnosis, history, medications, context.",
        "Diagnostic, antécédents, médicaments, contexte.",
        required=True,
    ),
    Question(
        "assessment",
        QuestionType.LONG_TEXT,
        "Assessment",
        "Évaluation",
        "What do you think the problem is?",
        "Selon vous, quel est le problème\u00a0?",
        required=True,
    ),
    Question(
        "recommendation",
        QuestionType.LONG_TEXT,
        "Recommendation requested",
        "Recommandation demandée",
        "What would you like the panel to help you with?",
        "Sur quoi aimeriez-vous l’aide de l’équipe du programme\u00a0?",
        required=True,
    ),
]

STARTERS = {"palliative": PALLIATIVE, "sbar": SBAR}
STARTER_CHOICES = [
    ("palliative", _("Palliative care case (the usual questions)")),
    ("sbar", _("SBAR: situation, background, assessment, recommendation")),
]
