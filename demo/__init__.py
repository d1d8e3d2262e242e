"""The synthetic demo: agencies, users for each role and the Marlow family's case (case.py), its
family structure and ecomap (family.py) and its multi-agency chronology (chronology.py), loaded by
`manage.py load_demo`. Every name, address and event is invented."""
