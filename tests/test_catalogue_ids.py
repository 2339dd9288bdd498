"""The catalogue's test ids, as the controller reads them from the cache: the same as
computed, and computed again when a file they depend on changes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tlsconform.fixtures import catalogue


def test_cached_ids_are_the_computed_ones(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                          ) -> None:
    monkeypatch.setattr(catalogue, "IDS_CACHE", tmp_path / "ids.json")
    computed = catalogue.every_test_id()
    assert any(i.startswith("test_clients_") for i in computed)
    assert any(i.startswith("test_finished[") for i in computed)
    assert catalogue.every_test_id() == computed
    assert json.loads((tmp_path / "ids.json").read_text())["ids"] == computed


def test_a_changed_signature_recomputes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                        ) -> None:
    cache = tmp_path / "ids.json"
    monkeypatch.setattr(catalogue, "IDS_CACHE", cache)
    cache.write_text(json.dumps({"signature": "stale", "ids": ["test_gone[x]"]}))
    assert "test_gone[x]" not in catalogue.every_test_id()
    cache.write_text(json.dumps({"signature": catalogue._signature(), "ids": ["test_kept[x]"]}))
    assert catalogue.every_test_id() == ["test_kept[x]"]  # the cache is what it reads
