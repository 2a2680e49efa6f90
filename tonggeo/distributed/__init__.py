"""Runs past one machine: proposing walks, problems and search branches as tasks on a Ray cluster.

Ray is an extra (`pip install 'tonggeo[ray]'`) and is imported only by the functions that use it, so
`import tonggeo` and the default local runs never load it.  Every node needs the same tonggeo installed.

    cluster.py   connecting (`--ray ADDRESS|auto|local`), clear errors for unreachable heads
    propose.py   a proposing run whose walks are Ray tasks (the local driver, index and outputs)
    solve.py     `tonggeo solve --ray`: problems as Ray tasks, search branches as Ray tasks within them
"""
