"""pyproject.toml, environment.yml, README.md and .ci/run must agree."""

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]

# conda-forge name -> PyPI name, where they differ.
CONDA_TO_PYPI = {
    "playwright-python": "playwright",
    "psycopg2": "psycopg2-binary",
    "matplotlib-base": "matplotlib",
}
CONDA_TOOLING = {"python", "pip"}
# conda-forge programs that are not Python distributions (pyproject.toml cannot list them).
CONDA_PROGRAMS = {"tesseract"}


def normalise(spec: str) -> str:
    """Distribution name of a requirement: lowercase, runs of -_. as '-', no version/extras."""
    spec = spec.split("::")[-1]
    name = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", spec).group(1)
    return re.sub(r"[-_.]+", "-", name).lower()


def pyproject_names() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    specs = list(project["dependencies"])
    for extra in ("app", "test"):
        specs += project["optional-dependencies"][extra]
    return {normalise(s) for s in specs}


def conda_names() -> set[str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    names = set()
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            names |= {normalise(s) for s in dep.get("pip", []) if not s.startswith("-")}
        else:
            name = normalise(dep)
            if name not in CONDA_TOOLING | CONDA_PROGRAMS:
                names.add(CONDA_TO_PYPI.get(name, name))
    return names


def test_environment_yml_matches_pyproject():
    pyproject, conda = pyproject_names(), conda_names()
    assert pyproject == conda, (
        "environment.yml and pyproject.toml (dependencies + app + test extras) differ:\n"
        f"  only in pyproject.toml:  {sorted(pyproject - conda)}\n"
        f"  only in environment.yml: {sorted(conda - pyproject)}\n"
        "(conda-forge names that differ from PyPI go in CONDA_TO_PYPI)"
    )


def test_environment_yml_installs_the_package():
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    pip_sections = [d["pip"] for d in env["dependencies"] if isinstance(d, dict)]
    assert any("-e ." in section for section in pip_sections), "environment.yml needs `pip: [-e .]`"
    assert "conda-forge" in env["channels"]


def shell_commands(text: str) -> list[str]:
    return [
        " ".join(line.split())
        for line in text.splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]


def readme_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"^```(?:bash|sh|shell|console)?\s*\n(.*?)^```", readme, re.M | re.S)
    return [cmd.removeprefix("$ ") for block in blocks for cmd in shell_commands(block)]


def test_ci_runs_the_readme_test_command():
    documented = [c for c in readme_commands() if "scripts/test.sh" in c]
    assert documented, "README.md has no fenced code block with the test command (bash scripts/test.sh)"
    ci = [c for c in shell_commands((ROOT / ".ci/run").read_text(encoding="utf-8")) if "scripts/test.sh" in c]
    assert ci == documented[:1], f".ci/run runs {ci}, README.md documents {documented}"


def test_ci_run_is_executable():
    assert (ROOT / ".ci/run").stat().st_mode & 0o111, ".ci/run must be executable (chmod +x)"
