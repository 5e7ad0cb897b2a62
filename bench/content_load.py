"""Loading and validating the content: the shipped course and ten times it, against reading bytes.

Builds, in a temporary folder, the shipped content with every module and question bank copied
nine more times (ids renamed `-r1`..`-r9`, question ids renumbered within their pattern), then
times in this process `load()` of the shipped content and of the 10x content (and the
inventory of the 10x content, whose near-duplicate search compares every bank with every
other). Each load is printed as a ratio to the baseline of reading the same files' bytes, and
the 10x time against the target in DESIGN.md (<= 2 s). The same loads with the pure-Python
YAML parser show what libyaml buys.

    .venv/bin/python bench/content_load.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import functools
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

PROJECT = Path(__file__).resolve().parents[1]
SHIPPED = ("modules", "quizzes", "rules", "tracks.yaml")
COPIES = 10
TARGET_S = 2.0
QUESTION_ID = re.compile(r"(?m)^(  - id: )([a-z]{2,4})-(\d{3})$")


def best_of(repeat: int, run: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def copy_shipped(root: Path) -> Path:
    root.mkdir(parents=True)
    for name in SHIPPED:
        source = PROJECT / name
        if source.is_dir():
            shutil.copytree(source, root / name)
        else:
            shutil.copy2(source, root / name)
    return root


def multiply(root: Path, copies: int) -> None:
    """Copy every module and bank `copies - 1` more times, with ids that do not collide."""
    for folder in sorted(p for p in (root / "modules").iterdir() if p.is_dir()):
        text = (folder / "module.md").read_text(encoding="utf-8")
        for r in range(1, copies):
            twin = folder.with_name(f"{folder.name}-r{r}")
            twin.mkdir()
            renamed = re.sub(rf"(?m)^id: {folder.name}$", f"id: {twin.name}", text, count=1)
            (twin / "module.md").write_text(renamed, encoding="utf-8")
    # each track lists the copies beside their original (the validator checks both sides)
    tracks_file = root / "tracks.yaml"
    tracks = yaml.safe_load(tracks_file.read_text(encoding="utf-8"))
    for track in tracks:
        track["modules"] = [
            twin for m in track["modules"] for twin in [m, *(f"{m}-r{r}" for r in range(1, copies))]
        ]
    tracks_file.write_text(yaml.safe_dump(tracks, sort_keys=False, allow_unicode=True))
    for bank in sorted((root / "quizzes" / "banks").glob("*.yaml")):
        text = bank.read_text(encoding="utf-8")
        for r in range(1, copies):
            renamed = re.sub(r"(?m)^id: (.+)$", rf"id: \1-r{r}", text, count=1)
            renamed = QUESTION_ID.sub(functools.partial(renumbered, copy=r), renamed)
            bank.with_name(f"{bank.stem}-r{r}.yaml").write_text(renamed, encoding="utf-8")


def renumbered(question: re.Match[str], copy: int) -> str:
    """coi-014 in copy 3 is coi-314: still the pattern ^[a-z]{2,4}-\\d{3}$ (banks stay < 100)."""
    prefix, letters, number = question.groups()
    return f"{prefix}{letters}-{100 * copy + int(number):03d}"


def read_bytes(root: Path) -> None:
    for path in root.rglob("*"):
        if path.is_file():
            path.read_bytes()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    from course.content import located
    from course.content.inventory import describe
    from course.content.loader import load

    folder = Path(tempfile.mkdtemp())
    try:
        shipped = copy_shipped(folder / "shipped")
        tenfold = copy_shipped(folder / "tenfold")
        multiply(tenfold, COPIES)
        for name, root in (("shipped", shipped), ("10x", tenfold)):
            catalogue, problems = load(root)  # warm: imports, caches
            # the copies repeat the originals word for word, which the validator must report
            unexpected = [p for p in problems if "word for word" not in p]
            assert not unexpected, unexpected[:5]
            if problems:
                print(f"{name}: {len(problems)} copied questions and options reported as such")
            print(
                f"{name:8s} {len(catalogue.modules)} modules, {len(catalogue.questions)} "
                f"questions, {sum(1 for p in root.rglob('*') if p.is_file())} files"
            )
        print(f"parser   {located.LOADER.__name__}")
        rows = []
        for name, root in (("shipped", shipped), ("10x", tenfold)):
            baseline = best_of(args.repeat, lambda root=root: read_bytes(root))
            loaded = best_of(args.repeat, lambda root=root: load(root))
            rows.append((name, baseline, loaded))
            print(f"read bytes {name:8s} {baseline * 1000:8.1f} ms")
            print(f"load {name:14s} {loaded * 1000:8.1f} ms  ({loaded / baseline:.0f} x reading)")
        tenfold_catalogue, _ = load(tenfold)
        described = best_of(args.repeat, lambda: describe(tenfold_catalogue))
        print(f"inventory of 10x (near-duplicates included) {described * 1000:.1f} ms")
        located.LOADER = yaml.SafeLoader
        python = best_of(max(1, args.repeat // 2), lambda: load(shipped))
        print(
            f"load shipped, pure-Python YAML {python * 1000:.1f} ms "
            f"({python / rows[0][2]:.1f} x the libyaml load)"
        )
        tenfold_s = rows[1][2]
        verdict = "meets" if tenfold_s <= TARGET_S else "misses"
        print(
            f"10x content: {tenfold_s:.2f} s, {verdict} the target of <= {TARGET_S:.0f} s "
            f"({tenfold_s / TARGET_S:.0%} of it; best of {args.repeat} each)"
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
