"""Layers split over an array of engines (HMC vaults under Tetris, DaDianNao chips): the split, the words the nodes
copy from each other, and the partitioned evaluation (the parts by the mapper and the model, plus the copies).

>>> from stationary.workload import fc
>>> [str(s) for s in candidate_splits(fc("fc", 8, 16, batch=2), 4)]
['M4', 'N2xM2']
"""
from stationary.partition.evaluate import SplitLayerResult, combine, evaluate_split
from stationary.partition.network import SplitNetworkResult, evaluate_network
from stationary.partition.split import Part, Split, candidate_splits, slices, split_layer
from stationary.partition.traffic import remote_words

__all__ = ["Part", "Split", "SplitLayerResult", "SplitNetworkResult", "candidate_splits", "combine",
           "evaluate_network", "evaluate_split", "remote_words", "slices", "split_layer"]
