"""The fixture graph: which definition pytest gives a test for each fixture name, and everything
a test sets up.

pytest looks a name up from the test outwards, and the nearest definition wins: the test's class
(and its bases), the test module (imports included), the conftest.py files from the test's
directory up to the root, the modules `pytest_plugins` names, then installed plugins and pytest's
own fixtures (data/plugin_facts.toml). A nearer definition that cannot be read still shadows the
farther ones: the answer is then an `UnknownFixture`, "may be anything".

    resolver = FixtureResolver(module_info, path, project, cls=class_info)
    resolver.resolve_fixture("db")           # FixtureInfo(name="db", scope="session", ...)
    resolver.fixture_closure(["client"])     # client, what client requests, autouse fixtures

Every name in a closure is looked up from the test's place, also when a farther fixture requests
it (a test module's `db` overrides the `db` a conftest fixture requests), except a fixture
requesting its own name (`def q(q)`), which gets the next definition beyond its own.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from async_test_lint.knowledge import plugin_facts
from async_test_lint.knowledge.plugin_facts import FixtureInfo
from async_test_lint.project.index import (
    ClassInfo,
    FixtureLookup,
    ModuleInfo,
    ProjectIndex,
    UnknownFixture,
    is_opaque,
)

# How many base classes deep a class fixture is looked for.
MAX_CLASS_DEPTH = 8
# Bases that define no fixture although the index cannot read them.
FIXTURELESS_BASES = frozenset({"builtins.object", "object"})


@dataclass(frozen=True)
class FixtureLayer:
    """One level of pytest's lookup: `class`, `module`, `conftest`, `plugins` (modules named by
    `pytest_plugins`) or `installed` (well-known plugins and pytest's own fixtures)."""

    kind: str
    lookup: Callable[[str], FixtureLookup | None]
    # The names of its autouse fixtures, and whether that list is complete.
    autouse: Callable[[], tuple[tuple[str, ...], bool]]


@dataclass(frozen=True)
class FixtureClosure:
    """What pytest sets up for a test: every fixture definition it needs, each once, autouse
    fixtures first (farthest level first), then what is requested, breadth first."""

    fixtures: tuple[FixtureInfo, ...]
    # name -> what the test (or the fixture the closure is of) receives for it.
    received: Mapping[str, FixtureLookup]
    # Names whose nearest definition cannot be read, and names nothing visible defines.
    unknown: tuple[str, ...] = ()
    not_found: tuple[str, ...] = ()
    # False when a level may hold autouse fixtures that could not be read.
    autouse_known: bool = True

    @property
    def complete(self) -> bool:
        """Every fixture of the closure is known: a rule may reason about all of them."""
        return not self.unknown and not self.not_found and self.autouse_known

    @property
    def names(self) -> frozenset[str]:
        return frozenset(self.received)


class FixtureResolver:
    """The fixtures visible from one place: a module (read from the file being linted, or from the
    index), its path, and the test class when the test is a method."""

    def __init__(
        self,
        module: ModuleInfo,
        path: Path | None,
        project: ProjectIndex | None = None,
        cls: ClassInfo | None = None,
    ) -> None:
        self.module = module
        self.cls = cls
        # Without a project, only what the module itself says (and the plugin table) is known.
        index = project or ProjectIndex(
            path.resolve().parent if path is not None else Path.cwd()
        )
        self.index = index
        layers: list[FixtureLayer] = []
        if cls is not None:
            layers.append(
                FixtureLayer("class", self._class_lookup, self._class_autouse)
            )
        layers.append(
            FixtureLayer(
                "module",
                lambda name: index.module_fixture_info(module, name),
                lambda: index.module_autouse(module),
            )
        )
        if project is not None and path is not None:
            layers.extend(
                self._conftest_layer(conftest)
                for conftest in project.conftest_modules(path)
            )
        known = plugin_facts.plugin_modules()
        layers.append(
            FixtureLayer(
                "plugins",
                lambda name: index.plugin_module_fixture_info(
                    name, known, module.plugins
                ),
                self._plugin_modules_autouse,
            )
        )
        layers.append(FixtureLayer("installed", self._installed, lambda: ((), True)))
        self.layers: tuple[FixtureLayer, ...] = tuple(layers)

    @classmethod
    def for_file(
        cls, project: ProjectIndex, path: Path, class_name: str | None = None
    ) -> FixtureResolver | None:
        """The resolver of a file of the project as the index holds it (a test class at module
        level by name); None when the index has no such file or class."""
        module = project.files.get(path.resolve())
        if module is None:
            return None
        test_class = module.classes.get(class_name) if class_name is not None else None
        if class_name is not None and test_class is None:
            return None
        return cls(module, path, project, test_class)

    # --- lookups ---------------------------------------------------------------------------

    def resolve_fixture(
        self, name: str, requester: FixtureInfo | None = None
    ) -> FixtureLookup | None:
        """The definition pytest gives a test here for `name`: a FixtureInfo, an UnknownFixture
        when the nearest definition cannot be read, None when nothing visible defines it.

        `requester` is the fixture asking, when it is one: a fixture requesting its own name
        (`def q(q)`) gets the next definition beyond its own level.
        """
        found = self._resolve(name, self._start_for(name, requester))
        return found[1] if found is not None else None

    def fixture_closure(
        self, requests: Iterable[str], requester: FixtureInfo | None = None
    ) -> FixtureClosure:
        """Every fixture a test with these fixture parameters sets up (for a fixture, pass its
        `requests` and itself as `requester`): what they request, transitively, and the autouse
        fixtures of every level it sees. A cycle (pytest's "recursive dependency") ends where a
        definition comes back."""
        autouse_names: list[str] = []
        autouse_known = True
        for layer in reversed(self.layers):
            names, complete = layer.autouse()
            autouse_known = autouse_known and complete
            autouse_names.extend(n for n in names if n not in autouse_names)
        queue: deque[tuple[str, int]] = deque(
            (n, self._start_for(n, requester)) for n in autouse_names
        )
        queue.extend((n, self._start_for(n, requester)) for n in requests)
        fixtures: list[FixtureInfo] = []
        received: dict[str, FixtureLookup] = {}
        unknown: list[str] = []
        not_found: list[str] = []
        seen: set[tuple[int, str]] = set()
        while queue:
            name, start = queue.popleft()
            found = self._resolve(name, start)
            if found is None:
                if name not in not_found:
                    not_found.append(name)
                continue
            level, fixture = found
            received.setdefault(name, fixture)
            if isinstance(fixture, UnknownFixture):
                if name not in unknown:
                    unknown.append(name)
                continue
            if (level, name) in seen:
                continue
            seen.add((level, name))
            fixtures.append(fixture)
            queue.extend((r, level + 1 if r == name else 0) for r in fixture.requests)
        return FixtureClosure(
            tuple(fixtures), received, tuple(unknown), tuple(not_found), autouse_known
        )

    def _start_for(self, name: str, requester: FixtureInfo | None) -> int:
        """The first level to look `name` up in: beyond the requester's own for `def q(q)`."""
        if requester is None or requester.name != name:
            return 0
        for level, layer in enumerate(self.layers):
            if layer.lookup(name) == requester:
                return level + 1
        return 1  # the requester is the place's own fixture (the class's, else the module's)

    def _resolve(self, name: str, start: int) -> tuple[int, FixtureLookup] | None:
        for level in range(start, len(self.layers)):
            found = self.layers[level].lookup(name)
            if found is not None:
                return level, found
        return None

    # --- the levels ------------------------------------------------------------------------

    def _conftest_layer(self, conftest: ModuleInfo | None) -> FixtureLayer:
        if conftest is None:  # a conftest.py that does not parse may define anything
            return FixtureLayer("conftest", UnknownFixture, lambda: ((), False))
        index = self.index
        return FixtureLayer(
            "conftest",
            lambda name: index.module_fixture_info(conftest, name),
            lambda: index.module_autouse(conftest),
        )

    def _class_lookup(self, name: str) -> FixtureLookup | None:
        assert self.cls is not None
        return self._class_fixture(self.cls, name, 0)

    def _class_fixture(
        self, cls: ClassInfo, name: str, depth: int
    ) -> FixtureLookup | None:
        """Fixture `name` of a test class or of its bases (pytest reads them from the instance)."""
        if name in cls.fixtures:
            return cls.fixtures[name]
        if cls.opaque_bases or depth >= MAX_CLASS_DEPTH:
            return UnknownFixture(name)
        for base in cls.bases:
            info = self._class_info(base)
            if info is None:
                if _fixtureless(base):
                    continue
                return UnknownFixture(
                    name
                )  # a class we cannot read may define the fixture
            found = self._class_fixture(info, name, depth + 1)
            if found is not None:
                return found
        return None

    def _class_autouse(self) -> tuple[tuple[str, ...], bool]:
        assert self.cls is not None
        names: list[str] = []
        complete = self._collect_class_autouse(self.cls, names, 0)
        return tuple(names), complete

    def _collect_class_autouse(
        self, cls: ClassInfo, names: list[str], depth: int
    ) -> bool:
        names.extend(
            n
            for n, f in cls.fixtures.items()
            if f.autouse and not is_opaque(f) and n not in names
        )
        complete = not cls.opaque_bases and depth < MAX_CLASS_DEPTH
        for base in cls.bases if depth < MAX_CLASS_DEPTH else ():
            info = self._class_info(base)
            if info is not None:
                complete = (
                    self._collect_class_autouse(info, names, depth + 1) and complete
                )
            elif not _fixtureless(base):
                complete = False
        return complete

    def _class_info(self, qualified: str) -> ClassInfo | None:
        prefix = f"{self.module.name}."
        if (
            qualified.startswith(prefix)
            and qualified[len(prefix) :] in self.module.classes
        ):
            return self.module.classes[qualified[len(prefix) :]]
        found = self.index.lookup(qualified)
        return found if isinstance(found, ClassInfo) else None

    def _declared_plugins(self) -> frozenset[str]:
        return self.index.declared_plugins.union(self.module.plugins)

    def _plugin_modules_autouse(self) -> tuple[tuple[str, ...], bool]:
        names: list[str] = []
        complete = True
        known = plugin_facts.plugin_modules()
        for plugin in sorted(self._declared_plugins()):
            module = self.index.modules.get(plugin)
            if module is None:
                # A well-known plugin's autouse fixtures are left out with the other installed ones.
                complete = complete and plugin in known
                continue
            more, module_complete = self.index.module_autouse(module)
            names.extend(n for n in more if n not in names)
            complete = complete and module_complete
        return tuple(names), complete

    def _installed(self, name: str) -> FixtureInfo | None:
        found = plugin_facts.plugin_fixture(name, self._declared_plugins())
        return found.info if found is not None else None


def _fixtureless(base: str) -> bool:
    return (
        base in FIXTURELESS_BASES or plugin_facts.test_case_attributes(base) is not None
    )
