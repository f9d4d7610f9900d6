"""公开检查 / The public checks of exercise 09-invoice-checks.

The checks live in the finshare package (finshare.exercises.invoice_checks); the notebook
runs them with ex.check(...), and the teacher's grader runs the same checks, plus
hidden ones, outside your notebook. List them with their points:

    python checks.py
"""
from finshare.exercises import exercise_class

EXERCISE = exercise_class("09-invoice-checks")

if __name__ == "__main__":
    print(EXERCISE().describe())
