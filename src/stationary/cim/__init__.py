"""Compute in memory: macros with their non-idealities (DAC, cells, transfer function, variation fixed at
fabrication, read noise, ADC, tiling), executed on real tensors, and three designs reproduced on real digits:
the 6T SRAM binary classifier (``sram``), the switched-capacitor MAC (``switched_cap``) and ISAAC's ReRAM
crossbars (``isaac``). See docs/cim.md; ``stationary.api.cim`` and ``stationary cim`` run them.

>>> import numpy as np
>>> from stationary.cim.array import program, read
>>> from stationary.cim.macro import Macro, NonIdeal
>>> m = Macro(rows=128, columns=128, input_bits=8, dac_bits=1, weight_bits=8, bits_per_cell=2, adc_bits=8,
...           flip_columns=True)
>>> rng = np.random.default_rng(0)
>>> w, x = rng.integers(-128, 128, (300, 10)), rng.integers(0, 256, (4, 300))
>>> y, actions = read(program(m, w), x)
>>> bool(np.array_equal(y, x @ w)), actions.adc_conversions      # 8 input bits x 3 row tiles x 40 columns x 4
(True, 3840)
"""
