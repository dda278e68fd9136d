"""AccelForge's answers in our terms: its chosen mapping as our mapping YAML, its action counts as words.

Pure functions (no AccelForge import: they read the JSON that benchmarks/accelforge_peer.py writes), used by
benchmarks/bench_accelforge.py and tested in tests/test_accelforge_convert.py.

AccelForge lists a mapping as a flat sequence of nodes, outermost first: ``Storage`` (a component and the tensors
it keeps from here down), ``Temporal`` and ``Spatial`` loops (a rank variable and the tile shape left after the
loop), ``Compute``. A loop's bound is the tile above it divided by its tile shape. The loops after a component's
storage node are that component's loops in our sense (they iterate over what it holds and deliver the next level's
tiles); spatial loops fan out into the next level down. Our model keeps every tensor of a level at one loop depth,
so a mapping that stores one component's tensors at different depths ("uneven") is refused, naming the component,
unless ``uneven="deepest"``: then every tensor of that component sits at its deepest storage node, and the loops
between its storage nodes move up to the level above (a tensor stored higher in AccelForge's mapping then has a
smaller tile in ours; where that tile is refetched, ours counts more words than AccelForge).

>>> nodes = [{"node": "Storage", "component": "DRAM", "tensors": ["I", "W", "O"]},
...          {"node": "Temporal", "rank": "m", "tile_shape": 2},
...          {"node": "Spatial", "rank": "c", "tile_shape": 1, "fanout": "y"},
...          {"node": "Storage", "component": "RF", "tensors": ["W"]},
...          {"node": "Temporal", "rank": "m", "tile_shape": 1}, {"node": "Compute"}]
>>> print(mapping_yaml(nodes, {"m": 4, "c": 3}, {"DRAM": "DRAM", "RF": "RF"}, {"y": "Y"}, {"RF": ["W", "I"]}))
levels:
  DRAM:
    temporal: M2
    spatial: {Y: C3}
  RF:
    temporal: M2
    bypass: [inputs]
>>> uneven = nodes[:1] + [{"node": "Storage", "component": "RF", "tensors": ["W"]}] + nodes[1:2] + nodes[3:]
>>> print(mapping_yaml(uneven, {"m": 4}, {"DRAM": "DRAM", "RF": "RF"}, {}, {}, uneven="deepest"))
levels:
  DRAM:
    temporal: M2
  RF:
    temporal: M2
"""
from __future__ import annotations

RANKS = {"p": "E", "q": "F", "m": "M", "c": "C", "r": "R", "s": "S", "n": "N", "g": "G"}
TENSORS = {"I": "inputs", "W": "weights", "O": "outputs"}


def mapping_yaml(nodes: list[dict], shape: dict[str, int], levels: dict[str, str], axes: dict[str, str],
                 keeps: dict[str, list[str]], uneven: str = "refuse") -> str:
    """Our mapping YAML (``stationary.mapping.load_mapping_yaml`` reads it) for AccelForge's mapping ``nodes``.

    ``shape``: each rank variable's size; ``levels``: AccelForge component -> our level name; ``axes``: its spatial
    fanout name -> our axis (X or Y); ``keeps``: per component, the tensors our level could keep (those it does
    not keep in this mapping become ``bypass``). Raises ValueError for what our mappings cannot say (uneven
    storage unless ``uneven="deepest"``, a temporal loop below a spatial one at one level, a bound that does not
    divide).
    """
    tile = dict(shape)
    order: list[str] = []
    temporal: dict[str, list[str]] = {}
    spatial: dict[str, dict[str, list[str]]] = {}
    kept: dict[str, set[str]] = {}
    current = None
    looped = False  # a loop since the current component's storage node
    for node in nodes:
        kind = node["node"]
        if kind == "Storage":
            comp = node["component"]
            if comp != current:
                if comp in kept:
                    raise ValueError(f"uneven mapping: {comp} keeps tensors at two loop depths")
                current, looped = comp, False
                order.append(comp)
                kept[comp], temporal[comp], spatial[comp] = set(), [], {}
            elif looped:
                if uneven != "deepest" or spatial[comp] or len(order) < 2:
                    raise ValueError(f"uneven mapping: {comp} keeps tensors at two loop depths")
                temporal[order[-2]] += temporal[comp]   # its loops so far run above all of its tensors
                temporal[comp], looped = [], False
            kept[comp] |= set(node["tensors"])
        elif kind in ("Temporal", "Spatial"):
            if current is None:
                raise ValueError("a loop above the outermost storage node")
            rank, shape_after = node["rank"], int(node["tile_shape"])
            if tile[rank] % shape_after:
                raise ValueError(f"loop over {rank}: tile {tile[rank]} is not a multiple of {shape_after}")
            bound, tile[rank] = tile[rank] // shape_after, shape_after
            looped = True
            if bound == 1:
                continue
            token = f"{RANKS[rank]}{bound}"
            if kind == "Temporal":
                if spatial[current]:
                    raise ValueError(f"{current}: a temporal loop below a spatial loop")
                temporal[current].append(token)
            else:
                spatial[current].setdefault(axes[node["fanout"]], []).append(token)
    out = ["levels:"]
    for comp in order:
        lines = []
        if temporal[comp]:
            lines.append(f"    temporal: {' '.join(temporal[comp])}")
        if spatial[comp]:
            body = ", ".join(f"{axis}: {' '.join(loops)}" for axis, loops in sorted(spatial[comp].items()))
            lines.append(f"    spatial: {{{body}}}")
        bypass = [TENSORS[t] for t in keeps.get(comp, []) if t not in kept[comp]]
        if bypass:
            lines.append(f"    bypass: [{', '.join(sorted(bypass))}]")
        out.append(f"  {levels[comp]}:" + ("" if lines else " {}"))
        out.extend(lines)
    return "\n".join(out)


def words(actions: float, bits_per_action: int, bits_per_value: int) -> float:
    """AccelForge's action count at a component as words of ``bits_per_value`` bits (its LPDDR4 and scratchpads
    count 1-bit actions, its global buffer 64-bit ones).

    >>> words(1152, 1, 16), words(18, 64, 16)
    (72.0, 72.0)
    """
    return actions * bits_per_action / bits_per_value


RELEVANT = {"I": {"n", "c", "p", "q", "r", "s"}, "W": {"m", "c", "r", "s"}, "O": {"n", "m", "p", "q"}}


def accelforge_mapping_yaml(levels: list[dict], shape: dict[str, int], components: dict[str, str],
                            fanouts: dict[str, str], einsum: str = "O", compute: str = "MAC",
                            container: str = "ProcessingElement") -> str:
    """Our mapping as an AccelForge ``mapping:`` YAML (the inverse of :func:`mapping_yaml`), for its own model to
    price it (``Spec.evaluate_mapping``).

    ``levels``: outermost first, per level ``{"name", "keeps": [I/W/O kept under this mapping], "temporal":
    [(rank, bound)], "spatial": [(rank, bound, axis)]}``; ``components``: our level -> its component;
    ``fanouts``: our axis -> its spatial fanout name.

    Our model keeps a level's tile across the innermost loops of the level above that do not index it (the tile
    does not change, so nothing is refetched); AccelForge refills a storage node on every iteration of a loop
    above it and keeps a tile across a loop only when the node sits above that loop. So each tensor's storage
    node goes above the innermost run of the parent level's temporal loops that do not index it (where the
    parent has no spatial loops: a node inside the PE array cannot sit above the array's fan-out).

    >>> print(accelforge_mapping_yaml([{"name": "A", "keeps": ["I", "W"], "temporal": [("c", 3), ("m", 2)],
    ...                                 "spatial": []},
    ...                                {"name": "B", "keeps": ["I", "W"], "temporal": [], "spatial": []}],
    ...                               {"m": 2, "c": 3}, {"A": "A", "B": "B"}, {}))
    mapping:
      nodes:
      - !Storage {tensors: [I, W], component: A}
      - !Temporal {rank_variable: c, tile_shape: 1}
      - !Storage {tensors: [I], component: B}
      - !Temporal {rank_variable: m, tile_shape: 1}
      - !Storage {tensors: [W], component: B}
      - !Compute {einsum: O, component: MAC}
    """
    tile = dict(shape)
    out = ["mapping:", "  nodes:"]
    for k, level in enumerate(levels):
        below = levels[k + 1] if k + 1 < len(levels) else None
        hoistable = below is not None and not level["spatial"]
        # per tensor kept below: how many of this level's temporal loops (innermost) do not index it
        free = {}
        for t in (below["keeps"] if below else []):
            n = 0
            for rank, bound in reversed(level["temporal"]):
                if rank in RELEVANT[t] or not hoistable:
                    break
                n += 1
            free[t] = n
        if level["keeps"] and k == 0:
            out.append(f"  - !Storage {{tensors: [{', '.join(level['keeps'])}], component: "
                       f"{components[level['name']]}}}")
        loops = level["temporal"]
        for i, (rank, bound) in enumerate(loops):
            hoisted = sorted(t for t, n in free.items() if n == len(loops) - i)
            if hoisted:
                out.append(f"  - !Storage {{tensors: [{', '.join(hoisted)}], component: "
                           f"{components[below['name']]}}}")
            tile[rank] //= bound
            out.append(f"  - !Temporal {{rank_variable: {rank}, tile_shape: {tile[rank]}}}")
        for rank, bound, axis in level["spatial"]:
            tile[rank] //= bound
            out.append(f"  - !Spatial {{rank_variable: {rank}, tile_shape: {tile[rank]}, name: {fanouts[axis]}, "
                       f"component: {container}}}")
        rest = sorted(t for t, n in free.items() if n == 0)
        if below is not None and rest:
            out.append(f"  - !Storage {{tensors: [{', '.join(rest)}], component: {components[below['name']]}}}")
    out.append(f"  - !Compute {{einsum: {einsum}, component: {compute}}}")
    return "\n".join(out)
