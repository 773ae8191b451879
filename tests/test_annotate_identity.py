"""One resource per real-world thing across documents, in a real store through the CLI.

The same CoP report in two files, a meeting announced in one document and reported in
another, a person and an organisation named in several documents: one resource each, with
the evidence of every document. Re-ingesting or pruning one document keeps the others'
evidence and never duplicates the resource.
"""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

from test_ingest_pipeline import RULES_ONLY

REPO = Path(__file__).resolve().parents[1]
COP = "cop-2024-03-05-amersfoort-impact-opschalen.txt"

ANNOUNCEMENT = """Werkatelier in Dokkum aangekondigd

De vijf gemeenten van de Town Deal Sterke Streken komen op 9 juli 2024 bijeen voor een werkatelier in Dokkum.
Michiel Vos van het ministerie van BZK opent de middag.
Een vaste contactpersoon per gemeente maakt het verschil.
"""
REPORT = """Verslag werkatelier Dokkum

Op dinsdag 9 juli 2024 kwam de Town Deal Sterke Streken bijeen in Dokkum, in het gemeentehuis.
Michiel Vos van Binnenlandse Zaken sprak over de verlenging.
Een vaste contactpersoon per gemeente maakt het verschil.
"""


def rows(invoke, query: str) -> list[dict[str, str]]:
    result = invoke("sparql", query, "--format", "csv")
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(io.StringIO(result.output)))


def meetings_on(invoke, day: str) -> list[dict[str, str]]:
    return rows(invoke, "SELECT DISTINCT ?m WHERE { ?m a ikg:Meeting ; schema:startDate ?d . "
                        f'FILTER (STR(?d) = "{day}") }}')


def evidence_of(invoke, resource: str) -> set[str]:
    return {r["p"] for r in rows(invoke, f"SELECT DISTINCT ?p WHERE {{ <{resource}> ikg:supportedBy ?p }}")}


def test_the_same_report_in_two_files_is_one_meeting(invoke, initialised: Path, tmp_path: Path) -> None:
    folder = tmp_path / "bronnen"
    folder.mkdir()
    shutil.copy(REPO / "samples" / COP, folder / COP)
    shutil.copy(REPO / "samples" / COP, folder / "kopie-van-het-verslag.txt")
    result = invoke(*RULES_ONLY, "ingest", str(folder))
    assert result.exit_code == 0, result.output
    march = meetings_on(invoke, "2024-03-05")
    assert len(march) == 1
    assert len(evidence_of(invoke, march[0]["m"])) == 2  # one passage in each file


def test_shared_resources_survive_reingest_and_prune(invoke, initialised: Path,
                                                       tmp_path: Path) -> None:
    folder = tmp_path / "bronnen"
    folder.mkdir()
    (folder / "aankondiging.txt").write_text(ANNOUNCEMENT, encoding="utf-8")
    (folder / "verslag.txt").write_text(REPORT, encoding="utf-8")
    assert invoke(*RULES_ONLY, "ingest", str(folder)).exit_code == 0

    meeting = meetings_on(invoke, "2024-07-09")
    assert len(meeting) == 1, meeting
    meeting_iri = meeting[0]["m"]
    assert len(evidence_of(invoke, meeting_iri)) == 2
    people = rows(invoke, 'SELECT DISTINCT ?p WHERE { ?p a ikg:Person ; rdfs:label "Michiel Vos" }')
    assert len(people) == 1
    ministries = rows(invoke, "SELECT DISTINCT ?o WHERE { ?o a ikg:Organisation ; rdfs:label ?l . "
                              'FILTER (CONTAINS(STR(?l), "Binnenlandse Zaken")) }')
    assert len(ministries) == 1
    elements = rows(invoke, "SELECT DISTINCT ?w WHERE { ?w a ikg:WorkingElement }")
    assert len(elements) == 1
    assert len(evidence_of(invoke, elements[0]["w"])) == 2
    records = rows(invoke, "SELECT ?q ?s ?e WHERE { ?x a ikg:Extraction ; rdf:subject "
                           f"<{elements[0]['w']}> ; ikg:quote ?q ; ikg:quoteStart ?s ; "
                           "ikg:quoteEnd ?e }")
    assert len(records) == 2 and all("vaste contactpersoon" in r["q"] for r in records)

    # Re-ingesting one document (changed) keeps one resource with both documents' evidence.
    (folder / "verslag.txt").write_text(REPORT + "\nDe volgende bijeenkomst volgt later.\n",
                                        encoding="utf-8")
    assert "gewijzigd/changed 1" in invoke(*RULES_ONLY, "ingest", str(folder)).output
    assert meetings_on(invoke, "2024-07-09") == meeting
    assert len(evidence_of(invoke, meeting_iri)) == 2

    # Pruning one document keeps the resource with the other document's evidence.
    (folder / "aankondiging.txt").unlink()
    pruned = invoke(*RULES_ONLY, "ingest", "--prune", str(folder))
    assert "verwijderd/pruned 1" in pruned.output, pruned.output
    assert meetings_on(invoke, "2024-07-09") == meeting
    assert len(evidence_of(invoke, meeting_iri)) == 1
    assert len(rows(invoke, "SELECT DISTINCT ?w WHERE { ?w a ikg:WorkingElement }")) == 1
    assert len(rows(invoke, 'SELECT DISTINCT ?p WHERE { ?p a ikg:Person ; '
                            'rdfs:label "Michiel Vos" }')) == 1
