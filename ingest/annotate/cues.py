"""Dutch cue phrases, word lists and patterns: the rule side of annotation, kept as data.

Every pattern is compiled once here; the extractor modules only loop over them. A rule
pattern has a named group ``label`` where the label of the element starts (and, for some,
groups for attributes). Confidence values are the rule's measured reliability on the
labelled set, rounded down.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_I = re.IGNORECASE

# ---------------------------------------------------------------------------------------------
# Words
# ---------------------------------------------------------------------------------------------

STOPWORDS = frozenset(
    [
        "de", "het", "een", "en", "of", "van", "in", "op", "te", "die", "dat", "je", "jij",
        "jouw", "we", "wij", "ons", "onze", "u", "ze", "zij", "hun", "hen", "zijn", "is", "was",
        "waren", "wordt", "worden", "werd", "werden", "met", "voor", "aan", "bij", "door", "als",
        "om", "tot", "uit", "naar", "over", "er", "dan", "ook", "nog", "niet", "wel", "al",
        "maar", "dus", "toch", "hoe", "wat", "wie", "waar", "wanneer", "deze", "dit", "die",
        "heeft", "hebben", "had", "hadden", "kan", "kunnen", "zal", "zullen", "moet", "moeten",
        "mag", "mogen", "wil", "willen", "zich", "zo", "zoals", "ze", "men", "het", "hij",
        "haar", "hem", "daar", "hier",
    ]
)

TRAILING_FUNCTION_WORDS = frozenset(
    [
        "de", "het", "een", "en", "of", "van", "in", "op", "te", "die", "dat", "met", "voor",
        "aan", "bij", "door", "als", "om", "tot", "uit", "naar", "over", "er", "dan", "ook",
        "maar", "dus", "zoals", "waar", "wat", "hoe", "rond", "zij", "ze", "we", "wij", "hij",
        "zodat", "omdat", "terwijl", "waarbij", "waarmee",
    ]
)

MONTHS: dict[str, int] = {
    "januari": 1, "februari": 2, "maart": 3, "april": 4, "mei": 5, "juni": 6, "juli": 7,
    "augustus": 8, "september": 9, "oktober": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mrt": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "okt": 10, "nov": 11, "dec": 12,
}  # fmt: skip

MONTH_NAMES: tuple[str, ...] = ("", "januari", "februari", "maart", "april", "mei", "juni", "juli",
                                "augustus", "september", "oktober", "november", "december")
"""Full Dutch month names by month number (index 0 unused)."""

PAST_CUES = ("vorige", "afgelopen", "vorig", "eerdere", "was", "waren", "vond plaats",
             "hebben", "kwamen", "kwam", "werd")
FUTURE_CUES = ("volgende", "komende", "aanstaande", "eerstvolgende", "organiseert",
               "vindt plaats", "staat gepland", "is gepland", "nodigen")

NUMBER_WORDS: dict[str, int] = {
    "twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6, "zeven": 7, "acht": 8, "negen": 9,
    "tien": 10, "elf": 11, "twaalf": 12, "dertien": 13, "veertien": 14, "vijftien": 15,
    "zestien": 16, "zeventien": 17, "achttien": 18, "negentien": 19, "twintig": 20,
    "dertig": 30, "veertig": 40, "vijftig": 50, "honderd": 100, "duizend": 1000,
    "tweehonderd": 200, "driehonderd": 300,
}  # fmt: skip

# Counted things that are not outputs (durations, shares, money, ages).
NON_OUTPUT_UNITS = frozenset(set(MONTHS) | set(
    [
        "jaar", "jaren", "maand", "maanden", "week", "weken", "dag", "dagen", "uur", "uren",
        "minuut", "minuten", "keer", "procent", "euro", "miljoen", "miljard", "%", "eeuw",
        "seconden", "kwartier", "jarigen", "jarige",
    ]
))

# ---------------------------------------------------------------------------------------------
# Labels
# ---------------------------------------------------------------------------------------------

LEADING_FILLERS = tuple(
    re.compile(p, _I)
    for p in (
        r"^(?:maar|en|dus|daarnaast|tegelijk|verder|bovendien|kortom|tot slot|vooral|"
        r"ten (?:eerste|tweede|derde|vierde|vijfde|slotte))\b[,:]?\s+",
        r"^(?:dat|die|om|of)\s+(?=(?:ze|zij|je|we|het|de|er)\b)",
        r"^(?:één inzicht|het inzicht|de les|een les|de boodschap)[^:]{0,60}:\s*",
    )
)
LABEL_DROP_PATTERNS = tuple(
    re.compile(p, _I)
    for p in (
        r"\s*\([^)]*\)",
        r"\s+(?:als|zoals)\s+[‘'“\"][^’'”\"]+[’'”\"](?:\s*(?:,|en|of)\s*[‘'“\"][^’'”\"]+[’'”\"])*",
    )
)
LABEL_CUT_PATTERNS = tuple(
    re.compile(p, _I)
    for p in (
        r";", r":", r"\s[–—-]\s", r"\(", r",\s+(?:maar|omdat|waardoor|zodat|want|waar|waarin|"
        r"waarbij|zoals|terwijl|ook als|dus)\b", r",", r"\s+(?:maar|omdat|zodat|want)\s",
    )
)

# ---------------------------------------------------------------------------------------------
# Clauses: where one sentence holds more than one chain element
# ---------------------------------------------------------------------------------------------

CLAUSE_SPLIT = re.compile(
    r";\s+|:\s+(?=[a-z])|\s+en\s+(?=(?:dat|er|hebben|heeft|zijn|is|wordt|worden|werd|werden)\b)"
    r"|,\s+en\s+"
)

# ---------------------------------------------------------------------------------------------
# People and organisations
# ---------------------------------------------------------------------------------------------

NAME_PARTICLES = frozenset(
    [
        "van", "de", "der", "den", "ten", "ter", "te", "el", "al", "da", "di", "du", "la", "le",
        "'t", "von", "zu",
    ]
)
NAME_TOKEN = r"[A-ZÀ-Ý][a-zà-ÿ]+(?:-[A-ZÀ-Ý][a-zà-ÿ]+)?(?![\w-])"
PARTICLE = (r"(?:van der|van den|van de|van 't|van|de|der|den|ten|ter|te|el|al|da|le|la|"
            r"Van der|Van den|Van de|Van|De|Ten|Ter|El|Al)")
PERSON_NAME = rf"{NAME_TOKEN}(?:\s+{NAME_TOKEN})?(?:\s+{PARTICLE})?\s+{NAME_TOKEN}"

# Capitalised words that start sentences or name things but are never a first name.
NOT_FIRST_NAMES = frozenset(
    [
        "Op", "In", "Na", "Met", "Het", "De", "Een", "Voor", "Volgens", "Bij", "Als", "Om",
        "Dat", "Dit", "Die", "Deze", "Ook", "Maar", "En", "Over", "Van", "Tijdens", "Tussendoor",
        "Door", "Waar", "Wat", "Wie", "Hoe", "Toen", "Dan", "Zo", "Er", "Niet", "Alle", "Veel",
        "Grote", "Kleine", "Eén", "Partijen", "Levendige", "Korte", "Vier", "Drie", "Twee",
        "Vind", "Zoek", "Houd", "Begin", "Zorg", "Stop", "Maak", "Investeer", "Community",
        "Practice", "City", "Town", "Deal", "Deals", "Agenda", "Stad", "Impact", "Centre",
        "Platform", "Planbureau", "Gemeente", "Provincie", "Ministerie", "Hogeschool",
        "Universiteit", "Rijksuniversiteit", "Woningcorporatie", "Programmamanager",
        "Dagvoorzitter", "Wethouder", "Onderzoeker", "Kwartiermaker", "Executive", "Director",
        "Maatschappelijke", "Diensttijd", "Prodent", "Amersfoort", "Utrecht", "Zwolle",
        "Deventer", "Dorpshuis", "Rijk", "Fietsen", "Iedereen", "Energieke", "Wijken", "Vitale",
        "Kernen", "Evalueren", "Leren", "Opschalen", "Borgen", "Ambitie", "Output", "Ten",
        "Resultaten", "Aannames", "Weerstand", "Lessen", "Verkennen", "Aanjagen", "Centraal",
        "Tegelijk", "Daarnaast", "Bewoners", "Ouderen", "Onafhankelijk", "Fabrieksterrein",
        "Experimenteren", "Werkzame", "Zachte", "Samen", "Wetend", "Laat", "Geef", "Jacqueline",
        "Aan", "Geachte", "Voorzitter", "Studio", "Buro", "Foto", "Fotostudio", "Atelier",
        "Namens", "Sinds", "Vanuit", "Dankzij", "Zonder", "Onder",
    ]
) - {"Jacqueline"}

ROLE_WORDS = (
    "dagvoorzitter", "programmamanager", "projectleider", "kwartiermaker", "wethouder",
    "burgemeester", "gedeputeerde", "onderzoeker", "adviseur", "directeur", "dealmaker",
    "opschalingsexpert", "voorzitter", "coördinator", "beleidsmedewerker", "beleidsadviseur",
    "programmadirecteur", "lector", "hoogleraar", "wijkcoach", "procesbegeleider",
    "projectmanager", "secretaris", "trekker", "minister", "staatssecretaris", "expert",
    "Executive Director", "directeur-bestuurder", "bestuurder", "penvoerder", "moderator",
)
# Words that end in a job title: 'opschalingsadviseur', 'projectleider', 'kwartiermaker'.
ROLE_SUFFIXES = (r"[a-zà-ÿ]*(?:adviseur|manager|leider|maker|directeur|voorzitter|coördinator|"
                 r"expert|onderzoeker|medewerker|wethouder|bestuurder|ambtenaar|consulent)")
ORG_HEAD_WORDS = frozenset(
    ["bureau", "instituut", "hogeschool", "universiteit", "rijksuniversiteit", "stichting",
     "vereniging", "platform", "centrum", "centre", "fonds", "gemeente", "provincie",
     "ministerie", "planbureau", "kennisinstituut", "woningcorporatie", "studio", "buro",
     "fotostudio", "atelier"]
)
CHAIR_ROLES = frozenset({"dagvoorzitter", "voorzitter", "moderator"})

# Descriptors written before an organisation's own name ("netbeheerder Enexis").
ORG_DESCRIPTORS = (
    "woningcorporatie", "zorgverzekeraar", "netbeheerder", "corporatie", "bedrijf",
    "organisatie", "expertisecentrum", "kennisinstelling", "adviesbureau", "energiecoöperatie",
    "coöperatie", "welzijnsorganisatie", "zorgaanbieder", "uitvoeringsorganisatie", "GGD",
    "onderzoeksbureau", "ontwerpbureau", "advies- en ingenieursbureau", "ingenieursbureau",
    "kringloopbedrijf", "branchevereniging", "brancheorganisatie", "koepelorganisatie",
    "advocatenkantoor", "mobiliteitsadviesbureau", "kennisinstituut", "aanbieder", "aannemer",
    "bouwbedrijf", "ontwikkelaar", "projectontwikkelaar", "vastgoedbelegger", "zorginstelling",
    "stichting", "vereniging", "energiebedrijf", "softwarebedrijf", "start-up", "startup",
)
# Programmes and deals are not organisations.
NOT_ORGANISATIONS = frozenset(
    {"agenda stad", "community of practice", "city deal", "town deal", "cop", "dag van de stad",
     "impactpool", "europese agenda stad"}
)
# Names of programmes, events, teams, tools and venues that are neither a person nor (for the
# annotator) an organisation: a capitalised name of this kind is never typed as a person.
NOT_PERSON_NAMES = (
    "Dag van de Stad", "Agenda Stad", "Europese Agenda Stad", "Community of Practice",
    "Impactpool", "Impact Pool", "Team Regio", "Programma Sociaal Domein", "Eenvoudig Maatwerk",
    "Healthy Urban Living", "Nationaal Programma Rotterdam Zuid", "Atlas Natuurlijk Kapitaal",
    "Green Deal", "Regio Deal", "Regiodeal", "Woondeal", "Innovation Expo", "Campus Party",
    "Koepelgevangenis", "Jaarbeurs", "Toekomstbeeld OV", "Klimaatakkoord", "Veiligheidsmonitor",
    "Wet markt en overheid", "Aanbestedingswet", "Participatiewet", "Omgevingswet",
    "Crowd Safety Manager", "Dutch Metropolitan Innovations", "Actieagenda Sterk Bestuur",
    "City Deal", "City Deals", "Town Deal", "Town Deals", "Tweede Kamer", "Eerste Kamer",
)

# ---------------------------------------------------------------------------------------------
# Meetings
# ---------------------------------------------------------------------------------------------

MEETING_WORDS = re.compile(
    r"\b(?P<kind>Community of Practice|CoP(?:-bijeenkomst)?|bijeenkomst|kennissessie|"
    r"werksessie|netwerkbijeenkomst|conferentie|congres|symposium|webinar|werkconferentie|"
    r"themasessie|leersessie|kennisdag|studiedag|inspiratiesessie|werkbezoek|overleg|"
    r"vergadering|ondertekening|slotbijeenkomst|slotevenement|slotconferentie|afsluiting|"
    r"studiereis|werkatelier|atelier|leerkring|werkdag|bijtekenmoment|tekenmoment|"
    r"Dag van de Stad|diner pensant|lancering|leerbijeenkomst|expertmeeting|rondetafel\w*|"
    r"debat|terugblik|excursie|jaarparade|lerend netwerk|kennismiddag|werkbijeenkomst|"
    r"startbijeenkomst|kick-off|aftrap|sessie|bezoek)\b|"
    r"\b(?P<held>(?:vindt|vond)\b[^.]{0,40}?\bplaats|plaatsvindt|plaatsvond)\b|"
    r"\b(?P<sign>(?:ondertekend|getekend|ondertekenden|tekenden|gesloten|gelanceerd|"
    r"afgesloten|ondertekenen|tekenen)\b)|"
    r"\b(?P<discuss>(?:bespreekt|bespreken|vergadert|vergaderen)\b[^.]{0,80}?\bop\s+\d)|"
    r"\b(?P<gather>kwamen\b[^.]{0,120}?\bbijeen|komen\b[^.]{0,120}?\bbijeen|"
    r"zijn\b[^.]{0,120}?\bin [A-Z][a-z]+ voor de (?:Community of Practice|CoP))",
    _I,
)
COP_WORDS = re.compile(r"\bCommunity of Practice\b|\bCoP\b", _I)
MEETING_PLACE = re.compile(
    r"\b(?:in|te)\s+(?:(?:het|de)\s+[\w-]+(?:\s+[A-Z][\w-]*)*\s+(?:in|van|te)\s+)?"
    r"(?P<place>[A-Z][a-zà-ÿ]+(?:[- ][A-Z][a-zà-ÿ]+)?)\b"
)
HOST_CUES = re.compile(
    r"\b(?:georganiseerd door|gastheer (?:was|is)|gastvrouw (?:was|is)|gastheer:|gastvrouw:|"
    r"op uitnodiging van|te gast bij|gehost door|ontving|ontvangt|organiseert|organiseerde)\b",
    _I,
)
# A person named right after these chaired the meeting.
CHAIR_CUES = re.compile(
    r"\b(?:begeleid door|onder leiding van|gespreksleiding|gespreksleider (?:was|is)|"
    r"dagvoorzitter (?:was|is)|voorzitter\s*:|moderator (?:was|is))\b",
    _I,
)
SPEAKER_CUES = re.compile(
    r"\b(?:vertel\w*|geeft|gaf|liet zien|laat zien|presenteer\w*|nam\b[^.]{0,40}\bmee|"
    r"neemt\b[^.]{0,40}\bmee|sprak|spreekt|uitleg|wees op|wijst op|pakt door|"
    r"gebruikt|noemt|ziet|beargumenteert|onderstreept|sloot af|deelde|opende|inleiding)\b",
    _I,
)
PLACE_ROW = re.compile(r"^(?:plaats|locatie)\s*[|:]\s*(?P<place>.+)$", _I)
MEETING_TOPIC = re.compile(r"\bover (?P<topic>(?:de |het |een )?[\w -]{3,60}?)(?:[.,;]|$)")

# ---------------------------------------------------------------------------------------------
# Deals
# ---------------------------------------------------------------------------------------------

DEAL_MENTION = re.compile(
    r"\b(?P<kind>City[ -]?Deal|Town[ -]?Deal|CD|TD)(?![\w-])\s+"
    r"(?P<name>[\wÀ-ÿ'’-]+(?:\s+[\wÀ-ÿ'’-]+){0,7})"
)
DEAL_NAME_CONNECTORS = frozenset([
    "voor", "op", "de", "het", "in", "van", "en", "met", "der", "den", "aan",
])
DEAL_NAME_STOP = frozenset(
    [
        "is", "was", "zijn", "wordt", "werd", "heeft", "hebben", "kan", "kunnen", "zal", "wil",
        "gaat", "ging", "staat", "bestaat", "aanschuift", "sluit", "organiseert", "noemt",
        "toont", "laat", "wordt", "een", "die", "dat", "waar", "om", "als",
    ]
)
DEAL_PHASE = re.compile(
    r"\b(?:staat|zit|is|bevindt zich)\s+(?:nu\s+|inmiddels\s+)?in\s+de\s+fase\s+(?:van\s+)?"
    r"(?P<phase>verkennen|ontwerpen|aanjagen|implementeren|leren|verbeteren|borgen)",
    _I,
)
NEW_DEAL = re.compile(r"\bnieuwe\s+(?:City|Town)\s+Deal\b", _I)

# ---------------------------------------------------------------------------------------------
# Chain elements, working elements, lessons: sentence rules
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Cue:
    """One rule: a class, a pattern with a ``label`` group, a confidence and options.

    ``split_quotes``: each quoted item inside the label becomes its own element.
    ``split_and``: coordinated noun phrases ('minder X en een betere Y') become two elements.
    ``split_list``: a list ('X, Y en Z') becomes one element per item.
    ``attrs``: fixed attribute values the rule implies (impact direction, ...).
    ``whole``: the label is the whole clause rather than the text from the group.
    """

    kind: str
    pattern: re.Pattern[str]
    confidence: float
    split_quotes: bool = False
    split_and: bool = False
    split_list: bool = False
    whole: bool = False
    attrs: dict[str, str] = field(default_factory=dict)


def _cue(kind: str, pattern: str, confidence: float, flags: int = _I, **options: object) -> Cue:
    return Cue(kind, re.compile(pattern, flags), confidence, **options)  # type: ignore[arg-type]


AMBITION_CUES = (
    _cue("ambition", r"\bambitie\b[^.]{0,80}?\b(?:is|was)\b(?:\s+dat|\s+om)?\s+(?P<label>.+)", 0.9),
    _cue("ambition", r"\bmet als ambitie(?:\s+dat|\s+om)?\s+(?P<label>.+)", 0.9),
    _cue("ambition", r"\bambities?\s+(?:als|zoals)\s+(?P<label>.+)", 0.85, split_quotes=True),
    _cue("ambition", r"\b(?:City Deal|Town Deal|de deal|het programma|de partners)\b[^.,]{0,40}?"
         r"\bwil(?:len)?\s+dat\s+(?P<label>.+)", 0.8),
    _cue("ambition", r"\b(?:één|ons|het|hun|gezamenlijke?)\s+(?:doel|missie)\s*:\s*(?P<label>.+)",
         0.85),
    _cue("ambition", r"\bstip op de horizon\b[^.:]{0,30}[:]\s*(?P<label>.+)", 0.85),
    _cue("ambition", r"\bstre(?:eft|ven)\s+(?:ernaar|naar)\s+(?:dat\s+|om\s+)?(?P<label>.+)", 0.75),
)

POLICY_CUES = (
    _cue("policy_strategy", r"^(?P<label>.*\bopgenomen\s+in\s+(?:hun|het|de|haar|ons)\s+\w*(?:beleid|"
         r"visie|plan|begroting|programma|agenda)\b.*)", 0.8),
    _cue("policy_strategy", r"\b(?:de|onze|hun|haar)\s+(?:strategie|aanpak|koers)\s+(?:is|was)\s+"
         r"(?:om\s+)?(?P<label>.+)", 0.8),
    _cue("policy_strategy", r"(?P<label>\b(?:een|de|het)\s+(?:[\w-]+\s+){0,3}?"
         r"(?:aanpak|strategie|visie|beleid|beleidsplan|werkwijze|koers|uitvoeringsplan)\b.*?"
         r"\b(?:vastgesteld|vastgelegd|aangenomen|opgesteld)\b.*)", 0.8),
    _cue("policy_strategy", r"\bgekozen\s+voor\s+(?P<label>(?:een|de)\s+(?:[\w-]+\s+){0,3}?"
         r"(?:aanpak|strategie|visie|koers|werkwijze)\b.*)", 0.85),
    _cue("policy_strategy", r"\bzet\w*\s+(?:[\w-]+\s+){0,4}?in\s+op\s+(?P<label>.+)", 0.8),
    _cue("policy_strategy", r"\b(?:hebben|heeft)\s+(?:\w+\s+)?afgesproken\s+dat\s+(?P<label>.+)",
         0.8),
    _cue("policy_strategy", r"\bafspraak\b[^:.]{0,80}:\s*(?P<label>.+)", 0.8),
    _cue("policy_strategy", r"^(?P<label>.*\bstel(?:t|len|de|den)\b[^.]{0,80}?"
         r"\b(?:geld|middelen|budget|subsidie)\s+beschikbaar\b.*)", 0.7),
)

ACTIVITY_CUES = (
    _cue("activity", r"(?:^|,\s+)(?P<label>[^,]*\b(?:wil|willen|wilde|wilden|gaat|gaan)\b[^.,]{0,60}?\b"
         r"(?:opschalen|repliceren|uitrollen|overnemen|verspreiden)\b[^,]*)", 0.75),
    _cue("activity", r"\b(?:wordt|worden)\s+(?:er\s+)?(?P<label>(?:een|het|de)\s+[\w -]{3,60}?\s+"
         r"(?:ontwikkeld|opgezet|gestart|opgericht|uitgevoerd|ingericht))\b", 0.85),
    _cue("activity", r"(?<!doet )(?<!doen )(?P<label>\b(?:onafhankelijk\s+|extern\s+|"
         r"wetenschappelijk\s+)?onderzoek\s+naar\s+.+)", 0.75),
    _cue("activity", r"^(?P<label>.*\bonderzoekt\b.+)", 0.75),
    _cue("activity", r"\b(?:wordt|worden)\s+(?:er\s+)?gewerkt\s+aan\s+(?P<label>.+)", 0.8),
    _cue("activity", r"^(?P<label>.*\b(?:de|het|een)\s+(?:aanpak|werkwijze|methode|proef|pilot)\b.*?"
         r"\bnaar\s+(?:[\w-]+\s+){0,2}andere\s+(?:gemeenten|wijken|dorpen|steden|regio's|"
         r"scholen|deals)\b.*)", 0.75, attrs={"scaling": "scaling-replicate"}),
    _cue("activity", r"^(?P<label>.*\b(?:is|zijn|wordt|worden|werd|werden|hebben|heeft)\b.*?\b"
         r"(?:opgericht|opgezet|gestart|ingericht|ontwikkeld|ontworpen|uitgevoerd|gekopieerd|"
         r"herhaald|uitgerold|gestopt|beëindigd|afgebouwd|verlengd|ingevoerd|aangelegd)\b.*)",
         0.7),
)

IMPACT_CUES = (
    _cue("impact", r"\b(?:metingen|meting|evaluatie|onderzoek|enquête|monitor\w*|cijfers|"
         r"effectmeting)\b[^.]{0,70}?\b(?:laat|laten|toont|tonen|wijst|wijzen)\s+(?:\w+\s+)?"
         r"(?:zien|uit)\s+dat\s+(?P<label>.*\b(?:minder|meer|vaker|beter\w*|lager\w*|hoger\w*|"
         r"gedaald|gestegen|afgenomen|toegenomen)\b.*)", 0.85),
    _cue("impact", r"\b(?:de|het)\s+impact,\s+(?P<label>[^,]{4,60}),", 0.8),
    _cue("impact", r"^(?P<label>.*\b\d+\s*(?:procent|%)\s+van\s+de\s+(?:deelnemers|bewoners|"
         r"cursisten|huishoudens|jongeren|ouderen|bezoekers)\b.*)", 0.7),
    _cue("impact", r"^(?P<label>.+?),?\s+(?:zo\s+)?blijkt\s+uit\s+(?:een|de|het)\s+(?:\w+\s+)?"
         r"(?:enquête|onderzoek|evaluatie|metingen|meting|cijfers|monitor)\b", 0.85),
    _cue("impact", r"\b(?:zeggen|melden|geven\s+aan|vertellen|ervaren)\b[^.]{0,20}?\s+dat\s+"
         r"(?:ze|zij)\s+(?P<label>.+)", 0.75),
    _cue("impact", r"\bop\s+(?:de\s+)?lange\s+termijn\s+(?:verwacht\w*|levert|zorgt|leidt)\s+"
         r"(?:(?:de|het|een)\s+\w+\s+)?(?:voor\s+|tot\s+)?(?P<label>.+)", 0.8, split_and=True),
    _cue("impact", r"\b(?:keerzijde|nadeel|neveneffect|negatief effect|schaduwkant)\b[^.]{0,30}?"
         r"\bis\s+dat\s+(?P<label>.+)", 0.85, attrs={"direction": "direction-negative"}),
    _cue("impact", r"(?:^|;\s*)(?P<label>[^.;]*\b(?:toeneemt|neemt\s+toe|nemen\s+toe|overbelast\w*|"
         r"milieuschade|vervuiling)\b[^.;]*)", 0.65, attrs={"direction": "direction-negative"}),
    _cue("impact", r"\b(?:leidt|leiden|leidde|leidden)\s+(?:\w+\s+){0,2}?tot\s+(?P<label>.+)", 0.7),
    _cue("impact", r"\b(?:draagt|dragen|droeg)\s+bij\s+aan\s+(?P<label>.+)", 0.7),
)

# Impact rules that read a whole sentence (their colon would split it into clauses).
IMPACT_LINE_CUES = (
    _cue("impact", r"\b(?:beoogde|verwachte|gewenste|nagestreefde)\s+impact\s+(?:is|zijn|:)\s+"
         r"(?P<label>.+)", 0.85, split_list=True),
    _cue("impact", r"^(?:sociaal|economisch|ecologisch|milieu)\s*:\s*(?P<label>.+)", 0.85),
    _cue("impact", r"\bnegatieve\s+(?:impact|effecten|effect|gevolgen)\b[^:.]{0,30}:\s*(?P<label>.+)",
         0.85, attrs={"direction": "direction-negative"}),
)
# Sections that describe the situation before the deal: no impacts are read there.
BACKGROUND_HEADING = re.compile(r"\b(?:aanleiding|achtergrond|context|probleem|"
                                r"probleemstelling|waarom)\b", _I)
DOMAIN_PREFIX = {"sociaal": "domain-social", "economisch": "domain-economic",
                 "ecologisch": "domain-ecological", "milieu": "domain-ecological"}

ASSUMPTION_CUES = (
    _cue("assumption", r"\b(?:gingen|gaan|ging|gaat)\s+(?:\w+\s+)?ervan\s+uit,?\s+dat\s+"
         r"(?P<label>.+)", 0.9),
    _cue("assumption", r"\b(?:veronderstel\w*|nemen\s+aan|namen\s+aan|neemt\s+aan|nam\s+aan|"
         r"rekenden\s+erop|rekenen\s+erop|rekende\s+erop|rekent\s+erop|vertrouwden\s+erop)\s+"
         r"(?:\w+\s+)?dat\s+(?P<label>.+)", 0.9),
    _cue("assumption", r"\b(?:de|een|onze)\s+(?:belangrijkste\s+)?aanname\s+(?:is|was)\s+"
         r"(?:dat\s+)?(?P<label>.+)", 0.9),
    _cue("assumption", r"\baanname\b[^.]{0,60}?,\s+is\s+dat\s+(?P<label>.+)", 0.85),
    _cue("assumption", r"\baanname\s+dat\s+(?P<label>[^,]+?)(?:,|\s+(?:bleek|blijkt|wordt|werd|"
         r"klopt|klopte)\b)", 0.85),
    _cue("assumption", r"\baannames?\b[^.]{0,60}?\b(?:bijvoorbeeld|zoals)\s+dat\s+(?P<label>.+)",
         0.85),
)

# "output (…)", "impact (…)", "aannames … (bijvoorbeeld: …)": examples in brackets.
BRACKET_EXAMPLE = re.compile(
    r"\b(?P<word>output|outputs|impact|aannames?|ambitie|activiteit(?:en)?)\s*"
    r"\((?!bijvoorbeeld|bijv\.|bv\.|in dit voorbeeld|zoals)(?P<label>[^)]{8,})\)",
    _I,
)
BRACKET_ANY = re.compile(
    r"\((?:bijvoorbeeld|bijv\.|bv\.|in dit voorbeeld|zoals)\s*:?\s*(?P<label>[^)]{8,})\)", _I
)
BRACKET_CLASS_WORDS = {
    "output": "output", "outputs": "output", "impact": "impact", "aanname": "assumption",
    "aannames": "assumption", "ambitie": "ambition", "activiteit": "activity",
    "activiteiten": "activity",
}  # fmt: skip

WORKING_ELEMENT_CUES = (
    _cue("working_element", r"^(?P<label>[^.:;]{2,120}?)\s+(?:is|blijkt|was|lijkt|bleek|"
         r"noemde\s+\w+|noemt\s+\w+)\s+(?:ook\s+)?(?:een|het)\s+(?:\w+\s+)?werkza(?:am|me)\s+"
         r"element", 0.9),
    _cue("working_element", r"\bwerkza(?:am|me)\s+element\b[^.]{0,60}?\b(?:is|was|bleek|blijkt)"
         r"\s+(?P<label>(?:een|de|het)\s.+)", 0.85),
    _cue("working_element", r"\b(?:bleek|blijkt|is|was)\s+(?P<label>(?:een|de|het)\s+[^.,]{3,60}?)\s+"
         r"(?:het|een)\s+(?:\w+\s+)?werkza(?:am|me)\s+element\b", 0.85),
    _cue("working_element", r"\bniet\s+[^,]{3,40},\s+maar\s+(?P<label>[^.,]{3,60}?)\s+het\s+"
         r"verschil\s+(?:maakte|maakt|maken)\b", 0.8),
    _cue("working_element", r"^(?P<label>[^.,;:]{3,60}?)\s+maakt(?:e)?\s+het\s+verschil\b", 0.75),
    _cue("working_element", r"\bwerkt\s+het\s+(?:best|beste)\s+(?:als|wanneer)\s+(?P<label>.+)",
         0.8),
    _cue("working_element", r"^(?P<label>[^.,;:]{3,80}?)\s+werkt,?\s+(?:maar\s+)?(?:alleen|enkel)"
         r"\s+(?:als|wanneer|indien|onder\s+voorwaarde)\b", 0.8),
    # News and evaluation prose: what made it work, named as a factor, cause or condition.
    _cue("working_element", r"\b(?:belangrijkste|doorslaggevende|beslissende|grootste)\s+"
         r"(?:succes)?(?:factor|voorwaarde)\s+(?:was|is|bleek)\s+(?P<label>.+)", 0.8),
    _cue("working_element", r"^(?P<label>[^.;:]{3,90}?)\s+is\s+(?:\w+\s+){0,4}?(?:de\s+)?"
         r"(?:belangrijkste\s+)?succesfactor\b", 0.8),
    _cue("working_element", r"\bsuccesfactor\w*\b[^:.]{0,60}:\s*(?P<label>.+)", 0.8,
         split_list=True),
    _cue("working_element", r"\b(?:het\s+)?werk(?:t|te|en)\s+(?:vooral\s+|juist\s+)?"
         r"(?:omdat|doordat)\s+(?P<label>.+)", 0.75),
    _cue("working_element", r"\bwerk(?:t|en)\s+(?:vooral|alleen|pas|het\s+best)\s+"
         r"(?:als|wanneer|bij)\s+(?P<label>.+)", 0.75),
    _cue("working_element", r"^(?:[“\"]\s*)?[Pp]as\s+(?:toen|nadat)\s+(?P<label>[^,]{3,90}),", 0.7),
    _cue("working_element", r"\b(?:hielp|helpt)\s+(?:het\s+)?(?:enorm\s+|veel\s+|vooral\s+)?"
         r"dat\s+(?P<label>.+)", 0.7),
    _cue("working_element", r"\bdat\s+(?P<label>[^,.;]{3,80}?)\s+(?:daarbij|daar|hierbij)\s+helpt\b",
         0.7),
    _cue("working_element", r"\b(?:winst|kracht|sleutel|geheim)\s+zit\s+(?:niet\s+in\s+[^,]+,\s+"
         r"maar\s+)?in\s+(?P<label>.+)", 0.75),
    _cue("working_element", r"^(?P<label>[^,;:.]{3,80}?)\s+zorgde\s+ervoor\s+dat\b", 0.7),
    _cue("working_element", r"\b(?:goed\s+)?werkte,\s+zoals\s+(?P<label>[^,]+(?:\s+en\s+[^,]+)?)",
         0.75),
    _cue("working_element", r"^(?P<label>[^,;:.]{3,80}?)\s+(?:werkt|werken)\s+beter\s+dan\b", 0.7),
)
WE_CONDITION = re.compile(
    r"\b(?:alleen|enkel|uitsluitend)\s+(?:onder\s+(?:de\s+)?voorwaarde|als|wanneer|indien)\s+"
    r"(?:dat\s+)?(?P<cond>.+)",
    _I,
)
WE_CONTEXT = re.compile(
    r"\b(?:werkt|geldt|helpt)\s+(?:vooral|met\s+name|alleen|het\s+best)\s+(?P<ctx>(?:in|bij|voor)"
    r"\s+.+)|\b(?:casus|case|project|programma)\s+(?P<case>[A-Z][\w-]*(?:\s+[A-Z][\w-]*)*)",
)
WE_PREDICTS = re.compile(
    r"\bvoorspel(?:t|len|de|den)\s+(?:of|dat|hoe|wie|welke)?\s*(?P<pred>.+)|"
    r"\bwerkza(?:am|me)\s+element\w*\s*:\s*(?:het\s+voorspelt\s+(?:of|dat)\s+)?(?P<after>.+)",
    _I,
)

LESSON_CUES = (
    _cue("lesson", r"\b(?:tip|advies|les|lessen|boodschap|inzicht|conclusie|raad|aanbeveling)"
         r"\b[^:.]{0,50}:\s*(?P<label>.+)", 0.85),
    _cue("lesson", r"^(?:ten\s+(?:eerste|tweede|derde|vierde|vijfde|slotte)|les\s+\d+|tip\s+\d+)"
         r"\s*[:,]\s*(?P<label>.+)", 0.85),
    _cue("lesson", r"\b(?:het\s+is|is\s+het)\s+(?:daarbij\s+|dus\s+|vooral\s+|wel\s+)?"
         r"(?:belangrijk|zaak|de\s+kunst|verstandig|essentieel|cruciaal|nodig|raadzaam)\b"
         r"(?P<label>)", 0.85, whole=True),
    _cue("lesson", r"\bis\s+een\s+(?:verstandige|goede|slimme)\s+manier\s+om\b(?P<label>)", 0.85,
         whole=True),
    _cue("lesson", r"\b(?:een|de)\s+(?:verstandige|goede|slimme|beste)\s+manier\s+om\b.*\bis\s+om\s+"
         r"(?P<label>.+)", 0.85),
    _cue("lesson", r"\b[A-Z][\w-]+\s+(?:beargumenteert|onderstreept|benadrukt|adviseert|"
         r"waarschuwt|raadt\s+aan|pleit\s+ervoor)\s+dat\s+(?P<label>.+)", 0.85, flags=0),
    _cue("lesson", r"\bde\s+kern\s+van\s+(?:zijn|haar|het|dit)\s+verhaal\s+is,?\s+dat\s+"
         r"(?P<label>.+)", 0.85),
    _cue("lesson", r"\b(?:is|zijn|was|waren)\s+(?:men\s+|we\s+|ze\s+|zij\s+|de\s+\w+\s+)?het\s+"
         r"(?:erover\s+|er\s+over\s+)?eens\s+dat\s+(?P<label>.+)", 0.8),
    _cue("lesson", r"\b(?:onderstreept|benadrukt|laat\s+zien)\b[^.]{0,30}\bhet\s+belang\s+van\b"
         r"(?P<label>)", 0.75, whole=True),
    _cue("lesson", r"\bis\s+geen\s+kwestie\s+van\b(?P<label>)", 0.8, whole=True),
    _cue("lesson", r"\b(?:is|zijn)\s+niet\s+(?:genoeg|voldoende)\b(?P<label>)", 0.75, whole=True),
    _cue("lesson", r"\b(?:je|we|wij|u|men)\b[^.]{0,60}?\b(?:moet|moeten)\b(?P<label>)", 0.75,
         whole=True),
    _cue("lesson", r"\b(?:moet|moeten)\s+(?:je|we|wij|u|men)\b(?P<label>)", 0.75, whole=True),
    _cue("lesson", r"^[Vv]olgens\s+(?:hem|haar|(?:[A-Z][\w-]*\s+)*[A-Z][\w-]*)\s+"
         r"(?!(?:heeft|hebben|had|hadden|was|waren|werd|werden)\b)[a-z]\w*(?P<label>)", 0.75,
         whole=True, flags=0),
    _cue("lesson", r"\b(?:kost|kosten|vraagt|vragen)\b[^.,]{0,30}?\b(?:tijd|moeite|geld|energie|"
         r"investering)\b[^.]{0,12}?,?\s+maar\b(?P<label>)", 0.75, whole=True),
    _cue("lesson", r"\b(?:de\s+)?(?:belangrijkste\s+)?(?:voorwaarde|sleutel|randvoorwaarde)\s+"
         r"(?:om|voor|tot)\b(?P<label>)", 0.7, whole=True),
    _cue("lesson", r"\b(?:vragen|vraagt)\s+(?:\w+\s+)?om\s+(?:concrete|meer|een)\b(?P<label>)", 0.65,
         whole=True),
    _cue("lesson", r"\b(?:is\s+een\s+keuze|een\s+keuze\s+is)\b(?P<label>)", 0.75, whole=True),
    _cue("lesson", r"\b(?:werd|wordt|werden|is)\s+(?:\w+\s+)?duidelijk\s+dat\s+(?P<label>.+)", 0.8),
    _cue("lesson", r"^[“\"‘']?wie\s+[^,]{3,80},\s+\w+(?P<label>)", 0.8, whole=True),
    _cue("lesson", r"\b(?:raden|raadt|bevelen|beveelt)\b[^.]{0,20}?\baan\s+(?:om\s+|dat\s+)?"
         r"(?P<label>.+)", 0.85),
    _cue("lesson", r"\b[A-Z][\w-]+\s+(?:wijst|wees)\s+erop\s+dat\s+(?P<label>.+)", 0.8, flags=0),
    _cue("lesson", r"\b(?:stelde|concludeerde|concludeert|benadrukte|waarschuwde)\s+[A-Z](?P<label>)",
         0.75, whole=True, flags=0),
    _cue("lesson", r"\b(?:oproep|pleidooi)\s+(?:om|tot|aan)\s+(?P<label>.+)", 0.8),
    _cue("lesson", r"\b(?:ervaring|praktijk)\b[^.]{0,40}?\b(?:laat|laten|leert|toont)\s+(?:\w+\s+)?"
         r"(?:zien\s+)?dat\s+(?P<label>.+)", 0.8),
    _cue("lesson", r"\bwerkt\s+(?:beter|slechter|minder\s+goed)\s+dan\b(?P<label>)", 0.75,
         whole=True),
    _cue("lesson", r"\b(?:zijn|is)\s+zelden\b(?P<label>)", 0.7, whole=True),
    _cue("lesson", r"\bkost\s+(?:\w+\s+)?tijd\b(?P<label>)", 0.7, whole=True),
    _cue("lesson", r"\bniet\s+elke?\s+\w+\s+hoeft\b(?P<label>)", 0.75, whole=True),
)

# Verbs that start an advice in the imperative ("Begin klein", "Zorg dat", "Stop met").
IMPERATIVES = frozenset(
    [
        "begin", "zorg", "investeer", "stop", "maak", "houd", "zoek", "betrek", "kies", "regel",
        "vind", "leer", "durf", "denk", "neem", "deel", "organiseer", "plan", "zet", "test",
        "meet", "start", "blijf", "gebruik", "wees", "ga", "kijk", "focus", "richt", "bouw",
        "laat", "geef", "werk", "betaal", "bespreek", "koppel", "hou", "check", "let", "vraag",
        "wijs", "leg", "nodig", "vertaal", "benoem", "accepteer", "ontwikkel", "stel",
        "schrijf", "evalueer", "verbind", "veranker", "borg", "reserveer", "luister", "creëer",
        "breng", "help", "spreek", "werf", "train", "doe", "formuleer", "experimenteer", "toets",
        "verken", "verzamel", "informeer", "communiceer", "stimuleer", "beloon", "waardeer",
        "vertrouw", "beperk", "voorkom", "investeer", "onderzoek", "betrek", "erken", "gun",
    ]
)
# A first word that is also a noun: not an imperative when a verb or a date follows it.
IMPERATIVE_BLOCKERS = frozenset(
    set(MONTHS) | {"is", "was", "zijn", "waren", "wordt", "werd", "2023", "2024", "2025", "naar"}
)
LIST_NUMBER = re.compile(r"^\s*(?:\d{1,2}[.)]|[-•*–])\s+")
ANAPHORIC_START = re.compile(r"^(?:dit|dat|die|daarmee|daarom|zo)\b(?!\s+(?:co-|zijn\s+\w+en\b))",
                             _I)

# ---------------------------------------------------------------------------------------------
# Attributes: phase, scaling strategy, impact direction and domain, assumption status
# ---------------------------------------------------------------------------------------------

PHASE_CUES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("phase-1", re.compile(r"\b(?:aan\s+het\s+begin|vroeg\s+stadium|vroegtijdig\w*|vroeg\s+"
                           r"betrekken|vanaf\s+het\s+begin|bij\s+de\s+start|begin\s+klein|"
                           r"verkennen|ontwerpen|in\s+een\s+vroeg|eerst\s+de|bij\s+het\s+ontwerp|"
                           r"vroeg\s+(?:een|de|het|in|met|aan))\b", _I)),
    ("phase-3", re.compile(r"\b(?:leren\s+en\s+verbeteren|evalu\w+|bijsturen|monitor\w*)\b", _I)),
    ("phase-2", re.compile(r"\b(?:aanjagen|implementeren|implementatie|uitvoering)\b", _I)),
    ("phase-4", re.compile(r"\b(?:borgen|borging|opschal\w*|opschaal\w*|repliceren|stoppen|"
                           r"afloopt|afgesloten|beëindig\w*)\b", _I)),
)
DEAL_PHASE_WORDS = {
    "verkennen": "phase-1", "ontwerpen": "phase-1", "aanjagen": "phase-2",
    "implementeren": "phase-2", "leren": "phase-3", "verbeteren": "phase-3",
    "borgen": "phase-4",
}  # fmt: skip
SCALING_CUES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("scaling-stop", re.compile(r"\b(?:stop\s+met|stoppen|gestopt|beëindig\w*|afbouwen|"
                                r"afgebouwd|hoeft\b[^.]{0,20}\bdoor)\b", _I)),
    ("scaling-replicate", re.compile(r"\b(?:repliceren|replicatie|kopiëren|gekopieerd|"
                                     r"herhaald|overgenomen|naar\s+(?:\w+\s+){0,2}andere)\b", _I)),
    ("scaling-scale-up", re.compile(r"\b(?:opschal\w*|opschaal\w*|op\s+te\s+schalen|"
                                    r"grotere\s+schaal|uitrollen|uitgerold)\b", _I)),
)
NEGATIVE_WORDS = re.compile(
    r"\b(?:keerzijde|nadeel|negatie\w*|schade|milieuschade|vervuiling|overbelast\w*|toeneemt|"
    r"stegen|gestegen|gedaald|daalde|verlies|eenzamer|slechter|armoede\s+toe)\b", _I
)
POSITIVE_WORDS = re.compile(
    r"\b(?:minder|meer|vaker|beter\w*|verbeter\w*|grip|vrijer|zelfstandig\w*|gezonder|"
    r"gezondheid|weten\s+hoe|blijven|langer|sterker|toename\s+van)\b", _I
)
DOMAIN_WORDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("domain-ecological", re.compile(r"\b(?:co2\w*|uitstoot|milieu\w*|klimaat\w*|vervuiling|"
                                     r"pfas\w*|natuur|biodiversiteit|energie(?:verbruik)?|"
                                     r"afval|circulai\w*|groen\w*|luchtkwaliteit)\b", _I)),
    ("domain-economic", re.compile(r"\b(?:geld|kosten|euro|inkomen\w*|energierekening|huur|"
                                   r"huren|financi\w*|aandelen|werkgelegenheid|banen|"
                                   r"economi\w*|budget|armoede)\b", _I)),
    ("domain-social", re.compile(r"\b(?:eenza\w*|gezondheid|welzijn|vrijwillig\w*|zelfstandig\w*|"
                                 r"afhankelijk\w*|participatie|kansen|vertrouwen|veilig\w*|"
                                 r"ontmoeting|sociale?|vrijer|gelijkwaardig\w*)\b", _I)),
)
ASSUMPTION_STATUS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("assumption-refuted", re.compile(r"\b(?:blijkt|bleek)\s+(?:maar\s+|slechts\s+)?(?:ten\s+dele|"
                                      r"niet|deels)\s+(?:te\s+)?klop\w*|\bklopt\s+niet\b|"
                                      r"\bniet\s+(?:ondersteund|bevestigd)\b|"
                                      r"\bin\s+de\s+praktijk\s+(?:haakte|bleek|viel)\b", _I)),
    ("assumption-supported", re.compile(r"\b(?:blijkt|bleek)\s+(?:te\s+)?klop\w*|"
                                        r"\bbevestigd\b", _I)),
)

# ---------------------------------------------------------------------------------------------
# Stakeholders and beneficiary groups
# ---------------------------------------------------------------------------------------------

RESISTANCE = re.compile(
    r"\b(?:verzet(?:te|ten)?\s+zich|bied(?:t|en)\s+weerstand|weerstand\s+bieden|"
    r"(?:is|zijn|waren|was)\s+(?:nog\s+)?(?:terughoudend|sceptisch|tegen|bang)|niet\s+overtuigd|"
    r"met\s+weerstand\s+in\s+zitten|tegenstanders?|(?:hebben|heeft)\s+bezwaren|"
    r"bezwaren\s+(?:hebben\s+)?tegen|vrezen\s+voor|vreest\s+voor)\b",
    _I,
)
RESISTANT_GROUP = re.compile(
    r"(?P<label>\b(?:(?:de|alle|andere|veel|sommige|enkele|[\w-]{2,}e)\s+){0,2}"
    r"(?!(?:die|deze|zijn|hebben|worden|kunnen|willen|moeten|waren)\b)[a-z][\w-]{3,}(?:en|s)\b"
    r"(?:\s+(?:die|dat)\b(?:(?!\s+en\s+)[^.,;])*)?)",
)
# 'Weerstand: X, Y' / 'Steunend: …' / 'Neutraal: …' lines in a stakeholder overview.
STANCE_LIST = re.compile(
    r"^(?P<stance>weerstand|tegen|kritisch|sceptisch|steunend|voor|positief|neutraal)\s*:\s*"
    r"(?P<items>.+)",
    _I,
)
STANCE_WORDS = {
    "weerstand": "stance-resistant", "tegen": "stance-resistant", "kritisch": "stance-resistant",
    "sceptisch": "stance-resistant", "steunend": "stance-supportive", "voor": "stance-supportive",
    "positief": "stance-supportive", "neutraal": "stance-neutral",
}  # fmt: skip
SCALING_PARTNER = re.compile(r"\b(?:opschaal|opschalings)partners?\b", _I)
CO_CREATION = re.compile(
    r"\bco-?cre[eë]\w*\s+met\s+(?:de\s+|het\s+)?(?P<group>[\w‘’'-]+(?:\s+[\w-]+)?)|"
    r"\b(?P<subject>(?:de\s+)?[\w-]+)\s+(?:hebben|heeft)\s+samen\s+met\b",
    _I,
)
# 'De profijtgroep bestaat uit X', 'een eigen doelgroep: X', 'de doelgroep zijn X': the group
# is X (up to the first comma); a bare 'profijtgroep' names the role, not a group.
BENEFICIARY = re.compile(
    r"\b(?:profijt|doel)groep(?:en)?\s*(?::|(?:is|zijn|bestaat|bestaan)(?:\s+uit)?\b)\s*"
    r"(?P<target>[^.,;:()]+)|\b(?P<group>profijtgroep(?:en)?)\b",
    _I,
)
# Words after 'de doelgroep is' that describe the group instead of naming it.
NOT_A_GROUP = frozenset({"breed", "divers", "gevarieerd", "groot", "klein", "duidelijk", "helder",
                         "onduidelijk", "wisselend", "beperkt", "anders", "lastig", "moeilijk",
                         "deel", "onderdeel", "belangrijk", "nodig", "essentieel", "cruciaal"})
# 'met de profijtgroep is …': the group is the object of a preposition, not what the clause defines.
GROUP_PREPOSITIONS = frozenset({"met", "voor", "bij", "van", "aan", "op", "naar", "tot", "over",
                                "onder", "zonder", "door"})

# Resisting groups with these heads are the same generic group within one document.
GENERIC_GROUP_HEADS = frozenset({"partijen", "anderen", "organisaties", "instanties"})

# 'Volgens hem zijn dat er drie: X, Y en Z' right after a sentence about working elements.
WE_ENUMERATION = re.compile(
    r"\b(?:zijn|waren)\s+(?:dat|het)\s+er\s+(?:twee|drie|vier|vijf|zes)\s*:\s*(?P<items>.+)", _I
)
WE_WORDS = re.compile(r"\bwerkza(?:am|me)\s+element", _I)

# Section headings that say what the sentences below them are.
LESSON_HEADING = re.compile(
    r"\b(?:lessen|les|geleerde|aanbeveling(?:en)?|tips?|wat\s+we\s+leerden|leerpunten|adviezen)\b",
    _I,
)
AGREEMENT_HEADING = re.compile(r"\b(?:afspraken|wat\s+we\s+doen|uitvoering|acties)\b", _I)
OUTPUT_HEADING = re.compile(r"^(?:output|outputs|resultaten|wat\s+is\s+er\s+bereikt|bereikt)$", _I)

# Past-tense verbs that report a counted result ('320 volwassenen rondden een cursus af').
OUTPUT_VERBS = re.compile(
    r"\b(?:rondden|rondde|volgden|volgde|leenden|leende|werkten|werkte|organiseerden|organiseerde|"
    r"bereikten|bereikte|trainden|trainde|begeleidden|begeleidde|bezochten|bezocht|hielden|"
    r"ontvingen|ontving|realiseerden|realiseerde|gaven|gaf|deelden|deelde|plaatsten|plaatste|"
    r"bouwden|bouwde|leverden|leverde|namen|nam|kregen|kreeg|sloten|sloot|openden|opende|"
    r"haalden|haalde|hielpen|hielp|telden|telde)\b",
    _I,
)
OUTPUT_CONTEXT = re.compile(r"\b(?:output|outputs|resultaten|opbrengst)\b", _I)
OUTPUT_INDICATOR = re.compile(r"\bhet\s+aantal\s+(?P<label>[\w\s-]+?)(?=,|\s+en\s+|\.|$)", _I)
# Past-tense verbs of doing (activities when nothing is counted).
ACTIVITY_VERBS = re.compile(
    r"\b(?:begeleidden|begeleidde|organiseerden|organiseerde|ontwikkelden|ontwikkelde|"
    r"zorgden\s+voor|zorgde\s+voor|trainden|trainde|werfden|bouwden|"
    r"richtten|voerden|boden|bood|zetten\s+\w+\s+op)\b",
    _I,
)
