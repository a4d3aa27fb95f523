"""Tables → facts and goals: budget, delårsrapport, bokslut and the party's proposal."""
