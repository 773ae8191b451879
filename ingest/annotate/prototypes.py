"""Short prototype descriptions of each class, compared with sentences by embedding similarity.

Written as the kind of sentence a report contains, in Dutch, a few per class; the
background prototypes describe sentences that are none of these (logistics, scene setting),
so that a sentence must be closer to a class than to plain narrative to count.
"""

from __future__ import annotations

PROTOTYPES: dict[str, tuple[str, ...]] = {
    "ambition": (
        "Onze ambitie is dat iedereen in de stad gelijke kansen heeft.",
        "Het doel van de deal is dat over tien jaar geen huishouden meer in armoede leeft.",
        "De stip op de horizon: een gezonde en inclusieve stad voor alle bewoners.",
    ),
    "policy_strategy": (
        "De gemeente heeft een nieuwe aanpak en strategie vastgesteld voor de wijken.",
        "De partners hebben afgesproken welke beleidskeuzes zij samen maken.",
        "Het beleid zet in op preventie en samenwerking tussen gemeente en partners.",
    ),
    "activity": (
        "De partners organiseren trainingen en huisbezoeken in de wijk.",
        "Er wordt een nieuw instrument ontwikkeld en in de praktijk getest.",
        "De gemeente voert samen met bewoners een proef uit in drie wijken.",
    ),
    "output": (
        "Er hebben 120 deelnemers een training gevolgd.",
        "In totaal zijn 40 woningen aangepast en 15 bijeenkomsten georganiseerd.",
        "Zoveel jongeren hebben meegedaan aan het programma.",
    ),
    "impact": (
        "Het effect op lange termijn is dat bewoners gezonder leven en minder eenzaam zijn.",
        "Deelnemers hebben na een jaar vaker werk en meer zelfvertrouwen.",
        "Een negatief effect is dat de kosten voor huurders stegen.",
        "De uitstoot van CO2 in de wijk is gedaald.",
    ),
    "assumption": (
        "We gingen ervan uit dat mensen hun gedrag veranderen als ze meer weten.",
        "De aanname is dat de training op het goede niveau is en deelnemers het onthouden.",
        "We verwachten dat ouders hun kinderen eerder laten gaan als het veiliger is.",
    ),
    "working_element": (
        "Waardering is een werkzaam element: het voorspelt of vrijwilligers blijven.",
        "Het werkt alleen als de begeleider vertrouwd is en vaker langskomt.",
        "Een vaste contactpersoon blijkt de sleutel tot blijvend effect.",
    ),
    "lesson": (
        "Een belangrijke les: betrek partijen die weerstand bieden al vroeg.",
        "Zorg dat je opschaling vanaf het begin meeneemt in je plannen.",
        "Het inzicht is dat impact maken tijd kost en je goed moet plannen.",
        "Tip voor andere deals: begin klein en leer van elke stap.",
    ),
}

BACKGROUND: tuple[str, ...] = (
    "De bijeenkomst vond plaats in een oude fabriekshal met koffie en lunch.",
    "Op de foto zie je mensen aan tafel in gesprek.",
    "Laat een reactie achter; uw e-mailadres wordt niet gepubliceerd.",
    "Zij vertelt over de geschiedenis van het programma en wie er werken.",
    "Daarna gaat de middag verder met een presentatie.",
    "Het bedrijf doet onderzoek en geeft advies aan organisaties.",
)
