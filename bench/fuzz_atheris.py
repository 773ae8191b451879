"""Coverage-guided fuzzing with atheris (libFuzzer for Python), one target per process.

hypothesis (tests/test_bad_input.py) generates inputs from grammars we wrote; atheris instead
mutates bytes towards code it has not reached yet, which finds the branches no grammar thought
of. Each target states the same promise its property test does: no exception but the documented
ones, no hang (libFuzzer's ``-timeout``), bounded memory (``-rss_limit_mb``).

    python bench/fuzz_atheris.py dates --runs 20000          # one target, its own process
    python bench/fuzz_atheris.py all --runs 20000            # every target, one child each

A failing input is written to ``--artifacts`` (default: a temporary folder, printed) and the
run exits non-zero. ``bench/fuzz_inputs.py`` (``make fuzz``) runs every target and adds the
inputs to its total. Targets: dates, chunker, html, text, canned.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TARGETS = ("dates", "chunker", "html", "text", "canned")
INPUT_TIMEOUT_S = 20
RSS_LIMIT_MB = 2048
MAX_INPUT_BYTES = 20_000
DONE = re.compile(r"Done (\d+) runs in (\d+) second")


def dates_target() -> Callable[[bytes], None]:
    import atheris

    with atheris.instrument_imports():
        from ingest.annotate.dates import find_dates, format_dutch, parse_iso

    def one(data: bytes) -> None:
        provider = atheris.FuzzedDataProvider(data)
        document_date = (None if provider.ConsumeBool()
                         else date(2000, 1, 1) + timedelta(days=provider.ConsumeIntInRange(0, 40_000)))
        sentence = provider.ConsumeUnicodeNoSurrogates(provider.remaining_bytes())
        for mention in find_dates(sentence, document_date):
            assert 0 <= mention.start < mention.end <= len(sentence)
            assert sentence[mention.start:mention.end] == mention.text
            assert parse_iso(mention.iso) is not None or len(mention.iso) == 7
            assert format_dutch(mention.iso)
    return one


def chunker_target() -> Callable[[bytes], None]:
    import atheris

    with atheris.instrument_imports():
        from ingest.chunk import ChunkOptions, chunk_document

    def one(data: bytes) -> None:
        provider = atheris.FuzzedDataProvider(data)
        low = provider.ConsumeIntInRange(1, 80)
        options = ChunkOptions(low, provider.ConsumeIntInRange(low, 300))
        text = provider.ConsumeUnicode(provider.remaining_bytes())
        chunks = chunk_document(text, options)
        assert [c.position for c in chunks] == list(range(len(chunks)))
        for chunk in chunks:
            assert 0 <= chunk.start_char < chunk.end_char <= len(text)
            assert text[chunk.start_char:chunk.end_char] == chunk.text
    return one


def reader_target(read: Callable[[bytes], object]) -> Callable[[bytes], None]:
    from ingest.document import ReadOutcome, blocks_to_text

    def one(data: bytes) -> None:
        outcome = read(data)
        assert isinstance(outcome, ReadOutcome)
        if outcome.document is None:
            assert outcome.skipped_reason and "\n" not in outcome.skipped_reason
        else:
            assert outcome.document.text.strip()
            assert outcome.document.text == blocks_to_text(outcome.document.blocks)
    return one


def html_target() -> Callable[[bytes], None]:
    import atheris

    with atheris.instrument_imports(include=["ingest"]):
        from ingest.document import ReadOptions
        from ingest.read_html import read_html
    options = ReadOptions(max_bytes=2_000_000)
    return reader_target(lambda data: read_html(data, "https://www.agendastad.nl/nieuws/x/", options))


def text_target() -> Callable[[bytes], None]:
    import atheris

    with atheris.instrument_imports(include=["ingest"]):
        from ingest.document import ReadOptions
        from ingest.read import read_bytes
    options = ReadOptions(max_bytes=2_000_000)
    names = ("x.txt", "x.md", "x", "x.html")
    media_types = ("", "text/plain; charset=utf-16", "text/html; charset=nonsense",
                   "text/plain; charset=cp1252")

    def read(data: bytes) -> object:
        head = data[:1] or b"\0"
        return read_bytes(data[1:], names[head[0] % len(names)], media_types[(head[0] >> 2) % 4], options)
    return reader_target(read)


def canned_target() -> Callable[[bytes], None]:
    import atheris

    with atheris.instrument_imports():
        from kg.canned import ParameterError, QueryParameter, bind_parameters, parse_parameter
    parameters = (
        QueryParameter("deal", "instance", "https://w3id.org/impactkg/def#CityDeal"),
        QueryParameter("fase", "concept", "https://w3id.org/impactkg/def#PhaseScheme"),
        QueryParameter("vanaf", "date"),
        QueryParameter("aantal", "integer"),
        QueryParameter("zoek", "text", language="nl"),
    )
    names = [p.name for p in parameters]

    def one(data: bytes) -> None:
        provider = atheris.FuzzedDataProvider(data)
        if provider.ConsumeBool():
            try:
                parse_parameter(provider.ConsumeUnicodeNoSurrogates(200))
            except ValueError as error:
                assert str(error)
            return
        values = {}
        for _ in range(provider.ConsumeIntInRange(0, 6)):
            name = (names[provider.ConsumeIntInRange(0, len(names) - 1)] if provider.ConsumeBool()
                    else provider.ConsumeUnicodeNoSurrogates(8))
            values[name] = provider.ConsumeUnicodeNoSurrogates(provider.ConsumeIntInRange(0, 300))
        try:
            bound = bind_parameters(parameters, values)
        except ParameterError as error:
            assert str(error)
            return
        assert set(bound) <= set(names)
    return one


def selfcheck_target() -> Callable[[bytes], None]:
    """A planted failure (an input starting with "!"), so a test can see the harness report one."""

    def one(data: bytes) -> None:
        if data[:1] == b"!":
            raise RuntimeError("planted failure: the harness must report this input")
    return one


BUILDERS: dict[str, Callable[[], Callable[[bytes], None]]] = {
    "dates": dates_target, "chunker": chunker_target, "html": html_target, "text": text_target,
    "canned": canned_target, "selfcheck": selfcheck_target,
}


def fuzz_in_this_process(target: str, runs: int, artifacts: Path, seed: int) -> None:
    """Never returns: libFuzzer exits the process (0 after ``runs``, non-zero on a failure)."""
    import atheris

    sys.path.insert(0, str(REPO))
    one = BUILDERS[target]()
    artifacts.mkdir(parents=True, exist_ok=True)
    atheris.Setup([sys.argv[0], f"-runs={runs}", f"-seed={seed}", f"-timeout={INPUT_TIMEOUT_S}",
                   f"-rss_limit_mb={RSS_LIMIT_MB}", f"-max_len={MAX_INPUT_BYTES}",
                   f"-artifact_prefix={artifacts}/{target}-", "-print_final_stats=1"], one)
    atheris.Fuzz()


def child_command(target: str, runs: int, artifacts: Path, seed: int = 1) -> list[str]:
    """The command that fuzzes one target in a process of its own (run it with :data:`CHILD_ENV`)."""
    return [sys.executable, str(Path(__file__).resolve()), target, "--runs", str(runs),
            "--artifacts", str(artifacts), "--seed", str(seed), "--in-process"]


CHILD_ENV = {**os.environ, "PYTHONPATH": str(REPO)}


def inputs_run(output: str) -> int:
    """How many inputs libFuzzer reports it ran (0 when it did not finish)."""
    done = DONE.search(output)
    return int(done.group(1)) if done else 0


def run_target(target: str, runs: int, artifacts: Path, seed: int) -> tuple[int, int, str]:
    """(exit status, inputs run, last output) of one target in its own child process."""
    result = subprocess.run(child_command(target, runs, artifacts, seed), cwd=REPO,
                            capture_output=True, text=True, env=CHILD_ENV)
    output = result.stdout + result.stderr
    return result.returncode, inputs_run(output), output[-3000:]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("target", choices=(*BUILDERS, "all"))
    parser.add_argument("--runs", type=int, default=20_000, help="inputs per target")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--artifacts", type=Path, default=None,
                        help="where failing inputs go (default: a new temporary folder)")
    parser.add_argument("--in-process", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    artifacts = args.artifacts or Path(tempfile.mkdtemp(prefix="impactkg-atheris-"))
    if args.in_process:
        fuzz_in_this_process(args.target, args.runs, artifacts, args.seed)
    failed = False
    for target in TARGETS if args.target == "all" else (args.target,):
        status, inputs, tail = run_target(target, args.runs, artifacts, args.seed)
        print(f"atheris {target}: {inputs} inputs, exit {status}", flush=True)
        if status != 0 or inputs == 0:
            failed = True
            print(tail, file=sys.stderr)
    print(f"failing inputs (if any) in {artifacts}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
