"""The command line, as a user runs it."""

import json
import shutil

import pytest
from click.testing import CliRunner

from classifier import __version__
from classifier.cli import main

from .conftest import FIXTURES, ROOT


@pytest.fixture
def runner():
    return CliRunner()


def test_version(runner):
    r = runner.invoke(main, ["--version"])
    assert r.exit_code == 0 and __version__ in r.output


def test_classify_file_prints_the_contract(runner):
    r = runner.invoke(main, ["classify", str(FIXTURES / "seed_request.txt"), "--id", "REQ07510", "--received", "2020-09-10"])
    assert r.exit_code == 0, r.output
    result = json.loads(r.stdout)
    assert result["id"] == "REQ07510" and result["due"]["date"] == "2020-10-08"
    assert len(result["questions"]) == 14


def test_classify_stdin(runner):
    r = runner.invoke(main, ["classify", "-"], input="How many missed bin collections were there in 2024?")
    assert r.exit_code == 0 and json.loads(r.stdout)["departments"][0]["label"] == "environment"


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "empty"),
        (b"   \n  ", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        ("Caf\u00e9 opening hours?".encode("cp1252"), "not valid UTF-8"),
        (b"How many bins? " * 400_000, "limit"),
    ],
)
def test_classify_bad_input_is_a_clear_error_not_a_traceback(runner, tmp_path, data, message):
    path = tmp_path / "request.txt"
    path.write_bytes(data)
    r = runner.invoke(main, ["classify", str(path)])
    assert r.exit_code == 1 and message in r.output and "Traceback" not in r.output


def test_classify_no_question(runner):
    r = runner.invoke(main, ["classify", "-"], input="Dear FOI team,\n\nKind regards,\nAlex")
    assert r.exit_code == 0 and json.loads(r.stdout)["message"] == "no questions found"


def test_classify_refuses_a_tampered_model(runner, tmp_path):
    model = tmp_path / "m"
    shutil.copytree(ROOT / "models" / "default", model)
    (model / "model.joblib").write_bytes(b"not the model")
    r = runner.invoke(main, ["classify", "-", "--model", str(model)], input="How many bins?")
    assert r.exit_code == 1 and "sha256" in r.output


def test_every_command_and_option_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name, command in main.commands.items():
        assert f"foi-triage {name}" in readme, name
        for param in command.params:
            for opt in param.opts:
                if opt.startswith("--") and opt not in ("--help",):
                    assert opt in readme, f"{name} {opt}"
