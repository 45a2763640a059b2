from tic_desktop.demo import demo_agency_dir
from tic_desktop.formats import demo_key
from tic_desktop.formats.keys import load_agency_keys


def test_demo_fingerprint_is_the_committed_demo_key() -> None:
    keys = load_agency_keys(demo_agency_dir())
    assert demo_key.is_demo_agency_fingerprint(keys.fingerprint)
    assert not demo_key.is_demo_agency_fingerprint("SHA256:" + "A" * 43)
