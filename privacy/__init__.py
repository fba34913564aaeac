"""Privacy by law: a person downloads their data; an administrator erases a person."""
