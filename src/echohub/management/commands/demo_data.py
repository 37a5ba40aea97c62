"""The invented demo network that `echohub demo` loads.

Every person, organisation and speaker here is invented. Places are real
Canadian communities; the organisations in them are not. Codes of
provinces, professions and practice settings are those of reference/lists.py.
"""

import datetime as dt
from dataclasses import dataclass

# Printed by the command on purpose: it signs in the demo accounts and nothing else.
DEMO_PASSWORD = "echo-demo-2026"  # noqa: S105
LEAD_SLUG = "palliative-echo-canada"
DEMO_HUB = "ontario"  # the hub whose staff the demo accounts are
JOIN_BASE = "https://video.example.org/j/"
NOON = dt.time(12, 0)
ONE_PM = dt.time(13, 0)
MON, TUE, WED, THU, FRI, SAT = range(6)


@dataclass(frozen=True)
class HubData:
    slug: str
    name_en: str
    name_fr: str
    description_en: str
    description_fr: str
    scope: str
    provinces: tuple[str, ...] = ()
    sector: str | None = None
    is_lead: bool = False
    website: str = ""


@dataclass(frozen=True)
class SpokeData:
    name: str
    setting: str
    province: str
    place: str
    rurality: str


@dataclass(frozen=True)
class SpeakerData:
    name: str
    affiliation: str
    bio_en: str
    bio_fr: str


@dataclass(frozen=True)
class Schedule:
    """Sessions on one weekday, every few weeks, `past` of them before today.

    With `world_day`, the single session is on the next World Hospice and
    Palliative Care Day (the second Saturday of October).
    """

    weekday: int
    start: dt.time
    every_weeks: int
    past: int
    duration: int
    capacity: int | None
    cancelled: tuple[int, ...] = ()
    world_day: bool = False


SESSION_FORMAT = (
    "A short didactic, then one or two de-identified case presentations discussed with the panel.",
    "Un court exposé, puis une ou deux présentations de cas dépersonnalisés discutées "
    "avec l’équipe du programme.",
)
WORLD_DAY_FORMAT = (
    "A keynote, then questions from participants across Canada and beyond.",
    "Une conférence, suivie des questions des participants de partout au Canada et d'ailleurs.",
)


@dataclass(frozen=True)
class ProgramData:
    hub: str
    slug: str
    title_en: str
    title_fr: str
    description_en: str
    description_fr: str
    languages: str
    scope: str
    timezone: str
    professions: tuple[str, ...]
    settings: tuple[str, ...]
    schedule: Schedule
    sessions: tuple[tuple[str, str], ...]  # (English title, French title); "" when not given
    speakers: tuple[SpeakerData, ...]
    provinces: tuple[str, ...] = ()
    enrolment: str = "open"
    status: str = "published"
    session_format: tuple[str, str] = SESSION_FORMAT  # each session's description (en, fr)


@dataclass(frozen=True)
class AccountData:
    email: str
    name: str
    role: str  # as printed in the table
    profession: str
    setting: str
    province: str
    timezone: str
    language: str = "en"
    spoke: str = ""
    hub_roles: tuple[str, ...] = ()  # StaffRole roles in DEMO_HUB
    panel_role: str = ""  # ProgramStaff role on every DEMO_HUB program
    national: bool = False
    postal_code: str = ""  # where they practise: a real FSA, invented last three


HUBS: tuple[HubData, ...] = (
    HubData(
        LEAD_SLUG,
        "Canadian Palliative Care ECHO Network (national lead)",
        "Réseau canadien ECHO en soins palliatifs (responsable national)",
        "The national lead of a five-year initiative that builds a palliative care approach "
        "among every kind of provider, with regional, provincial and sector hub partners. "
        "It runs national programming such as World Hospice and Palliative Care Day.",
        "Le responsable national d'une initiative de cinq ans qui développe l'approche "
        "palliative chez tous les intervenants, avec des carrefours partenaires régionaux, "
        "provinciaux et sectoriels. Il offre la programmation nationale, dont la Journée "
        "mondiale des soins palliatifs.",
        "national",
        is_lead=True,
        website="https://echo.example.org",
    ),
    HubData(
        "atlantic",
        "Atlantic Palliative Care ECHO Hub",
        "Carrefour ECHO en soins palliatifs de l'Atlantique",
        "Serves providers in New Brunswick, Nova Scotia, Prince Edward Island and "
        "Newfoundland and Labrador, with a focus on rural and coastal communities.",
        "Au service des intervenants du Nouveau-Brunswick, de la Nouvelle-Écosse, de "
        "l'Île-du-Prince-Édouard et de Terre-Neuve-et-Labrador, surtout en milieu rural et côtier.",
        "provincial",
        provinces=("NB", "NS", "PE", "NL"),
    ),
    HubData(
        DEMO_HUB,
        "Ontario Palliative Care ECHO Hub",
        "Carrefour ECHO en soins palliatifs de l'Ontario",
        "Brings family health teams, home care and personal support workers across Ontario "
        "together with an interprofessional palliative care panel.",
        "Réunit les équipes de santé familiale, les soins à domicile et les préposés de "
        "l'Ontario autour d'une équipe interprofessionnelle en soins palliatifs.",
        "provincial",
        provinces=("ON",),
    ),
    HubData(
        "quebec",
        "Quebec Palliative Care ECHO Hub",
        "Carrefour ECHO en soins palliatifs du Québec",
        "Runs French-language programs for primary care, home care and CHSLD teams in Quebec.",
        "Offre des programmes en français aux équipes de première ligne, de soutien à domicile "
        "et de CHSLD partout au Québec. Toutes les séances se déroulent en français.",
        "provincial",
        provinces=("QC",),
    ),
    HubData(
        "long-term-care",
        "Long-Term Care Palliative ECHO Hub",
        "Carrefour ECHO des soins palliatifs en soins de longue durée",
        "A sector hub, based in British Columbia, for staff of long-term care homes across "
        "the country: nurses, personal support workers, physicians and families.",
        "Un carrefour sectoriel, établi en Colombie-Britannique, pour le personnel des centres "
        "de soins de longue durée de tout le pays\u00a0: personnel infirmier, préposés, médecins.",
        "sector",
        sector="long-term-care",
    ),
    HubData(
        "paramedicine",
        "Palliative Paramedicine ECHO Hub",
        "Carrefour ECHO de paramédecine palliative",
        "A sector hub, based in Nova Scotia, that helps paramedic services treat symptoms "
        "at home and support people who wish to die where they live.",
        "Un carrefour sectoriel, établi en Nouvelle-Écosse, qui aide les services "
        "paramédicaux à soulager les symptômes à domicile, selon les souhaits de la personne.",
        "sector",
        sector="paramedicine",
    ),
)

PC, LTC, HOME, HOSPICE, PARA, FN = (
    "primary-care",
    "long-term-care",
    "home-care",
    "hospice",
    "paramedicine",
    "indigenous-community",
)
SPOKES: tuple[SpokeData, ...] = (
    SpokeData("Riverbend Family Health Team", PC, "ON", "Peterborough", "urban"),
    SpokeData("Northshore Family Health Team", PC, "ON", "Elliot Lake", "rural"),
    SpokeData("Maplewood Gardens Long-Term Care Home", LTC, "ON", "Hamilton", "urban"),
    SpokeData("Highlands Paramedic Service", PARA, "ON", "Haliburton", "rural"),
    SpokeData("Northern Lakes First Nations Health Service", FN, "ON", "Sioux Lookout", "remote"),
    SpokeData("CHSLD Les Jardins du Fleuve", LTC, "QC", "Trois-Rivières", "urban"),
    SpokeData("Maison de soins palliatifs Les Érables", HOSPICE, "QC", "Rimouski", "rural"),
    SpokeData("GMF des Deux-Rives", PC, "QC", "Gatineau", "urban"),
    SpokeData("Soutien à domicile des Hautes-Laurentides", HOME, "QC", "Mont-Laurier", "rural"),
    SpokeData("Harbourside Home Care", HOME, "NS", "Halifax", "urban"),
    SpokeData("South Shore Paramedic Station", PARA, "NS", "Bridgewater", "rural"),
    SpokeData("Fundy Coast Paramedic Service", PARA, "NB", "Saint John", "urban"),
    SpokeData("Red Sands Residential Hospice", HOSPICE, "PE", "Summerside", "rural"),
    SpokeData("Bay of Islands Family Practice Team", PC, "NL", "Corner Brook", "rural"),
    SpokeData("Labrador North Coast Community Health Service", FN, "NL", "Nain", "remote"),
    SpokeData("Cedar Grove Residential Hospice", HOSPICE, "BC", "Kelowna", "urban"),
    SpokeData("Coast Mountain Home Care", HOME, "BC", "Terrace", "rural"),
    SpokeData("Riverside Long-Term Care Residence", LTC, "YT", "Whitehorse", "urban"),
    SpokeData("Prairie Sky Paramedic Service", PARA, "SK", "Swift Current", "rural"),
    SpokeData("Assiniboine Family Practice Team", PC, "MB", "Brandon", "urban"),
    SpokeData("Peace Country First Nations Health Service", FN, "AB", "High Level", "remote"),
    SpokeData("Great Slave Community Health Team", PC, "NT", "Hay River", "remote"),
)

# Speakers: invented clinicians with short bios.
HAYES = SpeakerData(
    "Dr Miriam Hayes-Oduya",
    "Riverbend Family Health Team",
    "Family physician with a focused practice in palliative care and a quality "
    "improvement lead for her team.",
    "Médecin de famille avec une pratique ciblée en soins palliatifs, responsable de "
    "l'amélioration de la qualité de son équipe.",
)
PELLETIER = SpeakerData(
    "Josée Pelletier-Grant, RN",
    "Ontario Palliative Care ECHO Hub",
    "Palliative care nurse consultant who coaches primary care teams on early identification.",
    "Infirmière-conseil en soins palliatifs qui accompagne les équipes de première ligne.",
)
OKONKWO = SpeakerData(
    "Daniel Okonkwo, MSW",
    "Harbourside Home Care",
    "Social worker who supports families through advance care planning and bereavement.",
    "Travailleur social qui accompagne les familles dans la planification préalable des "
    "soins et le deuil.",
)
RAMSAY = SpeakerData(
    "Theresa Ramsay, PSW",
    "Maplewood Gardens Long-Term Care Home",
    "Personal support worker for twenty years and a palliative care champion on her unit.",
    "Préposée aux bénéficiaires depuis vingt ans et leader en soins palliatifs de son unité.",
)
VANDERMEER = SpeakerData(
    "Dr Pieter Vandermeer",
    "Cedar Grove Residential Hospice",
    "Palliative care physician and medical director of a residential hospice.",
    "Médecin en soins palliatifs et directeur médical d'une maison de soins palliatifs.",
)
MACISAAC = SpeakerData(
    "Colin MacIsaac, ACP",
    "South Shore Paramedic Station",
    "Advanced care paramedic who helped design his service's palliative care protocol.",
    "Paramédic en soins avancés qui a participé à l'élaboration du protocole palliatif "
    "de son service.",
)
THORNE = SpeakerData(
    "Dr Alisha Thorne",
    "Palliative Paramedicine ECHO Hub",
    "Emergency and palliative care physician who trains paramedics in symptom management.",
    "Médecin d'urgence et de soins palliatifs qui forme les paramédics au soulagement "
    "des symptômes.",
)
NAKAMURA = SpeakerData(
    "Grace Nakamura, NP",
    "Riverside Long-Term Care Residence",
    "Nurse practitioner in long-term care with an interest in dementia at the end of life.",
    "Infirmière praticienne en soins de longue durée, intéressée par la démence en fin de vie.",
)
BELANGER = SpeakerData(
    "Rev. Samuel Bélanger-Moore",
    "Long-Term Care Palliative ECHO Hub",
    "Spiritual care provider who leads memorial rituals and staff support in care homes.",
    "Intervenant en soins spirituels qui anime des rituels commémoratifs et soutient le "
    "personnel des centres.",
)
GAUTHIER = SpeakerData(
    "Dre Hélène Gauthier-Roy",
    "GMF des Deux-Rives",
    "",
    "Médecin de famille et formatrice en soins palliatifs à domicile depuis quinze ans.",
)
LAVOIE = SpeakerData(
    "Marc-André Lavoie, inf.",
    "Soutien à domicile des Hautes-Laurentides",
    "",
    "Infirmier clinicien en soutien à domicile, spécialisé en soins de fin de vie.",
)
BRAGG = SpeakerData(
    "Dr Owen Bragg",
    "Bay of Islands Family Practice Team",
    "Rural family physician who provides palliative care by phone, video and home visit.",
    "Médecin de famille en milieu rural qui offre des soins palliatifs par téléphone, "
    "par vidéo et à domicile.",
)
WORLD_SPEAKER = SpeakerData(
    "Dr Leila Haddad-Moreno",
    "International Institute for Compassionate Communities, Lisbon",
    "Palliative care physician and public health researcher who has helped build community "
    "palliative care networks in Portugal, Kenya and Chile. She writes about compassionate "
    "communities and palliative care in humanitarian settings.",
    "Médecin en soins palliatifs et chercheuse en santé publique, elle a contribué à bâtir "
    "des réseaux communautaires de soins palliatifs au Portugal, au Kenya et au Chili. Elle "
    "écrit sur les communautés compatissantes et les soins palliatifs en contexte humanitaire.",
)
WORLD_HOST = SpeakerData(
    "Dr Martin Beaulieu-Clarke",
    "Canadian Palliative Care ECHO Network",
    "Palliative care physician and clinical lead of the national network; moderator.",
    "Médecin en soins palliatifs et directeur clinique du réseau national\u00a0; animateur.",
)

NURSES = ("registered-nurse", "practical-nurse", "nurse-practitioner")
PROGRAMS: tuple[ProgramData, ...] = (
    ProgramData(
        hub=DEMO_HUB,
        slug="fht-palliative-qi-collaborative",
        title_en="Palliative Care Quality Improvement Collaborative for Family Health Teams",
        title_fr="",
        description_en="A cohort of family health teams that, over seven sessions, measure how "
        "early they identify patients who would benefit from a palliative approach, and test "
        "changes to improve it. Teams enrol together and present their data at each session.",
        description_fr="",
        languages="en",
        scope="provincial",
        provinces=("ON",),
        timezone="America/Toronto",
        enrolment="cohort",
        professions=(
            "family-physician",
            "nurse-practitioner",
            "registered-nurse",
            "social-worker",
            "pharmacist",
            "administrator",
        ),
        settings=(PC,),
        schedule=Schedule(WED, NOON, every_weeks=4, past=3, duration=90, capacity=40),
        sessions=(
            ("Launch: identifying patients who would benefit from a palliative approach", ""),
            ("Measuring what matters: your team's baseline", ""),
            ("Plan-Do-Study-Act cycles for advance care planning", ""),
            ("Goals of care conversations in a busy practice", ""),
            ("Symptom screening with standard tools", ""),
            ("Working with home care: shared care plans", ""),
            ("Sustaining the change and sharing results", ""),
        ),
        speakers=(HAYES, PELLETIER, OKONKWO),
    ),
    ProgramData(
        hub=DEMO_HUB,
        slug="psw-palliative-approach",
        title_en="A Palliative Approach for Personal Support Workers",
        title_fr="L'approche palliative pour les préposés aux bénéficiaires",
        description_en="Short, practical sessions for personal support workers in long-term "
        "care, home care and hospices: comfort, communication and caring for yourself.",
        description_fr="Des séances courtes et pratiques pour les préposés en soins de longue "
        "durée, à domicile et en maison de soins palliatifs\u00a0: confort, communication et "
        "soin de soi.",
        languages="en",
        scope="provincial",
        provinces=("ON",),
        timezone="America/Toronto",
        professions=("psw",),
        settings=(LTC, HOME, HOSPICE),
        schedule=Schedule(
            TUE, ONE_PM, every_weeks=2, past=3, duration=60, capacity=300, cancelled=(4,)
        ),
        sessions=(
            (
                "Recognizing pain when a person cannot tell you",
                "Reconnaître la douleur quand la personne ne peut pas le dire",
            ),
            (
                "Mouth care and comfort in the last weeks",
                "Soins de la bouche et confort dans les dernières semaines",
            ),
            (
                "Shortness of breath: what you can do at the bedside",
                "L'essoufflement : ce que vous pouvez faire au chevet",
            ),
            (
                "Noticing delirium and reporting changes",
                "Repérer le délirium et signaler les changements",
            ),
            (
                "Supporting families in the last days and hours",
                "Soutenir les familles dans les derniers jours et les dernières heures",
            ),
            (
                "Talking about dying with residents and clients",
                "Parler de la mort avec les résidents et les clients",
            ),
            (
                "Caring for yourself: grief in personal support work",
                "Prendre soin de soi\u00a0: le deuil chez les préposés",
            ),
        ),
        speakers=(RAMSAY, PELLETIER, OKONKWO),
    ),
    ProgramData(
        hub="paramedicine",
        slug="palliative-care-for-paramedics",
        title_en="Palliative Care at Home for Paramedics",
        title_fr="Les soins palliatifs à domicile pour les paramédics",
        description_en="For paramedics called to people receiving palliative care: treating "
        "symptoms at home, honouring goals of care and deciding together when not to transport.",
        description_fr="Pour les paramédics appelés auprès de personnes en soins palliatifs\u00a0: "
        "soulager à domicile, respecter les niveaux de soins et décider ensemble de ne pas "
        "transporter.",
        languages="both",
        scope="sector",
        timezone="America/Halifax",
        professions=("paramedic",),
        settings=(PARA,),
        schedule=Schedule(THU, NOON, every_weeks=2, past=3, duration=60, capacity=150),
        sessions=(
            (
                "When 911 is called for a person receiving palliative care",
                "Quand on compose le 911 pour une personne en soins palliatifs",
            ),
            (
                "Treating breakthrough pain in the home",
                "Traiter la douleur paroxystique à domicile",
            ),
            ("Managing dyspnea without transport", "Prendre en charge la dyspnée sans transport"),
            (
                "Goals of care and do-not-resuscitate orders at the door",
                "Niveaux de soins et ordonnances de non-réanimation à la porte",
            ),
            ("Terminal delirium and agitation", "Délirium terminal et agitation"),
            (
                "An expected death at home: what paramedics do next",
                "Un décès attendu à domicile\u00a0: le rôle du paramédic",
            ),
        ),
        speakers=(MACISAAC, THORNE),
    ),
    ProgramData(
        hub="long-term-care",
        slug="palliative-care-in-long-term-care",
        title_en="Palliative Care in Long-Term Care",
        title_fr="Les soins palliatifs en soins de longue durée",
        description_en="For the whole team of a long-term care home: a palliative approach "
        "from admission, comfort-focused care in dementia, and support for families and staff.",
        description_fr="Pour toute l'équipe d'un centre de soins de longue durée\u00a0: l'approche "
        "palliative dès l'admission, le confort en cas de démence, le soutien aux familles "
        "et au personnel.",
        languages="both",
        scope="sector",
        timezone="America/Vancouver",
        professions=(*NURSES, "psw", "family-physician", "social-worker", "spiritual-care"),
        settings=(LTC,),
        schedule=Schedule(WED, ONE_PM, every_weeks=2, past=3, duration=60, capacity=250),
        sessions=(
            ("A palliative approach from admission", "L'approche palliative dès l'admission"),
            (
                "Dementia at the end of life: comfort-focused care",
                "La démence en fin de vie\u00a0: des soins axés sur le confort",
            ),
            (
                "Pneumonia and the decision not to transfer to hospital",
                "La pneumonie et la décision de ne pas transférer à l'hôpital",
            ),
            (
                "Goals of care conversations with substitute decision-makers",
                "Les objectifs de soins avec les mandataires",
            ),
            (
                "Subcutaneous medications in the last days",
                "Les médicaments sous-cutanés dans les derniers jours",
            ),
            (
                "Honouring a death: rituals in the care home",
                "Souligner un décès\u00a0: les rituels dans le milieu de vie",
            ),
            (
                "Grief and bereavement support for staff and families",
                "Le soutien au deuil pour le personnel et les familles",
            ),
        ),
        speakers=(NAKAMURA, VANDERMEER, BELANGER),
    ),
    ProgramData(
        hub="quebec",
        slug="approche-palliative-integree-quebec",
        title_en="",
        title_fr="L'approche palliative intégrée en première ligne et à domicile",
        description_en="",
        description_fr="Une série en français pour les équipes de GMF, de soutien à domicile, "
        "de CHSLD et de maisons de soins palliatifs\u00a0: soulager les symptômes, planifier les "
        "soins et accompagner les proches.",
        languages="fr",
        scope="provincial",
        provinces=("QC",),
        timezone="America/Toronto",
        professions=(*NURSES, "psw", "family-physician", "social-worker", "pharmacist"),
        settings=(PC, HOME, LTC, HOSPICE),
        schedule=Schedule(THU, NOON, every_weeks=2, past=3, duration=60, capacity=200),
        sessions=(
            ("", "Évaluer et soulager la douleur chez la personne âgée"),
            (
                "",
                "La dyspnée en fin de vie\u00a0: approches pharmacologiques "
                "et non pharmacologiques",
            ),
            ("", "Le délirium\u00a0: prévenir, reconnaître, intervenir"),
            ("", "Les niveaux de soins et la planification préalable des soins"),
            ("", "Les derniers jours et les dernières heures à domicile"),
            ("", "Soutenir les proches aidants"),
            ("", "Le deuil\u00a0: accompagner les proches et les équipes"),
        ),
        speakers=(GAUTHIER, LAVOIE),
    ),
    ProgramData(
        hub="atlantic",
        slug="rural-palliative-care-newfoundland-labrador",
        title_en="Palliative Care Close to Home in Rural Newfoundland and Labrador",
        title_fr="Les soins palliatifs près de chez soi à Terre-Neuve-et-Labrador rurale",
        description_en="For teams far from a specialist palliative care service: virtual "
        "support, getting medications in time and helping people die in their community.",
        description_fr="",
        languages="en",
        scope="provincial",
        provinces=("NL",),
        timezone="America/St_Johns",
        professions=(*NURSES, "family-physician", "pharmacist", "indigenous-health-worker"),
        settings=(PC, HOME, "indigenous-community"),
        schedule=Schedule(TUE, NOON, every_weeks=3, past=2, duration=60, capacity=60),
        sessions=(
            (
                "Caring for people far from a palliative care team",
                "Soigner loin d'une équipe de soins palliatifs",
            ),
            (
                "Virtual visits and telephone support at the end of life",
                "Visites virtuelles et soutien téléphonique en fin de vie",
            ),
            (
                "Getting medications to remote communities in time",
                "Acheminer les médicaments à temps dans les communautés éloignées",
            ),
            (
                "Coming home to die: planning with families",
                "Revenir mourir chez soi\u00a0: planifier avec les familles",
            ),
            ("Grief in small communities", "Le deuil dans les petites communautés"),
        ),
        speakers=(BRAGG, OKONKWO),
    ),
    ProgramData(
        hub=LEAD_SLUG,
        slug="world-hospice-palliative-care-day-{year}",
        title_en="World Hospice and Palliative Care Day {year}",
        title_fr="Journée mondiale des soins palliatifs {year}",
        description_en="The national network's World Hospice and Palliative Care Day session, "
        "open to everyone, with an invited international speaker. English with simultaneous "
        "French interpretation.",
        description_fr="La séance du réseau national pour la Journée mondiale des soins "
        "palliatifs, ouverte à tous, avec une conférencière internationale invitée. En anglais "
        "avec interprétation simultanée en français.",
        languages="both",
        scope="national",
        timezone="America/Toronto",
        professions=(),
        settings=(),
        schedule=Schedule(
            SAT, NOON, every_weeks=0, past=0, duration=90, capacity=1500, world_day=True
        ),
        sessions=(
            (
                "Compassionate communities: palliative care is everyone's business",
                "Communautés compatissantes\u00a0: les soins palliatifs, c'est l'affaire de tous",
            ),
        ),
        speakers=(WORLD_SPEAKER, WORLD_HOST),
        session_format=WORLD_DAY_FORMAT,
    ),
    ProgramData(
        hub=DEMO_HUB,
        slug="palliative-care-homelessness",
        title_en="Palliative Care for People Experiencing Homelessness",
        title_fr="Les soins palliatifs pour les personnes en situation d'itinérance",
        description_en="In preparation: shelter staff, outreach nurses and physicians caring "
        "for people who are homeless and seriously ill.",
        description_fr="En préparation\u00a0: le personnel des refuges, les infirmières de rue et "
        "les médecins qui soignent des personnes itinérantes gravement malades.",
        languages="en",
        scope="provincial",
        provinces=("ON",),
        timezone="America/Toronto",
        status="draft",
        professions=(*NURSES, "family-physician", "social-worker"),
        settings=("shelter-housing", "community-health-centre"),
        schedule=Schedule(MON, NOON, every_weeks=2, past=0, duration=60, capacity=100),
        sessions=(
            (
                "Palliative care without a home: where to begin",
                "Les soins palliatifs sans domicile\u00a0: par où commencer",
            ),
            ("Harm reduction at the end of life", "La réduction des méfaits en fin de vie"),
            ("Grief in the shelter community", "Le deuil dans la communauté du refuge"),
        ),
        speakers=(PELLETIER, OKONKWO),
    ),
)

ACCOUNTS: tuple[AccountData, ...] = (
    AccountData(
        "national@example.org",
        "Nadine Arsenault-Kerr",
        "National admin (and Django admin)",
        "administrator",
        "other",
        "ON",
        "America/Toronto",
        national=True,
        postal_code="K1P 5J2",
    ),
    AccountData(
        "hubadmin@example.org",
        "Rajiv Desrosiers",
        "Hub admin, Ontario hub",
        "administrator",
        "other",
        "ON",
        "America/Toronto",
        hub_roles=("admin",),
        postal_code="M5G 2C4",
    ),
    AccountData(
        "coordinator@example.org",
        "Bethany Kowalczyk",
        "Coordinator, Ontario hub",
        "administrator",
        "other",
        "ON",
        "America/Toronto",
        hub_roles=("coordinator",),
        postal_code="K9J 7C8",
    ),
    AccountData(
        "facilitator@example.org",
        "Femi Lachance-Adeyemi",
        "Facilitator, Ontario hub (on its panels)",
        "nurse-practitioner",
        PC,
        "ON",
        "America/Toronto",
        hub_roles=("facilitator",),
        panel_role="facilitator",
        postal_code="K0M 1T0",
    ),
    AccountData(
        "expert@example.org",
        "Dr Ingrid Solberg-Matthews",
        "Hub expert, Ontario hub (on its panels)",
        "specialist-physician",
        "palliative-unit",
        "ON",
        "America/Toronto",
        hub_roles=("expert",),
        panel_role="expert",
        postal_code="L8N 4A6",
    ),
    AccountData(
        "participant@example.org",
        "Keisha Villeneuve",
        "Participant: registered nurse, Ontario",
        "registered-nurse",
        PC,
        "ON",
        "America/Toronto",
        spoke="Riverbend Family Health Team",
        postal_code="K9H 2P4",
    ),
    AccountData(
        "participant.fr@example.org",
        "Lucie Bergeron-Tanguay",
        "Participant: personal support worker, Quebec (French)",
        "psw",
        LTC,
        "QC",
        "America/Toronto",
        language="fr",
        spoke="CHSLD Les Jardins du Fleuve",
        postal_code="G9A 5K3",
    ),
)


@dataclass(frozen=True)
class AccreditationData:
    """CPD credit on the demo hub's first published program, for the professions named."""

    body: str
    credit_type: str
    number: str
    professions: tuple[str, ...]
    statement_en: str
    statement_fr: str


# Each credit names its own professions: the demo's registered nurse gets nursing
# hours, never Mainpro+; its personal support worker gets a certificate of attendance.
ACCREDITATIONS: tuple[AccreditationData, ...] = (
    AccreditationData(
        "College of Family Physicians of Canada",
        "mainpro_group",
        "DEMO-0001",
        ("family-physician",),
        "This Group Learning program has been certified by the College of Family Physicians "
        "of Canada for up to 1 Mainpro+ credit per hour (demo statement).",
        "Ce programme d’apprentissage en groupe a été certifié par le Collège des médecins de "
        "famille du Canada pour au plus 1 crédit Mainpro+ par heure (énoncé de démonstration).",
    ),
    AccreditationData(
        "Ontario Hub continuing education (demo)",
        "nursing_ce",
        "DEMO-RN-0002",
        NURSES,
        "This activity provides up to 1 hour of nursing continuing education per hour "
        "attended, for your continuing competence record (demo statement).",
        "Cette activité donne au plus 1 heure de formation continue en soins infirmiers par "
        "heure de participation, pour votre dossier de maintien de la compétence "
        "(énoncé de démonstration).",
    ),
)

# Invented providers who answered the demo program's evaluations. They have no
# password (nobody signs in as them); they exist so the results pages have
# enough answers to show figures (fewer than five are never shown).
# (name, profession, language, province, practice postal code): about a third
# practise in a rural area (an FSA whose digit is 0), as the reach figures expect.
RESPONDENTS: tuple[tuple[str, str, str, str, str], ...] = (
    ("Aisha Mohammed", "registered-nurse", "en", "ON", "M6J 1H4"),
    ("Benoît Lavoie", "psw", "fr", "QC", "G0L 1B0"),
    ("Carmen Ortiz", "nurse-practitioner", "en", "BC", "V1Y 4N7"),
    ("Daniel Whitecloud", "paramedic", "en", "AB", "T0H 2M0"),
    ("Émilie Gauthier", "registered-nurse", "fr", "QC", "H2X 3E4"),
    ("Farah Siddiqui", "family-physician", "en", "ON", "K1H 8L6"),
    ("Gabriel Nadeau", "social-worker", "fr", "NB", "E1C 4R3"),
    ("Hannah Kowalski", "psw", "en", "MB", "R0K 1C0"),
    ("Isaac Mensah", "registered-nurse", "en", "NS", "B3H 2Y9"),
    ("Julie Bergeron", "practical-nurse", "fr", "QC", "J0W 1E0"),
    ("Kiran Dhillon", "family-physician", "en", "BC", "V8G 2R5"),
    ("Léa Fortin", "psw", "fr", "QC", "G5L 3A7"),
    ("Marcus Lee", "paramedic", "en", "SK", "S0N 1P0"),
    ("Noor Haddad", "registered-nurse", "en", "ON", "N6A 5W9"),
    ("Olivier Pelletier", "spiritual-care", "fr", "QC", "G0A 3K0"),
    ("Priya Raman", "nurse-practitioner", "en", "ON", "P0V 1X0"),
    ("Quinn MacLeod", "psw", "en", "PE", "C0B 1M0"),
    ("Rosalie Bouchard", "registered-nurse", "fr", "QC", "J8Y 6S1"),
    ("Samuel Okeke", "social-worker", "en", "NL", "A1B 3V6"),
    ("Tara Sinclair", "practical-nurse", "en", "NL", "A0K 4J0"),
    ("Ugo Lambert", "family-physician", "fr", "QC", "J1H 4C9"),
    ("Vanessa Chu", "registered-nurse", "en", "YT", "Y1A 2C6"),
)

# What respondents wrote; nothing here identifies anyone.
WILL_DO = (
    "Ask about breathlessness at every visit, not only when it is mentioned.",
    "Start the goals-of-care conversation earlier, before a crisis.",
    "Use the ESAS with every resident on our unit each week.",
    "Offer a small fan and positioning before reaching for medication.",
    "Check bowels daily when someone starts an opioid.",
    "Involve the family in the care plan meeting.",
    "Poser la question de la dyspnée à chaque visite.",
    "Parler plus tôt des objectifs de soins avec la famille.",
    "Call the palliative consult team sooner for uncontrolled pain.",
    "Write down the breakthrough dose plan so the night staff know it.",
)
IMPROVE = (
    "More time for the case discussion, please.",
    "The slides were hard to read on a phone.",
    "Share the resources mentioned in the chat after the session.",
    "Plus de temps pour les questions.",
    "",
    "",
    "",
)
