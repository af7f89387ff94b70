"""The web worker's start-up (egov/gunicorn_conf.py): warm, then what it loaded frozen out of the collector's way."""

import gc

import pytest

from egov import gunicorn_conf


@pytest.fixture
def unfrozen():
    gc.unfreeze()
    yield
    gc.unfreeze()


def test_worker_start_freezes_what_it_loaded(unfrozen, settings):
    assert gc.get_freeze_count() == 0
    gunicorn_conf.post_worker_init(worker=None)
    frozen = gc.get_freeze_count()
    # WeasyPrint, the fonts and the templates were loaded by the warm-up: far more than a bare interpreter holds.
    assert frozen > 50_000
    # The collector no longer looks at them; objects made afterwards are tracked as usual.
    tracked_before = len(gc.get_objects())
    made = [[index] for index in range(1_000)]
    assert len(gc.get_objects()) >= tracked_before + len(made)
    assert frozen > len(gc.get_objects())
