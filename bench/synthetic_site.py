"""A synthetic programme site for benchmarks: N Dutch pages of about 5 kB as files.

Each page (``nieuws/<slug>/index.html``) has a menu, a cookie banner, a story about one City
Deal with meetings, people, chain elements, working elements and lessons, three "Lees ook"
teasers of other pages, and a footer, so reading, template learning and annotation all have
work to do.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path

DEALS = (
    ("City Deal Inclusieve Stad", "inclusieve-stad"),
    ("City Deal Klimaatadaptatie", "klimaatadaptatie"),
    ("City Deal Circulaire Stad", "circulaire-stad"),
    ("City Deal Kennis Maken", "kennis-maken"),
    ("City Deal Fietsen voor Iedereen", "fietsen-voor-iedereen"),
    ("City Deal Ruimte voor Lopen", "ruimte-voor-lopen"),
    ("City Deal Impact Ondernemen", "impact-ondernemen"),
    ("City Deal Voedsel op de Stedelijke Agenda", "voedsel-op-de-stedelijke-agenda"),
    ("City Deal Energieke wijken, duurzaam en sociaal", "energieke-wijken"),
    ("Town Deal Sterke Streken", "sterke-streken"),
)
CITIES = ("Amersfoort", "Deventer", "Zwolle", "Tilburg", "Groningen", "Leeuwarden", "Arnhem",
          "Breda", "Heerlen", "Almere", "Utrecht", "Rotterdam", "Enschede", "Den Bosch")
FIRST_NAMES = ("Marieke", "Jeroen", "Fatima", "Sander", "Ingrid", "Youssef", "Annelies", "Bram",
               "Petra", "Kees", "Noor", "Willem", "Sanne", "Mohamed", "Lotte", "Hans")
SURNAMES = ("de Vries", "Jansen", "van Dijk", "Bakker", "Visser", "Smit", "Meijer", "de Boer",
            "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker")
ROLES = ("programmamanager", "projectleider", "wethouder", "onderzoeker", "kwartiermaker",
         "beleidsadviseur", "dealmaker", "opschalingsexpert")
ORGANISATIONS = ("gemeente {city}", "Hogeschool Windesheim", "Platform31", "provincie Overijssel",
                 "woningcorporatie Woonstad", "Universiteit Utrecht", "Planbureau voor de "
                 "Leefomgeving", "stichting Buurtkracht")
TOPICS = ("armoede en schulden", "hittestress in versteende wijken", "hergebruik van "
          "bouwmaterialen", "fietsen voor nieuwkomers", "gezond voedsel op school",
          "eenzaamheid onder ouderen", "werk voor jongeren zonder startkwalificatie",
          "de energietransitie in oude wijken", "lopen als vervoermiddel", "sociaal ondernemen")
GROUPS = ("bewoners", "jongeren", "ouderen", "gezinnen", "vrijwilligers", "nieuwkomers",
          "ondernemers", "leerlingen")
ACTIVITIES = ("fietslessen", "huisbezoeken", "trainingen", "buurtmaaltijden", "spreekuren",
              "werkplaatsen", "stadslandbouwprojecten", "energiecoaches")
ELEMENTS = ("Waardering voor vrijwilligers", "Een vaste contactpersoon", "Vertrouwen tussen "
            "buurt en gemeente", "Eigenaarschap bij de bewoners", "Een laagdrempelige plek in "
            "de wijk", "Ruimte om te experimenteren")
PREDICTS = ("deelnemers blijven meedoen", "de aanpak na de subsidie overeind blijft",
            "bewoners zelf initiatief nemen", "partners blijven investeren")
LESSONS = ("betrek partijen die weerstand bieden al vroeg", "kies vanaf het begin welke "
           "schaalpartners je nodig hebt", "meet niet alleen output maar ook zachte waarde",
           "begin klein en leer van elke stap", "leg werkzame elementen vast voordat je "
           "opschaalt", "zorg voor diversiteit in proeftuinen en doelgroepen")
PHASES = ("verkennen", "ontwerpen", "aanjagen", "implementeren", "leren", "borgen")
MONTH_NAMES = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
               "september", "oktober", "november", "december")
HEADINGS = ("Aanpak", "Resultaten", "Werkzame elementen", "Lessen", "Opschalen", "Borgen",
            "Wat hebben we geleerd", "Vervolg")


@dataclass(frozen=True, slots=True)
class _Story:
    slug: str
    title: str
    lead: str
    date: str
    deal: tuple[str, str]
    city: str
    topic: str


class _Writer:
    """Sentences about one deal, varied by a seeded random generator."""

    def __init__(self, rng: random.Random, deal: str, city: str, topic: str) -> None:
        self.rng = rng
        self.deal = deal
        self.city = city
        self.topic = topic

    def pick(self, values: tuple[str, ...]) -> str:
        return self.rng.choice(values)

    def person(self) -> str:
        organisation = self.pick(ORGANISATIONS).format(city=self.city)
        return (f"{self.pick(FIRST_NAMES)} {self.pick(SURNAMES)}, {self.pick(ROLES)} bij "
                f"{organisation}")

    def sentence(self, kind: str) -> str:
        r, group, topic = self.rng, self.pick(GROUPS), self.topic
        activity, n = self.pick(ACTIVITIES), r.randrange(12, 480)
        options = {
            "ambition": f"De ambitie van de {self.deal} is dat {group} in {self.city} minder "
                        f"last hebben van {topic}.",
            "policy": f"De gemeente {self.city} heeft een nieuwe aanpak voor {topic} vastgesteld "
                      f"samen met de partners van de deal.",
            "activity": f"In {self.city} wordt een netwerk van {activity} opgezet voor "
                        f"{group} in drie wijken.",
            "output": f"In {2019 + r.randrange(6)} hebben {n} {group} meegedaan aan de "
                      f"{activity} in {self.city}.",
            "impact": f"Uit de evaluatie blijkt dat {group} na een jaar vaker werk hebben en "
                      f"minder vaak eenzaam zijn.",
            "assumption": f"We gingen ervan uit dat {group} vaker komen als de {activity} "
                          f"dicht bij huis zijn.",
            "element": f"{self.pick(ELEMENTS)} is een werkzaam element: het voorspelt of "
                       f"{self.pick(PREDICTS)}.",
            "lesson": f"Een belangrijke les: {self.pick(LESSONS)}.",
            "person": f"{self.person()}, vertelde over de {activity} en de rol van de "
                      f"{self.pick(('gemeente', 'provincie', 'corporatie'))}.",
            "meeting": f"Op {r.randrange(1, 28)} {self.pick(MONTH_NAMES)} {2021 + r.randrange(4)} "
                       f"kwamen de deelnemers van de {self.deal} bijeen in {self.pick(CITIES)} "
                       f"voor de Community of Practice over {topic}.",
            "phase": f"De deal staat nu in de fase van {self.pick(PHASES)}.",
            "filler": f"{self.pick(('Daarna', 'Tijdens de middag', 'In de werkgroep'))} "
                      f"bespraken de partners hoe de {activity} beter aansluiten bij wat "
                      f"{group} zelf willen en wat de wijk al heeft.",
        }
        return options[kind]

    def paragraph(self, kinds: tuple[str, ...], extra: int) -> str:
        chosen = list(kinds) + self.rng.sample(("filler", "output", "impact", "person"), extra)
        self.rng.shuffle(chosen)
        return " ".join(self.sentence(kind) for kind in chosen)


def _stories(count: int, rng: random.Random) -> list[_Story]:
    stories = []
    for index in range(count):
        deal = DEALS[index % len(DEALS)]
        city = rng.choice(CITIES)
        topic = rng.choice(TOPICS)
        title = rng.choice((f"Lessen over {topic} in {city}", f"{deal[0]}: wat werkt bij {topic}",
                            f"Community of Practice in {city} over {topic}",
                            f"Opschalen in {city}: {topic}"))
        writer = _Writer(rng, deal[0], city, topic)
        lead = " ".join((writer.sentence("meeting"), writer.sentence("ambition")))
        date = f"20{21 + index % 4}-{1 + index % 12:02d}-{1 + index % 28:02d}"
        slug = f"{index:04d}-{_slug(title)}"[:72].rstrip("-")
        stories.append(_Story(slug, title, lead, date, deal, city, topic))
    return stories


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def make_page(story: _Story, teasers: list[_Story], rng: random.Random) -> str:
    """One page of about 5 kB: site chrome around a story, with teasers of other stories."""
    writer = _Writer(rng, story.deal[0], story.city, story.topic)
    sections = [f"<p>{story.lead}</p>",
                f'<p>Dit artikel gaat over de <a href="/city-deals/{story.deal[1]}/">'
                f"{story.deal[0]}</a>.</p>"]
    plan = (("policy", "activity"), ("assumption", "element"), ("lesson", "phase"))
    for heading, kinds in zip(rng.sample(HEADINGS, len(plan)), plan, strict=True):
        sections.append(f"<h2>{heading}</h2><p>{writer.paragraph(kinds, 3)}</p>")
    sections.append("<ul>" + "".join(f"<li>{writer.sentence('lesson')}</li>" for _ in range(3))
                    + "</ul>")
    related = "".join(
        f'<div class="et_pb_blurb"><h4><a href="/nieuws/{other.slug}/">{other.title}</a></h4>'
        f'<p>{other.lead}</p><p><a href="/nieuws/{other.slug}/">Lees meer</a></p></div>'
        for other in teasers)
    menu = "".join(f'<li><a href="/{item.lower().replace(" ", "-")}/">{item}</a></li>'
                   for item in ("Home", "Nieuws", "City Deals", "Town Deals", "Agenda",
                                "Kennisbank", "Over ons", "Contact"))
    return f"""<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8"><title>{story.title} - Agenda Stad Voorbeeld</title>
<meta property="og:site_name" content="Agenda Stad Voorbeeld">
<meta property="article:published_time" content="{story.date}"></head><body>
<div id="cookie-notice"><p>Wij gebruiken cookies om de site te verbeteren.</p><a>Accepteren</a></div>
<header id="main-header"><nav><ul>{menu}</ul></nav></header>
<div class="et_pb_section"><div class="et_pb_row"><div class="et_pb_column et_pb_column_3_4">
<div class="et_pb_module et_pb_text"><div class="et_pb_text_inner"><h1>{story.title}</h1>
{"".join(sections)}</div></div></div>
<div class="et_pb_column et_pb_column_1_4"><h3>Lees ook</h3>{related}</div></div></div>
<footer id="main-footer"><p>Agenda Stad Voorbeeld is een fictief kennisplatform voor City Deals
en Town Deals.</p><p>Schrijf je in voor onze nieuwsbrief</p></footer>
</body></html>"""


def write_site(folder: Path, count: int, seed: int = 11) -> list[Path]:
    """Write ``count`` pages as ``folder/nieuws/<slug>/index.html``; returns their paths."""
    rng = random.Random(seed)
    stories = _stories(count, rng)
    paths = []
    for index, story in enumerate(stories):
        others = [s for i, s in enumerate(stories) if i != index]
        html = make_page(story, rng.sample(others, min(3, len(others))), rng)
        path = folder / "nieuws" / story.slug / "index.html"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(html, encoding="utf-8")
        paths.append(path)
    return paths
