"""Serialising query results: W3C SPARQL JSON, CSV and TSV, RDF for graph results, and a text table."""

from __future__ import annotations

import csv
import io
import json

import pyoxigraph as ox

from kg.query import QueryResult, Term

RESULT_FORMATS = ("table", "json", "csv", "tsv")


def term_json(term: Term) -> dict[str, str]:
    """One RDF term in the SPARQL 1.1 JSON results form."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        entry = {"type": "literal", "value": term.value}
        if term.language:
            entry["xml:lang"] = term.language
        elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
            entry["datatype"] = term.datatype.value
        return entry
    return {"type": "triple", "value": str(term)}


def to_json(result: QueryResult) -> str:
    if result.kind == "ask":
        return json.dumps({"head": {}, "boolean": result.boolean})
    if result.kind == "graph":
        return json.dumps([[term_json(t.subject), term_json(t.predicate), term_json(t.object)]
                           for t in result.triples], ensure_ascii=False)
    bindings = [
        {name: term_json(value) for name, value in zip(result.variables, row, strict=True)
         if value is not None}
        for row in result.rows
    ]
    return json.dumps({"head": {"vars": list(result.variables)},
                       "results": {"bindings": bindings}}, ensure_ascii=False)


def _csv_value(term: Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.NamedNode | ox.Literal):
        return term.value
    return str(term)


def to_csv(result: QueryResult, delimiter: str = ",") -> str:
    """CSV (plain values) or, with a tab, the W3C TSV form (values in N-Triples syntax)."""
    out = io.StringIO()
    if result.kind == "ask":
        out.write(f"boolean\n{str(result.boolean).lower()}\n")
        return out.getvalue()
    if result.kind == "graph":
        columns, rows = ("subject", "predicate", "object"), [
            (t.subject, t.predicate, t.object) for t in result.triples]
    else:
        columns, rows = result.variables, result.rows
    if delimiter == "\t":
        out.write("\t".join(f"?{c}" for c in columns) + "\n")
        for row in rows:
            out.write("\t".join("" if v is None else str(v) for v in row) + "\n")
        return out.getvalue()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_csv_value(v) for v in row])
    return out.getvalue()


def shorten(term: Term | None, prefixes: dict[str, str]) -> str:
    """A term for people: prefixed names for IRIs, plain text for literals."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        for prefix, namespace in prefixes.items():
            if term.value.startswith(namespace) and len(term.value) > len(namespace):
                return f"{prefix}:{term.value[len(namespace):]}"
        return term.value
    if isinstance(term, ox.Literal):
        return term.value + (f"@{term.language}" if term.language else "")
    return _csv_value(term)


def to_table(result: QueryResult, max_width: int = 60) -> str:
    """An aligned text table, for the terminal."""
    if result.kind == "ask":
        return "ja (true)" if result.boolean else "nee (false)"
    if result.kind == "graph":
        columns = ("subject", "predicate", "object")
        rows = [(t.subject, t.predicate, t.object) for t in result.triples]
    else:
        columns, rows = result.variables, list(result.rows)
    cells = [[_clip(shorten(v, result.prefixes), max_width) for v in row] for row in rows]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)) for r in cells]
    footer = f"({len(rows)} rij{'en' if len(rows) != 1 else ''} / rows"
    footer += ", afgekapt / truncated)" if result.truncated else ")"
    return "\n".join([*lines, footer])


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def format_result(result: QueryResult, fmt: str) -> str:
    if fmt == "json":
        return to_json(result)
    if fmt == "csv":
        return to_csv(result)
    if fmt == "tsv":
        return to_csv(result, "\t")
    return to_table(result)
