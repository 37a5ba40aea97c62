"""The questionnaires a hub starts from: a palliative care session evaluation, a pre/post
self-efficacy set and a follow-up some months after a series.

Written in both languages here, as case form starters are: a questionnaire's
questions are the hub's own text, stored in English and French.
"""

from django.utils.translation import gettext_lazy as _

from echohub.evaluations.models import MooreLevel, Questionnaire
from echohub.questionnaires.models import QuestionType
from echohub.questionnaires.starters import Question, choices

L = QuestionType.LIKERT


def _scale(
    key: str, en: str, fr: str, level: str, *, paired: bool = False, ends: str = "agree"
) -> Question:
    low_en, low_fr, high_en, high_fr = {
        "agree": (
            "Strongly disagree",
            "Tout à fait en désaccord",
            "Strongly agree",
            "Tout à fait d’accord",
        ),
        "quality": ("Poor", "Faible", "Excellent", "Excellente"),
        "confident": (
            "Not at all confident",
            "Pas du tout confiant·e",
            "Very confident",
            "Très confiant·e",
        ),
        "often": ("Never", "Jamais", "Very often", "Très souvent"),
    }[ends]
    return Question(
        key,
        L,
        en,
        fr,
        required=True,
        low_en=low_en,
        low_fr=low_fr,
        high_en=high_en,
        high_fr=high_fr,
        extra={"moore_level": level, "paired": paired},
    )


SESSION = [
    _scale(
        "relevance",
        "The session was relevant to my practice.",
        "La séance était pertinente pour ma pratique.",
        MooreLevel.SATISFACTION,
    ),
    _scale(
        "teaching",
        "Quality of the teaching (the short talk)",
        "Qualité de l’enseignement (la courte présentation)",
        MooreLevel.SATISFACTION,
        ends="quality",
    ),
    _scale(
        "case_discussion",
        "Quality of the case discussion",
        "Qualité de la discussion de cas",
        MooreLevel.SATISFACTION,
        ends="quality",
    ),
    _scale(
        "learned",
        "I learned something I can use with my patients.",
        "J’ai appris quelque chose que je peux utiliser auprès de mes patient·e·s.",
        MooreLevel.KNOWLEDGE_PROCEDURAL,
    ),
    Question(
        "intend_change",
        QuestionType.CHOICE,
        "Do you intend to change something in your practice because of this session?",
        "Avez-vous l’intention de changer quelque chose à votre pratique à la suite de cette "
        "séance\u00a0?",
        required=True,
        choices=choices(
            ("yes", "Yes", "Oui"),
            ("already", "No, I already do this", "Non, je le fais déjà"),
            ("no", "No", "Non"),
            ("unsure", "Not sure yet", "Je ne sais pas encore"),
        ),
        extra={"moore_level": MooreLevel.COMPETENCE},
    ),
    Question(
        "will_do",
        QuestionType.LONG_TEXT,
        "What will you do differently?",
        "Que ferez-vous différemment\u00a0?",
        "Please leave out anything that could identify a patient.",
        "Veuillez omettre tout ce qui pourrait identifier un·e patient·e.",
        extra={"moore_level": MooreLevel.COMPETENCE},
    ),
    Question(
        "free_of_bias",
        QuestionType.YES_NO,
        "Was the session free of commercial bias?",
        "La séance était-elle exempte de biais commercial\u00a0?",
        required=True,
        extra={"moore_level": MooreLevel.SATISFACTION},
    ),
    Question(
        "improve",
        QuestionType.LONG_TEXT,
        "Anything we could improve?",
        "Que pourrions-nous améliorer\u00a0?",
    ),
]

_CONFIDENT = [
    (
        "assess_symptoms",
        "assessing pain and other symptoms",
        "évaluer la douleur et les autres symptômes",
    ),
    (
        "goals_of_care",
        "having goals-of-care conversations",
        "avoir des conversations sur les objectifs de soins",
    ),
    (
        "dyspnea",
        "managing breathlessness at the end of life",
        "prendre en charge la dyspnée en fin de vie",
    ),
    ("last_days", "recognizing the last days of life", "reconnaître les derniers jours de vie"),
    ("families", "supporting families in grief", "soutenir les familles endeuillées"),
    (
        "refer",
        "knowing when to refer to specialist palliative care",
        "savoir quand diriger vers des soins palliatifs spécialisés",
    ),
]

PRE_POST = [
    *(
        _scale(
            key,
            f"How confident are you in {en}?",
            f"À quel point vous sentez-vous confiant·e pour {fr}\u00a0?",
            MooreLevel.COMPETENCE,
            paired=True,
            ends="confident",
        )
        for key, en, fr in _CONFIDENT
    ),
    _scale(
        "know_resources",
        "I know where to find palliative care resources in my region.",
        "Je sais où trouver des ressources en soins palliatifs dans ma région.",
        MooreLevel.KNOWLEDGE_DECLARATIVE,
        paired=True,
    ),
]

FOLLOW_UP = [
    Question(
        "changed",
        QuestionType.CHOICE,
        "Since the series, have you changed your practice?",
        "Depuis la série, avez-vous changé votre pratique\u00a0?",
        required=True,
        choices=choices(
            ("yes", "Yes", "Oui"),
            ("somewhat", "Somewhat", "Un peu"),
            ("no", "No", "Non"),
        ),
        extra={"moore_level": MooreLevel.PERFORMANCE},
    ),
    Question(
        "what_changed",
        QuestionType.LONG_TEXT,
        "What did you change?",
        "Qu’avez-vous changé\u00a0?",
        "Please leave out anything that could identify a patient.",
        "Veuillez omettre tout ce qui pourrait identifier un·e patient·e.",
        extra={"moore_level": MooreLevel.PERFORMANCE},
    ),
    _scale(
        "apply_often",
        "How often do you use what you learned?",
        "À quelle fréquence utilisez-vous ce que vous avez appris\u00a0?",
        MooreLevel.PERFORMANCE,
        ends="often",
    ),
    Question(
        "barriers",
        QuestionType.MULTI_CHOICE,
        "What stopped you or made it hard?",
        "Qu’est-ce qui vous en a empêché·e ou l’a rendu difficile\u00a0?",
        choices=choices(
            ("time", "Time", "Le temps"),
            ("resources", "Resources or medications", "Les ressources ou les médicaments"),
            ("team", "Support from my team", "Le soutien de mon équipe"),
            (
                "patients",
                "Patient or family factors",
                "Des facteurs liés aux patient·e·s ou aux familles",
            ),
            ("nothing", "Nothing stopped me", "Rien ne m’en a empêché·e"),
        ),
    ),
    Question(
        "barriers_other",
        QuestionType.LONG_TEXT,
        "Anything else that stopped you?",
        "Autre chose vous en a-t-il empêché·e\u00a0?",
    ),
]

STARTERS = {
    "session": (Questionnaire.Kind.SESSION, SESSION),
    "pre_post": (Questionnaire.Kind.PRE_POST, PRE_POST),
    "follow_up": (Questionnaire.Kind.FOLLOW_UP, FOLLOW_UP),
}
STARTER_TITLES = {
    "session": ("Palliative care session evaluation", "Évaluation de séance en soins palliatifs"),
    "pre_post": (
        "Palliative care self-efficacy (before and after)",
        "Auto-efficacité en soins palliatifs (avant et après)",
    ),
    "follow_up": (
        "Practice change, three months on",
        "Changement de pratique, trois mois plus tard",
    ),
}
STARTER_CHOICES = [
    ("session", _("Palliative care session evaluation")),
    ("pre_post", _("Self-efficacy before and after a series")),
    ("follow_up", _("Follow-up on practice change (three months)")),
]
