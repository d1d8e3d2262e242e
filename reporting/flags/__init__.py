"""Pattern flags: a frozen case snapshot, small rule classes, and the engine that runs them."""
