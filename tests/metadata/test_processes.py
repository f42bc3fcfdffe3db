"""Process configurations are checked against the JSON Schema that ships with the process."""

from __future__ import annotations

import json

import pytest

from dataops.errors import InvalidMetadata
from dataops.metadata import ProcessConfigs, Registry, check, load_config

SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["flow", "max_missing_share"],
    "additionalProperties": False,
    "properties": {
        "flow": {"type": "string"},
        "max_missing_share": {"type": "number", "minimum": 0, "maximum": 0.5},
        "schedule": {"type": "string"},
    },
}


def write_process(folder, version="1.0.0", share="0.1"):
    processes = folder / "processes"
    processes.mkdir(parents=True, exist_ok=True)
    (processes / "exr_daily.schema.json").write_text(json.dumps(SCHEMA))
    (processes / "exr_daily.toml").write_text(
        f'version = "{version}"\nflow = "ECB:EXR(1.0)"\nmax_missing_share = {share}\nschedule = "0 16 * * 1-5"\n'
    )


def test_a_configuration_reads_with_its_version(tmp_path):
    write_process(tmp_path)
    config = load_config(Registry.open(tmp_path), "exr_daily")
    assert config.version == "1.0.0" and config.label == "exr_daily 1.0.0"
    assert config.values == {"flow": "ECB:EXR(1.0)", "max_missing_share": 0.1, "schedule": "0 16 * * 1-5"}


def test_a_configuration_that_breaks_its_schema_names_file_process_and_rule(tmp_path):
    write_process(tmp_path, share="0.9")
    with pytest.raises(InvalidMetadata) as caught:
        load_config(Registry.open(tmp_path), "exr_daily")
    assert caught.value.message == (
        "processes/exr_daily.toml, configuration of process exr_daily: max_missing_share: 0.9 is greater than the "
        "maximum of 0.5, against processes/exr_daily.schema.json (rule: a process configuration meets the JSON "
        "Schema that ships with the process)."
    )
    assert [p.sentence for p in check(Registry.open(tmp_path))] == [caught.value.message]


def test_a_configuration_without_version_or_schema_is_refused(tmp_path):
    write_process(tmp_path)
    toml = tmp_path / "processes/exr_daily.toml"
    toml.write_text(toml.read_text().replace('version = "1.0.0"\n', ""))
    with pytest.raises(
        InvalidMetadata, match=r"there is no version = .* \(rule: a configuration names its version\)"
    ):
        load_config(Registry.open(tmp_path), "exr_daily")
    write_process(tmp_path)
    (tmp_path / "processes/exr_daily.schema.json").unlink()
    with pytest.raises(
        InvalidMetadata, match=r"processes/exr_daily.schema.json is missing \(rule: a process configuration"
    ):
        load_config(Registry.open(tmp_path), "exr_daily")


def test_a_changed_configuration_is_seen_and_a_broken_one_keeps_the_last_good(tmp_path):
    write_process(tmp_path)
    configs = ProcessConfigs(tmp_path)
    assert configs.for_process("exr_daily").version == "1.0.0"
    assert configs.for_process("other") is None
    write_process(tmp_path, version="1.1.0", share="0.2")
    assert configs.for_process("exr_daily").values["max_missing_share"] == 0.2
    write_process(tmp_path, version="1.2.0", share="3")
    assert configs.for_process("exr_daily").version == "1.1.0"
    assert "0.5" in configs.errors["exr_daily"]
