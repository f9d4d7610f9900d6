"""Exercises and grading: checks with points and bilingual feedback, the grading command.

This capability posts vouchers only through the core's one posting path
(:mod:`finshare.core`); it is built in its own issue.
"""
