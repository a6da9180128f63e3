"""Intake evidence in the app: the pads, the intake box and the card's panel."""
