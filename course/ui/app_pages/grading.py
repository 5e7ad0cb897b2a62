"""The grading page: its code lives in course/ui/screens/grading.py, imported once per process."""

from course.ui.screens import grading

grading.show()
