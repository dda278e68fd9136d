"""Network files whose layers do not chain are refused (issue #12), unless the file says where and why with
``unchained``; every zoo network and every imported network chains (or says why), so they all read back."""
import pytest

from stationary.core import StationaryError
from stationary.workload import zoo
from stationary.workload.chain import chain_problems
from stationary.workload.files import load_network, network_from_yaml, network_to_yaml

HEAD = "network: t\ninput: [3, 8, 8]\nlayers:\n  - {name: c1, kind: conv, M: 512, C: 3, H: 8, R: 3}\n"


@pytest.mark.parametrize("text,field,value,words", [
    # an FC layer with C 999 after a conv producing 512 channels of 6 x 6
    (HEAD + "  - {name: f1, kind: fc, M: 10, C: 999}\n", "C", "999", "FC layer flattens"),
    # an input of 3 channels into a first layer reading 4
    ("input: [3, 8, 8]\nlayers:\n  - {name: c1, kind: conv, M: 4, C: 4, H: 8, R: 3}\n", "C", "4", "3 channels"),
    # the declared input of 5 channels into a layer of C 4
    ("input: [5, 8, 8]\nlayers:\n  - {name: c1, kind: conv, M: 4, C: 4, H: 8, R: 3}\n", "C", "4", "5 channels"),
    # an FC layer with H 7
    (HEAD + "  - {name: f1, kind: fc, M: 10, C: 512, H: 7}\n", "H", "7", "no spatial extent"),
    # a conv reading a larger map than produced (6 x 6)
    (HEAD + "  - {name: c2, kind: conv, M: 8, C: 512, H: 9, R: 3}\n", "H", "9", "input map is 6 x 6"),
    # negative padding, padding of 10^12, padding beyond the filter's reach
    (HEAD + "  - {name: c2, kind: conv, M: 8, C: 512, H: 6, R: 3, pad: -1}\n", "pad", "-1", "negative"),
    (HEAD + "  - {name: c2, kind: conv, M: 8, C: 512, H: 6, R: 3, pad: 1000000000000}\n", "pad_h",
     "2000000000000", "reach"),
    (HEAD + "  - {name: c2, kind: conv, M: 8, C: 512, H: 6, R: 3, pad_h: -4}\n", "pad_h", "-4", "a negative pad"),
    (HEAD + "  - {name: c2, kind: conv, M: 8, C: 512, H: 6, R: 1, pad: 1}\n", "pad_h", "2", "reach (0)"),
    # a branch concatenating 512 + 512 channels into a layer reading 600
    (HEAD + "  - {name: c2, kind: conv, M: 512, C: 512, H: 6, R: 1}\n"
            "  - {name: c3, kind: conv, M: 8, C: 600, H: 6, R: 1, inputs: [c1, c2]}\n", "C", "600", "512 or 1024"),
])
def test_layers_that_do_not_chain_are_refused(text, field, value, words):
    with pytest.raises(StationaryError) as err:
        network_from_yaml(text, "net.yaml")
    message = str(err.value)
    assert message.startswith("net.yaml: layer ") and f"field '{field}' = {value}" in message and words in message, message


def test_branches_concatenate_or_add():
    text = HEAD + ("  - {name: c2, kind: conv, M: 512, C: 512, H: 6, R: 1}\n"
                   "  - {name: add, kind: conv, M: 8, C: 512, H: 6, R: 1, inputs: [c1, c2]}\n"
                   "  - {name: cat, kind: conv, M: 8, C: 1024, H: 6, R: 1, inputs: [c1, c2]}\n")
    net = network_from_yaml(text, "net.yaml")
    assert net.predecessors("cat") == ("c1", "c2") and chain_problems(net) == []


def test_unchained_says_why_and_reads_back():
    text = HEAD + "  - {name: f1, kind: fc, M: 10, C: 999, unchained: 'after an embedding the file leaves out'}\n"
    net = network_from_yaml(text, "net.yaml")
    assert net.unchained_reason("f1") == "after an embedding the file leaves out"
    assert network_from_yaml(network_to_yaml(net)) == net
    with pytest.raises(StationaryError, match="field 'unchained' = '': .*non-empty text"):
        network_from_yaml(HEAD + "  - {name: f1, kind: fc, M: 10, C: 999, unchained: ''}\n", "net.yaml")


@pytest.mark.parametrize("name", zoo.NAMES)
def test_every_zoo_network_chains(name):
    assert chain_problems(zoo.get(name, 2)) == []


def test_the_example_network_chains():
    from pathlib import Path
    load_network(str(Path(__file__).parents[1] / "examples" / "networks" / "small-cnn.yaml"))
