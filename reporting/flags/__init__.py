"""Pattern flags: a frozen case snapshot, small rule classes, and the engine that runs them; flag
reviews and rule settings (models, services, selectors, pages and API) beside it."""
