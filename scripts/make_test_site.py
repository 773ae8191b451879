"""Build the test website in tests/fixtures/site/ and its gold texts in tests/fixtures/site_gold/.

The site imitates a Dutch programme website built with a WordPress page builder: nested
divs without <article> or <main> around the story, a header menu, a cookie banner, a
footer, share bars, a newsletter form, a comment form, "Lees ook" and "Gerelateerd nieuws"
teasers that quote the opening sentences of other pages, "Dit gaat over de City Deal"
blocks and tag lists. The gold text of a page is its own story only: no title (that is
metadata), no teasers, captions, forms or chrome.

Run once after changing the content; the output is committed:
    .venv/bin/python scripts/make_test_site.py
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SITE_DIR = ROOT / "tests" / "fixtures" / "site"
GOLD_DIR = ROOT / "tests" / "fixtures" / "site_gold"
BASE_URL = "https://kennisplein-stad.example"
SITE_NAME = "Kennisplein Stad"

MONTHS = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)

# A body item: ("h2", text), ("p", text), ("ul", [items]), ("ol", [items]), ("figure", caption),
# ("p_email", text with {email}) for a paragraph with an obfuscated e-mail address.
Item = tuple[str, object]


@dataclass(frozen=True)
class Teaser:
    """A quote of another page: its slug and how much of its opening is quoted."""

    slug: str
    # "one" or "two" sentences; "cut": the first 22 words and an ellipsis; "chars": the first
    # 120 characters, cut inside a word; "edited": two sentences with one word left out
    style: str = "one"


@dataclass(frozen=True)
class Page:
    slug: str
    path: str
    title: str
    kind: str  # "home", "overview", "news", "deal", "about"
    body: tuple[Item, ...]
    date: str = ""
    author: str = ""
    deals: tuple[tuple[str, str], ...] = ()  # (deal name, deal page path)
    tags: tuple[str, ...] = ()
    sidebar: tuple[Teaser, ...] = ()  # "Lees ook" blurbs beside the story
    related: tuple[Teaser, ...] = ()  # "Gerelateerd nieuws" under the story
    posts: tuple[Teaser, ...] = ()  # blog-module list of <article> teasers (home, overview)
    comments: str = ""  # heading of the comment form, empty for none
    deal_facts: tuple[str, ...] = ()  # the "Deze City Deal" fact box of a deal page
    inline_read_also: str = ""  # slug of a page linked as "Lees ook: <title>" inside the story


FIETS = ("City Deal Fietsen voor iedereen", "/city-deals/fietsen-voor-iedereen/")
KENNIS = ("City Deal Kennis maken", "/city-deals/kennis-maken/")
VOEDSEL = ("City Deal Voedsel op de stedelijke agenda", "/city-deals/voedsel-op-de-stedelijke-agenda/")

PAGES: tuple[Page, ...] = (
    Page(
        slug="home",
        path="/",
        title="Samen werken aan de stad van morgen",
        kind="home",
        body=(
            ("p", "Op Kennisplein Stad delen gemeenten, ministeries, kennisinstellingen, bedrijven "
                  "en maatschappelijke organisaties wat zij leren in City Deals en Town Deals. In een "
                  "deal werken zij een aantal jaren samen aan een concrete opgave in de stad, van "
                  "fietsen en voedsel tot onderwijs en wonen."),
            ("h2", "Wat is een City Deal?"),
            ("p", "Een City Deal is een afspraak tussen partners die samen een maatschappelijk "
                  "vraagstuk willen aanpakken dat geen van hen alleen kan oplossen. De deals "
                  "experimenteren in de praktijk, leren van elkaar en zoeken naar oplossingen die "
                  "ook elders werken. Town Deals doen hetzelfde voor middelgrote steden."),
        ),
        posts=(
            Teaser("cop-zwolle-werkzame-elementen", "two"),
            Teaser("fietsen-voor-iedereen-eerste-resultaten", "cut"),
            Teaser("voedsel-op-de-stedelijke-agenda-borgt-resultaten", "two"),
        ),
        sidebar=(
            Teaser("fietsen-voor-iedereen", "one"),
            Teaser("kennis-maken", "one"),
            Teaser("voedsel-op-de-stedelijke-agenda", "one"),
        ),
    ),
    Page(
        slug="nieuws",
        path="/nieuws/",
        title="Nieuws",
        kind="overview",
        body=(
            ("p", "Hier vind je het laatste nieuws uit de City Deals en Town Deals en de verslagen "
                  "van de bijeenkomsten van de Community of Practice."),
        ),
        posts=(
            Teaser("voedsel-op-de-stedelijke-agenda-borgt-resultaten", "two"),
            Teaser("fietsen-voor-iedereen-eerste-resultaten", "two"),
            Teaser("cop-zwolle-werkzame-elementen", "chars"),
            Teaser("kennis-maken-met-de-profijtgroep", "two"),
            Teaser("opschalen-begint-bij-de-start", "two"),
        ),
    ),
    Page(
        slug="cop-zwolle-werkzame-elementen",
        path="/nieuws/cop-zwolle-werkzame-elementen/",
        title="Community of Practice in Zwolle: op zoek naar werkzame elementen",
        kind="news",
        date="2024-06-18",
        author="Marieke van Dalen",
        deals=(KENNIS,),
        tags=("Community of Practice", "werkzame elementen", "impact"),
        inline_read_also="opschalen-begint-bij-de-start",
        body=(
            ("p", "Op dinsdag 18 juni 2024 kwamen ruim zestig deelnemers van City Deals en Town Deals "
                  "bijeen in Zwolle voor de zesde Community of Practice van het programma. Centraal "
                  "stond de vraag welke elementen van een aanpak ervoor zorgen dat de impact blijft, "
                  "ook als de deal is afgelopen."),
            ("p", "De bijeenkomst vond plaats in de Broerenkerk, een voormalige kloosterkerk die nu "
                  "als boekhandel en ontmoetingsplek dient. Dagvoorzitter Femke Ouwerkerk opende de "
                  "dag met een korte terugblik op de vorige bijeenkomst in Amersfoort, waar het "
                  "draaide om impact maken en opschalen."),
            ("figure", "Deelnemers van de Community of Practice in de Broerenkerk in Zwolle."),
            ("h2", "Wat werkt, en waarom?"),
            ("p", "Lector Ruud Bosman van Hogeschool Windesheim liet zien hoe je werkzame elementen op "
                  "het spoor komt. Volgens hem is een werkzaam element geen activiteit, maar een "
                  "voorwaarde waaronder een activiteit tot blijvende verandering leidt. Hij gaf het "
                  "voorbeeld van een buurtproject waarin ouderen samen groente kweken. De output is "
                  "eenvoudig te tellen: veertig deelnemers en twaalf moestuinbakken. De impact, minder "
                  "eenzaamheid, ontstaat alleen als de deelnemers zelf verantwoordelijkheid krijgen "
                  "voor de tuin."),
            ("p", "Bosman raadde de deals aan om hun aannames expliciet te maken. Wie verwacht dat een "
                  "training tot ander gedrag leidt, moet opschrijven waarom dat zo zou zijn en dat in "
                  "de praktijk toetsen."),
            ("h2", "Oefenen met de eigen deal"),
            ("p", "In de middag werkten de deelnemers in kleine groepen aan hun eigen impactketen. Elke "
                  "groep koos één activiteit en beschreef de stappen van output naar impact. Daarbij "
                  "kwamen drie lessen naar voren:"),
            ("ul", (
                "Maak onderscheid tussen wat je telt en wat je wilt bereiken.",
                "Betrek de profijtgroep al bij het formuleren van de aannames.",
                "Leg vast onder welke voorwaarden een aanpak werkt, zodat een andere gemeente die "
                "kan overnemen.",
            )),
            ("p", "Gerdien Smit van de gemeente Zwolle vertelde hoe de stad deze lessen toepast in de "
                  "City Deal Kennis maken. Studenten doen daar onderzoek in de wijk Holtenbroek en "
                  "bespreken hun resultaten met bewoners. Het gesprek met bewoners blijkt het werkzame "
                  "element: zonder dat gesprek blijven de rapporten op de plank liggen."),
            ("h2", "Volgende bijeenkomst"),
            ("p", "De volgende Community of Practice is in november 2024 in Rotterdam. Het thema is dan "
                  "het borgen van resultaten na afloop van een deal."),
        ),
        sidebar=(
            Teaser("opschalen-begint-bij-de-start", "edited"),
            Teaser("kennis-maken-met-de-profijtgroep", "two"),
        ),
        related=(
            Teaser("voedsel-op-de-stedelijke-agenda-borgt-resultaten", "one"),
            Teaser("fietsen-voor-iedereen-eerste-resultaten", "one"),
        ),
        comments="Laat een reactie achter",
    ),
    Page(
        slug="fietsen-voor-iedereen-eerste-resultaten",
        path="/nieuws/fietsen-voor-iedereen-eerste-resultaten/",
        title="Fietsen voor iedereen: eerste resultaten uit de proeftuinen",
        kind="news",
        date="2024-09-03",
        author="Joost Hendriks",
        deals=(FIETS,),
        tags=("fietsen", "proeftuinen", "aannames"),
        body=(
            ("p", "Een jaar na de start van de City Deal Fietsen voor iedereen zijn de eerste "
                  "resultaten uit de proeftuinen bekend. In vijf steden leerden in totaal 320 "
                  "volwassenen fietsen, en ruim de helft van hen fietst een half jaar later nog "
                  "steeds."),
            ("p", "De City Deal wil dat iedereen die dat wil kan fietsen, ongeacht leeftijd, inkomen "
                  "of achtergrond. De deelnemende gemeenten werken daarvoor samen met fietsscholen, "
                  "welzijnsorganisaties, het ministerie van Infrastructuur en Waterstaat en de "
                  "Fietsersbond."),
            ("h2", "Van output naar impact"),
            ("p", "Het aantal cursisten is de output van de proeftuinen. De deal is vooral benieuwd "
                  "naar de impact: gaan mensen door te fietsen meer deelnemen aan werk, opleiding en "
                  "sociale activiteiten? Projectleider Samira El Idrissi van de gemeente Utrecht is "
                  "voorzichtig. “We zien dat deelnemers zelfstandiger worden, maar we weten nog niet "
                  "of dat blijvend is. Daarvoor volgen we de groep nog twee jaar.”"),
            ("figure", "Een fietsles voor volwassenen op een schoolplein in Utrecht."),
            ("p", "Een belangrijke aanname bleek niet te kloppen. De deal ging ervan uit dat een "
                  "fietsles genoeg was om mensen op de fiets te krijgen. In de praktijk hadden veel "
                  "cursisten na de les geen eigen fiets. In Tilburg en Almere konden deelnemers daarom "
                  "een gebruikte fiets lenen voor drie maanden, met onderhoud door een lokale "
                  "fietsenmaker."),
            ("h2", "Wat de proeftuinen leren"),
            ("ul", (
                "Een vaste begeleider die de cursisten kent, houdt hen gemotiveerd.",
                "Lessen in de eigen buurt verlagen de drempel om mee te doen.",
                "Een leenfiets na afloop van de cursus is voor veel deelnemers doorslaggevend.",
            )),
            ("p", "Die vaste begeleider is volgens de onderzoekers het belangrijkste werkzame element. "
                  "Waar de begeleider wisselde, haakten meer deelnemers af."),
            ("h2", "Hoe verder"),
            ("p", "In 2025 wil de deal de aanpak opschalen naar tien gemeenten. Daarvoor zoekt zij nu "
                  "al contact met zorgverzekeraars en werkgevers, die baat hebben bij meer fietsende "
                  "inwoners maar nog geen partner zijn."),
            ("p_email", "Vragen over de proeftuinen kunnen naar het projectteam via {email}."),
        ),
        sidebar=(
            Teaser("fietsen-voor-iedereen", "two"),
            Teaser("opschalen-begint-bij-de-start", "chars"),
        ),
        related=(
            Teaser("cop-zwolle-werkzame-elementen", "one"),
            Teaser("kennis-maken-met-de-profijtgroep", "two"),
        ),
        comments="Geef een reactie",
    ),
    Page(
        slug="opschalen-begint-bij-de-start",
        path="/nieuws/opschalen-begint-bij-de-start/",
        title="Opschalen begint bij de start",
        kind="news",
        date="2024-04-22",
        author="Marieke van Dalen",
        deals=(FIETS, VOEDSEL),
        tags=("opschalen", "weerstand", "diversiteit"),
        body=(
            ("p", "Wie pas aan het einde van een City Deal over opschalen nadenkt, is te laat. Dat zegt "
                  "onderzoeker Thijs Verhoeven van Platform31, die sinds 2022 deals begeleidt bij het "
                  "opschalen van hun aanpak."),
            ("p", "Verhoeven ziet vaak hetzelfde patroon. Een deal start met enthousiaste partners, "
                  "ontwikkelt in twee of drie jaar een aanpak die werkt in één wijk, en vraagt zich "
                  "daarna af hoe die aanpak de rest van het land kan bereiken. “Dan blijkt dat de "
                  "aanpak precies past op die ene wijk, met die ene wethouder en dat ene welzijnswerk. "
                  "Overnemen is dan bijna onmogelijk.”"),
            ("h2", "Drie vormen van opschalen"),
            ("p", "Verhoeven onderscheidt drie strategieën. Bij opschalen groeit een aanpak binnen "
                  "dezelfde organisatie of regio. Bij repliceren neemt een andere stad de aanpak over "
                  "en past die aan de eigen situatie aan. En soms is stoppen de beste keuze, als de "
                  "aanpak niet oplevert wat ervan verwacht werd. “Ook stoppen is een uitkomst, zolang "
                  "je vastlegt wat je hebt geleerd.”"),
            ("h2", "Diversiteit vanaf het begin"),
            ("p", "Zijn belangrijkste advies is om vanaf het begin te zorgen voor diversiteit. "
                  "Experimenteer in verschillende wijken, met verschillende groepen inwoners en met "
                  "partners die verschillende belangen hebben. Zo ontdek je welke onderdelen van de "
                  "aanpak overal werken en welke alleen in een bepaalde context."),
            ("figure", "Thijs Verhoeven van Platform31 over opschalen."),
            ("p", "Ook raadt hij aan om partijen die weerstand bieden vroeg te betrekken. “Een "
                  "woningcorporatie die nu nog sceptisch is, kan later de partij zijn die de aanpak in "
                  "twintig gemeenten uitrolt. Als je haar bezwaren pas in het laatste jaar hoort, is "
                  "het te laat om er iets mee te doen.”"),
            ("h2", "Ondersteuning voor deals"),
            ("p", "Platform31 biedt deals een opschalingsscan aan. In twee sessies brengen de "
                  "dealpartners samen met een adviseur in beeld welke opschalingspartners nodig zijn "
                  "en welke voorwaarden daarvoor al geregeld zijn. Deals die interesse hebben, kunnen "
                  "zich melden bij hun dealmaker."),
        ),
        sidebar=(
            Teaser("cop-zwolle-werkzame-elementen", "two"),
            Teaser("voedsel-op-de-stedelijke-agenda-borgt-resultaten", "one"),
        ),
        related=(
            Teaser("fietsen-voor-iedereen-eerste-resultaten", "edited"),
        ),
        comments="Laat een reactie achter",
    ),
    Page(
        slug="kennis-maken-met-de-profijtgroep",
        path="/nieuws/kennis-maken-met-de-profijtgroep/",
        title="Co-creëren met de profijtgroep: studenten en bewoners samen aan de slag",
        kind="news",
        date="2024-05-14",
        author="Joost Hendriks",
        deals=(KENNIS,),
        tags=("profijtgroep", "co-creatie", "kennisinstellingen"),
        body=(
            ("p", "In de City Deal Kennis maken werken hogescholen, universiteiten en gemeenten samen "
                  "aan maatschappelijke vraagstukken in de stad. Dit voorjaar staat de vraag centraal "
                  "hoe je bewoners echt laat meedenken."),
            ("p", "In Groningen, Utrecht en Zwolle doen studenten onderzoek in wijken waar veel "
                  "bewoners te maken hebben met armoede, eenzaamheid of slechte woningen. Te vaak "
                  "werd er over deze bewoners gesproken in plaats van met hen. De deal noemt hen "
                  "daarom niet de doelgroep, maar de profijtgroep: de mensen die voordeel moeten "
                  "hebben van de resultaten."),
            ("h2", "Bewoners als opdrachtgever"),
            ("p", "In de Groningse wijk Selwerd formuleren bewoners sinds dit jaar zelf de "
                  "onderzoeksvragen. Een bewonerspanel van vijftien mensen kiest elk semester drie "
                  "vragen uit, bijvoorbeeld over tocht en vocht in huurwoningen of over de "
                  "bereikbaarheid van de huisarts. Studenten van de Hanzehogeschool werken de vragen "
                  "uit en presenteren hun bevindingen in het buurthuis."),
            ("p", "Coördinator Lotte Brinkman van de Hanzehogeschool ziet het verschil. “Bewoners komen "
                  "nu naar de presentaties, omdat het over hun eigen vraag gaat. En studenten leren "
                  "meer van een kritische bewoner dan van een docent.”"),
            ("h2", "Wat de deal ervan leert"),
            ("p", "Co-creatie kost tijd. De eerste bijeenkomsten met het panel gingen vooral over "
                  "vertrouwen, niet over onderzoek. Ook bleek een vergoeding voor panelleden "
                  "belangrijk: die laat zien dat hun tijd en kennis worden gewaardeerd. De deal wil "
                  "deze lessen in 2025 vastleggen in een handreiking voor andere kennisinstellingen."),
        ),
        sidebar=(
            Teaser("kennis-maken", "two"),
            Teaser("cop-zwolle-werkzame-elementen", "one"),
        ),
        comments="Geef een reactie",
    ),
    Page(
        slug="voedsel-op-de-stedelijke-agenda-borgt-resultaten",
        path="/nieuws/voedsel-op-de-stedelijke-agenda-borgt-resultaten/",
        title="Voedsel op de stedelijke agenda: hoe borg je wat werkt?",
        kind="news",
        date="2024-10-08",
        author="Marieke van Dalen",
        deals=(VOEDSEL,),
        tags=("borgen", "voedsel", "stoppen"),
        inline_read_also="fietsen-voor-iedereen-eerste-resultaten",
        body=(
            ("p", "De City Deal Voedsel op de stedelijke agenda loopt eind dit jaar af. Tijdens een "
                  "slotbijeenkomst op 8 oktober 2024 in Ede bespraken de partners welke resultaten "
                  "blijven en welke experimenten stoppen."),
            ("p", "De deal startte in 2017 met de ambitie om voedsel een vaste plek te geven in het "
                  "beleid van gemeenten. Steden als Ede, Den Haag en Amsterdam ontwikkelden een eigen "
                  "voedselstrategie, met aandacht voor gezonde voeding op scholen, korte ketens tussen "
                  "boeren en de stad en het tegengaan van voedselverspilling."),
            ("h2", "Borgen, repliceren of stoppen"),
            ("p", "Volgens programmamanager Hanneke Jaspers van de gemeente Ede moet een deal aan het "
                  "einde per onderdeel een keuze maken. “Sommige experimenten zijn zo goed geland dat "
                  "ze nu gewoon bij de gemeente horen. Andere kunnen door andere steden worden "
                  "overgenomen. En een paar experimenten stoppen we, omdat ze niet brachten wat we "
                  "hoopten.”"),
            ("p", "Het schoolmaaltijdenproject in Ede is een voorbeeld van borgen: de gemeente heeft "
                  "er structureel budget voor vrijgemaakt. De voedselraad van Den Haag wordt "
                  "gerepliceerd in twee andere steden. Een proef met een digitale marktplaats voor "
                  "lokale producten is gestopt, omdat te weinig boeren meededen."),
            ("h2", "Lessen voor andere deals"),
            ("ol", (
                "Begin tijdig met het gesprek over borging, uiterlijk halverwege de looptijd.",
                "Zorg dat resultaten landen bij een afdeling die er na de deal eigenaar van wordt.",
                "Leg ook vast waarom een experiment is gestopt, zodat anderen die fout niet herhalen.",
            )),
            ("p", "De deelnemers waren het erover eens dat de grootste winst niet in de afzonderlijke "
                  "projecten zit, maar in het netwerk van ambtenaren, ondernemers en onderzoekers dat "
                  "in zeven jaar is ontstaan."),
        ),
        sidebar=(
            Teaser("voedsel-op-de-stedelijke-agenda", "two"),
            Teaser("opschalen-begint-bij-de-start", "chars"),
        ),
        related=(
            Teaser("cop-zwolle-werkzame-elementen", "two"),
        ),
        comments="Laat een reactie achter",
    ),
    Page(
        slug="city-deals",
        path="/city-deals/",
        title="City Deals",
        kind="overview",
        body=(
            ("p", "Op deze pagina vind je de City Deals waarover Kennisplein Stad bericht. Elke deal "
                  "heeft een eigen pagina met de ambitie, de partners en het laatste nieuws."),
        ),
        sidebar=(
            Teaser("fietsen-voor-iedereen", "two"),
            Teaser("kennis-maken", "one"),
            Teaser("voedsel-op-de-stedelijke-agenda", "two"),
        ),
    ),
    Page(
        slug="fietsen-voor-iedereen",
        path="/city-deals/fietsen-voor-iedereen/",
        title="City Deal Fietsen voor iedereen",
        kind="deal",
        body=(
            ("p", "De City Deal Fietsen voor iedereen zorgt ervoor dat meer mensen kunnen fietsen, ook "
                  "zij die dat nu niet kunnen of durven. De deal is in 2023 gestart en loopt tot en "
                  "met 2026."),
            ("h2", "Ambitie"),
            ("p", "Fietsen is goedkoop, gezond en geeft mensen de vrijheid om zelf naar werk, school of "
                  "de huisarts te gaan. Toch kan een groot deel van de nieuwe Nederlanders, ouderen en "
                  "mensen met een laag inkomen niet of nauwelijks fietsen. De deal wil de "
                  "kansenongelijkheid die daardoor ontstaat verkleinen."),
            ("h2", "Aanpak"),
            ("p", "In proeftuinen in Utrecht, Tilburg, Almere, Zwolle en Groningen testen de partners "
                  "verschillende vormen van fietsles, fietsmaatjes en leenfietsen. Een onderzoeksteam "
                  "volgt de deelnemers en meet wat de lessen op de lange termijn opleveren."),
            ("h2", "Partners"),
            ("p", "De deal is een samenwerking van vijf gemeenten, het ministerie van Infrastructuur en "
                  "Waterstaat, het ministerie van Binnenlandse Zaken en Koninkrijksrelaties, de "
                  "Fietsersbond, fietsscholen en welzijnsorganisaties."),
        ),
        deal_facts=("Start: 2023", "Einde: 2026", "Trekker: gemeente Utrecht", "Dealmaker: Ellen Vos"),
        related=(
            Teaser("fietsen-voor-iedereen-eerste-resultaten", "two"),
        ),
    ),
    Page(
        slug="kennis-maken",
        path="/city-deals/kennis-maken/",
        title="City Deal Kennis maken",
        kind="deal",
        body=(
            ("p", "In de City Deal Kennis maken slaan hogescholen, universiteiten en gemeenten de "
                  "handen ineen om studenten en onderzoekers bij te laten dragen aan opgaven in de "
                  "stad. Tegelijk leren studenten in de praktijk wat werken aan een maatschappelijk "
                  "vraagstuk betekent."),
            ("h2", "Ambitie"),
            ("p", "De deal wil dat kennisinstellingen en steden structureel samenwerken, zodat "
                  "onderzoek beter aansluit op wat wijken en bewoners nodig hebben. Daarbij staat de "
                  "profijtgroep centraal: de inwoners die voordeel moeten hebben van het onderzoek."),
            ("h2", "Resultaten"),
            ("ul", (
                "Meer dan 1.200 studenten werkten in de afgelopen twee jaar aan vragen uit twaalf "
                "wijken.",
                "In drie steden is een vast wijkatelier ingericht waar studenten, bewoners en "
                "ambtenaren elkaar ontmoeten.",
                "De deal ontwikkelde een werkwijze voor bewonerspanels die onderzoeksvragen opstellen.",
            )),
            ("h2", "Looptijd"),
            ("p", "De tweede fase van de deal loopt van 2022 tot en met 2025."),
        ),
        deal_facts=("Start: 2019", "Tweede fase: 2022–2025", "Trekker: gemeente Groningen"),
        related=(
            Teaser("kennis-maken-met-de-profijtgroep", "two"),
            Teaser("cop-zwolle-werkzame-elementen", "cut"),
        ),
    ),
    Page(
        slug="voedsel-op-de-stedelijke-agenda",
        path="/city-deals/voedsel-op-de-stedelijke-agenda/",
        title="City Deal Voedsel op de stedelijke agenda",
        kind="deal",
        body=(
            ("p", "De City Deal Voedsel op de stedelijke agenda helpt gemeenten om voedsel een vaste "
                  "plek te geven in hun beleid. Gezonde en duurzame voeding raakt aan gezondheid, "
                  "economie, klimaat en de relatie tussen stad en platteland."),
            ("h2", "Ambitie"),
            ("p", "De deal wil dat steden een integraal voedselbeleid voeren in plaats van losse "
                  "projecten. Voedsel is daarbij een middel om andere doelen te halen, zoals minder "
                  "overgewicht bij kinderen en minder uitstoot van broeikasgassen."),
            ("h2", "Partners"),
            ("p", "Aan de deal doen veertien gemeenten mee, samen met drie ministeries, de provincie "
                  "Gelderland en kennisinstellingen zoals Wageningen University & Research."),
            ("h2", "Looptijd"),
            ("p", "De deal liep van 2017 tot en met 2024 en wordt in 2025 geëvalueerd."),
        ),
        deal_facts=("Start: 2017", "Einde: 2024", "Trekker: gemeente Ede"),
        related=(
            Teaser("voedsel-op-de-stedelijke-agenda-borgt-resultaten", "cut"),
        ),
    ),
    Page(
        slug="over-ons",
        path="/over-ons/",
        title="Over Kennisplein Stad",
        kind="about",
        body=(
            ("p", "Kennisplein Stad is de plek waar City Deals en Town Deals hun kennis en ervaringen "
                  "delen. We verzamelen verslagen van bijeenkomsten, nieuws uit de deals en de lessen "
                  "die partners onderweg leren."),
            ("p", "Het platform wordt beheerd door een klein redactieteam dat werkt in opdracht van de "
                  "gezamenlijke deals. De redactie bezoekt bijeenkomsten, interviewt betrokkenen en "
                  "maakt de kennis doorzoekbaar voor iedereen die werkt aan de stad van morgen."),
            ("h2", "Community of Practice"),
            ("p", "Twee keer per jaar organiseren we een Community of Practice voor alle deals. Tijdens "
                  "deze bijeenkomsten werken deelnemers aan thema's als impact meten, opschalen en het "
                  "betrekken van bewoners. De verslagen vind je bij het nieuws."),
            ("h2", "Contact"),
            ("p_email", "Heb je een vraag of wil je een bijdrage leveren? Neem dan contact op met de "
                        "redactie via {email}."),
        ),
    ),
)

BY_SLUG = {page.slug: page for page in PAGES}

CF_EMAIL = (
    '<a href="/cdn-cgi/l/email-protection#2a4e4f4a" class="__cf_email__" '
    'data-cfemail="2a4e4f4a4b">[email&#160;protected]</a>'
)


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def dutch_date(iso: str) -> str:
    year, month, day = iso.split("-")
    return f"{int(day)} {MONTHS[int(month) - 1]} {year}"


def lead_sentences(page: Page) -> list[str]:
    """The sentences of a page's first paragraph (the leads are written without abbreviations)."""
    first = next(str(text) for kind, text in page.body if kind == "p")
    parts = first.replace("? ", "?| ").replace(". ", ".| ").split("| ")
    return [part.strip() for part in parts if part.strip()]


def teaser_text(teaser: Teaser) -> str:
    sentences = lead_sentences(BY_SLUG[teaser.slug])
    if teaser.style == "one":
        return sentences[0]
    if teaser.style == "two":
        return " ".join(sentences[:2])
    if teaser.style == "chars":
        return " ".join(sentences)[:120] + "…"
    words = " ".join(sentences).split()
    if teaser.style == "edited":
        return " ".join(words[:3] + words[4:])
    return " ".join(words[:22]) + " […]"


def gold_text(page: Page) -> str:
    paragraphs: list[str] = []
    for kind, value in page.body:
        if kind in ("ul", "ol"):
            paragraphs.extend(str(item) for item in value)  # type: ignore[union-attr]
        elif kind == "p_email":
            paragraphs.append(str(value).replace(" via {email}", ""))
        elif kind != "figure":
            paragraphs.append(str(value))
    return "\n\n".join(paragraphs) + "\n"


NEWS_CLOSING = (
    "Kennisplein Stad volgt de City Deals en Town Deals op de voet. Heb je nieuws uit jouw deal "
    "of een verslag van een bijeenkomst? Laat het de redactie weten via het contactformulier."
)


def render_body(page: Page) -> str:
    out: list[str] = []
    items = list(page.body)
    if page.inline_read_also:
        target = BY_SLUG[page.inline_read_also]
        link = f'<p><strong>Lees ook:</strong> <a href="{target.path}">{esc(target.title)}</a></p>'
        items.insert(3, ("raw", link))
    if page.kind == "news":
        items.append(("p", NEWS_CLOSING))
    for kind, value in items:
        if kind == "raw":
            out.append(str(value))
            continue
        if kind == "p":
            out.append(f"<p>{esc(str(value))}</p>")
        elif kind == "p_email":
            out.append("<p>" + esc(str(value)).replace("{email}", CF_EMAIL) + "</p>")
        elif kind == "h2":
            out.append(f"<h2>{esc(str(value))}</h2>")
        elif kind in ("ul", "ol"):
            items = "".join(f"<li>{esc(str(item))}</li>" for item in value)  # type: ignore[union-attr]
            out.append(f"<{kind}>{items}</{kind}>")
        elif kind == "figure":
            out.append(
                '<figure class="wp-block-image size-large"><img decoding="async" width="1024" '
                f'height="576" src="/wp-content/uploads/2024/foto.jpg" alt="{esc(str(value))}">'
                f'<figcaption class="wp-element-caption">{esc(str(value))}</figcaption></figure>'
            )
    return "\n".join(out)


def render_blurb(teaser: Teaser) -> str:
    target = BY_SLUG[teaser.slug]
    return f"""
<div class="et_pb_module et_pb_blurb et_pb_blurb_1 et_pb_text_align_left">
  <div class="et_pb_blurb_content">
    <div class="et_pb_blurb_container">
      <h4 class="et_pb_module_header"><a href="{target.path}">{esc(target.title)}</a></h4>
      <div class="et_pb_blurb_description"><p>{esc(teaser_text(teaser))}</p>
      <p><a class="more-link" href="{target.path}">Lees meer »</a></p></div>
    </div>
  </div>
</div>"""


def render_post(teaser: Teaser) -> str:
    target = BY_SLUG[teaser.slug]
    meta = f"{dutch_date(target.date)} | Nieuws" if target.date else "Nieuws"
    return f"""
<article class="et_pb_post clearfix et_pb_blog_item_0 post type-post status-publish">
  <h2 class="entry-title"><a href="{target.path}">{esc(target.title)}</a></h2>
  <p class="post-meta"><span class="published">{esc(meta)}</span></p>
  <div class="post-content"><div class="post-content-inner"><p>{esc(teaser_text(teaser))}</p></div>
  <a href="{target.path}" class="more-link">lees meer</a></div>
</article>"""


def render_related(teasers: tuple[Teaser, ...], heading: str) -> str:
    items = []
    for teaser in teasers:
        target = BY_SLUG[teaser.slug]
        items.append(
            f'<div class="et_pb_column et_pb_column_1_2"><div class="et_pb_module et_pb_text">'
            f'<div class="et_pb_text_inner"><h3><a href="{target.path}">{esc(target.title)}</a></h3>'
            f"<p>{esc(teaser_text(teaser))}</p>"
            f'<p><a href="{target.path}">Lees meer</a></p></div></div></div>'
        )
    return f"""
<div class="et_pb_section et_pb_section_3 et_section_regular">
  <div class="et_pb_row"><div class="et_pb_column et_pb_column_4_4"><div class="et_pb_module et_pb_text">
    <div class="et_pb_text_inner"><h2>{esc(heading)}</h2></div></div></div></div>
  <div class="et_pb_row et_pb_row_4">{"".join(items)}</div>
</div>"""


MENU = f"""
<header id="main-header" data-height-onload="80">
  <div class="container clearfix et_menu_container">
    <div class="logo_container"><a href="/"><img src="/wp-content/uploads/logo.svg" alt="{SITE_NAME}"
      id="logo"></a></div>
    <div id="et-top-navigation">
      <nav id="top-menu-nav"><ul id="top-menu" class="nav">
        <li class="menu-item"><a href="/">Home</a></li>
        <li class="menu-item menu-item-has-children"><a href="/city-deals/">City Deals</a>
          <ul class="sub-menu">
            <li class="menu-item"><a href="{FIETS[1]}">Fietsen voor iedereen</a></li>
            <li class="menu-item"><a href="{KENNIS[1]}">Kennis maken</a></li>
            <li class="menu-item"><a href="{VOEDSEL[1]}">Voedsel op de stedelijke agenda</a></li>
          </ul></li>
        <li class="menu-item"><a href="/nieuws/">Nieuws</a></li>
        <li class="menu-item"><a href="/over-ons/">Over ons</a></li>
      </ul></nav>
      <div id="et_top_search"><form role="search" method="get" action="/">
        <input type="search" placeholder="Zoeken …" name="s"></form></div>
      <div id="et_mobile_nav_menu"><div class="mobile_nav"><span class="select_page">Selecteer een
        pagina</span></div></div>
    </div>
  </div>
</header>"""

COOKIE = """
<div id="cookie-notice" role="dialog" class="cookie-notice-hidden cookie-revoke-hidden cn-position-bottom"
  aria-label="Cookie Notice">
  <div class="cookie-notice-container"><span id="cn-notice-text" class="cn-text-container">Wij gebruiken
    cookies om deze website goed te laten werken en om het gebruik ervan te analyseren. Lees meer in onze
    cookieverklaring.</span><span id="cn-notice-buttons" class="cn-buttons-container"><a href="#"
    id="cn-accept-cookie" class="cn-set-cookie cn-button">Accepteren</a><a href="#" id="cn-refuse-cookie"
    class="cn-set-cookie cn-button">Weigeren</a></span></div>
</div>"""

NEWSLETTER = """
<div class="et_pb_section et_pb_section_nieuwsbrief et_pb_with_background et_section_regular">
  <div class="et_pb_row"><div class="et_pb_column et_pb_column_4_4">
    <div class="et_pb_module et_pb_signup et_pb_newsletter et_pb_subscribe clearfix">
      <div class="et_pb_newsletter_description"><h2 class="et_pb_module_header">Schrijf je in voor de
        nieuwsbrief</h2><div class="et_pb_newsletter_description_content"><p>Ontvang elke maand het laatste
        nieuws over City Deals, bijeenkomsten van de Community of Practice en geleerde lessen.</p></div></div>
      <div class="et_pb_newsletter_form"><form method="post"><div class="et_pb_newsletter_fields">
        <p class="et_pb_newsletter_field"><label for="et_pb_signup_email">E-mailadres</label>
        <input id="et_pb_signup_email" class="input" type="text" placeholder="E-mailadres" name="email"></p>
        <p class="et_pb_newsletter_button_wrap"><a class="et_pb_newsletter_button et_pb_button" href="#">
        <span class="et_subscribe_loader"></span><span class="et_pb_newsletter_button_text">Aanmelden</span>
        </a></p></div></form></div>
    </div>
  </div></div>
</div>"""

FOOTER = f"""
<footer id="main-footer">
  <div class="container"><div id="footer-widgets" class="clearfix">
    <div class="footer-widget"><div class="fwidget et_pb_widget widget_text">
      <h4 class="title">{SITE_NAME}</h4>
      <div class="textwidget"><p>{SITE_NAME} is het kennisplatform van de City Deals en Town Deals. Hier
      delen partners wat zij leren over samenwerken aan de stad.</p></div></div></div>
    <div class="footer-widget"><div class="fwidget et_pb_widget widget_text"><h4 class="title">Contact</h4>
      <div class="textwidget"><p>Postbus 20011<br>2500 EA Den Haag</p><p>{CF_EMAIL}</p></div></div></div>
    <div class="footer-widget"><div class="fwidget et_pb_widget widget_nav_menu"><h4 class="title">Volg
      ons</h4><ul class="menu"><li><a href="https://www.linkedin.com/">LinkedIn</a></li>
      <li><a href="/feed/">RSS</a></li></ul></div></div>
  </div></div>
  <div id="footer-bottom"><div class="container clearfix"><div id="footer-info">© 2024 {SITE_NAME} |
    <a href="/over-ons/#privacy">Privacyverklaring</a> | <a href="/over-ons/#cookies">Cookieverklaring</a> |
    <a href="/over-ons/#toegankelijkheid">Toegankelijkheid</a></div></div></div>
</footer>"""

SHARE = """
<div class="et_pb_module et_pb_text et_pb_text_share"><div class="et_pb_text_inner">
  <div class="sharebar"><p><strong>Deel dit artikel</strong></p><ul class="share-links">
    <li><a href="https://www.linkedin.com/sharing/share-offsite/?url=">LinkedIn</a></li>
    <li><a href="https://x.com/intent/tweet?url=">X</a></li>
    <li><a href="https://www.facebook.com/sharer/sharer.php?u=">Facebook</a></li>
    <li><a href="mailto:?subject=Kennisplein%20Stad">E-mail</a></li></ul></div>
</div></div>"""


def render_comments(heading: str) -> str:
    return f"""
<div class="et_pb_section et_pb_section_comments"><div class="et_pb_row"><div class="et_pb_column">
<div class="et_pb_module et_pb_comments_0 et_pb_comments_module"><section id="comment-wrap">
  <div id="comment-section" class="nocomments"></div>
  <div id="respond" class="comment-respond">
    <h3 id="reply-title" class="comment-reply-title"><span>{esc(heading)}</span></h3>
    <form action="/wp-comments-post.php" method="post" id="commentform" class="comment-form">
      <p class="comment-notes"><span id="email-notes">Het e-mailadres wordt niet gepubliceerd.</span>
      <span class="required-field-message">Vereiste velden zijn gemarkeerd met <span
      class="required">*</span></span></p>
      <p class="comment-form-comment"><label for="comment">Reactie <span class="required">*</span></label>
      <textarea id="comment" name="comment" cols="45" rows="8" required></textarea></p>
      <p class="comment-form-author"><label for="author">Naam <span class="required">*</span></label>
      <input id="author" name="author" type="text"></p>
      <p class="comment-form-email"><label for="email">E-mail <span class="required">*</span></label>
      <input id="email" name="email" type="email"></p>
      <p class="comment-form-cookies-consent"><input id="wp-comment-cookies-consent" type="checkbox">
      <label for="wp-comment-cookies-consent">Mijn naam, e-mail en site opslaan in deze browser voor de
      volgende keer wanneer ik een reactie plaats.</label></p>
      <p class="form-submit"><input name="submit" type="submit" id="submit" class="submit"
      value="Reactie plaatsen"></p>
    </form>
  </div>
</section></div></div></div></div>"""


def render_page(page: Page) -> str:
    head_meta = [
        f'<meta property="og:title" content="{esc(page.title)}">',
        f'<meta property="og:site_name" content="{SITE_NAME}">',
        f'<meta property="og:url" content="{BASE_URL}{page.path}">',
        f'<meta property="og:type" content="{"article" if page.kind == "news" else "website"}">',
    ]
    if page.date:
        head_meta.append(
            f'<meta property="article:published_time" content="{page.date}T09:30:00+00:00">'
        )
    if page.author:
        head_meta.append(f'<meta name="author" content="{esc(page.author)}">')
    byline = ""
    if page.kind == "news":
        byline = (
            f'<p class="et_pb_title_meta_container">door <span class="author vcard"><a '
            f'href="/author/{page.author.lower().replace(" ", "-")}/">{esc(page.author)}</a></span> | '
            f'<span class="published">{dutch_date(page.date)}</span> | <a href="/nieuws/" '
            f'rel="category tag">Nieuws</a></p>'
        )
    about = ""
    if page.deals:
        links = ", ".join(f'<a href="{path}">{esc(name)}</a>' for name, path in page.deals)
        about = (
            '<div class="et_pb_module et_pb_text et_pb_text_deal"><div class="et_pb_text_inner">'
            f"<p><strong>Dit gaat over de City Deal</strong> {links}</p></div></div>"
        )
    tags = ""
    if page.tags:
        tag_links = ", ".join(
            f'<a href="/tag/{tag.lower().replace(" ", "-")}/" rel="tag">{esc(tag)}</a>'
            for tag in page.tags
        )
        tags = (
            '<div class="et_pb_module et_pb_text et_pb_text_tags"><div class="et_pb_text_inner">'
            f'<p class="tags">Tags: {tag_links}</p></div></div>'
        )
    facts = ""
    if page.deal_facts:
        items = "".join(f"<li>{esc(fact)}</li>" for fact in page.deal_facts)
        facts = (
            '<div class="et_pb_module et_pb_text et_pb_text_facts"><div class="et_pb_text_inner">'
            f"<h4>Deze City Deal</h4><ul>{items}</ul></div></div>"
        )
    breadcrumb = ""
    most_read = ""
    if page.kind == "news":
        breadcrumb = (
            '<div class="et_pb_module et_pb_text et_pb_text_crumbs"><div class="et_pb_text_inner"><p>'
            f'<a href="/">Home</a> » <a href="/nieuws/">Nieuws</a> » {esc(page.title)}</p></div></div>'
        )
        news = [p for p in PAGES if p.kind == "news" and p.slug != page.slug][:4]
        items = "".join(f'<li><a href="{p.path}">{esc(p.title)}</a></li>' for p in news)
        most_read = (
            '<div class="et_pb_module et_pb_text"><div class="et_pb_text_inner"><h3>Meest gelezen'
            f"</h3><ol>{items}</ol></div></div>"
        )
    sidebar = ""
    if page.sidebar:
        heading = "Uitgelicht" if page.kind in ("home", "overview") else "Lees ook"
        sidebar = (
            '<div class="et_pb_module et_pb_text"><div class="et_pb_text_inner">'
            f"<h3>{heading}</h3></div></div>" + "".join(render_blurb(t) for t in page.sidebar)
        )
    posts = ""
    if page.posts:
        heading = "Laatste nieuws" if page.kind == "home" else "Alle berichten"
        posts = (
            '<div class="et_pb_section et_pb_section_posts"><div class="et_pb_row"><div '
            'class="et_pb_column et_pb_column_4_4"><div class="et_pb_module et_pb_text"><div '
            f'class="et_pb_text_inner"><h2>{heading}</h2></div></div><div class="et_pb_module '
            'et_pb_blog_0 et_pb_blog_grid_wrapper"><div class="et_pb_ajax_pagination_container">'
            + "".join(render_post(t) for t in page.posts)
            + "</div></div></div></div></div>"
        )
    related = render_related(page.related, "Gerelateerd nieuws") if page.related else ""
    share = SHARE if page.kind in ("news", "deal") else ""
    comments = render_comments(page.comments) if page.comments else ""
    return f"""<!DOCTYPE html>
<html lang="nl-NL">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(page.title)} - {SITE_NAME}</title>
<link rel="canonical" href="{BASE_URL}{page.path}">
{chr(10).join(head_meta)}
<link rel="stylesheet" href="/wp-content/themes/Divi/style.css" type="text/css" media="all">
<script>var et_site_url = "{BASE_URL}"; var et_pb_custom = {{"ajaxurl": "/wp-admin/admin-ajax.php"}};</script>
<style id="et-builder-module-design-cached-inline-styles">.et_pb_section_0{{padding:0}}</style>
</head>
<body class="{"post-template-default single single-post" if page.kind == "news" else "page"}
 et_pb_button_helper_class et_fixed_nav et_show_nav et_primary_nav_dropdown_animation_fade
 et_pb_pagebuilder_layout">
{COOKIE}
<div id="page-container">
{MENU}
<div id="et-main-area">
<div id="et-boc" class="et-boc">
<div class="et-l et-l--post">
<div class="et_builder_inner_content et_pb_gutters3">
  <div class="et_pb_section et_pb_section_0 et_pb_with_background et_section_regular">
    <div class="et_pb_row et_pb_row_0"><div class="et_pb_column et_pb_column_4_4">
      <div class="et_pb_module et_pb_post_title et_pb_post_title_0 et_pb_bg_layout_light">
        <div class="et_pb_title_container"><h1 class="entry-title">{esc(page.title)}</h1>{byline}</div>
      </div>
      {breadcrumb}
    </div></div>
  </div>
  <div class="et_pb_section et_pb_section_1 et_section_regular">
    <div class="et_pb_row et_pb_row_1">
      <div class="et_pb_column et_pb_column_3_4 et_pb_column_1">
        <div class="et_pb_module et_pb_text et_pb_text_0 et_pb_text_align_left">
          <div class="et_pb_text_inner">
{render_body(page)}
          </div>
        </div>
        {about}
        {tags}
        {share}
      </div>
      <div class="et_pb_column et_pb_column_1_4 et_pb_column_2">
        {facts}
        {sidebar}
        {most_read}
      </div>
    </div>
  </div>
  {posts}
  {related}
  {comments}
  {NEWSLETTER}
</div>
</div>
</div>
{FOOTER}
</div>
</div>
<script src="/wp-content/themes/Divi/js/scripts.min.js"></script>
</body>
</html>
"""


def page_file(page: Page) -> Path:
    return SITE_DIR / page.path.strip("/") / "index.html" if page.path != "/" else SITE_DIR / "index.html"


def main() -> None:
    SITE_DIR.mkdir(parents=True, exist_ok=True)
    GOLD_DIR.mkdir(parents=True, exist_ok=True)
    meta: dict[str, dict[str, object]] = {}
    for page in PAGES:
        target = page_file(page)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(render_page(page), encoding="utf-8")
        (GOLD_DIR / f"{page.slug}.txt").write_text(gold_text(page), encoding="utf-8")
        meta[page.slug] = {
            "path": page.path,
            "file": str(target.relative_to(SITE_DIR)),
            "title": page.title,
            "date": page.date,
            "author": page.author,
            "deal_names": [name for name, _ in page.deals]
            + ([page.title] if page.kind == "deal" else []),
            "tags": list(page.tags),
            "quotes": sorted({t.slug for t in page.sidebar + page.related + page.posts}),
        }
    (GOLD_DIR / "pages.json").write_text(
        json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    (SITE_DIR / "robots.txt").write_text(
        "User-agent: *\nDisallow: /wp-admin/\nDisallow: /zoeken/\nAllow: /wp-admin/admin-ajax.php\n\n"
        "User-agent: BadBot\nDisallow: /\n\n"
        f"Sitemap: {BASE_URL}/sitemap.xml\n",
        encoding="utf-8",
    )
    urls = []
    for page in PAGES:
        lastmod = f"<lastmod>{page.date}</lastmod>" if page.date else ""
        urls.append(f"  <url><loc>{BASE_URL}{page.path}</loc>{lastmod}</url>")
    (SITE_DIR / "sitemap.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        + "\n".join(urls)
        + "\n</urlset>\n",
        encoding="utf-8",
    )
    print(f"wrote {len(PAGES)} pages to {SITE_DIR} and their gold texts to {GOLD_DIR}")


if __name__ == "__main__":
    main()
