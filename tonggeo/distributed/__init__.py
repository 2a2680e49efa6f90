"""Runs past one machine: proposing walks, problems and search branches as tasks on a Ray cluster.

Ray is an extra (`pip install 'tonggeo[ray]'`) and is imported only by the functions that use it, so
`import tonggeo` and the default local runs never load it.  Every node needs the same tonggeo installed.

    cluster.py   connecting (`--ray ADDRESS|auto|local`), clear errors for unreachable heads
    index.py     the dedup index's single owner: an actor holding the SQLite index
    propose.py   a proposing run whose walks are Ray tasks (same outputs and stats.json as local runs)
    solve.py     `tonggeo solve --ray`: problems as Ray tasks, search branches as Ray tasks within them
"""
