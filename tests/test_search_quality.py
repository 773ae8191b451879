"""Retrieval regression check: a small Dutch City Deals corpus with Dutch, paraphrased and English questions.

The fusion weights were first swept on these same 42 questions, so this set checks that a
change does not make search worse; it does not measure quality. The quality gate is
tests/test_search_heldout.py, on held-out questions nothing was tuned on. The floors
here come from tests/fixtures/retrieval/baseline.json ("regression_set"), one
question's worth below the measured scores. Run this file as a script to print the
per-mode table and a keyword-weight sweep (docs/search.md):

    .venv/bin/python -m tests.test_search_quality
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.records import PassageRecord
from search import (
    SearchIndex,
    evaluate,
    format_table,
    load_embedder,
    sweep_fusion,
)
from search.evaluation import Question

BASE = "https://w3id.org/impactkg/id/"
DEAL = BASE + "deal/"
DOCTYPE = "https://w3id.org/impactkg/concept/doctype-"

# key: (title, doc type, deal slug or "", date, passages)
DOCUMENTS: dict[str, tuple[str, str, str, str, tuple[str, ...]]] = {
    "d01": (
        "Verslag Community of Practice: impact meten",
        "cop-report",
        "",
        "2023-03-12",
        (
            "Tijdens de Community of Practice in Utrecht op 12 maart 2023 spraken deal makers "
            "over impact meten. De conclusie: begin bij de ambitie en werk van daaruit terug "
            "naar meetbare output.",
            "Output is telbaar, zoals honderd gezinnen die een training volgden. Impact is het "
            "blijvende effect, bijvoorbeeld een lagere energierekening na vijf jaar.",
            "Tussen output en impact zitten aannames. Maak die expliciet, zodat je in de fase "
            "leren en verbeteren kunt toetsen of ze kloppen.",
        ),
    ),
    "d02": (
        "Werkzame elementen in jongerenprojecten",
        "evaluation",
        "city-deal-kansrijke-wijk",
        "2022-06-01",
        (
            "Werkzame elementen zijn voorwaarden die voorspellen of een aanpak op lange termijn "
            "effect heeft. Waardering blijkt zo'n element: jongeren die zich gezien voelen, "
            "blijven vrijwilligerswerk doen.",
            "Een mentor uit de eigen buurt verhoogde de deelname aan het programma sterker dan "
            "een financiële vergoeding.",
        ),
    ),
    "d03": (
        "Opschalen vraagt vroege keuzes",
        "cop-report",
        "city-deal-circulaire-stad",
        "2023-09-20",
        (
            "Opschalen is geen stap aan het eind maar een keuze aan het begin. Experimenteer "
            "daarom in verschillende wijken, met verschillende doelgroepen en belangen.",
            "De aanpak voor hergebruik van bouwmaterialen werd na de pilot in Zwolle "
            "opgeschaald naar vijf gemeenten.",
            "Betrek schaalpartners zoals woningcorporaties en provincies al in de "
            "verkenningsfase, want zij moeten de aanpak later dragen.",
        ),
    ),
    "d04": (
        "Omgaan met weerstand",
        "meeting-report",
        "city-deal-aardgasvrije-wijken",
        "2022-11-15",
        (
            "Partijen die zich verzetten horen vroeg aan tafel. Hun bezwaren laten zien waar "
            "de aanpak later zal vastlopen.",
            "Een bewonersavond waar tegenstanders hun zorgen over de warmtepomp konden uiten, "
            "leverde drie verbeteringen aan het plan op.",
        ),
    ),
    "d05": (
        "Profijtgroep en cocreatie",
        "cop-report",
        "city-deal-kansrijke-wijk",
        "2023-01-25",
        (
            "De profijtgroep zijn de mensen die baat moeten hebben bij de verandering. Ontwerp "
            "de aanpak met hen en niet voor hen.",
            "Bewoners schreven mee aan het wijkplan en kozen zelf welke speelplekken het eerst "
            "werden vernieuwd.",
        ),
    ),
    "d06": (
        "Zachte waarde en financiering",
        "evaluation",
        "",
        "2021-12-01",
        (
            "Zachte waarde, zoals vertrouwen tussen buren, is vaak pre-financieel: het levert "
            "pas later besparingen op in zorg en veiligheid.",
            "Een maatschappelijke kosten-batenanalyse maakt zichtbaar bij welke partij de baten "
            "terechtkomen en wie de kosten draagt.",
            "Omdat de baten bij andere organisaties landen dan de kosten, is gezamenlijke "
            "financiering door de partners nodig.",
        ),
    ),
    "d07": (
        "Borgen: opschalen, repliceren of stoppen",
        "cop-report",
        "",
        "2024-02-08",
        (
            "In de fase borgen kies je tussen opschalen, repliceren of stoppen. Stoppen is geen "
            "mislukking wanneer je de lessen vastlegt en deelt.",
            "Repliceren betekent dat een andere stad de aanpak overneemt en aanpast aan de eigen situatie.",
        ),
    ),
    "d08": (
        "Voedsel op de stedelijke agenda",
        "deal-text",
        "city-deal-voedsel-op-de-stedelijke-agenda",
        "2020-05-14",
        (
            "De City Deal Voedsel op de stedelijke agenda verbindt gemeenten, provincies en "
            "ministeries rond gezond, duurzaam en betaalbaar voedsel.",
            "Stadslandbouw en korte ketens leverden tientallen nieuwe afzetpunten op voor boeren "
            "uit de regio.",
            "Schoolkantines in vier steden gingen over op gezonde maaltijden met lokale producten.",
        ),
    ),
    "d09": (
        "Circulair inkopen door gemeenten",
        "news",
        "city-deal-circulaire-stad",
        "2023-04-03",
        (
            "Bij circulair inkopen van meubilair maakt de gemeente afspraken met leveranciers "
            "over terugname, reparatie en hergebruik.",
            "Bouwmaterialen uit gesloopte scholen werden hergebruikt in nieuwe woningen, wat veel "
            "CO2-uitstoot bespaarde.",
        ),
    ),
    "d10": (
        "Eenzaamheid onder ouderen in de wijk",
        "evaluation",
        "city-deal-kansrijke-wijk",
        "2023-10-30",
        (
            "Het aantal ouderen dat zich eenzaam voelt daalde na de start van de buurtkamers, "
            "waar vrijwilligers elke dag koffie schenken.",
            "Het effect verdween in de wijken waar de buurtkamer na een jaar sloot; continuïteit "
            "bleek een werkzaam element.",
        ),
    ),
    "d11": (
        "Iedereen op de fiets",
        "news",
        "city-deal-fietsen-voor-iedereen",
        "2022-08-22",
        (
            "Vrouwen met een migratieachtergrond leerden fietsen in een cursus van tien lessen; "
            "daarna fietste de helft wekelijks naar werk of school.",
            "De gemeente legde veilige fietsroutes aan langs scholen nadat ouders de gevaarlijke "
            "kruispunten in kaart brachten.",
        ),
    ),
    "d12": (
        "Spreekuur digitale overheid in de bibliotheek",
        "meeting-report",
        "",
        "2021-03-18",
        (
            "Bibliotheken hielpen inwoners met het aanvragen van toeslagen via de computer; "
            "vooral laaggeletterden maakten gebruik van dit spreekuur.",
        ),
    ),
    "d13": (
        "Leren en verbeteren met monitoring",
        "cop-report",
        "",
        "2023-06-14",
        (
            "Een dashboard met een handvol indicatoren hielp de partners om elk kwartaal bij te sturen.",
            "Te veel indicatoren maakten de monitoring zwaar; kies de indicatoren die iets zeggen "
            "over de aannames in de impactketen.",
        ),
    ),
    "d14": (
        "Klimaatadaptatie in de stad",
        "deal-text",
        "city-deal-klimaatadaptatie",
        "2019-09-09",
        (
            "Groene daken en wadi's vangen regenwater op, zodat straten bij hoosbuien minder snel "
            "onderlopen.",
            "Tegels eruit, groen erin: bewoners haalden samen twintigduizend tegels uit hun tuinen.",
        ),
    ),
    "d15": (
        "De rol van het Rijk in de City Deals",
        "evaluation",
        "",
        "2022-02-28",
        (
            "Het ministerie trad op als partner en niet als financier; het hielp knelpunten in "
            "wet- en regelgeving weg te nemen.",
            "Experimenteerruimte in regels maakte het mogelijk om een nieuwe aanpak eerst "
            "kleinschalig te testen.",
        ),
    ),
}

# (question, relevant document keys, kind)
QUESTIONS: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("werkzame elementen jongeren vrijwilligerswerk", ("d02",), "exact"),
    ("circulair inkopen meubilair", ("d09",), "exact"),
    ("profijtgroep cocreatie", ("d05",), "exact"),
    ("maatschappelijke kosten-batenanalyse", ("d06",), "exact"),
    ("stadslandbouw korte ketens", ("d08",), "exact"),
    ("groene daken wadi's regenwater", ("d14",), "exact"),
    ("buurtkamers eenzaamheid ouderen", ("d10",), "exact"),
    ("fase borgen opschalen repliceren stoppen", ("d07",), "exact"),
    ("dashboard indicatoren monitoring", ("d13",), "exact"),
    ("experimenteerruimte regelgeving", ("d15",), "exact"),
    ("schaalpartners woningcorporaties", ("d03",), "exact"),
    ("fietscursus voor vrouwen", ("d11",), "exact"),
    ("twintigduizend tegels", ("d14",), "exact"),
    ("laaggeletterden toeslagen", ("d12",), "exact"),
    ("warmtepomp bewonersavond", ("d04",), "exact"),
    ("pilot in Zwolle", ("d03",), "exact"),
    ("schoolkantines lokale producten", ("d08",), "exact"),
    ("mentor of financiële vergoeding", ("d02",), "exact"),
    ("Hoe ga je om met bewoners die tegen het plan zijn?", ("d04",), "paraphrase"),
    ("Wat voorspelt of een project op de lange duur blijft werken?", ("d02", "d10"), "paraphrase"),
    ("Hoe zorg je dat een geslaagd experiment ook elders wordt toegepast?", ("d03", "d07"), "paraphrase"),
    ("Wanneer is het beëindigen van een project verstandig?", ("d07",), "paraphrase"),
    ("Waarom is het lastig om sociale projecten te betalen?", ("d06",), "paraphrase"),
    ("Hoe verminder je wateroverlast bij zware regen?", ("d14",), "paraphrase"),
    ("Hoe meet je of een aanpak echt effect heeft?", ("d01", "d13"), "paraphrase"),
    ("Hoe help je mensen die moeite hebben met lezen bij online formulieren?", ("d12",), "paraphrase"),
    ("Gezond eten op scholen", ("d08",), "paraphrase"),
    ("Minder afval in de bouw", ("d09", "d03"), "paraphrase"),
    ("Wat kan het Rijk bijdragen aan stedelijke samenwerking?", ("d15",), "paraphrase"),
    ("Betrokkenheid van inwoners bij het ontwerp van hun buurt", ("d05",), "paraphrase"),
    ("How do you deal with parties that resist the project?", ("d04",), "english"),
    ("What are working elements?", ("d02",), "english"),
    ("Scaling up a successful pilot to other cities", ("d03", "d07"), "english"),
    ("Social cost-benefit analysis", ("d06",), "english"),
    ("Urban farming and short supply chains", ("d08",), "english"),
    ("Reducing loneliness among the elderly", ("d10",), "english"),
    ("Circular procurement of furniture", ("d09",), "english"),
    ("Cycling lessons for migrant women", ("d11",), "english"),
    ("Climate adaptation with green roofs", ("d14",), "english"),
    ("Difference between output and impact", ("d01",), "english"),
    ("Too many indicators make monitoring hard", ("d13",), "english"),
    ("Digital inclusion at the library", ("d12",), "english"),
)

BASELINE = Path(__file__).resolve().parent / "fixtures" / "retrieval" / "baseline.json"
NDCG_FLOORS: dict[str, float] = json.loads(BASELINE.read_text(encoding="utf-8"))["regression_set"]["floors"]


def document_iri(key: str) -> str:
    return f"{BASE}doc/{key}"


def corpus() -> list[tuple[str, list[PassageRecord]]]:
    documents = []
    for key, (title, doc_type, deal, date, texts) in DOCUMENTS.items():
        doc = document_iri(key)
        facets: dict[str, tuple[str, ...]] = {"doc_type": (DOCTYPE + doc_type,), "date": (date,)}
        if deal:
            facets["deal"] = (DEAL + deal,)
        records = [
            PassageRecord(
                iri=f"{doc}/p{position}",
                document_iri=doc,
                position=position,
                text=text,
                heading_path=(title,),
                document_title=title,
                document_url=f"https://agendastad.example/{key}",
                document_date=date,
                facets=facets,
            )
            for position, text in enumerate(texts)
        ]
        documents.append((doc, records))
    return documents


def questions(kind: str = "") -> list[Question]:
    return [
        Question(q, tuple(document_iri(k) for k in keys))
        for q, keys, question_kind in QUESTIONS
        if not kind or question_kind == kind
    ]


def build_reader(folder: Path) -> SearchIndex:
    embedder = load_embedder()
    with SearchIndex.open_writer(folder / "index", embedder) as writer:
        for doc, records in corpus():
            writer.replace_document(doc, records)
        writer.publish_to(folder / "gen-1")
    return SearchIndex.open(folder / "gen-1", embedder)


@pytest.fixture(scope="module")
def reader(tmp_path_factory: pytest.TempPathFactory) -> SearchIndex:
    return build_reader(tmp_path_factory.mktemp("quality"))


@pytest.mark.parametrize("mode", ["keyword", "semantic", "hybrid"])
def test_ndcg_stays_above_its_floor(reader: SearchIndex, mode: str) -> None:
    scores = evaluate(reader, questions(), (mode,))[mode]
    assert scores.ndcg_at_10 >= NDCG_FLOORS[mode], format_table([scores])


def test_hybrid_does_not_fall_below_vectors_alone(reader: SearchIndex) -> None:
    scores = evaluate(reader, questions(), ("semantic", "hybrid"))
    assert scores["hybrid"].ndcg_at_10 >= scores["semantic"].ndcg_at_10 - 0.01, format_table(scores)


def test_english_questions_are_answered_by_vectors(reader: SearchIndex) -> None:
    scores = evaluate(reader, questions("english"), ("keyword", "semantic"))
    assert scores["semantic"].ndcg_at_10 > scores["keyword"].ndcg_at_10 + 0.2, format_table(scores)


def report(folder: Path) -> str:
    """The tables docs/search.md quotes: per mode and kind of question, then the weight sweep."""
    index = build_reader(folder)
    lines = []
    for kind in ("", "exact", "paraphrase", "english"):
        lines.append(f"\n### {kind or 'all'} questions\n")
        lines.append(format_table(evaluate(index, questions(kind))))
    kinds = ("", "exact", "paraphrase", "english")
    for exponent in (0.0, 2.0):
        lines.append(
            f"\n### hybrid nDCG@10 by keyword weight, coverage exponent {exponent:g} (semantic weight 1.0)\n"
        )
        lines.append("| keyword weight | all | exact | paraphrase | english |")
        lines.append("|---:|---:|---:|---:|---:|")
        grid = [
            {"keyword_weight": w, "keyword_coverage_exponent": exponent} for w in (0.2, 0.3, 0.5, 0.7, 1.0)
        ]
        by_kind = {kind: sweep_fusion(index, questions(kind), grid) for kind in kinds}
        for row, changes in enumerate(grid):
            cells = " | ".join(f"{by_kind[kind][row][1].ndcg_at_10:.3f}" for kind in kinds)
            lines.append(f"| {changes['keyword_weight']:.1f} | {cells} |")
    return "\n".join(lines)


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        print(report(Path(tmp)))
