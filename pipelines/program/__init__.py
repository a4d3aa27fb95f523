"""The party's action program as data: document → proposals (bullets and prose positions)."""
