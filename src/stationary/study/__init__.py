"""Design-space studies: study files, their design points, the results store, local and Dask execution.

``load_study(path)`` reads a study file; ``plan_points(study)`` lists its design points; ``run_study`` evaluates
them into a results store (SQLite), locally or on a Dask cluster; ``open_store(path)`` reads one back
(``.to_dataframe()``, ``.layers_dataframe()``). docs/studies.md has the whole story.
"""
from stationary.study.kinds import KINDS, PointKind, get_kind, register_kind
from stationary.study.points import Plan, Point, plan_points
from stationary.study.spec import Study, load_study, study_from_yaml

__all__ = ["KINDS", "Plan", "Point", "PointKind", "Study", "get_kind", "load_study", "plan_points",
           "register_kind", "study_from_yaml"]
