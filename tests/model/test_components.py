"""The model's components stand alone: each is tested from its own config group with no Hydra,
the run's plumbing imports no component, and each group's name is the key its draws record."""

from __future__ import annotations

import ast
import dataclasses
import importlib
import typing
from pathlib import Path

import pytest

import sim.model
from sim.model.config import ModelConfig

MODEL = Path(sim.model.__file__).parent
TESTS = Path(__file__).parent
COMPONENTS = ("supply", "demand", "logistics", "sites", "power", "installation", "hardware",
              "colo", "deals", "prior_sites", "facts")
PLUMBING = ("run", "draws", "streams", "params")
"""What every component shares; none of it may import a component."""


def imports(path: Path) -> set[str]:
    """The modules a Python file imports."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            found |= {node.module, *(f"{node.module}.{a.name}" for a in node.names)}
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
    return found


@pytest.mark.parametrize("name", COMPONENTS)
def test_each_component_has_tests_that_build_it_with_no_hydra(name):
    test = TESTS / f"test_{name}.py"
    assert test.is_file(), f"no tests/model/test_{name}.py"
    used = imports(test)
    assert f"sim.model.{name}" in {u.rsplit(".", 1)[0] for u in used} | used
    assert not {u for u in used if u.startswith("hydra")}
    assert "conftest" not in used  # make_cfg and simulate compose conf/ through Hydra


@pytest.mark.parametrize("name", PLUMBING)
def test_the_runs_plumbing_imports_no_component(name):
    used = {u.split(".")[2] for u in imports(MODEL / f"{name}.py")
            if u.startswith("sim.model.") and len(u.split(".")) > 2}
    assert not used & {*COMPONENTS, "world", "config", "output"}


def test_no_model_module_imports_hydra():
    for path in MODEL.glob("*.py"):
        assert not {u for u in imports(path) if u.startswith("hydra")}, path.name


def test_each_groups_name_is_the_key_its_component_records_its_draws_under():
    hints = typing.get_type_hints(ModelConfig)
    groups = {f.name: hints[f.name] for f in dataclasses.fields(ModelConfig)
              if dataclasses.is_dataclass(hints[f.name])}
    for group, cls in groups.items():
        module = importlib.import_module(cls.__module__)
        assert module.GROUP == group, (cls.__module__, module.GROUP, group)
