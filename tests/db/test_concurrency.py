"""Many writers at once, and a writer killed half-way: nothing is lost, nothing is half-written.

Real processes on real databases (SQLite in WAL mode, and a PostgreSQL server), no mocks.
"""

from __future__ import annotations

import multiprocessing
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import sqlalchemy as sa

import ettervern as e
from ettervern.db import Register
from tests.db import workers

EXAMPLE = e.examples.salten_2020()
TEAM = EXAMPLE.team
TIMEOUT = 300


def _run_all(target: Any, jobs: list[tuple[Any, ...]]) -> list[Any]:
    """Run ``target`` in one process per job, all released at once; their results."""
    context = multiprocessing.get_context("spawn")
    start, results = context.Barrier(len(jobs)), context.Queue()
    processes = [context.Process(target=target, args=(job, start, results)) for job in jobs]
    for process in processes:
        process.start()
    found = [results.get(timeout=TIMEOUT) for _ in processes]
    for process in processes:
        process.join(TIMEOUT)
        assert process.exitcode == 0
    return found


def test_two_processes_recording_on_one_case_lose_nothing(url: str) -> None:
    with Register(url, user="u-0") as register:
        register.add_case(EXAMPLE.cases[7], team=TEAM)
        before = register.get_case(workers.CASE, team=TEAM)
    day = before.case.events[-1].on
    count = 15
    _run_all(workers.record_tasks, [(url, user, count, day) for user in ("u-a", "u-b")])
    with Register(url, user="u-0") as register:
        after = register.get_case(workers.CASE, team=TEAM)
        trail = register.access_log()
    tasks = [event.task for event in after.case.events[len(before.case.events) :]]  # type: ignore[union-attr]
    assert sorted(tasks) == sorted(
        workers.task_key(u, n) for u in ("u-a", "u-b") for n in range(count)
    )
    assert after.version == before.version + 2 * count
    # Each writer's own tasks are in its own order.
    assert [t for t in tasks if t.startswith("u_a")] == [
        workers.task_key("u-a", n) for n in range(count)
    ]
    assert sum(r.action == "record" for r in trail) == 2 * count


def test_writers_importing_at_once_lose_nothing_and_add_nothing_twice(url: str) -> None:
    with Register(url, user="u-0") as register:
        register.add_team(TEAM)
    jobs = [
        (url, "u-a", "a.csv", 618),
        (url, "u-b", "a.csv", 618),
        (url, "u-c", "a.csv", 300),
        (url, "u-d", "b.csv", 618),
    ]
    results = _run_all(workers.import_rows, jobs)
    added, already = dict.fromkeys(("a.csv", "b.csv"), 0), dict.fromkeys(("a.csv", "b.csv"), 0)
    for _, source, new, old in results:
        added[source] += new
        already[source] += old
    assert added == {"a.csv": 618, "b.csv": 618}
    assert already == {"a.csv": 618 + 300, "b.csv": 0}
    with Register(url, user="u-0") as register:
        log = register.timelog(TEAM)
        assert len(log) == 2 * 618
        assert log.total_hours == 2 * EXAMPLE.log.total_hours
        assert sum(r.entries or 0 for r in register.access_log() if r.action == "import") == 2 * 618


CRASHING_IMPORT = textwrap.dedent(
    """
    import sys, time
    import sqlalchemy as sa
    import ettervern as e
    from ettervern.db import Register

    register = Register(sys.argv[1], user="u-crash")

    @sa.event.listens_for(register.engine, "commit")
    def hang(connection):
        print("written, not committed", flush=True)
        time.sleep(600)

    register.add_entries(e.examples.salten_2020().log, source="crash.csv")
    """
)


def test_a_process_killed_during_an_import_leaves_the_register_intact(
    url: str, tmp_path: Path
) -> None:
    with Register(url, user="u-0") as register:
        register.add_entries(EXAMPLE.log, source="before.csv")
    script = tmp_path / "crash.py"
    script.write_text(CRASHING_IMPORT, encoding="utf-8")
    command = [sys.executable, str(script), url]
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as child:
        try:
            assert child.stdout is not None
            assert child.stdout.readline().strip() == "written, not committed"
        finally:
            child.kill()  # SIGKILL: no clean-up of any kind
            child.wait(TIMEOUT)
    with Register(url, user="u-0") as register:
        with register.engine.connect() as connection:
            if register.engine.dialect.name == "sqlite":
                check = connection.exec_driver_sql("PRAGMA integrity_check").scalar_one()
                assert check == "ok"
            sources = connection.execute(sa.text("SELECT DISTINCT source FROM imports")).all()
        assert [s for (s,) in sources] == ["before.csv"]
        assert register.timelog(TEAM) == EXAMPLE.log
        again = register.add_entries(EXAMPLE.log, source="crash.csv")
        assert (again.added, again.already) == (618, 0)
        assert {r.user for r in register.access_log()} == {"u-0"}
