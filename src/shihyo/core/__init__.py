"""The framework-free core: periods, numbers, model, indicators, evaluation, targets, reconciliation.

Nothing in this package imports Django, an office library or a PDF library.
"""
