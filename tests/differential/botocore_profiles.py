"""Reads ~/.aws/config files as the AWS CLI reads them, with botocore's own loader, for the
differential test of redline's importer (tests/import_botocore.rs).

Reads file paths, one per line, on standard input; writes one JSON object per file, in the same
order: {"refused": "<botocore's error>"} for a file botocore refuses, otherwise
{"profiles": [[name, keys], ...], "sso_sessions": {name: keys}}, in botocore's order, where keys
maps each key to its string value, or to {"sub_keys": {...}} for an indented sub-section.
"""
import json
import sys

from botocore.configloader import load_config
from botocore.exceptions import ConfigParseError


def plain(keys):
    return {key: value if isinstance(value, str) else {"sub_keys": value} for key, value in keys.items()}


def main():
    out = sys.stdout
    for path in sys.stdin.read().splitlines():
        try:
            config = load_config(path)
        except ConfigParseError as error:
            out.write(json.dumps({"refused": str(error)}) + "\n")
            continue
        profiles = [[name, plain(keys)] for name, keys in config["profiles"].items()]
        sessions = {name: plain(keys) for name, keys in config["sso_sessions"].items()}
        out.write(json.dumps({"profiles": profiles, "sso_sessions": sessions}) + "\n")


if __name__ == "__main__":
    main()
