"""pytest's effective configuration for a test file, resolved the way pytest resolves it.

For a linter, pytest's "args" are the linted file (or its directory). From their directory pytest
walks up and, in each directory, tries its config files in this order; the first one that holds
pytest configuration is the configfile and its directory the rootdir:

    pytest.toml, .pytest.toml   always (`[pytest]` table; top-level options are an error)
    pytest.ini, .pytest.ini     always, even without a `[pytest]` section
    pyproject.toml              with `[tool.pytest]` (pytest 9, native TOML types) or
                                `[tool.pytest.ini_options]` (ini mode: scalars become strings)
    tox.ini                     with a `[pytest]` section
    setup.cfg                   with a `[tool:pytest]` section (`[pytest]` there is an error)

When none is found, the nearest pyproject.toml (even without a pytest table) is the configfile;
then the nearest directory holding a setup.py is the rootdir, with no configfile. `addopts` is split
as a shell splits it and read for `-p no:NAME`, `-o/--override-ini key=value` (which override the
file's values), `--asyncio-mode`, `--timeout` and `--timeout-method`, as pytest prepends it to the
command line.

Where we deviate from pytest, and why:
- We do not see pytest's command line or environment: `-c/--config-file`, `--rootdir`, options
  and `-o` given there, `PYTEST_ADDOPTS`, `PYTEST_TIMEOUT` and `PYTEST_PLUGINS` are not read. Lint
  results should not change with the shell they are run from.
- We do not know the invocation directory. Without any config file and setup.py, pytest's rootdir
  is the common ancestor of the invocation directory and the args; we use the file's directory
  unless the caller passes `invocation_dir`.
- We do not know which plugins are installed: pytest-asyncio and pytest-timeout are assumed to be
  (their options are read and validated) unless `addopts` disables them with `-p no:asyncio` /
  `-p no:timeout`; then their options are ignored, as pytest ignores unknown options.
- pytest turns a non-string scalar in `[tool.pytest.ini_options]` into a string, so that
  `python_files = 5` means the pattern "5"; we report it as an error (it is never what was meant).
  `timeout = 30` there stays valid, as it is for pytest-timeout.
- Option aliases (a plugin's old ini name) are not followed, and code that changes the
  configuration at run time (a conftest.py's `pytest_configure`, a plugin) is not run.
- A path that does not exist (text linted under a made-up name) is walked up from as if it did;
  pytest would ignore such an argument and start from the invocation directory.
"""

from __future__ import annotations

import fnmatch
import functools
import os
import shlex
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib


class ConfigError(Exception):
    """A bad option or config value: reported as one line, exit code 2."""


def load_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"cannot read {path}: {error}") from None


def type_name(value: object) -> str:
    """How a config value's type is named in error messages (TOML's words where they differ)."""
    return {dict: "table", list: "array", str: "string", bool: "boolean", int: "integer"}.get(
        type(value), type(value).__name__
    )


# --- the model -------------------------------------------------------------------------------

DEFAULT_PYTHON_FILES = ("test_*.py", "*_test.py")
ASYNCIO_DISABLED = "disabled"  # `asyncio_mode` when addopts holds `-p no:asyncio`
ASYNCIO_MODES = ("strict", "auto")
LOOP_SCOPES = ("function", "class", "module", "package", "session")
FIXTURE_SCOPE = "fixture-scope"  # asyncio_default_fixture_loop_scope: the fixture's own scope
TIMEOUT_METHODS = ("signal", "thread")


@dataclass(frozen=True)
class PytestConfig:
    python_files: tuple[str, ...] = DEFAULT_PYTHON_FILES
    python_functions: tuple[str, ...] = ("test",)
    python_classes: tuple[str, ...] = ("Test",)
    # "strict", "auto", or ASYNCIO_DISABLED when pytest-asyncio is disabled with -p no:asyncio.
    asyncio_mode: str = "strict"
    # pytest-timeout's timeout in seconds as written (addopts' --timeout wins over the ini value);
    # None when unset or when pytest-timeout is disabled. "0" means no timeout.
    timeout: str | None = None
    addopts: tuple[str, ...] = ()
    path: Path | None = None  # the configfile
    rootdir: Path | None = None
    asyncio_default_fixture_loop_scope: str | None = None
    asyncio_default_test_loop_scope: str = "function"
    # "signal" or "thread" when configured; None leaves pytest-timeout's platform default.
    timeout_method: str | None = None
    # Plugins blocked by `-p no:NAME` in addopts, as named there.
    disabled_plugins: tuple[str, ...] = ()

    @property
    def configfile(self) -> Path | None:
        return self.path

    @property
    def asyncio_plugin_enabled(self) -> bool:
        return self.asyncio_mode != ASYNCIO_DISABLED

    @property
    def timeout_seconds(self) -> float | None:
        return None if self.timeout is None else float(self.timeout)

    @property
    def timeout_armed(self) -> bool:
        """pytest-timeout stops every test of this file after a deadline."""
        seconds = self.timeout_seconds
        return seconds is not None and seconds > 0

    def matches_function(self, name: str) -> bool:
        return any(_matches_name(name, pattern) for pattern in self.python_functions)

    def matches_class(self, name: str) -> bool:
        return any(_matches_name(name, pattern) for pattern in self.python_classes)


def _matches_name(name: str, pattern: str) -> bool:
    # pytest: a name matches a pattern it starts with, or a pattern with glob characters as a glob.
    if name.startswith(pattern):
        return True
    return any(char in pattern for char in "*?[") and fnmatch.fnmatch(name, pattern)


def matches_test_file(path: Path, patterns: tuple[str, ...]) -> bool:
    """Whether pytest collects `path` as a test module (conftest.py counts as one for us)."""
    if path.name == "conftest.py":
        return True
    for pattern in patterns:
        if "/" not in pattern and os.sep not in pattern:
            if fnmatch.fnmatch(path.name, pattern):
                return True
            continue
        # pytest matches a pattern with a separator against the whole absolute path, anchored at a
        # directory boundary: "tests/test_*.py" is "*/tests/test_*.py".
        full = os.path.abspath(path)
        anchored = pattern if os.path.isabs(pattern) else f"*{os.sep}{pattern}"
        if fnmatch.fnmatch(full, anchored):
            return True
    return False


# --- reading pytest's config files -----------------------------------------------------------


@dataclass(frozen=True)
class _Value:
    raw: Any
    # "ini": a string from an ini file or `-o`; "ini-toml": `[tool.pytest.ini_options]`, which pytest
    # reads in ini mode; "toml": native TOML types, checked strictly.
    mode: str
    where: str  # for error messages: the file, or the `-o` in addopts that set it


_Values = dict[str, _Value]


def _read_ini(path: Path) -> dict[str, dict[str, tuple[str, int]]]:
    """An ini file's sections as pytest's ini parser (iniconfig) reads them.

    Unlike configparser: names keep their case, `name: value` and `name = value` both work, a
    continuation line is an indented line, full-line comments start with # or ;, inline comments
    are part of the value, and a duplicate section or name is an error.
    """
    try:
        text = path.read_text(encoding="utf-8").removeprefix("\ufeff")
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"cannot read {path}: {error}") from None

    def fail(number: int, message: str) -> ConfigError:
        return ConfigError(f"{path}:{number}: {message}")

    sections: dict[str, dict[str, tuple[str, int]]] = {}
    section: dict[str, tuple[str, int]] | None = None
    last: tuple[dict[str, tuple[str, int]], str] | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        if line.lstrip()[:1] in ("#", ";"):
            continue  # a comment line; also inside a continued value
        line = line.rstrip()
        if not line:
            continue
        if line.startswith("["):
            header = line
            for comment in "#;":
                header = header.split(comment)[0].rstrip()
            if header.endswith("]"):
                name = header[1:-1]
                if not name:
                    raise fail(number, "empty section name")
                if name in sections:
                    raise fail(number, f"duplicate section {name!r}")
                section = sections[name] = {}
                last = None
                continue
            # iniconfig reads an unclosed "[..." line as a value continuation.
        elif not line[0].isspace():
            key, separator, value = line.partition("=")
            if not separator or ":" in key:
                key, separator, value = line.partition(":")
                if not separator:
                    raise fail(number, f"unexpected line: {line!r}")
            if section is None:
                raise fail(number, "no section header defined")
            key = key.strip()
            if key in section:
                raise fail(number, f"duplicate name {key!r}")
            section[key] = (value.strip(), number)
            last = (section, key)
            continue
        if last is None:
            raise fail(number, "unexpected value continuation")
        owner, key = last
        value, first = owner[key]
        owner[key] = (f"{value}\n{line.strip()}" if value else line.strip(), first)
    return sections


def _ini_values(path: Path, section: dict[str, tuple[str, int]]) -> _Values:
    return {key: _Value(value, "ini", f"{path}:{number}") for key, (value, number) in section.items()}


def _load_pytest_ini(path: Path) -> _Values | None:
    sections = _read_ini(path)
    return _ini_values(path, sections["pytest"]) if "pytest" in sections else {}


def _load_tox_ini(path: Path) -> _Values | None:
    sections = _read_ini(path)
    return _ini_values(path, sections["pytest"]) if "pytest" in sections else None


def _load_setup_cfg(path: Path) -> _Values | None:
    sections = _read_ini(path)
    if "tool:pytest" in sections:
        return _ini_values(path, sections["tool:pytest"])
    if "pytest" in sections:
        raise ConfigError(f"{path}: a [pytest] section in setup.cfg is not read by pytest; use [tool:pytest]")
    return None


def _toml_values(path: Path, table: dict[str, Any], mode: str) -> _Values:
    return {key: _Value(value, mode, str(path)) for key, value in table.items()}


def _load_pytest_toml(path: Path) -> _Values | None:
    document = load_toml(path)
    if "pytest" in document:
        table = document["pytest"]
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: 'pytest' must be a table, got {type_name(table)}")
        return _toml_values(path, table, "toml")
    top_level = [key for key, value in document.items() if not isinstance(value, dict)]
    if top_level:
        raise ConfigError(
            f"{path}: pytest configuration must be under a [pytest] table (found top-level options: "
            f"{', '.join(top_level)})"
        )
    return {}


def _load_pyproject(path: Path) -> _Values | None:
    tool = load_toml(path).get("tool", {})
    table = tool.get("pytest", {}) if isinstance(tool, dict) else {}
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.pytest] must be a table, got {type_name(table)}")
    native = {key: value for key, value in table.items() if key != "ini_options"}
    ini_options = table.get("ini_options")
    if native and ini_options is not None:
        raise ConfigError(
            f"{path}: pytest refuses [tool.pytest] and [tool.pytest.ini_options] in the same file; use one"
        )
    if native:
        return _toml_values(path, native, "toml")
    if ini_options is None:
        return None  # an empty [tool.pytest] is no configuration either
    if not isinstance(ini_options, dict):
        raise ConfigError(f"{path}: [tool.pytest.ini_options] must be a table, got {type_name(ini_options)}")
    return _toml_values(path, ini_options, "ini-toml")


# pytest's config files in its order of precedence within one directory, with how each is read;
# a loader returns None for a file that holds no pytest configuration.
CONFIG_LOADERS: dict[str, Callable[[Path], _Values | None]] = {
    "pytest.toml": _load_pytest_toml,
    ".pytest.toml": _load_pytest_toml,
    "pytest.ini": _load_pytest_ini,
    ".pytest.ini": _load_pytest_ini,
    "pyproject.toml": _load_pyproject,
    "tox.ini": _load_tox_ini,
    "setup.cfg": _load_setup_cfg,
}
PYTEST_CONFIG_FILES = tuple(CONFIG_LOADERS)


def locate_config(start: Path, invocation_dir: Path | None = None) -> tuple[Path, Path | None, _Values]:
    """(rootdir, configfile, values) for pytest run on `start` (a file or a directory)."""
    ancestor = Path(os.path.abspath(start))
    if ancestor.is_file():
        ancestor = ancestor.parent
    nearest_pyproject: Path | None = None
    for base in (ancestor, *ancestor.parents):
        for name, loader in CONFIG_LOADERS.items():
            candidate = base / name
            if not candidate.is_file():
                continue
            if name == "pyproject.toml" and nearest_pyproject is None:
                nearest_pyproject = candidate
            values = loader(candidate)
            if values is not None:
                return base, candidate, values
    if nearest_pyproject is not None:
        return nearest_pyproject.parent, nearest_pyproject, {}
    for base in (ancestor, *ancestor.parents):
        if (base / "setup.py").is_file():
            return base, None, {}
    if invocation_dir is None:
        return ancestor, None, {}
    rootdir = Path(os.path.commonpath([os.path.abspath(invocation_dir), ancestor]))
    return (ancestor if rootdir == Path(rootdir.anchor) else rootdir), None, {}


# --- values, checked as pytest and its plugins check them ---------------------------------------


def _problem(value: _Value, key: str, expected: str) -> ConfigError:
    got = f"{type_name(value.raw)}: {value.raw!r}"
    return ConfigError(f"{value.where}: pytest option '{key}' expects {expected}, got {got}")


def _choice(text: str, choices: tuple[str, ...], what: str) -> str:
    if text not in choices:
        raise ConfigError(f"{what} expects {_one_of(choices)}, got {text!r}")
    return text


def _args(values: _Values, key: str, default: tuple[str, ...]) -> tuple[str, ...]:
    """An "args" option (python_files, addopts...): a list, or a string split as a shell splits it."""
    value = values.get(key)
    if value is None:
        return default
    raw = value.raw
    if isinstance(raw, str) and value.mode != "toml":
        try:
            return tuple(shlex.split(raw))
        except ValueError as error:
            raise ConfigError(f"{value.where}: pytest option '{key}': cannot split {raw!r}: {error}") from None
    if isinstance(raw, list) and all(isinstance(item, str) for item in raw):
        return tuple(raw)
    expected = "an array of strings" if value.mode == "toml" else "a string or an array of strings"
    raise _problem(value, key, expected)


def _string(
    values: _Values, key: str, choices: tuple[str, ...] = (), numeric: bool = False, empty_unset: bool = False
) -> str | None:
    """A "string" option; `choices` are the values the owning plugin accepts, `empty_unset` when it
    takes an empty value for no value (pytest-timeout)."""
    value = values.get(key)
    if value is None:
        return None
    raw = value.raw
    if numeric and value.mode == "ini-toml" and isinstance(raw, (int, float)) and not isinstance(raw, bool):
        raw = str(raw)  # pytest's ini mode turns `timeout = 30` into "30"
    if not isinstance(raw, str):
        raise _problem(value, key, "a string" + (f" ({_one_of(choices)})" if choices else ""))
    if empty_unset and not raw:
        return None
    return _choice(raw, choices, f"{value.where}: pytest option '{key}'") if choices else raw


def _one_of(choices: tuple[str, ...]) -> str:
    return "one of " + ", ".join(repr(choice) for choice in choices)


def _seconds(text: str, where: str) -> str:
    try:
        float(text)
    except ValueError:
        raise ConfigError(f"{where}: pytest-timeout's timeout expects a number of seconds, got {text!r}") from None
    return text


@dataclass
class _Addopts:
    """What pytest takes from `addopts` before it reads the rest of the configuration."""

    overrides: dict[str, str]
    blocked: dict[str, bool]  # plugin name -> blocked (the last -p for a name wins)
    asyncio_mode: str | None = None
    timeout: str | None = None
    timeout_method: str | None = None


_VALUE_OPTIONS = {
    "-p": "plugin",
    "-o": "override",
    "--override-ini": "override",
    "--asyncio-mode": "asyncio_mode",
    "--timeout": "timeout",
    "--timeout-method": "timeout_method",
    "--timeout_method": "timeout_method",
}


def _read_addopts(args: tuple[str, ...], where: str) -> _Addopts:
    found = _Addopts(overrides={}, blocked={})
    index = 0
    while index < len(args):
        arg = args[index]
        index += 1
        if arg == "--":
            break
        option, value = arg, None
        if arg.startswith("--") and "=" in arg:
            option, _, value = arg.partition("=")
        elif arg[:2] in ("-p", "-o") and len(arg) > 2:
            option, value = arg[:2], arg[2:]  # argparse's "-pno:asyncio" / "-okey=value"
        what = _VALUE_OPTIONS.get(option)
        if what is None:
            continue
        if value is None:
            if index >= len(args) or (args[index].startswith("-") and option != "-p"):
                raise ConfigError(f"{where}: addopts: {option} expects a value")
            value = args[index]
            index += 1
        if what == "plugin":
            # pytest: "no:NAME" blocks NAME (and pytest_NAME); a later "-p NAME" unblocks it.
            name = value.strip()
            blocked = name.startswith("no:")
            name = name.removeprefix("no:")
            found.blocked[name] = blocked
            if not name.startswith("pytest_"):
                found.blocked["pytest_" + name] = blocked
        elif what == "override":
            key, separator, text = value.partition("=")
            if not separator:
                raise ConfigError(f"{where}: addopts: -o/--override-ini expects option=value, got {value!r}")
            found.overrides[key] = text
        elif what == "timeout":
            found.timeout = _seconds(value, f"{where}: addopts --timeout")
        elif what == "timeout_method":
            found.timeout_method = _choice(value, TIMEOUT_METHODS, f"{where}: addopts: --timeout-method")
        else:
            found.asyncio_mode = _choice(value, ASYNCIO_MODES, f"{where}: addopts: --asyncio-mode")
    return found


def effective_config(rootdir: Path | None, configfile: Path | None, values: _Values) -> PytestConfig:
    """The configuration pytest ends up with from a config file's values and its addopts."""
    where = str(configfile) if configfile is not None else "pytest configuration"
    addopts = _args(values, "addopts", ())
    options = _read_addopts(addopts, where)
    values = dict(values)
    for key, text in options.overrides.items():
        # As in pytest, an override in addopts does not feed back into addopts itself.
        values[key] = _Value(text, "ini", f"{where}: addopts -o {key}")
    disabled = tuple(
        name
        for name, blocked in options.blocked.items()
        if blocked and not (name.startswith("pytest_") and name.removeprefix("pytest_") in options.blocked)
    )

    asyncio_mode, fixture_scope, test_scope = ASYNCIO_DISABLED, None, "function"
    if not options.blocked.get("asyncio"):
        # With --asyncio-mode, pytest-asyncio does not read (or check) the ini value.
        asyncio_mode = options.asyncio_mode or _string(values, "asyncio_mode", ASYNCIO_MODES) or "strict"
        fixture_scope = _string(values, "asyncio_default_fixture_loop_scope", (*LOOP_SCOPES, FIXTURE_SCOPE))
        test_scope = _string(values, "asyncio_default_test_loop_scope", LOOP_SCOPES) or "function"

    timeout = timeout_method = None
    if not options.blocked.get("timeout"):
        ini_timeout = _string(values, "timeout", numeric=True, empty_unset=True)
        if ini_timeout is not None:
            _seconds(ini_timeout, values["timeout"].where)
        timeout = options.timeout if options.timeout is not None else ini_timeout
        ini_method = _string(values, "timeout_method", TIMEOUT_METHODS, empty_unset=True)
        timeout_method = options.timeout_method or ini_method

    return PytestConfig(
        python_files=_args(values, "python_files", DEFAULT_PYTHON_FILES),
        python_functions=_args(values, "python_functions", ("test",)),
        python_classes=_args(values, "python_classes", ("Test",)),
        asyncio_mode=asyncio_mode,
        timeout=timeout,
        addopts=addopts,
        path=configfile,
        rootdir=rootdir,
        asyncio_default_fixture_loop_scope=fixture_scope,
        asyncio_default_test_loop_scope=test_scope,
        timeout_method=timeout_method,
        disabled_plugins=disabled,
    )


def resolve_pytest_config(path: Path, invocation_dir: Path | None = None) -> PytestConfig:
    """pytest's configuration for a test file (or a directory of them), uncached."""
    rootdir, configfile, values = locate_config(path, invocation_dir)
    return effective_config(rootdir, configfile, values)


@functools.lru_cache(maxsize=1024)
def pytest_config_for(directory: Path) -> PytestConfig:
    """pytest's configuration as pytest would find it for a file in `directory`."""
    return resolve_pytest_config(directory)
