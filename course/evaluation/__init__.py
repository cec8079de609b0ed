"""How good the analyses are: human annotations (`gold`) and scores against them (`scores`)."""
