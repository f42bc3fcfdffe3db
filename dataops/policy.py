"""Whose configuration wins: the administrator's policy keys against a user's preferences.

Policy (environments and who may promote, engine and GitLab URLs, credentials, the audit trail,
the run log store, sources the administrator defined) is read only from the administrator's
places: the system file and the server's settings. Everything else is a preference a user's own
file may set. This makes the configuration honest about who decided what; it is not a security
boundary (a user who can edit the server's environment can still name another system file).
"""

from __future__ import annotations

from typing import Any

# Sections that are policy as a whole.
POLICY_SECTIONS = frozenset({"promotion", "dashboards"})
# Policy keys inside a section that also holds preferences.
POLICY_KEYS: dict[str, frozenset[str]] = {
    "workflows": frozenset(
        {
            "engine_url",
            "engine_start",
            "username",
            "password",
            "log_dir",
            "log_store",
            "log_retention_days",
            "steps_dir",
            "topics",
            "follow",
            "environments",
        }
    ),
}
# ``[[sources]]`` entries: those whose id the administrator defined are policy, new ids preferences.
SOURCES = "sources"


def split_policy(user: dict[str, Any], admin: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """A user's file without its policy keys, and the dotted names of the keys left out.

    ``admin`` is what the administrator's places say (it decides which source ids are taken).
    """
    kept: dict[str, Any] = {}
    dropped: list[str] = []
    for key, value in user.items():
        if key in POLICY_SECTIONS:
            dropped += leaf_names(key, value)
        elif key in POLICY_KEYS and isinstance(value, dict):
            kept[key] = {}
            for name, item in value.items():
                if name in POLICY_KEYS[key]:
                    dropped += leaf_names(f"{key}.{name}", item)
                else:
                    kept[key][name] = item
        elif key == SOURCES and isinstance(value, list):
            taken = {str(e.get("id", "")).lower() for e in admin.get(SOURCES, []) if isinstance(e, dict)}
            kept[key] = []
            for entry in value:
                if isinstance(entry, dict) and str(entry.get("id", "")).lower() in taken:
                    dropped += leaf_names(f"{SOURCES}.{entry['id']}", entry)
                else:
                    kept[key].append(entry)
        else:
            kept[key] = value
    return kept, dropped


def leaf_names(prefix: str, value: Any) -> list[str]:
    """Dotted names of every value under ``prefix`` (array entries named by their ``id``)."""
    if isinstance(value, dict):
        names = [n for k, v in value.items() if k != "id" for n in leaf_names(f"{prefix}.{k}", v)]
        return names or [prefix]
    if isinstance(value, list) and value and all(isinstance(v, dict) and "id" in v for v in value):
        return [n for v in value for n in leaf_names(f"{prefix}.{v['id']}", v)]
    return [prefix]
