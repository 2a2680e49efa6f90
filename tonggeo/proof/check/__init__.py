"""The checker's own readings: rule text, construction definitions, facts, coordinates, step replay.

Nothing here imports the engine (`tonggeo.ddar`): the checker reads the rule and construction files as
data and decides every numeric question on coordinates it derives itself.
"""
