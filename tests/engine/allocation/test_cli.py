import json
import subprocess
import sys
from pathlib import Path

from caremarket.engine.allocation.cli import main


def test_generate_then_allocate_both_ways(tmp_path: Path, capsys):
    instance = tmp_path / "county.json"
    assert main(["--generate", "county", "--seed", "2", "-o", str(instance)]) == 0
    for method in ("greedy", "optimal"):
        out = tmp_path / f"{method}.json"
        argv = [str(instance), "-o", str(out), "--method", method, "--time-limit", "2"]
        assert main(argv) == 0
        result = json.loads(out.read_text())
        assert result["method"] == method
        assert result["totals"]["referrals"] == 400
    assert "placed" in capsys.readouterr().out


def test_malformed_input_exits_2_naming_the_field(tmp_path: Path, capsys):
    instance = tmp_path / "bad.json"
    main(["--generate", "county", "--seed", "2", "-o", str(instance)])
    doc = json.loads(instance.read_text())
    doc["referrals"][12]["hours"] = "-3"
    instance.write_text(json.dumps(doc))
    assert main([str(instance), "-o", str(tmp_path / "out.json")]) == 2
    err = capsys.readouterr().err
    assert 'referrals[12].hours: must be a positive decimal, got "-3"' in err
    assert not (tmp_path / "out.json").exists()
    assert main([str(tmp_path / "missing.json"), "-o", str(tmp_path / "out.json")]) == 2


def test_runs_as_a_module(tmp_path: Path):
    out = tmp_path / "devon.json"
    cmd = [
        sys.executable,
        "-m",
        "caremarket.engine.allocation",
        "--generate",
        "devon",
        "-o",
        str(out),
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert json.loads(out.read_text())["format"] == "caremarket-allocation-input/1"
