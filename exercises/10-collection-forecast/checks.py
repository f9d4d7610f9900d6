"""公开检查 / The public checks of exercise 10-collection-forecast.

The checks live in the finshare package (finshare.exercises.collection_forecast, forecast_answers, forecast_feedback); the notebook
runs them with ex.check(...), and the teacher's grader runs the same checks, plus
hidden ones, outside your notebook. List them with their points:

    python checks.py
"""
from finshare.exercises import exercise_class

EXERCISE = exercise_class("10-collection-forecast")

if __name__ == "__main__":
    print(EXERCISE().describe())
