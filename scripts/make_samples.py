"""Write the sample documents in samples/ (HTML pages, a PDF, a DOCX and a Markdown file).

The texts are written for impactkg: fictional but realistic Dutch documents about City Deals,
rich in what annotation and search look for (lessons, impact chains, working elements,
phases, scaling, stakeholders, meetings with dates, places and speakers). The CoP report in
samples/ is a copy of a real report and is not made here.

The PDF needs fpdf2 and a DejaVu font, which the project does not depend on; install it
somewhere temporary when the samples change, e.g.
    pip install --target /tmp/fpdf fpdf2 && PYTHONPATH=/tmp/fpdf python scripts/make_samples.py
The outputs are committed; tests read them with pypdf and python-docx only.
"""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")

# ("h2"|"h3"|"p"|"ul"|"ol", text or list of texts)
Section = tuple[str, object]

HTML_PAGES: tuple[dict[str, object], ...] = (
    {
        "file": "html/cop-2024-11-12-rotterdam-borgen.html",
        "url": "https://stedenagenda.example/nieuws/cop-rotterdam-borgen/",
        "title": "Community of Practice Rotterdam: wat blijft er over als de deal stopt?",
        "date": "2024-11-19",
        "author": "Ilse Koster",
        "deals": (("City Deal Fietsen voor iedereen", "/city-deals/fietsen-voor-iedereen/"),
                  ("City Deal Kennis maken", "/city-deals/kennis-maken/")),
        "tags": ("borgen", "opschalen", "werkzame elementen", "Community of Practice"),
        "body": (
            ("p", "Op dinsdag 12 november 2024 kwamen ruim vijftig deelnemers van City Deals en "
                  "Town Deals samen in het Keilepand in Rotterdam voor de zevende Community of "
                  "Practice van Agenda Stad. Het thema was borgen: hoe zorg je ervoor dat de impact "
                  "van een deal blijft bestaan, ook als de deal formeel is afgelopen?"),
            ("p", "Dagvoorzitter Vera Beuzenberg opende de bijeenkomst met een terugblik op de CoP "
                  "in Amersfoort van 5 maart 2024. Daar werd duidelijk dat opschalen een keuze is "
                  "die je aan het begin maakt. In Rotterdam stond de vraag centraal wat dat betekent "
                  "voor deals die nu in hun laatste jaar zitten."),
            ("h2", "Borgen begint halverwege"),
            ("p", "Onderzoeker Marloes de Graaf van het Verwey-Jonker Instituut presenteerde een "
                  "analyse van twaalf afgeronde City Deals. Haar belangrijkste conclusie: deals die "
                  "halverwege de looptijd een eigenaar voor hun resultaten aanwezen, hadden drie jaar "
                  "later nog steeds zichtbare resultaten. Bij deals die daar pas in het laatste "
                  "halfjaar over nadachten, verdween de aanpak vaak samen met de projectleider."),
            ("p", "De Graaf onderscheidt vier fasen van impactvol veranderen: verkennen en "
                  "ontwerpen, aanjagen en implementeren, leren en verbeteren, en borgen. Volgens "
                  "haar slaan veel deals de derde fase over. \"Wie niet leert wat werkt, weet ook "
                  "niet wat hij moet borgen. Dan wordt borgen een kwestie van alles of niets.\""),
            ("h2", "Werkzame elementen als houvast"),
            ("p", "Wat moet je dan borgen? Niet de activiteiten zelf, stelde De Graaf, maar de "
                  "werkzame elementen: de voorwaarden waaronder een aanpak tot blijvende impact "
                  "leidt. In de City Deal Fietsen voor iedereen bleek een vaste begeleider het "
                  "werkzame element. Cursisten die steeds dezelfde begeleider hadden, fietsten na "
                  "een jaar vaker dan cursisten met wisselende begeleiders. Dat inzicht is "
                  "overdraagbaar, ook als een andere gemeente de lessen heel anders organiseert."),
            ("p", "Projectleider Samira El Idrissi van de gemeente Utrecht vulde aan dat het zoeken "
                  "naar werkzame elementen tijd kost. \"We hebben twee jaar gemeten voordat we het "
                  "durfden te zeggen. Dat meten moet je dus al in de eerste fase regelen.\""),
            ("h2", "Lessen uit de werksessies"),
            ("p", "In de middag werkten de deelnemers in groepen aan de borging van hun eigen deal. "
                  "Per groep stond één vraag centraal: wie is na afloop eigenaar van welk resultaat? "
                  "De groepen deelden na afloop deze lessen:"),
            ("ul", (
                "Wijs halverwege de looptijd per resultaat een eigenaar aan die er na de deal "
                "budget voor heeft.",
                "Leg werkzame elementen vast in gewone taal, zodat een nieuwe partner ze kan "
                "herkennen.",
                "Betrek de profijtgroep bij de keuze wat je borgt: zij weten wat het verschil "
                "maakte.",
                "Durf te stoppen met onderdelen die niet werken, en schrijf op waarom.",
            )),
            ("p", "Gerdien Smit van de gemeente Zwolle vertelde hoe de City Deal Kennis maken de "
                  "wijkateliers borgt. De hogescholen hebben afgesproken dat de ateliers onderdeel "
                  "worden van het reguliere onderwijs. Daarmee zijn ze niet langer afhankelijk van "
                  "projectgeld. Een aanname die de deal nog moet toetsen, is dat docenten de "
                  "ateliers ook zonder extra uren blijven begeleiden."),
            ("h2", "Partijen die weerstand bieden"),
            ("p", "Opschalingsexpert Wouter Kersten van Platform31 sloot de dag af met een oproep om "
                  "ook partijen die weerstand bieden aan tafel te houden. Een zorgverzekeraar die "
                  "nu nog twijfelt over de waarde van fietslessen, kan over vijf jaar de partij zijn "
                  "die ze vergoedt. \"Zachte waarde is vaak pre-financieel. Wie die waarde zichtbaar "
                  "maakt, overtuigt ook de sceptici.\""),
            ("p", "De volgende Community of Practice is op 18 maart 2025 in Groningen en gaat over "
                  "het meten van impact."),
        ),
    },
    {
        "file": "html/impactketen-fietsen-voor-iedereen.html",
        "url": "https://stedenagenda.example/kennisbank/impactketen-fietsen-voor-iedereen/",
        "title": "Van fietsles tot vrijheid: de impactketen van Fietsen voor iedereen",
        "date": "2025-01-21",
        "author": "Joost Hendriks",
        "deals": (("City Deal Fietsen voor iedereen", "/city-deals/fietsen-voor-iedereen/"),),
        "tags": ("impactketen", "aannames", "profijtgroep", "output"),
        "body": (
            ("p", "Hoe laat je zien dat een fietsles meer oplevert dan een fietsvaardige cursist? "
                  "De partners van de City Deal Fietsen voor iedereen werkten het afgelopen jaar "
                  "hun impactketen uit: van de ambitie via beleid en uitvoering naar output en "
                  "impact. Dit stuk beschrijft de keten en de aannames die de deal onderweg "
                  "toetste."),
            ("h2", "Ambitie"),
            ("p", "De ambitie van de deal is dat iedereen die dat wil zelfstandig kan fietsen, "
                  "ongeacht leeftijd, inkomen of achtergrond. Fietsen geeft toegang tot werk, "
                  "opleiding, zorg en sociale contacten. De profijtgroep bestaat uit volwassenen die "
                  "niet of nauwelijks kunnen fietsen, vaak nieuwe Nederlanders, ouderen en mensen met "
                  "een laag inkomen."),
            ("h2", "Beleid en strategie"),
            ("p", "De vijf deelnemende gemeenten hebben fietsvaardigheid opgenomen in hun "
                  "mobiliteitsbeleid en in hun armoedebeleid. De strategie is om fietslessen te "
                  "koppelen aan bestaande voorzieningen, zoals taalcursussen en buurthuizen, zodat "
                  "deelnemers niet zelf de weg naar een fietsschool hoeven te vinden."),
            ("h2", "Uitvoering"),
            ("p", "In 2024 organiseerden de proeftuinen in Utrecht, Tilburg, Almere, Zwolle en "
                  "Groningen samen 48 cursussen van tien lessen. Vrijwilligers van de Fietsersbond "
                  "begeleidden de lessen, welzijnsorganisaties zorgden voor de werving. In Tilburg "
                  "en Almere konden deelnemers na de cursus drie maanden een gebruikte fiets lenen."),
            ("h2", "Output"),
            ("ul", (
                "320 volwassenen rondden een fietscursus af.",
                "140 deelnemers leenden na afloop een fiets.",
                "35 vrijwilligers volgden een training als fietsbegeleider.",
            )),
            ("h2", "Impact"),
            ("p", "De impact die de deal nastreeft, ligt op drie dimensies. Sociaal: deelnemers "
                  "komen vaker buiten de eigen wijk en hebben meer contacten. Economisch: deelnemers "
                  "kunnen werk of opleiding verder van huis aannemen. Ecologisch: korte ritten met "
                  "de auto of bus worden vervangen door de fiets. Een half jaar na de cursus fietste "
                  "58 procent van de deelnemers nog minstens één keer per week. Negatieve impact is "
                  "er ook: in twee proeftuinen raakten deelnemers betrokken bij een verkeersongeval, "
                  "gelukkig zonder ernstig letsel."),
            ("h2", "Aannames tussen output en impact"),
            ("p", "Tussen output en impact zitten aannames. De deal ging ervan uit dat een afgeronde "
                  "cursus genoeg is om te blijven fietsen. Die aanname bleek niet te kloppen: zonder "
                  "eigen fiets haakte bijna de helft van de deelnemers af. De aanname dat deelnemers "
                  "de fiets gebruiken voor werk bleek deels juist. Vooral vrouwen gebruikten de "
                  "fiets voor boodschappen en het wegbrengen van kinderen, niet voor werk."),
            ("p", "Het werkzame element dat de onderzoekers vonden, is een vaste begeleider die de "
                  "deelnemer kent en na de cursus nog een keer belt. Waar dat gebeurde, bleef 71 "
                  "procent fietsen; waar dat niet gebeurde, 44 procent."),
            ("h2", "Wat de deal hiermee doet"),
            ("p", "De deal wil de aanpak in 2025 opschalen naar tien gemeenten. Daarvoor zoekt zij "
                  "opschalingspartners: zorgverzekeraars, werkgevers en het ministerie van Sociale "
                  "Zaken en Werkgelegenheid. Volgens kwartiermaker Ellen Vos is de keten daarbij het "
                  "belangrijkste instrument. \"Met de keten kunnen we laten zien waar een euro voor "
                  "fietsles terugkomt, ook als dat niet op de begroting van de gemeente is.\""),
        ),
    },
    {
        "file": "html/lessen-weerstand-en-opschaling.html",
        "url": "https://stedenagenda.example/nieuws/zes-lessen-over-weerstand/",
        "title": "Zes lessen over opschalen met partijen die weerstand bieden",
        "date": "2025-02-11",
        "author": "Ilse Koster",
        "deals": (("City Deal Eenzaamheid doorbreken", "/city-deals/eenzaamheid-doorbreken/"),),
        "tags": ("opschalen", "stakeholders", "weerstand", "repliceren"),
        "body": (
            ("p", "Partijen die een City Deal ondertekenen, zijn zelden dezelfde partijen die een "
                  "aanpak later op grote schaal kunnen uitrollen. De City Deal Eenzaamheid "
                  "doorbreken merkte dat in 2024, toen zij haar aanpak wilde repliceren in acht "
                  "nieuwe gemeenten. Kwartiermaker Anouk Verbeek en opschalingsadviseur Thijs "
                  "Verhoeven van Platform31 zetten de lessen op een rij."),
            ("h2", "De aanleiding"),
            ("p", "De deal startte in 2021 met vier gemeenten, twee woningcorporaties en een "
                  "landelijke ouderenbond. Samen ontwikkelden zij buurtkamers waar ouderen elkaar "
                  "dagelijks kunnen ontmoeten. De output was overzichtelijk: zestien buurtkamers en "
                  "ruim 900 vaste bezoekers. Over de impact, minder eenzaamheid, waren de partners "
                  "na drie jaar voorzichtig positief. Toen de deal de aanpak wilde opschalen, bleken "
                  "juist de partijen die niet aan tafel zaten de sleutel te hebben: huisartsen, "
                  "thuiszorgorganisaties en gemeenten die nog sceptisch waren."),
            ("h2", "Zes lessen"),
            ("ol", (
                "Maak vroeg een stakeholderkaart met ook de partijen die weerstand bieden, en "
                "bespreek die kaart elk halfjaar opnieuw.",
                "Nodig sceptici uit als kritische vriend, niet als partner: zij hoeven niet te "
                "tekenen om mee te denken.",
                "Vertaal zachte waarde naar de taal van de ander. Voor een zorgverzekeraar telt "
                "minder zorggebruik, voor een woningcorporatie minder overlast.",
                "Zorg voor diversiteit in de proeftuinen: een aanpak die alleen in grote steden is "
                "getest, overtuigt een dorp niet.",
                "Benoem de werkzame elementen, zodat een nieuwe gemeente weet wat vast ligt en "
                "wat zij zelf mag invullen.",
                "Accepteer dat repliceren iets anders is dan kopiëren: de nieuwe gemeente maakt "
                "de aanpak van zichzelf.",
            )),
            ("h2", "Het werkzame element van de buurtkamer"),
            ("p", "Uit de evaluatie bleek dat niet de ruimte zelf, maar de gastvrouw of gastheer het "
                  "verschil maakte. Bezoekers kwamen terug omdat iemand hen bij naam kende en miste "
                  "als zij wegbleven. Dat werkzame element is nu het hart van de handreiking voor "
                  "nieuwe gemeenten. Hoe de buurtkamer eruitziet en wie hem beheert, mag per "
                  "gemeente verschillen."),
            ("h2", "Weerstand als bron van kennis"),
            ("p", "Verhoeven wijst erop dat weerstand vaak informatie bevat. De huisartsen in een "
                  "van de nieuwe gemeenten waren bang voor extra werk. Toen de deal hen vroeg wat "
                  "er nodig was, kwam er een eenvoudige verwijskaart uit. Inmiddels verwijzen de "
                  "huisartsen daar actief naar de buurtkamer. \"Wie alleen met enthousiaste "
                  "partijen werkt, mist de vragen die later het succes bepalen.\""),
            ("p", "Anouk Verbeek benadrukt dat de deal ook zelf moest leren loslaten. \"We wilden "
                  "eerst dat elke gemeente precies onze buurtkamer overnam. Pas toen we de werkzame "
                  "elementen hadden benoemd, durfden we de rest aan de nieuwe gemeenten over te "
                  "laten. Dat leverde meer draagvlak op dan welk convenant ook.\""),
            ("p", "De deal presenteert de handreiking op 8 april 2025 tijdens een bijeenkomst in "
                  "Nieuwegein, samen met de acht gemeenten die de aanpak overnemen."),
        ),
    },
)

PDF_DOC: dict[str, object] = {
    "file": "tussenevaluatie-fietsen-voor-iedereen-2025.pdf",
    "title": "Tussenevaluatie City Deal Fietsen voor iedereen",
    "author": "Bureau Stadsonderzoek",
    "running_header": "Tussenevaluatie Fietsen voor iedereen | maart 2025",
    "sections": (
        ("h2", "Samenvatting"),
        ("p", "Deze tussenevaluatie beschrijft de voortgang van de City Deal Fietsen voor iedereen "
              "na twee jaar looptijd. De evaluatie is uitgevoerd tussen november 2024 en februari "
              "2025 in opdracht van de stuurgroep van de deal. We spraken met 42 betrokkenen: "
              "projectleiders, fietsdocenten, vrijwilligers, welzijnswerkers en deelnemers. "
              "Daarnaast analyseerden we de monitoringgegevens van de vijf proeftuinen."),
        ("p", "De deal ligt op koers wat betreft de output: er zijn meer cursisten bereikt dan "
              "verwacht. Over de impact op de lange termijn valt nog weinig met zekerheid te zeggen. "
              "De eerste signalen zijn positief, vooral waar deelnemers na de cursus een fiets "
              "konden lenen en een vaste begeleider hadden."),
        ("h2", "Aanpak van de evaluatie"),
        ("p", "We gebruikten de impactketen van de deal als kader: ambitie, beleid en strategie, "
              "uitvoering, output en impact. Per schakel hebben we gekeken welke aannames de deal "
              "doet en in hoeverre die aannames door de gegevens worden ondersteund. De evaluatie "
              "volgt daarmee de vier fasen van impactvol veranderen; de deal bevindt zich nu in de "
              "fase leren en verbeteren."),
        ("h2", "Bevindingen"),
        ("p", "De belangrijkste bevindingen zijn de volgende."),
        ("ol", (
            "De output overtreft de doelen: 320 afgeronde cursussen tegen 250 gepland. De werving "
            "via taalcursussen en buurthuizen werkt beter dan werving via de fietsscholen zelf.",
            "De aanname dat een cursus genoeg is, wordt niet ondersteund. Zonder eigen of geleende "
            "fiets stopt bijna de helft van de deelnemers binnen drie maanden met fietsen.",
            "Een vaste begeleider is het sterkste werkzame element. Deelnemers met een vaste "
            "begeleider fietsen na een half jaar veel vaker dan deelnemers zonder.",
            "De samenwerking met zorgverzekeraars en werkgevers is nog beperkt. Zij zien de waarde "
            "van de aanpak, maar die waarde is voor hen nog pre-financieel.",
        )),
        ("h2", "Stakeholders en opschaling"),
        ("p", "De deal wil in 2025 opschalen naar tien gemeenten. De evaluatie laat zien dat de "
              "huidige partners daar niet genoeg voor zijn. Fietsscholen hebben te weinig "
              "capaciteit, en welzijnsorganisaties kunnen de begeleiding niet zonder extra "
              "financiering volhouden. Opschalingspartners die nu ontbreken, zijn zorgverzekeraars, "
              "werkgevers en provincies. Ook enkele gemeenten die de deal niet hebben ondertekend, "
              "zijn geïnteresseerd, maar hebben bezwaren tegen de kosten van leenfietsen."),
        ("p", "Wij raden aan om deze partijen nu al te betrekken, ook als zij weerstand bieden. "
              "De ervaring van andere deals laat zien dat het later betrekken van partijen meer "
              "tijd kost dan het vroeg betrekken ervan. Repliceren in een nieuwe gemeente vraagt "
              "bovendien om een heldere beschrijving van de werkzame elementen."),
        ("h2", "Aanbevelingen"),
        ("ul", (
            "Maak de leenfiets een vast onderdeel van de aanpak en zoek er structurele "
            "financiering voor.",
            "Leg de rol van de vaste begeleider vast in een profiel dat nieuwe gemeenten kunnen "
            "gebruiken.",
            "Ontwikkel samen met zorgverzekeraars een rekenmodel dat de zachte waarde van fietsen "
            "zichtbaar maakt.",
            "Plan de borging nu, halverwege de looptijd, en wijs per resultaat een eigenaar aan.",
        )),
        ("p", "De eindevaluatie is voorzien voor het voorjaar van 2027. De stuurgroep bespreekt "
              "deze tussenevaluatie op 14 april 2025 in Utrecht."),
    ),
}

DOCX_DOC: dict[str, object] = {
    "file": "verslag-werksessie-opschalingspartners-2025-03-04.docx",
    "title": "Verslag werksessie opschalingspartners City Deal Kennis maken",
    "author": "Programmabureau Kennis maken",
    "created": dt.datetime(2025, 3, 6, 10, 0, 0),
    "keywords": "opschalen, stakeholders, kennisinstellingen",
    "meta_rows": (
        ("Datum", "dinsdag 4 maart 2025"),
        ("Plaats", "Hanzehogeschool, Groningen"),
        ("Voorzitter", "Lotte Brinkman (Hanzehogeschool)"),
        ("Aanwezig", "vertegenwoordigers van zes hogescholen, drie universiteiten, vier gemeenten "
                     "en twee woningcorporaties"),
    ),
    "sections": (
        ("h1", "Aanleiding"),
        ("p", "De City Deal Kennis maken loopt eind 2025 af. In de wijkateliers in Groningen, "
              "Utrecht en Zwolle werken studenten, bewoners en ambtenaren samen aan vragen uit de "
              "wijk. De partners willen deze aanpak borgen en opschalen naar andere steden. Tijdens "
              "deze werksessie verkenden zij welke opschalingspartners daarvoor nodig zijn en welke "
              "partijen nu nog aan de zijlijn staan."),
        ("h1", "Presentaties"),
        ("p", "Voorzitter Lotte Brinkman opende met de resultaten tot nu toe: meer dan 1.200 "
              "studenten werkten aan vragen uit twaalf wijken, en in drie steden is een vast "
              "wijkatelier ingericht. Het bewonerspanel in Selwerd bepaalt sinds 2024 zelf de "
              "onderzoeksvragen."),
        ("p", "Daarna presenteerde dr. Pieter Aalders van de Rijksuniversiteit Groningen een "
              "analyse van de werkzame elementen. Volgens hem zijn dat er drie: een vaste plek in "
              "de wijk, een bewonerspanel dat de vragen stelt, en een docent die de resultaten "
              "terugbrengt naar de bewoners. \"Zonder die terugkoppeling verdwijnt het vertrouwen "
              "van bewoners binnen een jaar,\" aldus Aalders."),
        ("p", "Tot slot vertelde wethouder Mirjam Kok van de gemeente Zwolle waarom haar gemeente "
              "het wijkatelier in Holtenbroek na afloop van de deal zelf wil financieren. Het "
              "atelier heeft volgens haar een zachte waarde die pas later financieel zichtbaar "
              "wordt: bewoners melden problemen eerder, en de gemeente hoeft minder vaak dure "
              "externe onderzoeken uit te laten voeren."),
        ("h1", "Uitkomsten van de werksessie"),
        ("p", "In drie groepen brachten de deelnemers de stakeholders in kaart. Zij "
              "onderscheidden partijen die de aanpak steunen, partijen die neutraal zijn en "
              "partijen die weerstand bieden."),
        ("list", (
            "Steunend: de huidige hogescholen, de gemeenten Groningen en Zwolle, de "
            "woningcorporaties.",
            "Neutraal: de Vereniging Hogescholen, de provincie Groningen, het ministerie van "
            "Onderwijs, Cultuur en Wetenschap.",
            "Weerstand: opleidingen die vrezen voor extra werkdruk, en enkele wijkteams die "
            "studenten zien als extra belasting voor bewoners.",
        )),
        ("p", "De groepen waren het erover eens dat juist de opleidingen met bezwaren nodig zijn "
              "om de aanpak op te schalen. Hun zorgen over werkdruk zijn terecht: de begeleiding "
              "van studenten in de wijk kost docenten meer tijd dan een gewone opdracht."),
        ("h1", "Geleerde lessen"),
        ("list", (
            "Betrek opleidingen die weerstand bieden al bij het ontwerp van de wijkateliers.",
            "Maak de tijd van docenten zichtbaar in de begroting, zodat de aanpak niet op "
            "vrijwilligheid draait.",
            "Laat bewoners uit het panel zelf vertellen wat het atelier hen heeft opgeleverd; "
            "dat overtuigt nieuwe gemeenten meer dan cijfers.",
        )),
        ("h1", "Afspraken"),
        ("p", "Het programmabureau stelt voor 1 mei 2025 een opschalingsplan op. De Vereniging "
              "Hogescholen wordt uitgenodigd voor het volgende overleg op 10 juni 2025 in Utrecht. "
              "Pieter Aalders werkt de beschrijving van de werkzame elementen uit tot een "
              "handreiking van maximaal tien pagina's."),
    ),
}

MARKDOWN_DOC = """---
title: Dealtekst City Deal Eenzaamheid doorbreken (samenvatting)
date: 2021-06-15
author: Partners City Deal Eenzaamheid doorbreken
deal: City Deal Eenzaamheid doorbreken
tags: [dealtekst, eenzaamheid, buurtkamers, ouderen]
---

# Dealtekst City Deal Eenzaamheid doorbreken (samenvatting)

Deze samenvatting geeft de kern weer van de dealtekst die de partners op 15 juni 2021 in
Amersfoort ondertekenden. De volledige tekst bevat ook de financiële afspraken per partner.

## Aanleiding

Eenzaamheid onder ouderen neemt toe. In de deelnemende gemeenten voelt ruim de helft van de
75-plussers zich soms of vaak eenzaam. Losse activiteiten helpen, maar houden zelden stand
als de subsidie stopt. De partners willen daarom samen onderzoeken welke aanpak blijvend
werkt en hoe die aanpak in andere gemeenten kan worden overgenomen.

## Ambitie

De ambitie van de deal is dat ouderen in de deelnemende wijken zich minder eenzaam voelen en
dat zij een plek in de buurt hebben waar zij elke dag welkom zijn. De profijtgroep bestaat uit
thuiswonende ouderen en hun mantelzorgers. Zij denken mee over de inrichting en de
activiteiten van de buurtkamers.

## Afspraken

De partners spreken het volgende af:

1. De gemeenten Amersfoort, Deventer, Leeuwarden en Nieuwegein richten elk vier buurtkamers in.
2. De woningcorporaties stellen ruimtes beschikbaar tegen een gereduceerde huur.
3. De ouderenbond werft en traint vrijwillige gastvrouwen en gastheren.
4. Een onderzoeksbureau meet jaarlijks de eenzaamheid onder bezoekers en een vergelijkingsgroep.

## Van output naar impact

De deal meet zowel output als impact. Output is het aantal buurtkamers, het aantal vaste
bezoekers en het aantal getrainde vrijwilligers. De beoogde impact is minder eenzaamheid, meer
contact tussen buren en minder beroep op zorg. De partners erkennen dat tussen output en impact
aannames zitten, bijvoorbeeld dat ouderen een buurtkamer in hun eigen straat ook echt bezoeken.
Deze aannames worden in het eerste jaar getoetst.

## Rollen en verantwoordelijkheden

De gemeente Amersfoort is penvoerder en zit de stuurgroep voor. Elke gemeente wijst een
projectleider aan die de buurtkamers in de eigen stad begeleidt. De woningcorporaties zijn
verantwoordelijk voor de ruimtes en het onderhoud. De ouderenbond zorgt voor de werving en de
scholing van vrijwilligers en brengt de ervaringen van ouderen in bij de stuurgroep. Het
ministerie van Binnenlandse Zaken en Koninkrijksrelaties stelt een dealmaker beschikbaar, die
de verbinding legt met andere deals en met landelijk beleid.

## Monitoring en leren

De partners komen twee keer per jaar bijeen om de resultaten te bespreken. Zij leggen vast welke
aannames zijn bevestigd en welke niet, en passen de aanpak daarop aan. De deal neemt deel aan de
Community of Practice van Agenda Stad en deelt daar haar lessen met andere deals.

## Fasering

De deal doorloopt vier fasen: verkennen en ontwerpen (2021), aanjagen en implementeren
(2022), leren en verbeteren (2023) en borgen (2024). In de laatste fase kiezen de partners per
buurtkamer of zij opschalen, repliceren of stoppen. Zie ook de pagina van de
[City Deal Eenzaamheid doorbreken](https://stedenagenda.example/city-deals/eenzaamheid-doorbreken/).

## Ondertekening

De dealtekst is ondertekend door de wethouders van de vier gemeenten, de directeuren van twee
woningcorporaties, de voorzitter van de ouderenbond en de minister van Binnenlandse Zaken en
Koninkrijksrelaties, namens Agenda Stad.
"""

PAGE_TEMPLATE = """<!DOCTYPE html>
<html lang="nl">
<head>
<meta charset="utf-8">
<title>{title} | Stedenagenda</title>
<meta name="author" content="{author}">
<meta property="og:site_name" content="Stedenagenda">
<meta property="og:title" content="{title}">
<meta property="article:published_time" content="{date}T10:00:00+01:00">
<link rel="canonical" href="{url}">
</head>
<body class="single">
<div class="cookie-banner" id="cookie-consent"><p>Deze website gebruikt cookies om het gebruik te
meten. <a href="#">Accepteren</a> <a href="#">Weigeren</a></p></div>
<header class="site-header"><a class="logo" href="/">Stedenagenda</a>
<nav class="main-navigation"><ul><li><a href="/">Home</a></li><li><a href="/city-deals/">City Deals</a></li>
<li><a href="/nieuws/">Nieuws</a></li><li><a href="/kennisbank/">Kennisbank</a></li></ul></nav></header>
<main id="content">
<article class="post">
<header class="entry-header"><h1 class="entry-title">{title}</h1>
<p class="entry-meta">Door {author} | <time datetime="{date}">{date_nl}</time></p></header>
<div class="entry-content">
{body}
<p class="about-deal">Dit gaat over: {deal_links}</p>
</div>
<footer class="entry-footer"><p class="tags">Tags: {tag_links}</p>
<div class="share"><span>Delen:</span> <a href="#">LinkedIn</a> <a href="#">E-mail</a></div></footer>
</article>
<section class="related-posts"><h2>Lees ook</h2><ul>
<li><a href="/nieuws/opschalen-begint-bij-de-start/">Opschalen begint bij de start</a>
<p>Wie pas aan het einde van een City Deal over opschalen nadenkt, is te laat.</p></li></ul></section>
<div id="comments" class="comments-area"><div id="respond"><h3>Geef een reactie</h3>
<p>Het e-mailadres wordt niet gepubliceerd. Vereiste velden zijn gemarkeerd met *</p>
<form><textarea></textarea><input type="submit" value="Reactie plaatsen"></form></div></div>
</main>
<footer class="site-footer"><p>Stedenagenda is het kennisplatform van Agenda Stad.</p>
<p>Contact: <a href="/cdn-cgi/l/email-protection" class="__cf_email__">[email&#160;protected]</a></p></footer>
</body>
</html>
"""

MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
          "september", "oktober", "november", "december")


def _html_body(sections: tuple[Section, ...]) -> str:
    out = []
    for kind, value in sections:
        if kind in ("ul", "ol"):
            items = "".join(f"<li>{html.escape(str(v))}</li>" for v in value)  # type: ignore[union-attr]
            out.append(f"<{kind}>{items}</{kind}>")
        else:
            out.append(f"<{kind}>{html.escape(str(value))}</{kind}>")
    return "\n".join(out)


def write_html() -> None:
    for page in HTML_PAGES:
        year, month, day = str(page["date"]).split("-")
        deals = page["deals"]
        deal_links = ", ".join(
            f'<a href="{path}">{html.escape(name)}</a>' for name, path in deals  # type: ignore[union-attr]
        )
        tags = ", ".join(
            f'<a href="/tag/{t.replace(" ", "-")}/" rel="tag">{html.escape(t)}</a>'
            for t in page["tags"]  # type: ignore[union-attr]
        )
        text = PAGE_TEMPLATE.format(
            title=html.escape(str(page["title"])),
            author=html.escape(str(page["author"])),
            date=page["date"],
            date_nl=f"{int(day)} {MONTHS[int(month) - 1]} {year}",
            url=page["url"],
            body=_html_body(page["body"]),  # type: ignore[arg-type]
            deal_links=deal_links,
            tag_links=tags,
        )
        target = SAMPLES / str(page["file"])
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")


def write_markdown() -> None:
    (SAMPLES / "dealtekst-eenzaamheid-doorbreken.md").write_text(MARKDOWN_DOC, encoding="utf-8")


def write_docx() -> None:
    import docx  # python-docx, a project dependency

    document = docx.Document()
    props = document.core_properties
    props.title = str(DOCX_DOC["title"])
    props.author = str(DOCX_DOC["author"])
    props.created = DOCX_DOC["created"]  # type: ignore[assignment]
    props.modified = DOCX_DOC["created"]  # type: ignore[assignment]
    props.keywords = str(DOCX_DOC["keywords"])
    props.language = "nl-NL"
    document.add_heading(str(DOCX_DOC["title"]), level=0)
    table = document.add_table(rows=0, cols=2)
    for label, value in DOCX_DOC["meta_rows"]:  # type: ignore[union-attr]
        cells = table.add_row().cells
        cells[0].text = label
        cells[1].text = value
    for kind, value in DOCX_DOC["sections"]:  # type: ignore[union-attr]
        if kind == "h1":
            document.add_heading(str(value), level=1)
        elif kind == "list":
            for item in value:
                document.add_paragraph(str(item), style="List Bullet")
        else:
            document.add_paragraph(str(value))
    document.save(str(SAMPLES / str(DOCX_DOC["file"])))


def write_pdf() -> None:
    from fpdf import FPDF  # only needed to regenerate the sample; see the module docstring

    header = str(PDF_DOC["running_header"])

    class Report(FPDF):
        def header(self) -> None:
            if self.page_no() > 1:
                self.set_font("DejaVu", size=8)
                self.cell(0, 8, header, align="R")
                self.ln(12)

        def footer(self) -> None:
            self.set_y(-15)
            self.set_font("DejaVu", size=8)
            self.cell(0, 10, f"Pagina {self.page_no()}", align="C")

    pdf = Report(format="A4")
    pdf.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdf.set_title(str(PDF_DOC["title"]))
    pdf.set_author(str(PDF_DOC["author"]))
    pdf.set_keywords("evaluatie, fietsen, impactketen, werkzame elementen")
    pdf.set_creation_date(dt.datetime(2025, 3, 28, 9, 0, tzinfo=dt.UTC))
    pdf.set_margins(25, 20, 25)
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 18)
    pdf.multi_cell(0, 9, str(PDF_DOC["title"]))
    pdf.ln(4)
    pdf.set_font("DejaVu", size=10)
    pdf.multi_cell(0, 6, "Bureau Stadsonderzoek, maart 2025")
    pdf.ln(6)
    for kind, value in PDF_DOC["sections"]:  # type: ignore[union-attr]
        if kind == "h2":
            pdf.ln(3)
            pdf.set_font("DejaVu", "B", 13)
            pdf.multi_cell(0, 7, str(value))
            pdf.ln(1)
        elif kind in ("ul", "ol"):
            pdf.set_font("DejaVu", size=10.5)
            for number, item in enumerate(value, start=1):
                marker = f"{number}." if kind == "ol" else "•"
                pdf.multi_cell(0, 5.5, f"{marker} {item}")
                pdf.ln(1.5)
        else:
            pdf.set_font("DejaVu", size=10.5)
            pdf.multi_cell(0, 5.5, str(value))
            pdf.ln(3)
    pdf.output(str(SAMPLES / str(PDF_DOC["file"])))


def main() -> None:
    SAMPLES.mkdir(exist_ok=True)
    write_html()
    write_markdown()
    write_docx()
    write_pdf()
    print(f"wrote the samples to {SAMPLES}")


if __name__ == "__main__":
    main()
