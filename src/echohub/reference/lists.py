"""The real Canadian lists that profiles, programs and filters share.

Codes are stable (they appear in URLs and exports); names are bilingual.
"""

PROVINCES: list[tuple[str, str, str]] = [
    ("AB", "Alberta", "Alberta"),
    ("BC", "British Columbia", "Colombie-Britannique"),
    ("MB", "Manitoba", "Manitoba"),
    ("NB", "New Brunswick", "Nouveau-Brunswick"),
    ("NL", "Newfoundland and Labrador", "Terre-Neuve-et-Labrador"),
    ("NS", "Nova Scotia", "Nouvelle-Écosse"),
    ("NT", "Northwest Territories", "Territoires du Nord-Ouest"),
    ("NU", "Nunavut", "Nunavut"),
    ("ON", "Ontario", "Ontario"),
    ("PE", "Prince Edward Island", "Île-du-Prince-Édouard"),
    ("QC", "Quebec", "Québec"),
    ("SK", "Saskatchewan", "Saskatchewan"),
    ("YT", "Yukon", "Yukon"),
]

PROFESSIONS: list[tuple[str, str, str]] = [
    ("family-physician", "Family physician", "Médecin de famille"),
    ("specialist-physician", "Specialist physician", "Médecin spécialiste"),
    ("resident", "Medical resident", "Résident(e) en médecine"),
    ("nurse-practitioner", "Nurse practitioner", "Infirmière praticienne / infirmier praticien"),
    ("registered-nurse", "Registered nurse", "Infirmière / infirmier"),
    (
        "practical-nurse",
        "Registered or licensed practical nurse",
        "Infirmière auxiliaire / infirmier auxiliaire",
    ),
    (
        "psw",
        "Personal support worker / health care aide",
        "Préposé(e) aux bénéficiaires / aide en soins de santé",
    ),
    ("paramedic", "Paramedic", "Paramédic"),
    ("social-worker", "Social worker", "Travailleuse sociale / travailleur social"),
    ("pharmacist", "Pharmacist", "Pharmacien(ne)"),
    ("spiritual-care", "Spiritual care provider", "Intervenant(e) en soins spirituels"),
    (
        "indigenous-health-worker",
        "Indigenous health worker / community health representative",
        "Travailleur(euse) de la santé autochtone / représentant(e) en santé communautaire",
    ),
    ("occupational-therapist", "Occupational therapist", "Ergothérapeute"),
    ("physiotherapist", "Physiotherapist", "Physiothérapeute"),
    ("dietitian", "Dietitian", "Diététiste"),
    ("psychologist", "Psychologist", "Psychologue"),
    ("respiratory-therapist", "Respiratory therapist", "Inhalothérapeute"),
    ("speech-language-pathologist", "Speech-language pathologist", "Orthophoniste"),
    ("grief-counsellor", "Grief and bereavement counsellor", "Intervenant(e) en deuil"),
    ("administrator", "Administrator or manager", "Gestionnaire ou administrateur(trice)"),
    ("volunteer", "Hospice volunteer", "Bénévole en soins palliatifs"),
    ("student", "Student", "Étudiant(e)"),
    ("other", "Other", "Autre"),
]

PRACTICE_SETTINGS: list[tuple[str, str, str]] = [
    (
        "primary-care",
        "Primary care / family health team",
        "Soins primaires / équipe de santé familiale",
    ),
    ("hospital", "Hospital (acute care)", "Hôpital (soins aigus)"),
    ("palliative-unit", "Palliative care unit", "Unité de soins palliatifs"),
    ("long-term-care", "Long-term care home", "Centre de soins de longue durée (CHSLD)"),
    ("home-care", "Home and community care", "Soins à domicile et communautaires"),
    ("hospice", "Hospice / residential hospice", "Maison de soins palliatifs"),
    ("paramedicine", "Paramedic service", "Service paramédical"),
    ("cancer-centre", "Cancer centre", "Centre de cancérologie"),
    ("community-health-centre", "Community health centre", "Centre de santé communautaire"),
    (
        "indigenous-community",
        "First Nations, Inuit or Métis community health service",
        "Service de santé communautaire des Premières Nations, des Inuit ou des Métis",
    ),
    ("pediatric", "Pediatric care", "Soins pédiatriques"),
    ("shelter-housing", "Shelter or supportive housing", "Refuge ou logement supervisé"),
    ("correctional", "Correctional facility", "Établissement correctionnel"),
    ("virtual-care", "Virtual care", "Soins virtuels"),
    ("other", "Other", "Autre"),
]

# Palliative care topics for the knowledge library, after the subjects that
# Canadian palliative care curricula (LEAP, the CHPCA's norms of practice) teach.
TOPICS: list[tuple[str, str, str]] = [
    ("pain", "Pain", "Douleur"),
    ("dyspnea", "Dyspnea", "Dyspnée"),
    ("delirium", "Delirium", "Délirium"),
    ("nausea-vomiting", "Nausea and vomiting", "Nausées et vomissements"),
    ("constipation-bowel", "Constipation and bowel obstruction", "Constipation et occlusion"),
    ("fatigue-appetite", "Fatigue, appetite and cachexia", "Fatigue, appétit et cachexie"),
    ("anxiety-depression", "Anxiety and depression", "Anxiété et dépression"),
    ("advance-care-planning", "Advance care planning", "Planification préalable des soins"),
    ("goals-of-care", "Goals of care", "Objectifs de soins"),
    ("communication", "Serious illness communication", "Communication en maladie grave"),
    ("last-days-hours", "Last days and hours", "Derniers jours et dernières heures"),
    ("grief-bereavement", "Grief and bereavement", "Deuil"),
    ("psychosocial-care", "Psychosocial care", "Soins psychosociaux"),
    ("spiritual-care", "Spiritual care", "Soins spirituels"),
    ("caregiver-support", "Family and caregiver support", "Soutien aux proches aidants"),
    ("maid", "Medical assistance in dying", "Aide médicale à mourir"),
    ("palliative-sedation", "Palliative sedation", "Sédation palliative"),
    ("pediatric", "Pediatric palliative care", "Soins palliatifs pédiatriques"),
    ("dementia", "Dementia", "Démence"),
    (
        "heart-lung-kidney",
        "Heart, lung and kidney failure",
        "Insuffisances cardiaque, respiratoire et rénale",
    ),
    ("cancer", "Cancer", "Cancer"),
    ("opioids-medications", "Opioids and medications", "Opioïdes et médicaments"),
    ("wounds-skin", "Wounds and skin care", "Plaies et soins de la peau"),
    ("indigenous", "Indigenous perspectives", "Perspectives autochtones"),
    ("equity", "Equity and underserved populations", "Équité et populations mal desservies"),
    ("self-care", "Care for the caregiver professional", "Prendre soin de soi comme intervenant"),
]
