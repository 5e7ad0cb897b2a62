"""The quiz page: its code lives in course/ui/screens/quiz.py, imported once per process."""

from course.ui.screens import quiz

quiz.show()
