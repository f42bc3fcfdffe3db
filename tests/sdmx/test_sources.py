"""Sources: presets for public providers, configured sources first, the quirks table, files sources."""

from __future__ import annotations

from pathlib import Path

import pytest

from dataops.config import load_config
from dataops.errors import ConfigError, UnknownSource
from dataops.sdmx.sources import PRESETS, QUIRKS, configured_sources, get_source, list_sources


def test_presets_cover_the_public_providers(dataops_config):
    ids = [s.id for s in list_sources(load_config())]
    assert ids == ["ECB", "ESTAT", "ESTAT3", "BIS", "IMF", "IMF3", "OECD"]
    by_id = {s.id: s for s in PRESETS}
    assert by_id["ESTAT3"].api == "sdmx-rest-2" and by_id["IMF3"].rest_version == 2
    assert by_id["ECB"].url == "https://data-api.ecb.europa.eu/service"
    assert all(s.preset for s in PRESETS)


def test_configured_sources_come_first_and_replace_a_preset_of_the_same_id(dataops_config):
    dataops_config.write_text(
        '[[sources]]\nid = "INHOUSE"\nname = "In-house SDMX"\nurl = "https://sdmx.example.org/rest"\n\n'
        '[[sources]]\nid = "ECB"\nname = "ECB via proxy"\nurl = "https://proxy.example.org/ecb"\n'
        'provider = "ECB"\n'
    )
    sources = list_sources(load_config())
    assert [s.id for s in sources[:3]] == ["INHOUSE", "ECB", "ESTAT"]
    assert sources[1].url == "https://proxy.example.org/ecb" and not sources[1].preset
    assert [s.id for s in sources].count("ECB") == 1


def test_presets_can_be_switched_off(dataops_config):
    dataops_config.write_text(
        '[data]\npresets = false\n[[sources]]\nid = "A"\nname = "A"\nurl = "http://a"\n'
    )
    assert [s.id for s in list_sources(load_config())] == ["A"]


def test_quirks_come_from_the_provider_row():
    estat = get_source(load_config([]), "ESTAT")
    assert estat.quirks is QUIRKS["ESTAT"]
    assert estat.quirks.async_large and estat.quirks.case_insensitive_ids
    assert not QUIRKS["ECB"].async_large


def test_unknown_source_lists_the_known_ones(dataops_config):
    with pytest.raises(UnknownSource, match="no data source 'NOPE'. Known sources: ECB, ESTAT"):
        get_source(load_config(), "NOPE")


def test_source_ids_are_found_in_any_case(dataops_config):
    assert get_source(load_config(), "ecb").id == "ECB"


def test_files_source_points_at_a_folder(dataops_config, tmp_path):
    dataops_config.write_text(
        f'[[sources]]\nid = "F"\nname = "Files"\nurl = "file://{tmp_path}"\napi = "files"\n'
        f'[[sources]]\nid = "G"\nname = "Files"\nurl = "{tmp_path}"\napi = "files"\n'
    )
    f, g = configured_sources(load_config())
    assert f.folder == Path(tmp_path) == g.folder


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('api = "soap"', "api must be one of sdmx-rest-1, sdmx-rest-2, files"),
        ('provider = "XYZ"', "unknown provider 'XYZ'"),
        ("bogus = 1", "unexpected keyword argument 'bogus'"),
        ("preset = true", "'preset' cannot be set"),
    ],
)
def test_bad_source_entries_are_configuration_errors(dataops_config, toml, message):
    dataops_config.write_text(f'[[sources]]\nid = "X"\nname = "X"\nurl = "http://x"\n{toml}\n')
    with pytest.raises(ConfigError, match=message):
        configured_sources(load_config())


def test_bad_data_section_is_a_configuration_error(dataops_config):
    dataops_config.write_text("[data]\ntimeout = -1\n")
    with pytest.raises(ConfigError, match="timeout must be a non-negative number"):
        list_sources(load_config())
