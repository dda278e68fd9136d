"""`stationary simulate` end to end on a small network layer and on AlexNet CONV3 (RS on eyeriss, hand mapping)."""
from pathlib import Path

from stationary.cli import main

DATA = Path(__file__).parent / "data" / "sim"


def test_simulate_alexnet_conv3_row_stationary_matches_the_model_and_the_reference(capsys):
    status = main(["simulate", "alexnet", "--layer", "CONV3", "--arch", "eyeriss", "--check",
                   "--mapping", str(DATA / "alexnet_conv3_rs_eyeriss.yaml")])
    out = capsys.readouterr().out
    assert status == 0, out
    assert "counts: all equal" in out and "bit-exact): equal" in out
    assert "149,520,384" in out      # MACs = 384 x 256 x 13 x 13 x 3 x 3


def test_simulate_reports_a_difference_with_exit_status_one(tmp_path, capsys, monkeypatch):
    # a model that miscounts one read must be caught: the command compares, it does not trust either side
    import stationary.cli.simulate as cmd
    from dataclasses import replace

    real = cmd.analyze

    def off_by_one(layer, arch, mapping):
        counts = real(layer, arch, mapping)
        first = counts.levels[0]
        return replace(counts, levels=(replace(first, reads=first.reads + 1),) + counts.levels[1:])

    monkeypatch.setattr(cmd, "analyze", off_by_one)
    mapping = tmp_path / "m.yaml"
    mapping.write_text("levels: {DRAM: {temporal: M84 C120}}\n")
    status = main(["simulate", "lenet5", "--layer", "F6", "--arch", "eyeriss", "--mapping", str(mapping)])
    assert status == 1
    assert "1 differ" in capsys.readouterr().out
