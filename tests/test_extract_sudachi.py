"""The optional SudachiPy boundary rule for entity mentions (`--tokenizer sudachi`, the [ja] extra)."""
from __future__ import annotations

import dataclasses
import os

import pytest
from click.testing import CliRunner

from stigraph.extract.mentions import build_gazetteer, match_form

try:
    import sudachipy  # noqa: F401
except ImportError:  # CI installs the extra; elsewhere the rule-based tests still cover mentions
    if os.environ.get("CI"):
        raise
    pytest.skip("sudachipy (the [ja] extra) is not installed", allow_module_level=True)

GAZETTEER = build_gazetteer({"riken": ["理研"], "jst": ["JST"], "sip": ["SIP"], "nedo": ["新エネルギー"]})


def hits(text: str, tokenizer: str) -> list[tuple[str, list[str]]]:
    form = match_form(text)
    gazetteer = dataclasses.replace(GAZETTEER, tokenizer=tokenizer)
    return [(form[start:end], ids) for start, end, ids in gazetteer.find(form)]


@pytest.mark.parametrize("tokenizer", ["rules", "sudachi"])
def test_false_substrings_are_rejected(tokenizer: str) -> None:
    assert hits("物理研究所の装置", tokenizer) == []          # 理研 inside 物理研究所
    assert hits("JSTAGEで公開", tokenizer) == []              # JST inside JSTAGE
    assert hits("SIPS2024に参加", tokenizer) == []            # SIP inside SIPS2024


@pytest.mark.parametrize("tokenizer", ["rules", "sudachi"])
def test_real_mentions_are_kept(tokenizer: str) -> None:
    assert hits("理研とJSTがSIPを進める", tokenizer) == [("理研", ["riken"]), ("JST", ["jst"]), ("SIP", ["sip"])]


def test_cli_takes_the_sudachi_tokenizer(tmp_path) -> None:
    from stigraph.cli.main import cli

    doc = tmp_path / "note.txt"
    doc.write_text("科学技術振興機構(JST)と理化学研究所が連携する。\n物理研究所は別の組織。\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["extract", str(doc), "--kind", "mentions", "--tokenizer", "sudachi", "--format", "json"])
    assert result.exit_code == 0, result.output
    import json

    mentions = {m["entity"]: m["lines"] for m in json.loads(result.output)["mentions"]}
    assert mentions["jst"] == [1]
    assert mentions["riken"] == [1]  # 理化学研究所 on line 1; nothing inside 物理研究所 on line 2
