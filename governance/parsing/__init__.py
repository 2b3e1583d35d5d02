"""Reading what people type: dates, references like A-3, and patient identifiers to refuse.

Every parser here raises governance.errors.Invalid with a message fit to show the person.
"""
